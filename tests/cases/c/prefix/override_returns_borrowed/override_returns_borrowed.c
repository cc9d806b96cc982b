/*
 * custody.toml overrides the summary (source 1 beats the doc): ar_cache__lookup_or_create is
 * documented as returning owned, but the project says borrowed (the cache keeps it). A ref_ local
 * from it is right; an own_ local from it is MMM-P4 (and then unknown: its destroy is not checked).
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

typedef struct ar_cache_s ar_cache_t;

/**
 * Looks a value up in the cache, creating it when missing.
 * @param mut_cache The cache
 * @param key The key
 * @return The value
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_cache__lookup_or_create(ar_cache_t *mut_cache, int key);

int ar_cache__sum_two(ar_cache_t *mut_cache) {
    ar_data_t *ref_first = ar_cache__lookup_or_create(mut_cache, 1);
    ar_data_t *own_second = ar_cache__lookup_or_create(mut_cache, 2);
//             ^^^^^^^^^^ MMM-P4
    int sum = ar_data__get_integer(ref_first) + ar_data__get_integer(own_second);
    return sum;
}
