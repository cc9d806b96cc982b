"""An edited C document is parsed again keeping the top-level functions the edit did not touch
(analysis/c/syntax.py: `parse` with `previous` and `dirty`): those before the edit are the very
same objects, those after it keep their text keys and move. Whatever the edits, the result must
be what a fresh parse and a fresh check of the same text give."""
from __future__ import annotations

import random


from custody.analysis.engine import Engine
from custody.lsp.service import Service

from random_edits import Editor, edit_session

SOURCE = """typedef struct ar_data_s ar_data_t;
/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_data_t* ar_data__create_integer(int value);
/** @note Ownership: Takes ownership of own_data and destroys it. */
void ar_data__destroy(ar_data_t *own_data);

struct ar_box_s { ar_data_t *own_item; int count; };

/**
 * Keeps the value.
 * @note Ownership: Takes ownership of own_value
 */
static void _keep(ar_data_t *own_value) {
    ar_data__destroy(own_value);
}

void ar_user__leaks(int n) {
    ar_data_t *own_value = ar_data__create_integer(n);
    if (n > 2) {
        return;
    }
    _keep(own_value);
}

/* plain comment */
void ar_user__twice(void) {
    ar_data_t *own_value = ar_data__create_integer(1);
    _keep(own_value);
    ar_data__destroy(own_value);
}

int ar_user__count(const ar_data_t *ref_data) {
    return ref_data ? 1 : 0;
}
"""

PIECES = ["x", " ", "\n", "}", "{", "/* own */", "// @note Ownership: Takes ownership of own_value\n",
          "ar_data__destroy(own_value);", "int y = 1;", "static ", "(", ";", "*/", "/*"]


def facts(parsed):
    fns = [(f.name, f.span, f.name_span, [(p.name, p.name_span) for p in f.params], f.doc, f.spoiled,
            f.body is not None, f.is_static) for f in parsed.functions]
    return fns, [(s.name, s.span, s.fields) for s in parsed.structs], [u[:6] for u in parsed.units]


def findings(result):
    return sorted((f.code, f.span, f.message) for f in result.findings)


def test_random_edits_match_a_fresh_parse_and_check(tmp_path):
    path = tmp_path / "ar_user.c"
    uri = path.as_uri()
    rnd = random.Random(7)
    for trial in range(12):
        for step, text, snap in edit_session(Service(), uri, SOURCE, rnd, PIECES, 25, [0, 0, 1, 3, 12], "c"):
            fresh = Engine().check(str(path), text.encode())
            assert facts(snap.result.parsed) == facts(fresh.parsed), (trial, step)
            assert findings(snap.result) == findings(fresh), (trial, step)


def test_a_keystroke_keeps_the_functions_before_it_and_moves_those_after(tmp_path):
    editor = Editor((tmp_path / "ar_user.c").as_uri(), SOURCE, "c")
    at = SOURCE.index("if (n > 2)") + len("if (n > 2")
    first = editor.type(at, at, "0").result.parsed          # the first incremental parse
    second = editor.type(at + 1, at + 1, "0").result.parsed
    by_name = lambda p: {f.name: f for f in p.functions}
    a, b = by_name(first), by_name(second)
    assert b["_keep"] is a["_keep"]                      # before the edit: the same object
    assert b["ar_data__destroy"] is a["ar_data__destroy"]
    assert b["ar_user__leaks"] is not a["ar_user__leaks"]
    moved = b["ar_user__twice"]                          # after it: moved by one byte, same key
    assert moved.span.start == a["ar_user__twice"].span.start + 1
    keys = lambda p: {u[0]: u[4] for u in p.units}
    assert keys(second)["ar_user__twice"] == keys(first)["ar_user__twice"]
    assert keys(second)["ar_user__leaks"] != keys(first)["ar_user__leaks"]
