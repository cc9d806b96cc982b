"""X07's two ownership lints, matched by spelling as x07c's own lint matches them (lint.rs
`lint_core_move_rules`): `(bytes.concat x x)`, the same identifier as both arguments
(X07-MOVE-0001), and `(bytes.view x)` of the same identifier in an `if` condition and in one of
its two branches (X07-MOVE-0002). An unresolved name counts, and so does a name that a `let`
inside the branch shadows: x07c rejects both shapes before it knows what the names mean.

Also the findings of a declaration's contract clauses (`contract_findings`): x07c lints every
clause expression and witness exactly as a body, and compiles requires / ensures / invariant
with the function's parameters in scope (`__result` too in ensures), so custody lowers each
clause like a small body of its own and runs the same checkers on it."""
from __future__ import annotations

from dataclasses import replace

from ..findings import Finding, Related
from ..ownership.escapes import check_escapes
from ..ownership.fixes import FixRequest
from ..ownership.flow import run_flow
from .lower import Lowered, contract_clauses, lower_clause

CONCAT_SAME = "X07-MOVE-0001"
IF_VIEW_SAME = "X07-MOVE-0002"


def lint(low: Lowered, reported_spans: set) -> list[Finding]:
    out: list[Finding] = []
    fn = low.fn
    for call_span, s1, s2, name in low.concat_calls:
        if s2 in reported_spans or call_span in reported_spans:
            continue   # the flow already reported the double move at this call, with this code
        lid = next((l for l in fn.locals if l.name == name and l.span.start < s1.start), None)
        related = [Related(s1, "first use"), Related(s2, "second use")]
        if lid is not None:
            related.append(Related(lid.span, f'"{name}" declared here'))
        out.append(Finding(CONCAT_SAME, "error", s2,
                           f'bytes.concat uses "{name}" on both sides; copy one side with a view copy '
                           f"(view.to_bytes (bytes.view {name}))",
                           related=related,
                           fix_requests=[FixRequest("copy_before_move", s1, name)]))
    for fact in low.ifs:
        name = min(fact.cond_borrows)      # x07c reports the first name in sorted order
        requests = []
        if name in fact.same_binding:
            requests.append(FixRequest("view_copy_for_if", fact.span, name, tuple(fact.cond_borrows[name])))
        out.append(Finding(IF_VIEW_SAME, "error", fact.span,
                           f'if uses bytes.view of "{name}" in its condition and in a branch; '
                           "insert a view copy for the condition",
                           related=[Related(s, "borrowed in the condition") for s in fact.cond_borrows[name]]
                           + [Related(s, "borrowed in a branch") for s in fact.branch_borrows[name]],
                           fix_requests=requests))
    return out


def contract_findings(decl) -> list[Finding]:
    """What custody reports in the contract clauses of one defn / defasync (a module.Decl):
    each clause expression with its witnesses lowered on its own, with fresh parameters (x07c
    evaluates a clause in a copy of the parameters' scope, so a clause never moves anything
    for the body or for another clause), through the flow, the escape checks and the lints.

    The findings are the declaration's own (kept with its header and moved with it when an edit
    above shifts it), so they carry no related locations or fixes, whose spans would not move."""
    out: list[Finding] = []
    for with_result, exprs in contract_clauses(decl):
        low = lower_clause(decl, exprs, with_result)
        found = list(low.findings) + run_flow(low.fn, record=False).findings + check_escapes(low.fn)
        found += lint(low, {f.span for f in found if f.code == CONCAT_SAME})
        out.extend(replace(f, related=[], fix_requests=[], fixes=[]) for f in found)
    return out
