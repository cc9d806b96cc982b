/*
 * X3 against a doc that says only "Takes ownership" (no body custody can read, as for AgeRun's
 * Zig-only modules): what happens to the argument when the call fails is unknown, so a destroy on
 * the failure branch is not a double destroy, and no destroy there is not a leak. On success the
 * value is transferred as usual (using it afterwards is MMM-T1).
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_list_s ar_list_t;
typedef struct ar_ast_s ar_ast_t;

/**
 * Creates a list.
 * @return A new list
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_list_t* ar_list__create(void);

/**
 * Destroys a list.
 * @param own_list The list
 * @note Ownership: Takes ownership of own_list and destroys it.
 */
void ar_list__destroy(ar_list_t *own_list);

/**
 * Sets the argument list of a node.
 * @param mut_ast The node
 * @param own_args The arguments
 * @return true if the node took them
 * @note Ownership: Takes ownership of the list.
 */
bool ar_ast__set_args(ar_ast_t *mut_ast, ar_list_t *own_args);

bool ar_parser__with_cleanup(ar_ast_t *mut_ast) {
    ar_list_t *own_args = ar_list__create();
    if (!ar_ast__set_args(mut_ast, own_args)) {
        ar_list__destroy(own_args);
        return false;
    }
    return true;
}

bool ar_parser__without_cleanup(ar_ast_t *mut_ast) {
    ar_list_t *own_args = ar_list__create();
    if (!ar_ast__set_args(mut_ast, own_args)) {
        return false;
    }
    return true;
}

bool ar_parser__ignored(ar_ast_t *mut_ast) {
    ar_list_t *own_args = ar_list__create();
    ar_ast__set_args(mut_ast, own_args);
    ar_list__destroy(own_args);
//                   ^^^^^^^^ MMM-D1
    return true;
}
