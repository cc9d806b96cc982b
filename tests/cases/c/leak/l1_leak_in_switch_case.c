/*
 * MMM-L1 through a switch: one case returns while the value is still owned; the others destroy it.
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

int ar_op__apply(int op, int value) {
    ar_data_t *own_operand = ar_data__create_integer(value);
    int result = 0;
    switch (op) {
    case 0:
        result = ar_data__get_integer(own_operand);
        break;
    case 1:
        return -1;
//      ^^^^^^ MMM-L1
    default:
        result = value;
        break;
    }
    ar_data__destroy(own_operand);
    return result;
}
