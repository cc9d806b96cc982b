/*
 * Silent (X5): a T **own_ array passed to a function that takes its elements; the array itself
 * stays with the caller, which frees it afterwards.
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

typedef struct ar_expression_ast_s ar_expression_ast_t;

/**
 * Creates a literal node.
 * @param value The value
 * @return A new node
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_expression_ast_t* ar_expression_ast__create_literal_int(int value);

/**
 * Creates a list literal node.
 * @param own_items The item nodes
 * @param count The number of items
 * @return A new node, or NULL
 * @note Ownership: Takes ownership of all item nodes. The array itself remains owned by the caller.
 */
ar_expression_ast_t* ar_expression_ast__create_literal_list(ar_expression_ast_t **own_items, size_t count);

ar_expression_ast_t* ar_expression_parser__parse_pair(int first, int second) {
    ar_expression_ast_t **own_items = AR__HEAP__MALLOC(2 * sizeof(ar_expression_ast_t *), "items");
    if (!own_items) {
        return NULL;
    }
    own_items[0] = ar_expression_ast__create_literal_int(first);
    own_items[1] = ar_expression_ast__create_literal_int(second);
    ar_expression_ast_t *own_list = ar_expression_ast__create_literal_list(own_items, 2);
    AR__HEAP__FREE(own_items);
    return own_list;
}
