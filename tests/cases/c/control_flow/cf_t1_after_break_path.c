/*
 * MMM-T1 through break: the loop destroys the value and breaks on one path; after the loop it is
 * read (destroyed on that path, owned on the path where the loop ended normally). The destroy at
 * the end is then a double destroy on the break path (MMM-D1).
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

int ar_search__last_seen(const int *ref_values, size_t count) {
    ar_data_t *own_seen = ar_data__create_integer(0);
    for (size_t i = 0; i < count; i++) {
        if (ref_values[i] < 0) {
            ar_data__destroy(own_seen);
            break;
        }
    }
    int result = ar_data__get_integer(own_seen);
//                                    ^^^^^^^^ MMM-T1
    ar_data__destroy(own_seen);
//                   ^^^^^^^^ MMM-D1
    return result;
}
