/*
 * MMM-P1 (hint, turned on by custody.toml): a pointer local without own_/mut_/ref_/out_. Loop
 * cursors declared in a for initializer are excluded.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int ar_words__count_on(const char *ref_text) {
    int words = 0;
    const char *cursor = ref_text;
//              ^^^^^^ MMM-P1
    while (*cursor != '\0') {
        if (*cursor == ' ') {
            words++;
        }
        cursor++;
    }
    for (const char *scan = ref_text; *scan; scan++) {
        words += 0;
    }
    return words + 1;
}
