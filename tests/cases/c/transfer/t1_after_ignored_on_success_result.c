/*
 * MMM-T1: the result of a consume-on-success sink is ignored, which counts as success, so the value
 * is transferred and the read after it is a use after transfer.
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

int ar_stats__put_and_read(ar_data_t *mut_stats, int value) {
    ar_data_t *own_value = ar_data__create_integer(value);
    ar_data__set_map_data(mut_stats, "value", own_value);
    return ar_data__get_integer(own_value);
//                              ^^^^^^^^^ MMM-T1
}
