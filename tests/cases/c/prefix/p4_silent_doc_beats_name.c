/*
 * Silent (no MMM-P4): a get-named function documented as returning owned initialises an own_
 * local (the doc decides before the name verb; ar_data__get_map_keys is such a function in AgeRun),
 * and a create-named fixture function documented as borrowed initialises a ref_ local.
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

typedef struct ar_fixture_s ar_fixture_t;

/**
 * Gets the keys of a map data value.
 * @param ref_map The map
 * @return A new list data value with the keys
 * @note Ownership: Returns a newly allocated list that the caller must destroy.
 */
ar_data_t* ar_data__get_map_keys(const ar_data_t *ref_map);

/**
 * Creates a frame for the test.
 * @param mut_fixture The fixture
 * @return The frame
 * @note Ownership: Returns a borrowed reference; the fixture owns the frame, do not destroy it.
 */
ar_data_t* ar_evaluator_fixture__create_frame(ar_fixture_t *mut_fixture);

int ar_fixture__count_keys(ar_fixture_t *mut_fixture) {
    ar_data_t *ref_frame = ar_evaluator_fixture__create_frame(mut_fixture);
    ar_data_t *own_keys = ar_data__get_map_keys(ref_frame);
    int count = ar_data__get_integer(own_keys);
    ar_data__destroy(own_keys);
    return count;
}
