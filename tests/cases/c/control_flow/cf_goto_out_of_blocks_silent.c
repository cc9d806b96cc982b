/*
 * Silent: gotos that leave blocks. A value declared in an inner block is destroyed before the
 * goto that leaves it; the function-scoped values are destroyed at the cleanup label the gotos
 * reach (X10: the label is in the scope that declares them, so the goto ends nothing). A goto
 * that jumps within its own block drops nothing either.
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

int ar_batch__check(int count) {
    ar_data_t *own_total = ar_data__create_integer(0);
    int status = 0;
    if (!own_total) {
        return -1;
    }
    for (int i = 0; i < count; i++) {
        ar_data_t *own_item = ar_data__create_integer(i);
        if (ar_data__get_integer(own_item) < 0) {
            ar_data__destroy(own_item);
            status = -1;
            goto done;
        }
        {
            ar_data_t *own_probe = ar_data__create_integer(i * 2);
            if (ar_data__get_integer(own_probe) > 100) {
                goto skip;
            }
            status += ar_data__get_integer(own_probe);
        skip:
            ar_data__destroy(own_probe);
        }
        ar_data__destroy(own_item);
    }
done:
    ar_data__destroy(own_total);
    return status;
}
