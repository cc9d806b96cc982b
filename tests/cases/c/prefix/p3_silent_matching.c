/*
 * Silent (no MMM-P3): the definition's parameter names carry the header's prefixes. The body
 * consumes own_value on every exit.
 */
#include "p3_silent_matching.h"

/**
 * Destroys a data value.
 * @param own_data The data to destroy
 * @note Ownership: Takes ownership of own_data and destroys it.
 */
void ar_data__destroy(ar_data_t *own_data);

/**
 * Stores a value under a key of a map data value.
 * @param mut_map The map to store into
 * @param ref_key The key
 * @param own_value The value to store
 * @return true if the value was stored, false otherwise
 * @note Ownership: Takes ownership of own_value only on success.
 */
bool ar_data__set_map_data(ar_data_t *mut_map, const char *ref_key, ar_data_t *own_value);

bool ar_holder__put(ar_data_t *mut_holder, const char *ref_key, ar_data_t *own_value) {
    if (!mut_holder || !ref_key) {
        ar_data__destroy(own_value);
        return false;
    }
    if (!ar_data__set_map_data(mut_holder, ref_key, own_value)) {
        ar_data__destroy(own_value);
        return false;
    }
    return true;
}
