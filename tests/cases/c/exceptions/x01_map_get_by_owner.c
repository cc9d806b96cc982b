/*
 * Silent (X1): a value taken out of an own_ map field by its owner (the map does not own its
 * values; the session does) is owned and destroyed; a NULL-guarded exit when there is none.
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

typedef struct ar_map_s ar_map_t;

/**
 * Gets the value stored under a key.
 * @param ref_map The map
 * @param ref_key The key
 * @return The value, or NULL
 * @note Ownership: Returns a borrowed reference; do not destroy it.
 */
void* ar_map__get(const ar_map_t *ref_map, const char *ref_key);

/**
 * Removes the value stored under a key (the value is not destroyed).
 * @param mut_map The map
 * @param ref_key The key
 * @return true if there was a value
 */
bool ar_map__remove(ar_map_t *mut_map, const char *ref_key);

typedef struct ar_session_s {
    ar_map_t *own_values;
    int64_t id;
} ar_session_t;

int ar_session__take_value(ar_session_t *mut_session, const char *ref_key) {
    ar_data_t *own_value = ar_map__get(mut_session->own_values, ref_key);
    if (!own_value) {
        return -1;
    }
    ar_map__remove(mut_session->own_values, ref_key);
    int result = ar_data__get_integer(own_value);
    ar_data__destroy(own_value);
    return result;
}
