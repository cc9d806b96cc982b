"""Re-checking a C document after an edit starts from the previous check's summaries of the
functions that did not change (analysis/c/summaries.py: carry_summaries); an edit that changes what
a function does to its parameters still reaches its callers in the same document."""
from __future__ import annotations

from custody.analysis.engine import Engine

BEFORE = b"""typedef struct ar_data_s ar_data_t;
/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_data_t* ar_data__create_integer(int value);
/** @note Ownership: Takes ownership of own_data and destroys it. */
void ar_data__destroy(ar_data_t *own_data);

static void _keep(ar_data_t *own_value) {
    ar_data__destroy(own_value);
}

void ar_user__run(void) {
    ar_data_t *own_value = ar_data__create_integer(1);
    _keep(own_value);
    ar_data__destroy(own_value);
}
"""

# _keep no longer destroys its parameter (it only reads it): the caller's destroy is right now,
# and _keep itself leaks its parameter
AFTER = BEFORE.replace(b"    ar_data__destroy(own_value);\n}\n\nvoid", b"    (void)own_value;\n}\n\nvoid")


def codes(res):
    return sorted((f.code, f.span.start) for f in res.findings)


def test_an_edit_that_changes_a_summary_reaches_the_callers():
    engine = Engine()
    path = "/tmp/custody-carry/ar_user.c"
    first = engine.check(path, BEFORE)
    assert [c for c, _ in codes(first)] == ["MMM-D1"]
    second = engine.check(path, AFTER)
    assert "MMM-D1" not in [c for c, _ in codes(second)]
    # what a fresh engine says of the same text
    assert codes(second) == codes(Engine().check(path, AFTER))
    third = engine.check(path, BEFORE)
    assert codes(third) == codes(first)


def test_an_edit_elsewhere_keeps_the_findings_and_moves_them():
    engine = Engine()
    path = "/tmp/custody-carry/ar_user.c"
    first = engine.check(path, BEFORE)
    shifted = BEFORE.replace(b"void ar_user__run(void) {", b"/* a comment */\nvoid ar_user__run(void) {")
    second = engine.check(path, shifted)
    assert codes(second) == codes(Engine().check(path, shifted))
    assert [s for _, s in codes(second)] == [s + len(b"/* a comment */\n") for _, s in codes(first)]


SINK = b"""typedef struct ar_data_s ar_data_t;
typedef struct ar_q_s ar_q_t;
/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_data_t* ar_data__create_integer(int value);
/** @note Ownership: Takes ownership of own_data and destroys it. */
void ar_data__destroy(ar_data_t *own_data);
/**
 * Pushes a value.
 * @note Ownership: Takes ownership of own_value.
 */
bool ar_q__push(ar_q_t *mut_q, ar_data_t *own_value);

void ar_user__push(ar_q_t *mut_q) {
    ar_data_t *own_value = ar_data__create_integer(1);
    if (!ar_q__push(mut_q, own_value)) {
        ar_data__destroy(own_value);
    }
}
"""


def test_an_edit_of_a_doc_comment_alone_reaches_the_callers():
    """Only the comment above the prototype changes (no unit's text does): the callee now says
    it destroys the value when it fails, so the caller's destroy on failure is a double destroy."""
    engine = Engine()
    path = "/tmp/custody-carry/ar_push.c"
    assert [f.code for f in engine.check(path, SINK).findings] == []
    said = SINK.replace(b"Takes ownership of own_value.",
                        b"Takes ownership of own_value. If pushing fails, function will destroy it.")
    assert [f.code for f in engine.check(path, said).findings] == ["MMM-D1"]
    assert [f.code for f in engine.check(path, SINK).findings] == []
