/*
 * MMM-P3: the header has prefixes, the definition has none for two parameters (label, value);
 * each is reported on its name in the definition. The body's branches do not matter to P3, and
 * unprefixed names are not tracked, so nothing else fires.
 */
#include <stddef.h>
#include "p3_missing_prefix_in_definition.h"

/**
 * Destroys a data value.
 * @param own_data The data to destroy
 * @note Ownership: Takes ownership of own_data and destroys it.
 */
void ar_data__destroy(ar_data_t *own_data);

/**
 * Gets the integer held by a data value.
 * @param ref_data The data to read
 * @return The integer
 */
int ar_data__get_integer(const ar_data_t *ref_data);

bool ar_cell__put(ar_data_t *mut_cell, const char *label, ar_data_t *value) {
//                                                 ^^^^^ MMM-P3
//                                                                   ^^^^^ MMM-P3
    if (!label || ar_data__get_integer(value) < 0) {
        ar_data__destroy(value);
        return false;
    }
    ar_data__destroy(value);
    return mut_cell != NULL;
}
