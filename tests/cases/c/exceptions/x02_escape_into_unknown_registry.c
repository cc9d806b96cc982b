/*
 * Silent (X2): an owned value handed to a parameter without a prefix (a registry custody cannot
 * see into) becomes unknown: no leak is reported, and nothing afterwards.
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

typedef struct ar_registry_s ar_registry_t;

/**
 * Tracks an object in the registry.
 * @param mut_registry The registry
 * @param object The object to track
 */
void ar_registry__track(ar_registry_t *mut_registry, void *object);

void ar_registry__track_new(ar_registry_t *mut_registry, int value) {
    ar_data_t *own_object = ar_data__create_integer(value);
    ar_registry__track(mut_registry, own_object);
}
