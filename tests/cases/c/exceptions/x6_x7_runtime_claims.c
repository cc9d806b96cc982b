/*
 * X6/X7: a function that hands a borrowed value to a runtime ownership API (take/transfer/drop
 * ownership, claim_or_copy, destroy_if_owned) has decided that value's ownership at run time, which
 * the prefixes cannot say: destroying it (D2), handing it to a sink (T3) or returning it as owned
 * (R2) there is not reported.
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_data_s ar_data_t;

/** @note Ownership: Takes ownership of own_data and destroys it. */
void ar_data__destroy(ar_data_t *own_data);

/** Claims ownership at run time. @return true if ref_data is now owned by owner */
bool ar_data__take_ownership(ar_data_t *ref_data, void *owner);

/** Hands runtime ownership on. @return true when done */
bool ar_data__transfer_ownership(ar_data_t *mut_data, void *owner);

/**
 * Queues a message.
 * @note Ownership: Takes ownership of own_message.
 */
bool ar_queue__enqueue(void *mut_queue, ar_data_t *own_message);

void ar_data__destroy_if_owned(ar_data_t *ref_data, void *owner) {
    if (ref_data && ar_data__take_ownership(ref_data, owner)) {
        ar_data__destroy(ref_data);
    }
}

/**
 * @return An owned value: the argument itself when it could be claimed
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_data__claim_or_copy(ar_data_t *ref_data, void *owner) {
    if (ar_data__take_ownership(ref_data, owner)) {
        return ref_data;
    }
    return NULL;
}

bool ar_delegate__send(void *mut_queue, ar_data_t *mut_message, void *owner) {
    if (!ar_data__transfer_ownership(mut_message, owner)) {
        return false;
    }
    return ar_queue__enqueue(mut_queue, mut_message);
}
