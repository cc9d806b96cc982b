/*
 * Silent: identifiers inside comments are not references (a comment mentioning own_value after
 * its destroy is not a use), and a string holding an own_ name is not one either.
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
 * Reports an error.
 * @param ref_format printf-style format
 */
void ar_io__error(const char *ref_format, ...);

void ar_note__demo(int value) {
    ar_data_t *own_value = ar_data__create_integer(value);
    ar_data__destroy(own_value);
    /* own_value was destroyed above; ar_data__destroy(own_value) again would be a bug */
    // if (own_value) { ar_data__get_integer(own_value); }
    ar_io__error("own_value destroyed");
}
