"""What X07's own compiler rejects, at the places it reports it (issue 13, deliverable 4).

The case files (tests/cases/contracts, branch_view/unwrap_or_*, branch_view/view_param_*,
lints/*) say which findings each program gets; these tests pin what the case format cannot:
where a contract finding sits as a JSON Pointer (x07c reports a view of a temporary at the
temporary: `<call>/1`), that a clause is its own scope (it moves nothing for the body or for
another clause), what `__result` is and where, and which fixes the spelling-based lints offer.
"""
from __future__ import annotations

import json

from custody.analysis.engine import Engine


def _module(decl: dict) -> dict:
    return {"schema_version": "x07.x07ast@0.8.0", "kind": "module", "module_id": "app", "imports": [],
            "decls": [{"kind": "export", "names": [decl["name"]]}, decl]}


def _check(doc: dict, name: str = "m.x07.json"):
    return Engine().check(name, json.dumps(doc, indent=1).encode())


def _pointers(result) -> list[tuple[str, str]]:
    by_span = {}
    for ptr, v in result.parsed.pointers.by_pointer.items():
        by_span.setdefault(v.span, ptr)
    return sorted((f.code, by_span.get(f.span, "?")) for f in result.analysis.findings)


def _defn(**clauses) -> dict:
    d = {"kind": "defn", "name": "app.f", "params": [{"name": "b", "ty": "bytes"}, {"name": "v", "ty": "bytes_view"}],
         "result": "bytes", "body": "b"}
    d.update(clauses)
    return d


TEMP_VIEW = ["view.len", ["bytes.view", ["bytes.lit", "hi"]]]


def test_contract_findings_sit_where_x07c_reports_them():
    doc = _module(_defn(
        requires=[{"expr": [">=", TEMP_VIEW, 0]}],
        ensures=[{"expr": [">=", ["bytes.len", "__result"], 0], "witness": [TEMP_VIEW]}],
        invariant=[{"expr": ["=", ["bytes.len", ["bytes.concat", "b", "b"]], 0]}],
        decreases=[{"expr": TEMP_VIEW}],
        loop_contracts=[{"ptr": "/decls/1/body", "invariant": [{"expr": [">=", TEMP_VIEW, 0]}]}]))
    assert _pointers(_check(doc)) == sorted([
        ("X07-BORROW-0001", "/decls/1/requires/0/expr/1/1/1"),
        ("X07-BORROW-0001", "/decls/1/ensures/0/witness/0/1/1"),
        ("X07-MOVE-0001", "/decls/1/invariant/0/expr/1/1/2"),
        ("X07-BORROW-0001", "/decls/1/decreases/0/expr/1/1"),
        ("X07-BORROW-0001", "/decls/1/loop_contracts/0/invariant/0/expr/1/1/1"),
    ])


def test_contract_finding_keeps_the_body_message():
    body = _check(_module(_defn(body=["begin", TEMP_VIEW, "b"]))).analysis.findings
    clause = _check(_module(_defn(requires=[{"expr": TEMP_VIEW}]))).analysis.findings
    assert [(f.code, f.message) for f in clause] == [(f.code, f.message) for f in body]
    assert clause[0].related == [] and clause[0].fixes == []    # spans a moved header would not move


def test_protocol_clauses_only_on_defasync_and_decreases_only_on_defn():
    proto = {"await_invariant": [{"expr": TEMP_VIEW}], "scope_invariant": [{"expr": TEMP_VIEW}],
             "cancellation_ensures": [{"expr": TEMP_VIEW}]}
    on_async = _module(_defn(kind="defasync", protocol=proto))
    assert [c for c, _ in _pointers(_check(on_async))] == ["X07-BORROW-0001"] * 3
    # x07c refuses these fields there before linting them: nothing of custody's to add
    assert _pointers(_check(_module(_defn(protocol=proto)))) == []
    assert _pointers(_check(_module(_defn(kind="defasync", decreases=[{"expr": TEMP_VIEW}])))) == []


def test_a_clause_moves_nothing_for_the_body_or_another_clause():
    takes_b = ["bytes.len", ["option_bytes.unwrap_or", ["option_bytes.none"], "b"]]   # moves b
    doc = _module(_defn(requires=[{"expr": takes_b}, {"expr": takes_b}],
                        ensures=[{"expr": [">=", ["bytes.len", "b"], 0]}],
                        body=["begin", ["let", "n", ["bytes.len", "b"]], "b"]))
    assert _pointers(_check(doc)) == []
    # within one clause the flow is the body's: its witness comes after its expression
    doc = _module(_defn(requires=[{"expr": takes_b, "witness": ["b"]}]))
    assert _pointers(_check(doc)) == [("X07-MOVE-0901", "/decls/1/requires/0/witness/0")]


