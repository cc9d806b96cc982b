/*
 * X16 (dlsym tests): a file named `*_dlsym_tests.c` holds stand-in definitions that intercept
 * module functions with parameter names of their own; they are not compared with the header's
 * prefixes (no MMM-P3), while the ownership rules still apply to the rest of the file.
 */
#include <stdbool.h>
#include <stddef.h>
#include "x16_stand_in_definitions_dlsym_tests.h"

static int ar_stub_created = 0;

ar_stub_t* ar_stub__create(ar_stub_log_t* log) {
    (void)log;
    ar_stub_created++;
    return NULL;
}

void ar_stub__destroy(ar_stub_t* stub) {
    (void)stub;
}

int ar_stub__demo(ar_stub_log_t *ref_log) {
    ar_stub_t *own_stub = ar_stub__create(ref_log);
    ar_stub__destroy(own_stub);
    ar_stub__destroy(own_stub);
//                   ^^^^^^^^ MMM-D1
    return ar_stub_created;
}
