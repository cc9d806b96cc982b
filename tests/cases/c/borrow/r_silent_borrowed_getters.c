/*
 * Silent (no MMM-R1/R2): getters documented as borrowed return fields (an owned field returned as
 * a borrowed reference is not MMM-R2); (void) and non-pointer casts of ref_ values; reads through
 * ref_ pointers; writes through mut_ pointers.
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

typedef struct ar_system_s {
    ar_data_t *own_agency_data;
    int64_t next_id;
} ar_system_t;

/**
 * Gets the system's agency data.
 * @param ref_system The system
 * @return The agency data
 * @note Ownership: Returns a borrowed reference; do not destroy it.
 */
ar_data_t* ar_system__get_agency_data(const ar_system_t *ref_system);

ar_data_t* ar_system__get_agency_data(const ar_system_t *ref_system) {
    if (!ref_system) {
        return NULL;
    }
    return ref_system->own_agency_data;
}

int64_t ar_system__advance(ar_system_t *mut_system, const ar_system_t *ref_template) {
    (void)ref_template;
    size_t bits = (size_t)ref_template->next_id;
    mut_system->next_id = ref_template->next_id + (int64_t)(bits & 1u);
    return mut_system->next_id;
}
