"""Kea's keystroke fast path (analysis/kea/patch.py) against a fresh check: random edits, mostly
inside function bodies, sometimes several before an analysis; every snapshot must equal a fresh
check of the same text (findings with related locations and fixes, the ownership map at sampled
offsets, and sometimes the document's functions and tree, which the patch builds only when
read). Edits that change a borrow position (K9: every call may mean something else) must give
way to the general path."""
from __future__ import annotations

import random
import sys
from pathlib import Path

from custody.analysis.engine import Engine
from custody.analysis.kea import patch as patch_mod
from custody.analysis.kea.module import parser
from custody.analysis.pending_tree import PendingTree

from random_edits import Editor, after_digits, counting_patches, either, same_as_fresh, same_tree
from random_edits import statement_at, tree_shape, typed_into, typing, typing_session, within

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))
from kea_bench import make_kea_module  # noqa: E402

STATEMENTS = ["let z = 1\n  ", "let w = t\n  ", "take_0(t)\n  ", "peek_1(t)\n  ", "\n  ", "-- note\n  "]
BREAKING = ["(", ")", "\n", "  ", "|", "case ", "\"", "->"]
TYPING = typing(
    (0.4, statement_at("\n  ", STATEMENTS)),        # a statement at the start of a body line
    (0.9, either(0.6, typed_into(after_digits, ["1", "7", "0"]),      # a digit into a number,
                 typed_into(within("(t)", 1), ["x", "_a", "2"]))),   # or a letter into a name
    breaking=BREAKING)                              # else anything, anywhere


def _same(snap, fresh, rnd):
    same_as_fresh(snap, fresh, rnd)
    if rnd.random() < 0.25:
        a, b = snap.result.parsed, fresh.parsed
        assert [(f.name, f.span, f.name_span) for f in a.functions] == \
            [(f.name, f.span, f.name_span) for f in b.functions]
        same_tree(snap, fresh)


def test_random_edits_equal_a_fresh_check(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    rnd = random.Random(7)
    for n, text in enumerate([make_kea_module(300), make_kea_module(60)]):
        editor = Editor((tmp_path / f"main{n}.kea").as_uri(), text, "kea")
        for _, snap, fresh in typing_session(editor, rnd, 60 if n == 0 else 30, TYPING):
            _same(snap, fresh, rnd)
    assert sum(taken) > 25                     # the fast path was exercised
    assert len(taken) - sum(taken) > 5         # and so was giving way


def test_a_keystroke_parses_only_its_function(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    text = make_kea_module(120)
    editor = Editor((tmp_path / "main.kea").as_uri(), text, "kea")
    at = text.index("n + 48", text.index("pub fn make_1(")) + len("n + 48")
    snap = editor.type(at, at, "0")
    assert taken == [True]
    assert isinstance(snap.result.tree, PendingTree) and not snap.result.tree.parsed
    assert snap.result.parsed._made is None            # the document's records: not read again
    assert snap.result.analysis.analysed == 1
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings
    assert tree_shape(snap.result.tree.tree) == tree_shape(parser().parse(snap.data))
    assert [f.name for f in snap.result.parsed.functions] == [f.name for f in fresh.parsed.functions]


def test_an_edit_that_changes_a_borrow_position_gives_way(tmp_path, monkeypatch):
    """`peek_0` starts consuming its parameter: it is no longer inferred `borrow`... it is
    written `borrow`, so take `size_0`, whose parameter auto-borrow made `borrow`: once its
    body consumes it, `route_0`'s call moves `t` and the findings change."""
    taken = counting_patches(monkeypatch, patch_mod)
    text = make_kea_module(60)
    editor = Editor((tmp_path / "main.kea").as_uri(), text, "kea")
    before = editor.opened.findings
    at = text.index("  peek_0(t)\n", text.index("fn size_0(")) + 2
    snap = editor.type(at, at, "let gone = t\n  ")
    assert taken == [False]
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings
    assert [f.code for f in snap.findings] != [f.code for f in before]


def test_a_borrow_fix_in_another_function_stays_right(tmp_path, monkeypatch):
    """The K2 in `report` offers to declare `describe`'s parameter `borrow`: an edit that moves
    `describe` (a line typed above it) must move that edit too, which the patch, keeping
    `report`'s finding as it was, could not: it gives way while such a fix is shown."""
    taken = counting_patches(monkeypatch, patch_mod)
    text = ("fn first(n: Int) -> Int\n  n + 1\n\nfn describe(value: a) -> Int\n  0\n\n"
            "fn report(u: Unique Int) -> Int\n  let one = describe(u)\n  one + describe(u)\n")
    editor = Editor((tmp_path / "main.kea").as_uri(), text, "kea")
    assert [x.title for f in editor.opened.findings for x in f.fixes] == [
        "pass `u` by `borrow` (declare `describe`'s parameter `value` `borrow`)"]
    at = text.index("n + 1") + len("n + 1")
    snap = editor.type(at, at, "\n  let m = n")
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings
    assert [f.fixes for f in snap.findings] == [f.fixes for f in fresh.findings]
    edit = snap.findings[0].fixes[0].edits[0]
    assert snap.data[edit.span.start:].startswith(b"value: a")
    assert taken == [False]
    assert editor.doc.version == 2
