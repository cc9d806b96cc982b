"""Re-checking after an edit must give exactly what a fresh check of the new text gives.

The engine reuses declaration headers and function results by text (moving their spans when an
edit above shifts them) and reparses incrementally from an edited tree; these tests compare that
path with a cold engine on every case file, in both forms.
"""
from __future__ import annotations

import json

import pytest

from case_runner import case_files, to_json_text
from custody.analysis.engine import Engine

CASES = case_files()


def snapshot(result):
    """Everything a client sees: findings with related spans and fix edits, and the ownership map."""
    findings = [(f.code, f.span, f.message, tuple((r.span, r.message) for r in f.related),
                 tuple((x.title, tuple((e.span, e.new_text) for e in x.edits)) for x in f.fixes))
                for f in result.analysis.findings]
    points = [(p.span, p.binding, p.state, p.action, tuple((n.span, n.label) for n in p.notes))
              for f in result.analysis.model.functions for p in f.all_points()]
    drops = [(d.span, d.binding, d.reason) for d in result.analysis.model.drops()]
    calls = [(c.span, c.head_span, c.callee, tuple(c.modes))
             for fr in result.analysis.functions for c in fr.calls]
    return findings, points, drops, calls


def point(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset)
    return line, offset - (data.rfind(b"\n", 0, offset) + 1)


def edited_tree(result, old: bytes, start: int, old_end: int, new: bytes, new_end: int):
    tree = result.parsed.parse.tree.copy()
    tree.edit(start_byte=start, old_end_byte=old_end, new_end_byte=new_end,
              start_point=point(old, start), old_end_point=point(old, old_end),
              new_end_point=point(new, new_end))
    return tree


def forms(path):
    text_result = Engine().check(str(path), path.read_bytes())
    json_data = to_json_text(text_result).encode()
    return [(str(path), path.read_bytes()), (str(path).replace(".x07t", ".x07.json"), json_data)]


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(c.parents[1])) for c in CASES])
def test_shifted_and_reparsed_equals_fresh(case):
    for path, data in forms(case):
        warm = Engine()
        first = warm.check(path, data)
        # grow the text just before the first declaration: every declaration moves
        at = data.find(b"{", data.find(b"decls")) if b"decls" in data else len(data)
        if at < 0:
            at = len(data)
        pad = b"\n  \n"
        grown = data[:at] + pad + data[at:]
        tree = edited_tree(first, data, at, at, grown, at + len(pad))
        second = warm.check(path, grown, old_tree=tree)
        assert snapshot(second) == snapshot(Engine().check(path, grown)), path
        # and back again
        tree = edited_tree(second, grown, at, at + len(pad), data, at)
        third = warm.check(path, data, old_tree=tree)
        assert snapshot(third) == snapshot(first), path
        if second.analysis.functions:
            assert second.analysis.reused == len(second.analysis.functions)


def _module(decls):
    return json.dumps({"schema_version": "x07.x07ast@0.8.0", "kind": "entry", "module_id": "main",
                       "imports": [], "decls": decls, "solve": ["bytes.alloc", 0]}, indent=1)


def test_editing_a_callee_signature_reanalyses_its_callers_only():
    f = {"kind": "defn", "name": "main.f", "params": [{"name": "b", "ty": "bytes_view"}], "result": "i32",
         "body": ["view.len", "b"]}
    g = {"kind": "defn", "name": "main.g", "params": [{"name": "x", "ty": "bytes"}], "result": "i32",
         "body": ["begin", ["let", "n", ["main.f", "x"]], ["bytes.len", "x"]]}
    h = {"kind": "defn", "name": "main.h", "params": [], "result": "i32", "body": 7}
    warm = Engine()
    text = _module([f, g, h])
    assert [x.code for x in warm.check("m.x07.json", text.encode()).analysis.findings] == []
    # main.f now takes its argument by value: g's call moves x, and the later use is an error
    moved = text.replace('"ty": "bytes_view"', '"ty": "bytes"', 1)
    r = warm.check("m.x07.json", moved.encode())
    assert [x.code for x in r.analysis.findings] == ["X07-MOVE-0901"]
    assert r.analysis.analysed == 2 and r.analysis.reused == 2     # f and g again; h and solve reused


def test_nesting_too_deep_inside_a_declaration_survives_reuse():
    deep = "[" * 300 + "]" * 300
    f = {"kind": "defn", "name": "main.f", "params": [], "result": "i32", "body": ["begin", "DEEP", 1]}
    text = _module([f]).replace('"DEEP"', deep)
    warm = Engine()
    first = warm.check("m.x07.json", text.encode())
    assert [x.code for x in first.analysis.findings] == ["CUS-SYNTAX-0002"]
    shifted = "\n" + text
    second = warm.check("m.x07.json", shifted.encode())
    assert [(x.code, x.span.start) for x in second.analysis.findings] == [("CUS-SYNTAX-0002", first.analysis.findings[0].span.start + 1)]


def test_borrow_edges_move_with_a_reused_function():
    f = {"kind": "defn", "name": "main.f", "params": [{"name": "b", "ty": "bytes"}], "result": "i32",
         "body": ["begin", ["let", "v", ["bytes.view", "b"]], ["view.len", "v"]]}
    text = _module([f])
    warm = Engine()
    first = warm.check("m.x07.json", text.encode())
    second = warm.check("m.x07.json", ("\n\n" + text).encode())
    [fm1] = [m for m in first.analysis.model.functions if m.name == "main.f"]
    [fm2] = [m for m in second.analysis.model.functions if m.name == "main.f"]
    assert second.analysis.reused >= 1 and fm1.borrows
    assert [sp.start + 2 for _, _, sp in fm1.borrows] == [sp.start for _, _, sp in fm2.borrows]
