/*
 * Silent (no MMM-R2): a static function whose name's verb reads as owning (`_read_...`) but
 * whose body returns a borrowed pointer into the caller's buffer: the body outranks the name,
 * so the borrowed return is not a contradiction. With a doc that says the caller owns the
 * result, the same body is MMM-R2.
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

int ar_reader__lines(FILE *mut_file) {
    char buffer[64];
    int n = 0;
    if (_read_first_line(mut_file, buffer, sizeof(buffer)) != NULL) {
        n++;
    }
    if (_second_line(mut_file, buffer, sizeof(buffer)) != NULL) {
        n++;
    }
    return n;
}
