/*
 * MMM-R1 through a branch: a const ref_ pointer cast to a non-const pointer. (void) casts and
 * non-pointer casts are not flagged.
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
 * Increments an integer data value in place.
 * @param mut_data The data to change
 */
void ar_data__increment(ar_data_t *mut_data);

int ar_tally__bump(const ar_data_t *ref_data, bool bump) {
    (void)ref_data;
    size_t address = (size_t)ar_data__get_integer(ref_data);
    if (bump && address > 0) {
        ar_data_t *mut_data = (ar_data_t *)ref_data;
//                                         ^^^^^^^^ MMM-R1
        ar_data__increment(mut_data);
    }
    return ar_data__get_integer(ref_data);
}
