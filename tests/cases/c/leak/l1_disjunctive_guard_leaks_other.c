/*
 * MMM-L1 through a || guard: `if (!own_left || !own_right) return NULL;` is right only if the one
 * that is not NULL is destroyed. Each operand refines its own edge, so at that return own_left is
 * owned when own_right is NULL, and own_right is owned (not yet tested) when own_left is NULL: two
 * findings on the same return, one per variable.
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

ar_data_t* ar_pair__create_checked(int left, int right) {
    ar_data_t *own_left = ar_data__create_integer(left);
    ar_data_t *own_right = ar_data__create_integer(right);
    if (!own_left || !own_right) {
        return NULL;
//      ^^^^^^ MMM-L1 MMM-L1
    }
    ar_data_t *own_pair = ar_data__create_map();
    if (!ar_data__set_map_data(own_pair, "left", own_left)) {
        ar_data__destroy(own_left);
    }
    if (!ar_data__set_map_data(own_pair, "right", own_right)) {
        ar_data__destroy(own_right);
    }
    return own_pair;
}
