/*
 * A literal condition takes one edge only: a `while (true)` loop left only by `return` does not
 * fall off its end (no leak at the function's closing brace), and `do { ... } while (0)` runs its
 * body once (no second destroy through a back edge). A typed `mut_` parameter is lent, not a
 * container that keeps the value: in `ar_ast__set_items(own_ast, own_items)` own_items goes to
 * an own_ sink while own_ast is only changed, and is still owned (destroyed, or returned).
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_list_s ar_list_t;
typedef struct ar_ast_s ar_ast_t;

/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_list_t* ar_list__create(void);
/** @note Ownership: Takes ownership of own_list and destroys it. */
void ar_list__destroy(ar_list_t *own_list);
/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_ast_t* ar_ast__create(void);
/** @note Ownership: Takes ownership of own_ast and destroys it. */
void ar_ast__destroy(ar_ast_t *own_ast);
/**
 * Gives the node its items.
 * @note Ownership: Takes ownership of own_items. If it fails, the function will destroy them.
 */
bool ar_ast__set_items(ar_ast_t *mut_ast, ar_list_t *own_items);
bool ar_input__more(void);

ar_list_t* ar_reader__read_all(void) {
    ar_list_t *own_list = ar_list__create();
    if (!own_list) {
        return NULL;
    }
    while (true) {
        if (!ar_input__more()) {
            return own_list;
        }
    }
}

void ar_reader__once(void) {
    ar_list_t *own_list = ar_list__create();
    do {
        ar_list__destroy(own_list);
    } while (0);
}

ar_ast_t* ar_reader__node(void) {
    ar_ast_t *own_ast = ar_ast__create();
    if (!own_ast) {
        return NULL;
    }
    ar_list_t *own_items = ar_list__create();
    if (!ar_ast__set_items(own_ast, own_items)) {
        ar_ast__destroy(own_ast);
        return NULL;
    }
    return own_ast;
}
