/*
 * Silent (X6 as custody knows it): ar_data__destroy_if_owned counts as a destroy of its own_
 * argument, so the owned result does not leak.
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
 * Destroys the data if the given owner owns it (or nobody does).
 * @param own_data The data
 * @param ref_owner The owner that may hold it
 * @return true if the data was destroyed
 * @note Ownership: Takes ownership of own_data; destroys it if owned by ref_owner or unowned.
 */
bool ar_data__destroy_if_owned(ar_data_t *own_data, const void *ref_owner);

int ar_evaluator__value_of(int input, const void *ref_owner) {
    ar_data_t *own_result = ar_data__create_integer(input * 2);
    int value = ar_data__get_integer(own_result);
    ar_data__destroy_if_owned(own_result, ref_owner);
    return value;
}
