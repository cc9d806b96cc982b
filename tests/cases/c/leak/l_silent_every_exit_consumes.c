/*
 * Silent (no MMM-L1/L2): every exit gives the owned value away: returned to the caller (the
 * function's doc says owned), stored through an out-parameter, or stored into an own_ field.
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

typedef struct ar_slot_s {
    ar_data_t *own_value;
} ar_slot_t;

/**
 * Creates a value and places it.
 * @param mut_slot Where the value goes when mode is 1
 * @param mode 0: returned, 1: stored in the slot, 2: through out_value
 * @param out_value Receives the value when mode is 2
 * @return The value when mode is 0, else NULL
 * @note Ownership: Returns an owned value (mode 0) that the caller must destroy.
 */
ar_data_t* ar_slot__create_value(ar_slot_t *mut_slot, int mode, ar_data_t **out_value);

ar_data_t* ar_slot__create_value(ar_slot_t *mut_slot, int mode, ar_data_t **out_value) {
    ar_data_t *own_value = ar_data__create_integer(mode);
    if (!own_value) {
        return NULL;
    }
    if (mode == 0) {
        // Ownership transferred to caller
        return own_value;
    }
    if (mode == 1) {
        ar_data__destroy(mut_slot->own_value);
        mut_slot->own_value = own_value;
        return NULL;
    }
    *out_value = own_value;
    return NULL;
}
