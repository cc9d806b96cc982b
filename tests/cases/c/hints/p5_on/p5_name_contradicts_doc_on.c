/*
 * MMM-P5 (hint, on): a get-named function documented as returning owned, and a create-named
 * function documented as returning borrowed; the range is the function name in the declaration.
 * The callers follow the docs (owned message destroyed, borrowed frame kept): no other finding.
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
typedef struct ar_frame_s ar_frame_t;

/**
 * Gets the next message of an agent.
 * @param mut_agent The agent
 * @return The message, or NULL when there is none
 * @note Ownership: Returns an owned message that the caller must destroy.
 */
ar_data_t* ar_agent__get_message_on(ar_agent_t *mut_agent);
//         ^^^^^^^^^^^^^^^^^^^^^^^^ MMM-P5

/**
 * Creates a frame for a test.
 * @return The frame
 * @note Ownership: Returns a borrowed reference; the fixture owns the frame, do not destroy it.
 */
ar_frame_t* ar_evaluator_fixture__create_frame_on(void);
//          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ MMM-P5

int ar_agent__drain_on(ar_agent_t *mut_agent) {
    int total = 0;
    ar_data_t *own_message = ar_agent__get_message_on(mut_agent);
    while (own_message) {
        total += ar_data__get_integer(own_message);
        ar_data__destroy(own_message);
        own_message = ar_agent__get_message_on(mut_agent);
    }
    ar_frame_t *ref_frame = ar_evaluator_fixture__create_frame_on();
    (void)ref_frame;
    return total;
}
