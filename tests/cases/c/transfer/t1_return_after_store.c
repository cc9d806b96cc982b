/*
 * MMM-T1: returning own_context after it was stored into an own_ field (the field now owns it;
 * the function's doc says the return is owned, so the caller would destroy it a second time).
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
    int64_t id;
} ar_agent_t;

/**
 * Installs a new context in an agent and returns it.
 * @param mut_agent The agent
 * @param value The context's initial value
 * @return The new context
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_agent__make_context(ar_agent_t *mut_agent, int value);

ar_data_t* ar_agent__make_context(ar_agent_t *mut_agent, int value) {
    ar_data_t *own_context = ar_data__create_integer(value);
    mut_agent->own_context = own_context;
    return own_context;
//         ^^^^^^^^^^^ MMM-T1
}
