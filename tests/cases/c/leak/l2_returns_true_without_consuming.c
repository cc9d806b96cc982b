/*
 * MMM-L2: the function consumes on success elsewhere, but this exit returns true (success) with
 * the parameter unconsumed; only exits returning false, 0 or NULL may keep it. The last exit returns
 * the sink's own result, so on the sink's failure edge it returns false and may keep own_entry.
 * Reading: the doc decides that the function is consume-on-success (its implementation keeps the
 * parameter on a true exit, so it decides nothing).
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

/**
 * Inserts an entry under a key.
 * @param mut_index The index
 * @param ref_key The key
 * @param own_entry The entry
 * @return true if the entry was inserted
 * @note Ownership: Takes ownership of own_entry only on success; the caller must destroy it on failure.
 */
bool ar_index__insert(ar_data_t *mut_index, const char *ref_key, ar_data_t *own_entry);

bool ar_index__insert(ar_data_t *mut_index, const char *ref_key, ar_data_t *own_entry) {
    if (!ref_key) {
        return false;
    }
    if (ref_key[0] == '\0') {
        return true;
//      ^^^^^^ MMM-L2
    }
    return ar_data__set_map_data(mut_index, ref_key, own_entry);
}
