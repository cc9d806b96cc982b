/*
 * X15 limits: a suppression silences only the codes it names (the MMM-D1 here is still reported
 * under an allow for MMM-T1), and only on its own line or the next one (an allow two lines above the
 * finding does not count).
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

void ar_cleanup__twice(int value) {
    ar_data_t *own_first = ar_data__create_integer(value);
    ar_data__destroy(own_first);
    // custody: allow MMM-T1
    ar_data__destroy(own_first);
//                   ^^^^^^^^^ MMM-D1
    ar_data_t *own_second = ar_data__create_integer(value);
    ar_data__destroy(own_second);
    // custody: allow MMM-D1

    ar_data__destroy(own_second);
//                   ^^^^^^^^^^ MMM-D1
}
