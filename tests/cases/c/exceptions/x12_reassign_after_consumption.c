/*
 * Silent (X12): reassignment after the value was consumed, and the realloc idiom with
 * AR__HEAP__REALLOC.
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

/**
 * Allocates tracked heap memory.
 * @note Ownership: Returns newly allocated memory that the caller must free.
 */
void* ar_heap__malloc(size_t size, const char *ref_description);

/**
 * Resizes tracked heap memory.
 * @note Ownership: Takes ownership of own_ptr; returns newly allocated memory that the caller must free.
 */
void* ar_heap__realloc(void *own_ptr, size_t size, const char *ref_description);

/**
 * Frees tracked heap memory (does nothing when given NULL).
 * @note Ownership: Takes ownership of own_ptr and frees it.
 */
void ar_heap__free(void *own_ptr);

#define AR__HEAP__MALLOC(size, desc) ar_heap__malloc((size), (desc))
#define AR__HEAP__REALLOC(ptr, size, desc) ar_heap__realloc((ptr), (size), (desc))
#define AR__HEAP__FREE(ptr) ar_heap__free(ptr)

typedef struct ar_agency_s ar_agency_t;

/**
 * Sends a message to an agent.
 * @param mut_agency The agency holding the agent
 * @param agent_id The receiving agent's id
 * @param own_message The message to send
 * @return true if the message was queued, false otherwise
 * @note Ownership: Takes ownership of own_message. If sending fails, function will destroy the message.
 */
bool ar_agency__send_to_agent(ar_agency_t *mut_agency, int64_t agent_id, ar_data_t *own_message);

size_t ar_batch__send_and_grow(ar_agency_t *mut_agency, int64_t agent_id, size_t rounds) {
    ar_data_t *own_message = ar_data__create_integer(0);
    char *own_log = AR__HEAP__MALLOC(1, "log");
    if (!own_log) {
        ar_data__destroy(own_message);
        return 0;
    }
    for (size_t i = 0; i < rounds; i++) {
        ar_agency__send_to_agent(mut_agency, agent_id, own_message);
        own_message = ar_data__create_integer((int)i + 1);
        own_log = AR__HEAP__REALLOC(own_log, i + 2, "log");
        if (!own_log) {
            ar_data__destroy(own_message);
            return i;
        }
        own_log[i] = 'x';
    }
    ar_data__destroy(own_message);
    AR__HEAP__FREE(own_log);
    return rounds;
}
