/*
 * MMM-P1 (hint, on) on a pointer parameter and a pointer struct field without a prefix; a
 * fixed-size array field and non-pointer fields and parameters are not flagged.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ar_buffer_s {
    char *data;
//        ^^^^ MMM-P1
    char name[16];
    size_t size;
} ar_buffer_t;

size_t ar_buffer__length(const ar_buffer_t *ref_buffer, const char *suffix, size_t limit) {
//                                                                  ^^^^^^ MMM-P1
    size_t length = ref_buffer->size;
    while (suffix[0] != '\0' && length < limit) {
        length++;
        suffix++;
    }
    return length;
}
