/*
 * MMM-D2 through a branch: AR__HEAP__FREE of a mut_ parameter in the else branch.
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

typedef struct ar_node_s {
    struct ar_node_s *mut_next;
    int value;
} ar_node_t;

int ar_node__unlink(ar_node_t *mut_node, bool keep) {
    int value = mut_node->value;
    if (keep) {
        mut_node->mut_next = NULL;
    } else {
        AR__HEAP__FREE(mut_node);
//                     ^^^^^^^^ MMM-D2
    }
    return value;
}
