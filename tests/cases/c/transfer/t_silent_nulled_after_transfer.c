/*
 * Silent (MMM-T2 does not fire): the value is set to NULL right after each transfer, so later NULL
 * tests and the cleanup destroy see NULL, not a stale pointer.
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

/**
 * Creates a new empty map data value.
 * @return A new map, or NULL on allocation failure
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_data__create_map(void);

/**
 * Stores a value under a key of a map data value.
 * @param mut_map The map to store into
 * @param ref_key The key
 * @param own_value The value to store
 * @return true if the value was stored, false otherwise
 * @note Ownership: Takes ownership of own_value only on success; the caller must destroy it on failure.
 */
bool ar_data__set_map_data(ar_data_t *mut_map, const char *ref_key, ar_data_t *own_value);

/**
 * Gets the value stored under a key of a map data value.
 * @param ref_map The map to read
 * @param ref_key The key
 * @return The value, or NULL when there is none
 * @note Ownership: Returns a borrowed reference; do not destroy it.
 */
ar_data_t* ar_data__get_map_data(const ar_data_t *ref_map, const char *ref_key);

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

bool ar_courier__send_then_store(ar_agency_t *mut_agency, ar_data_t *mut_map, int64_t agent_id) {
    ar_data_t *own_note = ar_data__create_string("note");
    ar_agency__send_to_agent(mut_agency, agent_id, own_note);
    own_note = NULL;
    ar_data_t *own_copy = ar_data__create_string("copy");
    if (ar_data__set_map_data(mut_map, "copy", own_copy)) {
        own_copy = NULL;
    }
    if (own_note != NULL || own_copy != NULL) {
        ar_data__destroy(own_copy);
        return false;
    }
    return true;
}