def test_result_is_in_scope_in_ensures_only():
    view_of_concat = ["view.len", ["bytes.view", ["bytes.concat", "__result", ["bytes.lit", "x"]]]]
    moves_result = ["bytes.len", ["bytes.concat", "__result", "__result"]]
    doc = _module(_defn(requires=[{"expr": view_of_concat}], ensures=[{"expr": moves_result}]))
    # both shapes are rejected by x07c's lint whatever __result is; the flow sees __result moved
    # twice in ensures (where it is the function's result, an owned bytes)
    assert _pointers(_check(doc)) == sorted([
        ("X07-BORROW-0001", "/decls/1/requires/0/expr/1/1"),
        ("X07-MOVE-0001", "/decls/1/ensures/0/expr/1/2"),
    ])
    ok = _module(_defn(ensures=[{"expr": [">=", ["view.len", ["bytes.view", "__result"]], ["view.len", "v"]]}]))
    assert _pointers(_check(ok)) == []


def test_contract_findings_follow_an_edit_above_them():
    doc = json.dumps(_module(_defn(requires=[{"expr": TEMP_VIEW}])), indent=1).encode()
    engine = Engine()
    before = engine.check("m.x07.json", doc).analysis.findings
    at = doc.index(b'"decls"')
    moved = doc[:at] + b'"doc_pad": "xxxxxxxx",\n ' + doc[at:]
    after = engine.check("m.x07.json", moved).analysis.findings
    fresh = Engine().check("m.x07.json", moved).analysis.findings
    assert [(f.code, f.span) for f in after] == [(f.code, f.span) for f in fresh]
    assert after[0].span.start == before[0].span.start + len(b'"doc_pad": "xxxxxxxx",\n ')


def test_concat_lint_reports_the_second_identifier_and_copies_the_first():
    doc = _module({"kind": "defn", "name": "app.f", "params": [{"name": "v", "ty": "bytes_view"}],
                   "result": "bytes", "body": ["bytes.concat", "x", "x"]})
    result = _check(doc)
    assert _pointers(result) == [("X07-MOVE-0001", "/decls/1/body/2")]
    assert result.analysis.findings[0].fixes == []     # custody cannot tell what x is: no copy offered


def test_if_lint_offers_the_condition_copy_only_when_it_means_the_same_binding():
    def if_with(cond_len):
        return _module({"kind": "defn", "name": "app.f", "params": [{"name": "r", "ty": "bytes"}],
                        "result": "bytes",
                        "body": ["if", ["=", cond_len, 0], ["bytes.alloc", 0],
                                 ["view.to_bytes", ["bytes.view", "r"]]]})
    plain = _check(if_with(["view.len", ["bytes.view", "r"]])).analysis.findings
    assert [f.code for f in plain] == ["X07-MOVE-0002"] and plain[0].fixes
    # the condition's r is its own let: a copy of the parameter before the if would change it
    inner = ["begin", ["let", "r", ["bytes.lit", "c"]], ["view.len", ["bytes.view", "r"]]]
    shadowed = _check(if_with(inner)).analysis.findings
    assert [f.code for f in shadowed] == ["X07-MOVE-0002"] and shadowed[0].fixes == []


def test_unwrap_or_names_the_option_and_the_default():
    doc = _module({"kind": "defn", "name": "app.f", "params": [], "result": "i32",
                   "body": ["begin",
                            ["let", "a", ["bytes.lit", "x"]], ["let", "b", ["bytes.lit", "y"]],
                            ["let", "o", ["option_bytes_view.some", ["bytes.view", "a"]]],
                            ["view.len", ["option_bytes_view.unwrap_or", "o", ["bytes.view", "b"]]]]})
    result = _check(doc)
    assert _pointers(result) == [("X07-MOVE-0902", "/decls/1/body/4/1")]
    f = result.analysis.findings[0]
    assert f.message.startswith("bytes_view must have a single borrow source across branches")
    assert [r.message for r in f.related] == ["the option borrows from a", "the default borrows from b"]
