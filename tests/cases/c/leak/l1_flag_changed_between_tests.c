/*
 * MMM-L1: a flag is correlated with what was acquired under it only while it keeps its value.
 * Here it is negated between the two tests (custody does not evaluate `!make`), so the path that
 * acquired the value may return without destroying it; and a flag whose address is taken may be
 * changed by anything, so its tests are not correlated at all.
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_data_s ar_data_t;

/**
 * Creates a new integer data value.
 * @param value The integer to hold
 * @return A new data value, or NULL on allocation failure
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_data__create_integer(int value);

/**
 * Destroys a data value (does nothing when given NULL).
 * @param own_data The data to destroy
 * @note Ownership: Takes ownership of own_data and destroys it.
 */
void ar_data__destroy(ar_data_t *own_data);

/**
 * Decides something through an out-parameter.
 * @param out_flag Where the decision goes
 */
void ar_flags2__decide(bool *out_flag);

void ar_flags2__negated(bool make) {
    ar_data_t *own_x = NULL;
    if (make) {
        own_x = ar_data__create_integer(1);
    }
    make = !make;
    if (!make) {
        return;
//      ^^^^^^ MMM-L1
    }
    ar_data__destroy(own_x);
}

void ar_flags2__address_taken(void) {
    bool make = false;
    ar_data_t *own_x = NULL;
    if (!make) {
        own_x = ar_data__create_integer(2);
    }
    ar_flags2__decide(&make);
    if (!make) {
        ar_data__destroy(own_x);
    }
}
//@0-1 MMM-L1
