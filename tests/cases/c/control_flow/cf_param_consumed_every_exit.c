/*
 * Silent: an own_ parameter consumed on every exit of a function with early returns, a switch and
 * a loop (destroyed, stored into a field, or sent).
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

typedef struct ar_agency_s ar_agency_t;

/**
 * Sends a message to an agent.
 * @param mut_agency The agency holding the agent
 * @param agent_id The receiving agent's id
 * @param own_message The message to send
 * @return true if the message was queued, false otherwise
 * @note Ownership: Takes ownership of own_message. If sending fails, function will destroy the message.
 */
bool ar_agency__send_to_agent(ar_agency_t *mut_agency, int64_t agent_id, ar_data_t *own_message);

typedef struct ar_holder_s {
    ar_data_t *own_slot;
} ar_holder_t;

void ar_holder__dispatch(ar_holder_t *mut_holder, ar_agency_t *mut_agency, ar_data_t *own_item, int mode) {
    if (!own_item) {
        return;
    }
    switch (mode) {
    case 0:
        ar_data__destroy(own_item);
        return;
    case 1:
        ar_data__destroy(mut_holder->own_slot);
        mut_holder->own_slot = own_item;
        return;
    default:
        break;
    }
    for (int i = 0; i < mode; i++) {
        if (i == 2) {
            ar_agency__send_to_agent(mut_agency, i, own_item);
            return;
        }
    }
    ar_data__destroy(own_item);
}
