/*
 * Silent: the MMM-P1 situation of hints/p1_on without a custody.toml (hints are off by default).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int ar_words__count_off(const char *ref_text) {
    int words = 0;
    const char *cursor = ref_text;
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
