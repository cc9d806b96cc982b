/*
 * MMM-R2 and where it stays silent: a static function named with one of custody's guessed owning
 * verbs (`_read_...`) whose body returns a borrowed pointer into the caller's buffer is silent
 * (the body outranks such a guess); the same body is MMM-R2 under a doc that says the caller owns
 * the result, and under one of AgeRun's own owning verbs (`_make_...`).
 */
#include <stddef.h>
#include <stdio.h>

static char* _read_first_line(FILE *mut_file, char *mut_buffer, size_t buffer_size) {
    char *ref_line = fgets(mut_buffer, (int)buffer_size, mut_file);
    return ref_line;
}

/**
 * Reads the second line.
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
static char* _second_line(FILE *mut_file, char *mut_buffer, size_t buffer_size) {
    char *ref_line = fgets(mut_buffer, (int)buffer_size, mut_file);
    return ref_line;
//         ^^^^^^^^ MMM-R2
}

static char* _make_label(char *ref_label) {
    return ref_label;
//         ^^^^^^^^^ MMM-R2
}

int ar_reader__lines(FILE *mut_file) {
    char buffer[64];
    int n = 0;
    if (_read_first_line(mut_file, buffer, sizeof(buffer)) != NULL) {
        n++;
    }
    if (_second_line(mut_file, buffer, sizeof(buffer)) != NULL) {
        n++;
    }
    return n + (_make_label(buffer) != NULL);
}
