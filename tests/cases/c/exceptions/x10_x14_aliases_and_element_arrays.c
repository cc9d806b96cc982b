/*
 * X10 extended to aliases: a `mut_` local that walks the `own_` slots of a struct it may change
 * (a list's own_head/own_next) frees what the struct owns: not MMM-D2. X14: a `T **` field or
 * local's prefix describes its elements, so freeing a `const char **ref_keys` array the struct
 * allocated, or storing a borrowed value into an element of a `void **own_refs` array, is not
 * reported.
 */
#include <stdbool.h>
#include <stddef.h>
#include "ar_heap.h"

typedef struct ar_node_s {
    struct ar_node_s *own_next;
    void *mut_item;
} ar_node_t;

typedef struct ar_chain_s {
    ar_node_t *own_head;
    const char **ref_keys;
    int count;
} ar_chain_t;

void ar_chain__clear(ar_chain_t *mut_chain) {
    ar_node_t *mut_node = mut_chain->own_head;
    while (mut_node) {
        ar_node_t *mut_next = mut_node->own_next;
        AR__HEAP__FREE(mut_node);
        mut_node = mut_next;
    }
    mut_chain->own_head = NULL;
    AR__HEAP__FREE(mut_chain->ref_keys);
    mut_chain->ref_keys = NULL;
}

void** ar_chain__refs(const ar_chain_t *ref_chain) {
    void **own_refs = AR__HEAP__MALLOC(sizeof(void *) * 8, "refs");
    if (!own_refs) {
        return NULL;
    }
    int i = 0;
    for (const ar_node_t *ref_node = ref_chain->own_head; ref_node && i < 8; ref_node = ref_node->own_next) {
        void *ref_value = ref_node->mut_item;
        own_refs[i++] = ref_value;
    }
    return own_refs;
}
