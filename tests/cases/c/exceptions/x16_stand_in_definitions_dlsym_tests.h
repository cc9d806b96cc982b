#ifndef AR_STUB_H
#define AR_STUB_H

typedef struct ar_stub_log_s ar_stub_log_t;
typedef struct ar_stub_s ar_stub_t;

/**
 * Creates a stub.
 * @param ref_log The log (borrowed)
 * @return A new stub, or NULL on failure
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_stub_t* ar_stub__create(ar_stub_log_t *ref_log);

/**
 * Destroys a stub.
 * @param own_stub The stub to destroy
 * @note Ownership: Takes ownership of own_stub and destroys it.
 */
void ar_stub__destroy(ar_stub_t *own_stub);

#endif
