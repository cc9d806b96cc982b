"""The keystroke fast path (analysis/x07/patch.py, analysis.incremental.Segs) against a fresh
check: random edits, sometimes several before an analysis; every snapshot must equal a fresh
check of the same text (findings with their related spans and fixes, the ownership map at
sampled offsets, the module's declarations)."""
from __future__ import annotations

import random
import sys
from functools import partial
from pathlib import Path

import pytest

from custody.analysis.engine import Engine
from custody.analysis.pending_tree import PendingTree
from custody.analysis.x07 import patch as patch_mod
from custody.analysis.x07.text_form import new_parser
from custody.lsp.service import Service

from random_edits import Editor, change, counting_patches, same_as_fresh, same_tree, tree_shape, typing_session

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from analysis_bench import make_module  # noqa: E402

SAFE = ["1", "7", " ", "x", "", "", "\n", " (bytes.len x)", "_1", " 0", " (bytes.view out)"]
BREAKING = ["(", ")", "\"", ";", "}", "{", "("]


def _texts(suffix: str) -> list[str]:
    out = [make_module(300, "x07text" if suffix == ".x07t" else "json").decode()]
    for p in sorted((ROOT / "tests" / "cases").rglob("*" + suffix))[:40]:
        t = p.read_text()
        if "body" in t:
            out.append(t)
    # several cases' functions in one file
    return out




def _same(snap, fresh, rnd):
    for o in same_as_fresh(snap, fresh, rnd):
        assert [m.span for m in snap.model.functions_at(o)] == [m.span for m in fresh.model.functions_at(o)], o
    if rnd.random() < 0.2:
        # a postponed reparse (PendingTree) gives tree-sitter's tree of the whole text
        same_tree(snap, fresh)
        a, b = snap.result.parsed.module, fresh.parsed.module
        assert [(d.header, d.value.span, d.name_span) for d in a.decls] == \
            [(d.header, d.value.span, d.name_span) for d in b.decls]
        assert [c.span for c in snap.language.calls(snap.result)] == [c.span for c in fresh.language.calls(fresh)]


def _pick(suffix, bodies, rnd, text, undo):
    """An edit, mostly in a body (`bodies`: where the first text's bodies start); only the last
    one can be taken back."""
    if bodies and rnd.random() < 0.8:
        at = min(len(text), rnd.choice(bodies) + rnd.randint(6, 80))
        if suffix == ".x07.json" or rnd.random() < 0.5:   # inside a name or number
            while at < len(text) and not text[at - 1].isalnum():
                at += 1
    else:
        at = rnd.randint(0, len(text))
    end = min(len(text), at + rnd.choice([0, 0, 0, 1, 2]))
    new = rnd.choice(BREAKING if rnd.random() < 0.1 else SAFE)
    if suffix == ".x07.json" and new not in BREAKING:
        new = rnd.choice(["1", "x", "_a", "", ""])
    undo[:] = [(at, at + len(new), text[at:end])]
    return at, end, new


@pytest.mark.parametrize("suffix", [".x07t", ".x07.json"])
def test_random_edits_equal_a_fresh_check(suffix, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    rnd = random.Random(13)
    for n, text in enumerate(_texts(suffix)):
        editor = Editor(f"file:///tmp/custody-patch-test/m{n}{suffix}", text)
        pick = partial(_pick, suffix, [i for i in range(len(text)) if text.startswith("body", i)])
        for _, snap, fresh in typing_session(editor, rnd, 80 if n == 0 else 14, pick):
            _same(snap, fresh, rnd)
    assert sum(taken) > (20 if suffix == ".x07t" else 5)     # the fast path was exercised


def test_a_keystroke_parses_only_its_declaration(monkeypatch):
    """The first keystroke after didOpen takes the fast path; the whole document's tree is not
    reparsed until something reads it, and then it is the tree of the new text; closing the
    document drops the engine's base for the next keystroke."""
    taken = counting_patches(monkeypatch, patch_mod)
    text = make_module(300, "x07text").decode()
    svc = Service()
    uri = "file:///tmp/custody-patch-test/alone.x07t"
    doc = svc.open(uri, 1, text)
    svc.snapshot(uri)
    at = text.find("48", text.find(":name main.f3\n")) + 2
    svc.change(uri, 2, [change(text, at, at, "7")])
    snap = svc.snapshot(uri)
    assert taken == [True]                                   # the first keystroke: fast path
    tree = snap.result.tree
    assert isinstance(tree, PendingTree) and not tree.parsed
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings
    assert not tree.parsed                                    # diagnostics did not need it
    assert tree_shape(tree.tree) == tree_shape(new_parser().parse(snap.data))
    assert tree.parsed
    # the document edits its own copy; the analysed tree stays the tree of the analysed text
    text2 = doc.data.decode()
    svc.change(uri, 3, [change(text2, at, at + 1, "")])
    assert svc.snapshot(uri).data == text.encode()
    assert tree_shape(tree.tree) == tree_shape(new_parser().parse(snap.data))
    assert svc.engine.last.get(snap.path) is not None
    svc.close(uri)
    assert svc.engine.last.get(snap.path) is None


def test_a_declaration_that_no_longer_parses_alone_takes_the_general_path():
    """An edit inside a body that leaves the declaration unbalanced: the declaration's own parse
    has an error, so the general path answers (with the syntax error), as a fresh check does."""
    text = make_module(300, "x07text").decode()
    svc = Service()
    uri = "file:///tmp/custody-patch-test/broken.x07t"
    svc.open(uri, 1, text)
    svc.snapshot(uri)
    at = text.find("(let", text.find(":name main.f3\n"))
    svc.change(uri, 2, [change(text, at, at, "(")])
    snap = svc.snapshot(uri)
    assert not isinstance(snap.result.tree, PendingTree)
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings and snap.findings


def test_a_check_of_other_text_at_the_same_path_keeps_the_base(monkeypatch):
    """Fix-all tries candidate texts through the same engine and path; the editor's document
    stays the base of the next keystroke's fast path."""
    taken = counting_patches(monkeypatch, patch_mod)
    text = make_module(300, "x07text").decode()
    svc = Service()
    uri = "file:///tmp/custody-patch-test/trial.x07t"
    svc.open(uri, 1, text)
    snap = svc.snapshot(uri)
    svc.engine.check(snap.path, (text + "\n; a trial\n").encode())
    at = text.find("48", text.find(":name main.f3\n")) + 2
    svc.change(uri, 2, [change(text, at, at, "7")])
    svc.snapshot(uri)
    assert taken == [True]


def test_typing_keeps_one_version_of_the_edited_declaration():
    """A cached declaration keeps the whole text it was read from (for its body's conversion);
    the fast path drops the version each keystroke replaces, so typing does not keep a copy of
    the document per keystroke (it did: ~100 MB over 120 keystrokes in a 100k-line file)."""
    text = make_module(300, "x07text").decode()
    svc = Service()
    uri = "file:///tmp/custody-patch-test/versions.x07t"
    doc = svc.open(uri, 1, text)
    svc.snapshot(uri)
    decls = svc.engine.session(svc.engine.languages.languages[0]).decls
    before = len(decls._items)
    at = text.find("48", text.find(":name main.f3\n")) + 2
    for i, ch in enumerate("1234567890" * 2):
        cur = doc.data.decode()
        svc.change(uri, i + 2, [change(cur, at + i, at + i, ch)])
        svc.snapshot(uri)
    assert len(decls._items) == before
