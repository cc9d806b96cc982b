#ifndef P3_MISSING_PREFIX_IN_DEFINITION_H
#define P3_MISSING_PREFIX_IN_DEFINITION_H

#include <stdbool.h>

typedef struct ar_data_s ar_data_t;

/**
 * Replaces a cell's value when a condition holds.
 * @param mut_cell The cell
 * @param ref_label The label to log
 * @param own_value The new value
 * @return true if the value was stored
 * @note Ownership: Takes ownership of own_value.
 */
bool ar_cell__put(ar_data_t *mut_cell, const char *ref_label, ar_data_t *own_value);

#endif /* P3_MISSING_PREFIX_IN_DEFINITION_H */
