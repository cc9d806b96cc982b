/*
 * Silent: two tests of the same flag are correlated. A value acquired only when `!key_exists` and
 * handed on under a second `if (!key_exists)` does not leak on the path where the key existed
 * (that path never acquired it); `did_bind = false` on the path that skipped the on-success sink
 * means the later `if (!did_bind)` destroy covers it. A flag reassigned in a loop is followed.
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_data_s ar_data_t;

/**
 * Creates a new integer data value.
 * @param value The integer to hold
 * @return A new data value, or NULL on allocation failure
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_data__create_integer(int value);

/**
 * Destroys a data value (does nothing when given NULL).
 * @param own_data The data to destroy
 * @note Ownership: Takes ownership of own_data and destroys it.
 */
void ar_data__destroy(ar_data_t *own_data);

/**
 * Stores a value in a map under a key.
 * @param mut_map The map
 * @param ref_key The key
 * @param own_value The value to store
 * @return true on success
 * @note Ownership: Takes ownership of own_value on success; on failure the caller keeps it.
 */
bool ar_data__set_map_data(ar_data_t *mut_map, const char *ref_key, ar_data_t *own_value);

bool ar_flags__bind(ar_data_t *mut_map, const char *ref_key, ar_data_t *own_result) {
    bool did_bind = false;
    if (mut_map && ref_key) {
        did_bind = ar_data__set_map_data(mut_map, ref_key, own_result);
    }
    if (!did_bind) {
        ar_data__destroy(own_result);
    }
    return did_bind;
}

bool ar_flags__store_when_new(ar_data_t *mut_map, const ar_data_t *ref_prev) {
    bool key_exists = (ref_prev != NULL);
    ar_data_t *own_copy = NULL;
    if (!key_exists) {
        own_copy = ar_data__create_integer(1);
        if (!own_copy) {
            return false;
        }
    }
    if (!key_exists) {
        if (!ar_data__set_map_data(mut_map, "key", own_copy)) {
            ar_data__destroy(own_copy);
            return false;
        }
        own_copy = NULL;
    }
    return true;
}

void ar_flags__until_done(int n) {
    bool done = false;
    ar_data_t *own_value = NULL;
    while (!done) {
        own_value = ar_data__create_integer(n);
        done = true;
    }
    ar_data__destroy(own_value);
}
