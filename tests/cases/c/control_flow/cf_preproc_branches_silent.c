/*
 * Silent: preprocessor branches in a function body are alternatives (custody reads C before
 * preprocessing and checks every configuration at once). A destroy under `#ifdef` and one under
 * `#else` are two paths, not a double destroy; a variable declared in each branch of an
 * `#if`/`#elif`/`#else` is one variable per configuration; an `#if 0` block is never compiled, so
 * its double destroy is not reported.
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

int ar_trace__count(int value) {
    ar_data_t *own_value = ar_data__create_integer(value);
    int result = ar_data__get_integer(own_value);
#ifdef AR_TRACE_DEBUG
    result += 1;
    ar_data__destroy(own_value);
#else
    ar_data__destroy(own_value);
#endif
#if defined(AR_TRACE_WIDE)
    ar_data_t *own_extra = ar_data__create_integer(value * 2);
#elif defined(AR_TRACE_NARROW)
    ar_data_t *own_extra = ar_data__create_integer(value / 2);
#else
    ar_data_t *own_extra = ar_data__create_integer(value);
#endif
    result += ar_data__get_integer(own_extra);
    ar_data__destroy(own_extra);
#if 0
    ar_data__destroy(own_extra);
#endif
    return result;
}
