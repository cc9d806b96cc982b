/*
 * MMM-L1 through preprocessor branches: the value is destroyed only when AR_TRACE_OWNED is
 * defined, so in the other configuration it leaks at the end of its scope ("on some paths": the
 * `#ifdef` without `#else` is a branch with an empty side). In the second function one branch of
 * an `#if`/`#else` forgets the destroy and returns.
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

int ar_trace__keep(int value) {
    ar_data_t *own_value = ar_data__create_integer(value);
    int result = ar_data__get_integer(own_value);
#ifdef AR_TRACE_OWNED
    ar_data__destroy(own_value);
#endif
    return result;
//  ^^^^^^ MMM-L1
}

int ar_trace__drop(int value) {
    ar_data_t *own_value = ar_data__create_integer(value);
#if AR_TRACE_LEVEL > 1
    if (value > 10) {
        return -1;
//      ^^^^^^ MMM-L1
    }
    ar_data__destroy(own_value);
#else
    ar_data__destroy(own_value);
#endif
    return 0;
}
