#ifndef P3_SILENT_MATCHING_H
#define P3_SILENT_MATCHING_H

#include <stdbool.h>

typedef struct ar_data_s ar_data_t;

/**
 * Moves a value into a holder map.
 * @param mut_holder The holder
 * @param ref_key The key
 * @param own_value The value
 * @return true if stored
 * @note Ownership: Takes ownership of own_value; it is destroyed if it cannot be stored.
 */
bool ar_holder__put(ar_data_t *mut_holder, const char *ref_key, ar_data_t *own_value);

#endif /* P3_SILENT_MATCHING_H */
