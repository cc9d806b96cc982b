/*
 * MMM-P4 in a loop: a ref_ local initialised from AR__HEAP__MALLOC (an owned allocation). The
 * prefix is on a single pointer (not T **), so X14 does not apply.
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

size_t ar_scratch__probe(size_t rounds) {
    size_t ok = 0;
    for (size_t i = 0; i < rounds; i++) {
        char *ref_scratch = AR__HEAP__MALLOC(16, "scratch");
//            ^^^^^^^^^^^ MMM-P4
        if (ref_scratch) {
            ok++;
        }
    }
    return ok;
}
