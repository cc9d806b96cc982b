/*
 * MMM-T2, strict form (custody.toml: strict_null_after_transfer = true): after a destroy, a store
 * into an own_ field, or a transfer tested in an if, the next statement must be `own_x = NULL;`.
 * The range is the transferred identifier; the fix inserts the line after the statement. Silent
 * here (the reference's exceptions): a destroy followed by a return, a transfer at the end of the
 * function or of the block that declares the value, a loop whose condition assigns the value
 * again, and a statement already followed by `own_x = NULL;` (several values nulled one by one).
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
 * Stores a value under a key of a map data value.
 * @param mut_map The map to store into
 * @param ref_key The key
 * @param own_value The value to store
 * @return true if the value was stored, false otherwise
 * @note Ownership: Takes ownership of own_value only on success; the caller must destroy it on failure.
 */
bool ar_data__set_map_data(ar_data_t *mut_map, const char *ref_key, ar_data_t *own_value);

typedef struct ar_slot_s {
    ar_data_t *own_value;
} ar_slot_t;

int ar_slot__fill(ar_data_t *mut_map, ar_slot_t *mut_slot, int count) {
    ar_data_t *own_first = ar_data__create_integer(1);
    int total = ar_data__get_integer(own_first);
    ar_data__destroy(own_first);
    own_first = NULL;
//                   ^^^^^^^^^ MMM-T2
    total += count;
    ar_data_t *own_kept = ar_data__create_integer(2);
    mut_slot->own_value = own_kept;
    own_kept = NULL;
//                        ^^^^^^^^ MMM-T2
    total += 1;
    ar_data_t *own_entry = ar_data__create_integer(3);
    if (!ar_data__set_map_data(mut_map, "entry", own_entry)) {
//                                               ^^^^^^^^^ MMM-T2
        ar_data__destroy(own_entry);
        return -1;
    }
    own_entry = NULL;
    total += 2;
    ar_data_t *own_left = ar_data__create_integer(4);
    ar_data_t *own_right = ar_data__create_integer(5);
    if (ar_data__set_map_data(mut_map, "left", own_left)) {
        own_left = NULL;
    }
    ar_data__destroy(own_left);
    own_left = NULL;
    ar_data__destroy(own_right);
    own_right = NULL;
    if (count > 0) {
        ar_data_t *own_step = ar_data__create_integer(count);
        total += ar_data__get_integer(own_step);
        ar_data__destroy(own_step);
    }
    ar_data_t *own_item = NULL;
    while ((own_item = ar_data__create_integer(total)) != NULL && total < 10) {
        total += 1;
        ar_data__destroy(own_item);
    }
    ar_data__destroy(own_item);
    return total;
}

void ar_slot__drop(ar_data_t *own_value, int count) {
    if (count > 0) {
        ar_data__destroy(own_value);
        return;
    }
    ar_data__destroy(own_value);
}
