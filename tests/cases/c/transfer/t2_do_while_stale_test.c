/*
 * MMM-T2 through a do/while: the loop condition tests own_item after the body destroyed it
 * (the stale pointer is used as "there was an item"). The items are extracted by the queue's owner
 * (X1), so own_item is owned; the reassignment at the top of the body follows a destroy (no MMM-L3).
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

void ar_queue__drain(int count) {
    ar_list_t *own_queue = ar_list__create();
    for (int i = 0; i < count; i++) {
        ar_list__add_last(own_queue, ar_data__create_integer(i));
    }
    ar_data_t *own_item = NULL;
    do {
        own_item = ar_list__remove_first(own_queue);
        if (own_item) {
            ar_data__destroy(own_item);
        }
    } while (own_item != NULL);
//           ^^^^^^^^ MMM-T2
    ar_list__destroy(own_queue);
}
