/*
 * MMM-H1 in a loop and a branch: raw realloc (the realloc idiom itself is fine: no MMM-L3) and
 * raw strdup.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdlib.h>
#include <string.h>

char* ar_text__join_copies(const char *ref_word, int times) {
    char *own_result = NULL;
    size_t used = 0;
    size_t len = strlen(ref_word);
    for (int i = 0; i < times; i++) {
        own_result = realloc(own_result, used + len + 1);
//                   ^^^^^^^ MMM-H1
        if (!own_result) {
            return NULL;
        }
        for (size_t k = 0; k < len; k++) {
            own_result[used + k] = ref_word[k];
        }
        used += len;
        own_result[used] = '\0';
    }
    if (!own_result) {
        own_result = strdup("");
//                   ^^^^^^ MMM-H1
    }
    return own_result;
}
