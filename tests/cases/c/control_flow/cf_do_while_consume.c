/*
 * Silent: a do/while that creates and sends a message on every iteration (always-consume sink),
 * reassigning the variable after each transfer.
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

int ar_pump__send_n(ar_agency_t *mut_agency, int64_t agent_id, int count) {
    int sent = 0;
    do {
        ar_data_t *own_message = ar_data__create_integer(sent);
        if (!own_message) {
            break;
        }
        if (ar_agency__send_to_agent(mut_agency, agent_id, own_message)) {
            sent++;
        }
    } while (sent < count);
    return sent;
}
