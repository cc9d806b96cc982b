/*
 * Silent (no MMM-H1): memory through the AR__HEAP__* macros only; FILE* handles from fopen/fclose
 * are not heap allocators (the own_ handle comes from a call custody has no summary of: unknown).
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

#include <stdio.h>

long ar_io__file_size(const char *ref_path) {
    char *own_name = AR__HEAP__MALLOC(64, "name");
    if (!own_name) {
        return -1;
    }
    own_name[0] = '\0';
    FILE *own_file = fopen(ref_path, "rb");
    if (!own_file) {
        AR__HEAP__FREE(own_name);
        return -1;
    }
    long size = 0;
    while (fgetc(own_file) != EOF) {
        size++;
    }
    fclose(own_file);
    AR__HEAP__FREE(own_name);
    return size;
}
