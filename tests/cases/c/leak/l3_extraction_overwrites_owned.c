/*
 * MMM-L3 with X1 extraction: own_message still owns the previous message when it is reassigned
 * from the queue (the loop forgot to destroy it on the skip path).
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

typedef struct ar_list_s ar_list_t;

/**
 * Creates a new empty list.
 * @return A new list, or NULL on allocation failure
 * @note Ownership: Returns an owned list that the caller must destroy.
 */
ar_list_t* ar_list__create(void);

/**
 * Destroys a list (not its items).
 * @param own_list The list to destroy
 * @note Ownership: Takes ownership of own_list and destroys it; the items are not destroyed.
 */
void ar_list__destroy(ar_list_t *own_list);

/**
 * Appends an item to a list.
 * @param mut_list The list
 * @param mut_item The item to append
 * @return true if the item was appended
 * @note Ownership: The list does not take ownership of the item.
 */
bool ar_list__add_last(ar_list_t *mut_list, void *mut_item);

/**
 * Removes the first item of a list.
 * @param mut_list The list
 * @return The removed item, or NULL when the list is empty
 * @note Ownership: Returns a borrowed reference; the list never owned the item.
 */
void* ar_list__remove_first(ar_list_t *mut_list);

typedef struct ar_agent_s {
    ar_list_t *own_message_queue;
} ar_agent_t;

int ar_agent__count_positive(ar_agent_t *mut_agent, int limit) {
    int positive = 0;
    ar_data_t *own_message = ar_list__remove_first(mut_agent->own_message_queue);
    for (int i = 0; i < limit && own_message; i++) {
        if (ar_data__get_integer(own_message) > 0) {
            positive++;
            ar_data__destroy(own_message);
        }
        own_message = ar_list__remove_first(mut_agent->own_message_queue);
//      ^^^^^^^^^^^ MMM-L3
    }
    ar_data__destroy(own_message);
    return positive;
}
