/*
 * MMM-D2 against X13: ar_agent__destroy's first parameter is own_, so passing a ref_ agent to it is
 * a destroy of a borrowed value; ar_agency__destroy_agent takes an id (its first parameter is the
 * mut_ agency) and destroys nothing of the caller's.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ar_agent_s ar_agent_t;
typedef struct ar_agency_s ar_agency_t;

/**
 * Destroys an agent.
 * @param own_agent The agent
 * @note Ownership: Takes ownership of own_agent and destroys it.
 */
void ar_agent__destroy(ar_agent_t *own_agent);

/**
 * Destroys the agent with the given id.
 * @param mut_agency The agency
 * @param agent_id The id
 * @return true if the agent existed
 */
bool ar_agency__destroy_agent(ar_agency_t *mut_agency, int64_t agent_id);

void ar_shell__shutdown(ar_agency_t *mut_agency, ar_agent_t *ref_agent, int64_t agent_id) {
    ar_agency__destroy_agent(mut_agency, agent_id);
    if (ref_agent) {
        ar_agent__destroy(ref_agent);
//                        ^^^^^^^^^ MMM-D2
    }
}
