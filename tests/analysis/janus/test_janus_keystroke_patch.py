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
from custody.lsp.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from random_edits import change, counting_patches  # noqa: E402

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


def _same(snap, fresh, rnd):
    assert snap.findings == fresh.findings
    for f, g in zip(snap.findings, fresh.findings):
        assert f.related == g.related and f.fixes == g.fixes and f.message == g.message
    n = len(snap.data)
    for o in [rnd.randint(0, n) for _ in range(12)]:
        assert snap.model.point_at(o) == fresh.model.point_at(o), o
    a, b = snap.result.parsed, fresh.parsed
    assert [(f.name, f.span, f.name_span, [p.span for p in f.params]) for f in a.functions] == \
        [(f.name, f.span, f.name_span, [p.span for p in f.params]) for f in b.functions]


def test_random_edits_equal_a_fresh_check(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    rnd = random.Random(11)
    for n, text in enumerate([make(40), make(8), make(6) + TAIL + make(3).replace(HEAD, "")]):
        path = tmp_path / f"main{n}.jan"
        uri = path.as_uri()
        svc = Service()
        doc = svc.open(uri, 1, text, "janus")
        svc.snapshot(uri)
        undo = []
        for step in range(60 if n == 0 else 30):
            assert n < 2 or any(f.code == "CUS-SYNTAX-0001" for f in svc.snapshot(uri).findings)
            for _ in range(rnd.choice([1, 1, 1, 2, 3])):
                text = doc.data.decode()
                if undo and rnd.random() < 0.6:
                    at, end, new = undo.pop()
                else:
                    r = rnd.random()
                    if r < 0.5:          # a statement at the start of a body line
                        starts = [i + 5 for i in range(len(text) - 5) if text.startswith("\n    ", i)
                                  and text[i + 5:i + 6].isalpha()] or [0]
                        at, new = rnd.choice(starts), rnd.choice(STATEMENTS)
                        end = at
                    elif r < 0.9:        # a digit typed into a number
                        sites = [i + 1 for i in range(len(text)) if text[i].isdigit()]
                        at = rnd.choice(sites) if sites else 0
                        end, new = at, rnd.choice(["1", "7", "0"])
                    else:                # anything, anywhere
                        at = rnd.randint(0, len(text))
                        end = min(len(text), at + rnd.choice([0, 1, 3]))
                        new = rnd.choice(BREAKING)
                        undo.append((at, at + len(new), text[at:end]))
                svc.change(uri, doc.version + 1, [change(text, at, end, new)])
            snap = svc.snapshot(uri)
            fresh = Engine().check(snap.path, snap.data)
            _same(snap, fresh, rnd)
    assert sum(taken) > 25                     # the fast path was exercised
    assert len(taken) - sum(taken) > 3         # and so was giving way


def test_a_keystroke_analyses_only_its_function(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    text = make(50)
    path = tmp_path / "main.jan"
    uri = path.as_uri()
    svc = Service()
    svc.open(uri, 1, text, "janus")
    svc.snapshot(uri)
    at = text.index("log(f.name, 17)") + len("log(f.name, 17")
    svc.change(uri, 2, [change(text, at, at, "0")])
    snap = svc.snapshot(uri)
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
    path = tmp_path / "plain.jan"
    uri = path.as_uri()
    svc = Service()
    svc.open(uri, 1, text, "janus")
    svc.snapshot(uri)
    at = text.index("print(x)")
    svc.change(uri, 2, [change(text, at, at, "keep(move x)\n    ")])
    snap = svc.snapshot(uri)
    assert taken == [False]
    fresh = Engine().check(snap.path, snap.data)
    assert snap.findings == fresh.findings and [f.code for f in fresh.findings] == ["JAN-S6003"]


def test_a_keystroke_that_breaks_its_function_gives_way_to_a_syntax_error(tmp_path, monkeypatch):
    taken = counting_patches(monkeypatch, patch_mod)
    text = make(5)
    path = tmp_path / "main.jan"
    uri = path.as_uri()
    svc = Service()
    svc.open(uri, 1, text, "janus")
    assert [f.code for f in svc.snapshot(uri).findings] == []
    at = text.index("log(f.name, 12)")
    svc.change(uri, 2, [change(text, at, at, "(")])
    snap = svc.snapshot(uri)
    assert taken == [False]
    # the broken function is not analysed: a syntax error, no ownership finding about it
    assert {f.code for f in snap.findings} == {"CUS-SYNTAX-0001"}
    text = text[:at] + "(" + text[at:]
    svc.change(uri, 3, [change(text, at, at + 1, "")])
    assert svc.snapshot(uri).findings == []
