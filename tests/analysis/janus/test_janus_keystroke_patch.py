"""Janus's keystroke fast path (analysis/janus/patch.py) against a fresh check: random edits,
mostly inside function bodies, sometimes several before an analysis; every snapshot must equal a
fresh check of the same text (findings with related locations and fixes, the ownership map at
sampled offsets, the document's functions). Edits that may reach past one function give way."""
from __future__ import annotations

import random
import sys
from pathlib import Path

from custody.analysis.engine import Engine
from custody.analysis.janus import patch as patch_mod

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from random_edits import Editor, after_digits, counting_patches, same_as_fresh  # noqa: E402
from random_edits import statement_at, typing, typing_session  # noqa: E402

FUNCTION = """func f{i}(path: string, flag: bool) -> i32 do
    let f: ~File = open(path)
    let data = load()
    if flag do
        process(move data)
    end
    log(f.name, 1{i})
    close(f)
    return 0
end

"""
HEAD = "profile :service\n\nfunc close(f: ~File) do\n    release(f)\nend\n\n"
STATEMENTS = ["print(data.len)\n    ", "let z = 1\n    ", "close(f)\n    ", "keep(move data)\n    ",
              "\n    ", "// note\n    ", "defer close(f)\n    "]
BREAKING = ["(", ")", "\n", "do", "end", "}", "{", "\"", "move ", "~"]


def make(n: int) -> str:
    return HEAD + "".join(FUNCTION.format(i=i) for i in range(n))


# methods (not patched: they are not top-level), a syntax error after them (moved by a patch
# before it, unless the line count changes: its message may name lines)
TAIL = """impl Reader {
    func close(owned self) do
        release(self)
    end
}

func broken(p: string) do
    let x = (1 +
end
"""


def _a_digit(rnd, text):
    # not typed_into, which draws the digit first: this session has always drawn the place first
    sites = after_digits(text)
    at = rnd.choice(sites) if sites else 0
    return at, at, rnd.choice(["1", "7", "0"])


TYPING = typing(
    (0.5, statement_at("\n    ", STATEMENTS)),      # a statement at the start of a body line
    (0.9, _a_digit),                                # a digit typed into a number
    breaking=BREAKING)                              # else anything, anywhere


def _same(snap, fresh, rnd):
    same_as_fresh(snap, fresh, rnd)
    a, b = snap.result.parsed, fresh.parsed
    assert [(f.name, f.span, f.name_span, [p.span for p in f.params]) for f in a.functions] == \
        [(f.name, f.span, f.name_span, [p.span for p in f.params]) for f in b.functions]


def _has_syntax_error(snap) -> bool:
    return any(f.code == "CUS-SYNTAX-0001" for f in snap.findings)


def test_random_edits_equal_a_fresh_check(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    rnd = random.Random(11)
    for n, text in enumerate([make(40), make(8), make(6) + TAIL + make(3).replace(HEAD, "")]):
        editor = Editor((tmp_path / f"main{n}.jan").as_uri(), text, "janus")
        # the third text's syntax error (in TAIL) stays through every round
        assert n < 2 or _has_syntax_error(editor.opened)
        for _, snap, fresh in typing_session(editor, rnd, 60 if n == 0 else 30, TYPING):
            assert n < 2 or _has_syntax_error(snap)
            _same(snap, fresh, rnd)
    assert sum(taken) > 25                     # the fast path was exercised
    assert len(taken) - sum(taken) > 3         # and so was giving way


def test_a_keystroke_analyses_only_its_function(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    text = make(50)
    editor = Editor((tmp_path / "main.jan").as_uri(), text, "janus")
    at = text.index("log(f.name, 17)") + len("log(f.name, 17")
    snap = editor.type(at, at, "0")
    assert taken == [True]
    assert snap.result.analysis.analysed == 1
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings
    # the functions after the edit keep their bodies unread until needed
    later = [f for f in snap.result.parsed.functions if f.name == "f40"][0]
    assert later.shift == 1


def test_an_edit_adding_ownership_syntax_gives_way(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    text = "func a() do\n    let x = 1\n    print(x)\nend\n\nfunc b() do\n    print(2)\nend\n"
    editor = Editor((tmp_path / "plain.jan").as_uri(), text, "janus")
    at = text.index("print(x)")
    snap = editor.type(at, at, "keep(move x)\n    ")
    assert taken == [False]
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings and [f.code for f in fresh.findings] == ["JAN-S6003"]


def test_a_keystroke_that_breaks_its_function_gives_way_to_a_syntax_error(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    text = make(5)
    editor = Editor((tmp_path / "main.jan").as_uri(), text, "janus")
    assert [f.code for f in editor.opened.findings] == []
    at = text.index("log(f.name, 12)")
    snap = editor.type(at, at, "(")
    assert taken == [False]
    # the broken function is not analysed: a syntax error, no ownership finding about it
    assert {f.code for f in snap.findings} == {"CUS-SYNTAX-0001"}
    assert editor.type(at, at + 1, "").findings == []
