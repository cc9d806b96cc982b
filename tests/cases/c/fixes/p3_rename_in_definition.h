#ifndef P3_RENAME_IN_DEFINITION_H
#define P3_RENAME_IN_DEFINITION_H

#include <stdbool.h>

typedef struct ar_data_s ar_data_t;

/**
 * Tells whether a data value holds a positive integer.
 * @param ref_value The value to test
 * @return true if the integer is positive
 */
bool ar_check__is_positive(const ar_data_t *ref_value);

#endif /* P3_RENAME_IN_DEFINITION_H */
