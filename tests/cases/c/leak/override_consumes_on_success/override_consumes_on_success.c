/*
 * custody.toml overrides what a sink consumes (by parameter name, and by position "#2"): the docs
 * say the letter is always consumed, the project says only on success (like ar_data__set_map_data).
 * Destroying on failure is then right (X3), and not destroying is MMM-L4.
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

typedef struct ar_mailbox_s ar_mailbox_t;

/**
 * Delivers a letter.
 * @param mut_mailbox The mailbox
 * @param own_letter The letter
 * @return true if delivered
 * @note Ownership: Takes ownership of own_letter. If sending fails, function will destroy the letter.
 */
bool ar_mailbox__deliver(ar_mailbox_t *mut_mailbox, ar_data_t *own_letter);

/**
 * Forwards a letter.
 * @param mut_mailbox The mailbox
 * @param own_letter The letter
 * @return true if forwarded
 * @note Ownership: Takes ownership of own_letter. If sending fails, function will destroy the letter.
 */
bool ar_mailbox__forward(ar_mailbox_t *mut_mailbox, ar_data_t *own_letter);

bool ar_post__deliver_one(ar_mailbox_t *mut_mailbox, int stamp) {
    ar_data_t *own_letter = ar_data__create_integer(stamp);
    if (!ar_mailbox__deliver(mut_mailbox, own_letter)) {
        ar_data__destroy(own_letter);
        return false;
    }
    return true;
}

bool ar_post__forward_one(ar_mailbox_t *mut_mailbox, int stamp) {
    ar_data_t *own_letter = ar_data__create_integer(stamp);
    if (!ar_mailbox__forward(mut_mailbox, own_letter)) {
        return false;
//      ^^^^^^ MMM-L4
    }
    return true;
}
