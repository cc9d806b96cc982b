/*
 * Silent (X9): an own_ parameter stored into an own_ field is consumed; a ref_ alias field of the
 * same struct set from it right after is fine (AgeRun's ar_agent__create_with_method_owned_context
 * does exactly this). Reading: X9 in the reference is "store into a struct field, plus an aliasing
 * ref_ field"; storing the pointer into a ref_ field borrows from its new owner, it is not a use
 * after transfer (no MMM-T1), as for an alias taken before the transfer (X8).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ar_data_s ar_data_t;

/**
 * Creates a new integer data value.
 * @param value The integer to hold
 * @return A new data value, or NULL on allocation failure
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_data__create_integer(int value);

/**
 * Creates a new string data value.
 * @param ref_text The text to copy
 * @return A new data value, or NULL on allocation failure
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_data__create_string(const char *ref_text);

/**
 * Destroys a data value (does nothing when given NULL).
 * @param own_data The data to destroy
 * @note Ownership: Takes ownership of own_data and destroys it.
 */
void ar_data__destroy(ar_data_t *own_data);

/**
 * Gets the integer held by a data value.
 * @param ref_data The data to read
 * @return The integer, or 0 when the data is not an integer
 */
int ar_data__get_integer(const ar_data_t *ref_data);

typedef struct ar_agent_s {
    ar_data_t *own_context;
    const ar_data_t *ref_context;
    int64_t id;
} ar_agent_t;

void ar_agent__adopt_context(ar_agent_t *mut_agent, ar_data_t *own_context) {
    ar_data__destroy(mut_agent->own_context);
    mut_agent->own_context = own_context;
    mut_agent->ref_context = own_context;
}
