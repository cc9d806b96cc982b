/*
 * MMM-R1, simple: a write through a ref_ (borrowed, read-only by convention) pointer.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ar_counter_s {
    int count;
    int64_t owner_id;
} ar_counter_t;

int ar_counter__reset_and_read(ar_counter_t *ref_counter) {
    int before = ref_counter->count;
    ref_counter->count = 0;
//  ^^^^^^^^^^^ MMM-R1
    return before;
}
