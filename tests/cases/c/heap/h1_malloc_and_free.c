/*
 * MMM-H1, simple: raw malloc and free outside ar_heap.* (AgeRun requires AR__HEAP__* for leak
 * tracking). The range is the callee identifier.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <stdlib.h>

int ar_scratch__sum(const int *ref_values, size_t count) {
    int *own_copy = malloc(count * sizeof(int));
//                  ^^^^^^ MMM-H1
    if (!own_copy) {
        return 0;
    }
    int sum = 0;
    for (size_t i = 0; i < count; i++) {
        own_copy[i] = ref_values[i];
        sum += own_copy[i];
    }
    free(own_copy);
//  ^^^^ MMM-H1
    return sum;
}
