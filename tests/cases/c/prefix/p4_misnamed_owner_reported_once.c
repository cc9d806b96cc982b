/*
 * MMM-P4 once, at the root: `mut_system` holds what an owned-returning create gave, so it is a
 * misnamed owner. Its destroys and its return are consequences of that one naming mistake, not
 * eight more MMM-D2/MMM-R2 findings (AgeRun's ar_executable.c / ar_method.c).
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_system_s ar_system_t;

/**
 * Creates a system.
 * @return A new system
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_system_t* ar_system__create(void);

/** @note Ownership: Takes ownership of own_system and destroys it. */
void ar_system__destroy(ar_system_t *own_system);

bool ar_system__init(ar_system_t *mut_system);

int ar_executable__main(void) {
    ar_system_t *mut_system = ar_system__create();
//               ^^^^^^^^^^ MMM-P4
    if (!mut_system) {
        return 1;
    }
    if (!ar_system__init(mut_system)) {
        ar_system__destroy(mut_system);
        return 1;
    }
    ar_system__destroy(mut_system);
    return 0;
}

/**
 * @return A new system, initialised
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_system_t* ar_system__create_ready(void) {
    ar_system_t *mut_system = ar_system__create();
//               ^^^^^^^^^^ MMM-P4
    ar_system__init(mut_system);
    return mut_system;
}
