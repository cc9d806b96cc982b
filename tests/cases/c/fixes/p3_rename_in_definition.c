/*
 * MMM-P3 with its fix: the definition calls the header's ref_value mut_value. Fix (.fixed.c):
 * rename the parameter in the definition to the header's name, with every use in its body (the
 * expectation comment below keeps its old carets: it is only text).
 */
#include "p3_rename_in_definition.h"

/**
 * Gets the integer held by a data value.
 * @param ref_data The data to read
 * @return The integer
 */
int ar_data__get_integer(const ar_data_t *ref_data);

bool ar_check__is_positive(const ar_data_t *mut_value) {
//                                          ^^^^^^^^^ MMM-P3
    if (!mut_value) {
        return false;
    }
    return ar_data__get_integer(mut_value) > 0;
}
