/*
 * MMM-D1 through goto: the buffer is freed on the error path before jumping to a cleanup label
 * that frees it again.
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

bool ar_buffer__fill(size_t size, bool fail) {
    char *own_buffer = AR__HEAP__MALLOC(size, "buffer");
    if (!own_buffer) {
        return false;
    }
    if (fail) {
        AR__HEAP__FREE(own_buffer);
        goto error;
    }
    own_buffer[0] = '\0';
    AR__HEAP__FREE(own_buffer);
    return true;
error:
    AR__HEAP__FREE(own_buffer);
//                 ^^^^^^^^^^ MMM-D1
    return false;
}
