"""C's keystroke fast path (analysis/c/patch.py) against a fresh check: random edits, mostly
inside function bodies, sometimes several before an analysis; every snapshot must equal a fresh
check of the same text (findings with related locations and fixes, the ownership map at sampled
offsets, and sometimes the document's functions and tree, which the patch builds only when
read). Edits that change what a function's callers are checked against must give way to the
general path."""
from __future__ import annotations

import random
import sys
from pathlib import Path

from custody.analysis.c import patch as patch_mod
from custody.analysis.c.syntax import new_parser
from custody.analysis.engine import Engine
from custody.analysis.pending_tree import PendingTree

from random_edits import Editor, after_digits, counting_patches, either, same_as_fresh, same_tree
from random_edits import statement_at, tree_shape, typed_into, typing, typing_session, within

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))
from c_bench import big_file  # noqa: E402

MISTAKES = """
/** @note Ownership: Takes ownership of own_value */
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

void ar_user__twice(void) {
    ar_data_t *own_value = ar_data__create_integer(1);
    _keep(own_value);
    ar_data__destroy(own_value);
}
"""

PRELUDE = """typedef struct ar_data_s ar_data_t;
/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_data_t* ar_data__create_integer(int value);
/** @note Ownership: Takes ownership of own_data and destroys it. */
void ar_data__destroy(ar_data_t *own_data);
"""

STATEMENTS = ["int y = 1;\n    ", "ar_data__destroy(own_value);\n    ", "_keep(own_value);\n    ",
              "return;\n    ", "own_value = NULL;\n    ", "// custody: allow MMM-L1\n    ", "\n    ", "    "]
BREAKING = ["{", "}", "(", ";", "/*", "\"", "#if 0\n"]
_TYPED = either(0.6, typed_into(after_digits, ["1", "7", "0"]),
                typed_into(within("own_value", len("own_value")), ["x", "_a", "2"]))


def _typed_or_a_digit_taken_out(rnd, text):
    """A digit typed into a number or a letter into a name; or a digit taken out again."""
    at, end, new = _TYPED(rnd, text)
    if rnd.random() < 0.3 and at > 1 and text[at - 1].isdigit() and text[at - 2].isdigit():
        at, new = at - 1, ""
    return at, end, new


TYPING = typing(
    # a statement at the start of a statement (typed in before the last space of its indent)
    (0.45, statement_at(";\n    ", STATEMENTS, into=5, before_letter=False)),
    (0.9, _typed_or_a_digit_taken_out),
    breaking=BREAKING)                              # else anything, anywhere


def _texts() -> list[str]:
    return [PRELUDE + MISTAKES + big_file(400).replace("#include", "// include"), PRELUDE + MISTAKES]


def _same(snap, fresh, rnd):
    same_as_fresh(snap, fresh, rnd)
    if rnd.random() < 0.25:
        a, b = snap.result.parsed, fresh.parsed
        assert [(f.name, f.span, f.name_span, f.doc, f.spoiled) for f in a.functions] == \
            [(f.name, f.span, f.name_span, f.doc, f.spoiled) for f in b.functions]
        assert [u[:6] for u in a.units] == [u[:6] for u in b.units]
        same_tree(snap, fresh)


def test_random_edits_equal_a_fresh_check(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    rnd = random.Random(5)
    for n, text in enumerate(_texts()):
        editor = Editor((tmp_path / f"ar_user{n}.c").as_uri(), text, "c")
        for _, snap, fresh in typing_session(editor, rnd, 70 if n == 0 else 40, TYPING):
            _same(snap, fresh, rnd)
    assert sum(taken) > 25                     # the fast path was exercised
    assert len(taken) - sum(taken) > 5         # and so was giving way


def test_a_keystroke_parses_only_its_function(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    text = PRELUDE + MISTAKES
    editor = Editor((tmp_path / "ar_user.c").as_uri(), text, "c")
    before = editor.opened.findings
    at = text.index("if (n > 2") + len("if (n > 2")
    snap = editor.type(at, at, "0")
    assert taken == [True]
    assert isinstance(snap.result.tree, PendingTree) and not snap.result.tree.parsed
    assert snap.result.parsed._made is None                 # the document's ParsedC: not built
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings and [f.code for f in before] == [f.code for f in fresh.findings]
    assert not snap.result.tree.parsed
    assert tree_shape(snap.result.tree.tree) == tree_shape(new_parser().parse(snap.data))
    assert [f.name for f in snap.result.parsed.functions] == [f.name for f in fresh.parsed.functions]


def test_an_edit_that_changes_a_summary_gives_way(tmp_path, monkeypatch):
    """`_keep` stops destroying its parameter: its callers' findings change, so the patch must
    not answer from the summaries it carries."""
    taken = counting_patches(monkeypatch, patch_mod)
    text = PRELUDE + MISTAKES
    path = tmp_path / "ar_user.c"
    editor = Editor(path.as_uri(), text, "c")
    at = text.index("    ar_data__destroy(own_value);\n}")
    snap = editor.type(at, at, "//")
    assert taken == [False]
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings
    assert {f.code for f in snap.findings} != {f.code for f in Engine().check(str(path), text.encode()).findings}


def test_syntax_findings_elsewhere_stay_right(tmp_path, monkeypatch):
    """A syntax error after the edited function (its message names a line): typing on one line
    keeps it, moved; a new line before it gives way, so the line it names is renewed."""
    taken = counting_patches(monkeypatch, patch_mod)
    text = PRELUDE + MISTAKES + "\nvoid ar_user__later(int n) {\n    if (n > (1) {\n        n = 2;\n    }\n}\n"
    editor = Editor((tmp_path / "ar_user.c").as_uri(), text, "c")
    assert any("line" in f.message for f in editor.opened.findings if f.code.startswith("CUS-SYNTAX"))
    typed = text.index("if (n > 2") + len("if (n > 2")
    line = text.index("    _keep(own_value);", typed)
    for at, new in ((typed, "0"), (line + 1, "\n")):
        snap = editor.type(at, at, new)
        fresh = Engine().check(snap.path, snap.data)
        assert snap.findings == fresh.findings
        for f, g in zip(snap.findings, fresh.findings):
            assert f.related == g.related
    assert taken == [True, False]
