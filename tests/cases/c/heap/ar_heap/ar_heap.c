/*
 * Silent (MMM-H1 exception): raw allocators are allowed in ar_heap.* (the default
 * raw_allocator_files), where AgeRun implements its tracked heap.
 */
#include <stddef.h>
#include <stdlib.h>

/**
 * Allocates pool memory.
 * @param size Bytes
 * @return The memory, or NULL
 * @note Ownership: Returns newly allocated memory that the caller must free.
 */
void* ar_heap__pool_alloc(size_t size);

/**
 * Frees pool memory.
 * @param own_block The memory (may be NULL)
 * @note Ownership: Takes ownership of own_block and frees it.
 */
void ar_heap__pool_release(void *own_block);

void* ar_heap__pool_alloc(size_t size) {
    void *own_block = malloc(size);
    return own_block;
}

void ar_heap__pool_release(void *own_block) {
    free(own_block);
}
