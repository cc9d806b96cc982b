/*
 * MMM-L1 through goto: the jump leaves the loop body, where own_item is declared, while it still
 * owns its value. Reading: the range is the `goto` keyword (the exit that ends the variable's
 * scope, like a return); the NULL-guarded goto above it is silent (X11). Fix (.fixed.c): the
 * destroy of the value's module on a new line right before the goto.
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

int ar_batch__sum(int count) {
    int total = 0;
    for (int i = 0; i < count; i++) {
        ar_data_t *own_item = ar_data__create_integer(i);
        if (!own_item) {
            goto fail;
        }
        if (ar_data__get_integer(own_item) < 0) {
            goto fail;
//          ^^^^ MMM-L1
        }
        total += ar_data__get_integer(own_item);
        ar_data__destroy(own_item);
    }
    return total;
fail:
    return -1;
}
