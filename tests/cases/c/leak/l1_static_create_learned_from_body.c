/*
 * MMM-L1 through a static helper: _make_buffer returns an AR__HEAP__MALLOC allocation on every
 * non-NULL exit, so its return is owned (learned from the body); the caller drops it on one branch.
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

static char* _make_buffer(size_t size) {
    char *own_buffer = AR__HEAP__MALLOC(size, "buffer");
    if (!own_buffer) {
        return NULL;
    }
    own_buffer[0] = '\0';
    return own_buffer;
}

size_t ar_text__capacity(size_t wanted, bool probe_only) {
    char *own_text = _make_buffer(wanted);
    if (!own_text) {
        return 0;
    }
    if (probe_only) {
        return wanted;
//      ^^^^^^ MMM-L1
    }
    AR__HEAP__FREE(own_text);
    return wanted;
}
