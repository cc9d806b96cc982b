/*
 * Silent: values created in a loop are destroyed on every path, including the break.
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

int ar_search__first_negative(const int *ref_values, size_t count) {
    int found = 0;
    for (size_t i = 0; i < count; i++) {
        ar_data_t *own_item = ar_data__create_integer(ref_values[i]);
        if (ar_data__get_integer(own_item) < 0) {
            found = ref_values[i];
            ar_data__destroy(own_item);
            break;
        }
        ar_data__destroy(own_item);
    }
    return found;
}
