/*
 * MMM-L1 with its fix, heap memory: the buffer from AR__HEAP__MALLOC leaks at the return inside the
 * loop. Fix (.fixed.c): `AR__HEAP__FREE(own_buffer);` on a new line right before that return.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * Allocates tracked heap memory.
 * @note Ownership: Returns newly allocated memory that the caller must free.
 */
void* ar_heap__malloc(size_t size, const char *ref_description);

/**
 * Resizes tracked heap memory.
 * @note Ownership: Takes ownership of own_ptr; returns newly allocated memory that the caller must free.
 */
void* ar_heap__realloc(void *own_ptr, size_t size, const char *ref_description);

/**
 * Frees tracked heap memory (does nothing when given NULL).
 * @note Ownership: Takes ownership of own_ptr and frees it.
 */
void ar_heap__free(void *own_ptr);

#define AR__HEAP__MALLOC(size, desc) ar_heap__malloc((size), (desc))
#define AR__HEAP__REALLOC(ptr, size, desc) ar_heap__realloc((ptr), (size), (desc))
#define AR__HEAP__FREE(ptr) ar_heap__free(ptr)

int ar_buffer__first_zero(const int *ref_values, size_t count) {
    int *own_buffer = AR__HEAP__MALLOC(count * sizeof(int) + 1, "buffer");
    if (!own_buffer) {
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        own_buffer[i] = ref_values[i];
        if (own_buffer[i] == 0) {
            return (int)i;
//          ^^^^^^ MMM-L1
        }
    }
    AR__HEAP__FREE(own_buffer);
    return -1;
}
