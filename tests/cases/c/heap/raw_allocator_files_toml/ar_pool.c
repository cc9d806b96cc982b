/*
 * Silent (custody.toml): raw_allocator_files names ar_pool.c, so MMM-H1 does not apply here
 * although the file is not ar_heap.*.
 */
#include <stddef.h>
#include <stdlib.h>

/**
 * Duplicates a block of pool memory.
 * @param ref_block The memory to copy
 * @param size Bytes
 * @return The copy, or NULL
 * @note Ownership: Returns newly allocated memory that the caller must free.
 */
char* ar_pool__copy_block(const char *ref_block, size_t size);

char* ar_pool__copy_block(const char *ref_block, size_t size) {
    char *own_copy = calloc(size, 1);
    if (!own_copy) {
        return NULL;
    }
    for (size_t i = 0; i < size; i++) {
        own_copy[i] = ref_block[i];
    }
    return own_copy;
}
