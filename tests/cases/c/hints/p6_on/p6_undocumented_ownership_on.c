/*
 * MMM-P6 (hint, on): a pointer-returning function and a function with an own_ parameter whose docs
 * say nothing about ownership; the range is the function name.
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

typedef struct ar_agent_s ar_agent_t;
typedef struct ar_store_s ar_store_t;

/**
 * Gets the name of an agent.
 * @param ref_agent The agent
 * @return The name
 */
const char* ar_agent__get_name_on(const ar_agent_t *ref_agent);
//          ^^^^^^^^^^^^^^^^^^^^^ MMM-P6

/**
 * Puts an item into a store.
 * @param mut_store The store
 * @param own_item The item
 */
void ar_store__put_on(ar_store_t *mut_store, ar_data_t *own_item);
//   ^^^^^^^^^^^^^^^^ MMM-P6

int ar_agent__name_length_on(const ar_agent_t *ref_agent) {
    const char *ref_name = ar_agent__get_name_on(ref_agent);
    int length = 0;
    while (ref_name && ref_name[length] != '\0') {
        length++;
    }
    return length;
}
