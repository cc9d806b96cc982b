/*
 * MMM-P3, simple: the header declares ref_data, the definition calls the same parameter mut_data.
 * The range is the parameter name in the definition.
 */
#include "p3_ref_vs_mut.h"

/**
 * Gets the integer held by a data value.
 * @param ref_data The data to read
 * @return The integer
 */
int ar_data__get_integer(const ar_data_t *ref_data);

int ar_gauge__read_scaled(const ar_data_t *mut_data, int scale) {
//                                         ^^^^^^^^ MMM-P3
    return ar_data__get_integer(mut_data) * scale;
}
