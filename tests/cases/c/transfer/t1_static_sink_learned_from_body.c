/*
 * MMM-T1 through a static helper: _retire's body destroys its own_ parameter on every path, so the
 * summary learned from it consumes always; reading the value after the call is a use after transfer.
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

static void _retire(ar_data_t *own_item, bool loud) {
    if (loud) {
        ar_data__destroy(own_item);
        return;
    }
    ar_data__destroy(own_item);
}

int ar_worker__retire(int value) {
    ar_data_t *own_item = ar_data__create_integer(value);
    _retire(own_item, false);
    return ar_data__get_integer(own_item);
//                              ^^^^^^^^ MMM-T1
}
