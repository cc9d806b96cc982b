/*
 * X13: `ar_fixture__destroy_temp_agent(mut_fixture, agent_id)` is destroy-named but destroys the
 * agent its id names, not the fixture its first (mut_) parameter points at: the fixture is still
 * there afterwards and the test destroys it at the end. Only `ar_x__destroy` and
 * `ar_x__destroy_if_owned` destroy their first parameter whatever its prefix.
 */
#include <stdbool.h>
#include <stdint.h>

typedef struct ar_fixture_s ar_fixture_t;

/**
 * @return A new fixture
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_fixture_t* ar_fixture__create(const char *ref_name);

/** @note Ownership: Takes ownership of own_fixture and destroys it. */
void ar_fixture__destroy(ar_fixture_t *own_fixture);

/** Creates a temporary agent; destroy it with ar_fixture__destroy_temp_agent. */
int64_t ar_fixture__create_temp_agent(ar_fixture_t *mut_fixture, const char *ref_method);

/** Destroys the temporary agent with this id. */
void ar_fixture__destroy_temp_agent(ar_fixture_t *mut_fixture, int64_t agent_id);

/** Runs the fixture's agents. */
void ar_fixture__run(ar_fixture_t *mut_fixture);

void test_fixture__temp_agent(void) {
    ar_fixture_t *own_fixture = ar_fixture__create("temp");
    int64_t agent_id = ar_fixture__create_temp_agent(own_fixture, "echo");
    ar_fixture__destroy_temp_agent(own_fixture, agent_id);
    ar_fixture__run(own_fixture);
    ar_fixture__destroy(own_fixture);
}
