/*
 * X17 (custody's reading, not in the reference's list): a list keeps its first and last node in
 * `own_head` and `own_tail` of the same object; storing one node into both fields of that object
 * gives it no second owner (silent). Storing one value into own_ fields of two different objects
 * is a second transfer (MMM-T1).
 */
#include <stdbool.h>
#include <stddef.h>

#define AR__HEAP__MALLOC(size, desc) ar_heap__malloc((size), (desc))

void* ar_heap__malloc(size_t size, const char *ref_description);

typedef struct ar_node_s { struct ar_node_s *mut_next; void *mut_item; } ar_node_t;
typedef struct ar_chain_s { ar_node_t *own_head; ar_node_t *own_tail; } ar_chain_t;

bool ar_chain__add_last(ar_chain_t *mut_chain, void *mut_item) {
    ar_node_t *own_node = (ar_node_t*)AR__HEAP__MALLOC(sizeof(ar_node_t), "node");
    if (!own_node) {
        return false;
    }
    own_node->mut_item = mut_item;
    own_node->mut_next = NULL;
    if (mut_chain->own_tail) {
        mut_chain->own_tail->mut_next = own_node;
    } else {
        mut_chain->own_head = own_node;
    }
    mut_chain->own_tail = own_node;
    return true;
}

void ar_chain__share(ar_chain_t *mut_a, ar_chain_t *mut_b) {
    ar_node_t *own_node = (ar_node_t*)AR__HEAP__MALLOC(sizeof(ar_node_t), "node");
    mut_a->own_head = own_node;
    mut_b->own_head = own_node;
//                    ^^^^^^^^ MMM-T1
}
