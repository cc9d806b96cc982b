/*
 * A function that transfers a value to a sink and then returns the same pointer returns a
 * borrowed alias (AgeRun's ar_system_fixture__register_method: "ownership was transferred to
 * methodology, but we return the pointer ... as a borrowed reference"): the caller names it
 * `ref_`; naming it `own_` is MMM-P4. (The return itself reads a transferred value: MMM-T1, the
 * reference's X15 deliberate departure, reported and suppressible.) A static helper that only lends its `own_` parameter keeps
 * it on every exit (it is "never consumed": MMM-L2 at the parameter), so its caller's destroy
 * afterwards is right.
 */
#include <stdbool.h>
#include <stddef.h>

typedef struct ar_method_s ar_method_t;
typedef struct ar_registry_s ar_registry_t;

/**
 * @return A new method
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_method_t* ar_method__create(const char *ref_name);

/** @note Ownership: Takes ownership of own_method and destroys it. */
void ar_method__destroy(ar_method_t *own_method);

/**
 * Registers a method.
 * @note Ownership: Takes ownership of own_method. If registering fails, the function will destroy it.
 */
bool ar_registry__register(ar_registry_t *mut_registry, ar_method_t *own_method);

/** Reads a method's name. */
const char* ar_method__get_name(const ar_method_t *ref_method);

static ar_method_t* _register(ar_registry_t *mut_registry, const char *ref_name) {
    ar_method_t *own_method = ar_method__create(ref_name);
    if (!own_method) {
        return NULL;
    }
    ar_registry__register(mut_registry, own_method);
    return own_method;
//         ^^^^^^^^^^ MMM-T1
}

static const char* _name_of(ar_method_t *own_method, bool ref_loud) {
//                                       ^^^^^^^^^^ MMM-L2
    if (ref_loud) {
        return ar_method__get_name(own_method);
    }
    return ar_method__get_name(own_method);
}

void test_registry__register(ar_registry_t *mut_registry) {
    ar_method_t *ref_method = _register(mut_registry, "echo");
    ar_method_t *own_method = _register(mut_registry, "echo2");
//               ^^^^^^^^^^ MMM-P4
    ar_method_t *own_other = ar_method__create("other");
    _name_of(own_other, true);
    ar_method__destroy(own_other);
    (void)ref_method;
    (void)own_method;
}
