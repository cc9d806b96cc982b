/*
 * X16: the first function holds code tree-sitter-c cannot parse (a statement-like macro that
 * expands to a full statement, used without a semicolon and followed by a declaration list it
 * cannot place), so that function is skipped, although it would have a double destroy. The rest
 * of the file is checked: the second function's double destroy is reported.
 * Reading: the skipped function gives no ownership finding, and the parse failure is reported as
 * CUS-SYNTAX-0001 at information severity (not an error: the code is valid C after preprocessing,
 * a limitation of the parser, not a mistake of the author; but the user learns the function was
 * not checked).
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_data_s ar_data_t;

/**
 * Creates a new integer data value.
 * @param value The integer to hold
 * @return A new data value
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_data__create_integer(int value);

/**
 * Destroys a data value.
 * @param own_data The data to destroy
 * @note Ownership: Takes ownership of own_data and destroys it.
 */
void ar_data__destroy(ar_data_t *own_data);

#define AR_TEST_CASE(name) static void name(void)
#define AR_WITH_TWO(a, b) int a = 1, b = 2;

AR_TEST_CASE(test_unparseable__skipped) {
    AR_WITH_TWO(first, second)
    ar_data_t *own_value = ar_data__create_integer(first + second);
//  ^^^^^^^^^ CUS-SYNTAX-0001
    ar_data__destroy(own_value);
    ar_data__destroy(own_value);
}

void ar_checked__still_checked(void) {
    test_unparseable__skipped();
    ar_data_t *own_value = ar_data__create_integer(3);
    ar_data__destroy(own_value);
    ar_data__destroy(own_value);
//                   ^^^^^^^^^ MMM-D1
}
