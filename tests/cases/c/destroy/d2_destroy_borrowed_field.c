/*
 * MMM-D2 on a field: the agent only borrows its context (ref_context); destroying it through
 * the field is a destroy of a borrowed value. Reading: for a field expression the range is the
 * field's identifier (the component whose prefix says borrowed).
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
    ar_data_t *own_memory;
    ar_data_t *ref_context;
} ar_agent_t;

void ar_agent__clear(ar_agent_t *mut_agent) {
    ar_data__destroy(mut_agent->own_memory);
    mut_agent->own_memory = NULL;
    ar_data__destroy(mut_agent->ref_context);
//                              ^^^^^^^^^^^ MMM-D2
    mut_agent->ref_context = NULL;
}
