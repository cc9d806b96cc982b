/*
 * `assert(c)` and `AR_ASSERT(c, "...")` end the program when c is false, so what follows them
 * may take c as true: after `assert(own_ast == NULL);` there is nothing to leak. An assertion
 * that the value exists does not release it (the second function still leaks it).
 */
#include <assert.h>
#include <stddef.h>

typedef struct ar_ast_s ar_ast_t;

/**
 * Parses an instruction.
 * @return A new AST, or NULL on a parse error
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_ast_t* ar_parser__parse(const char *ref_text);

/** @note Ownership: Takes ownership of own_ast and destroys it. */
void ar_ast__destroy(ar_ast_t *own_ast);

#define AR_ASSERT(cond, msg) assert((cond) && (msg))

void test_parser__rejects_garbage(void) {
    ar_ast_t *own_ast = ar_parser__parse("}{");
    assert(own_ast == NULL);
}

void test_parser__accepts(void) {
    ar_ast_t *own_ast = ar_parser__parse("x := 1");
    AR_ASSERT(own_ast != NULL, "the instruction parses");
}
//@0-1 MMM-L1
