/*
 * MMM-L2 through goto: the error label is reached before the parameter was stored, and the
 * cleanup there forgets it.
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

typedef struct ar_record_s {
    ar_data_t *own_payload;
    int version;
} ar_record_t;

void ar_record__set_payload(ar_record_t *mut_record, ar_data_t *own_payload, int version) {
    if (version < 0) {
        goto error;
    }
    ar_data__destroy(mut_record->own_payload);
    mut_record->own_payload = own_payload;
    mut_record->version = version;
    return;
error:
    mut_record->version = -1;
}
//@0-1 MMM-L2
