/*
 * Silent (X14): a `const char **ref_` array whose prefix describes the (borrowed) elements, not
 * the array: allocated with AR__HEAP__MALLOC (no MMM-P4 on T **) and freed (no MMM-D2 on T **).
 * Reading: c.md's D2 row names no T ** exclusion, but X14 is listed as known, so D2 stays silent.
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

size_t ar_keys__count_long(const char *ref_first, const char *ref_second) {
    const char **ref_keys = AR__HEAP__MALLOC(2 * sizeof(const char *), "keys");
    if (!ref_keys) {
        return 0;
    }
    ref_keys[0] = ref_first;
    ref_keys[1] = ref_second;
    size_t count = 0;
    for (size_t i = 0; i < 2; i++) {
        if (ref_keys[i] && ref_keys[i][0] != '\0') {
            count++;
        }
    }
    AR__HEAP__FREE(ref_keys);
    return count;
}
