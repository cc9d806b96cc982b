/*
 * A function that puts a new value into a list or registry custody cannot see into (a `void *`
 * item) and then returns it does not say by its body who owns the result, so its doc decides:
 * here "the shell keeps it; a borrowed reference" (AgeRun's ar_shell__start_session). Naming the
 * result `ref_` is right; `own_` is MMM-P4.
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_list_s ar_list_t;
typedef struct ar_session_s ar_session_t;
typedef struct ar_shell_s {
    ar_list_t *own_sessions;
} ar_shell_t;

/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_session_t* ar_session__create(void);
/** Adds an item (the list does not own it). */
bool ar_list__add_last(ar_list_t *mut_list, void *ref_item);

/**
 * Starts a session.
 * @return The new session (a borrowed reference: the shell keeps it and destroys it)
 */
ar_session_t* ar_shell__start_session(ar_shell_t *mut_shell) {
    ar_session_t *own_session = ar_session__create();
    if (!own_session) {
        return NULL;
    }
    ar_list__add_last(mut_shell->own_sessions, own_session);
    return own_session;
}

void ar_shell__demo(ar_shell_t *mut_shell) {
    ar_session_t *ref_session = ar_shell__start_session(mut_shell);
    ar_session_t *own_session = ar_shell__start_session(mut_shell);
//                ^^^^^^^^^^^ MMM-P4
    (void)ref_session;
    (void)own_session;
}
