"""X07's two ownership lints, found on bindings rather than on spelling: the same owner used on
both sides of `bytes.concat` (X07-MOVE-0001) and a view of the same owner built in an `if`
condition and in a branch (X07-MOVE-0002). Two `x` that are different bindings do not count;
the same binding reached through a view alias does."""
from __future__ import annotations

from ..findings import Finding, Related
from ..ownership.fixes import FixRequest
from .lower import Lowered

CONCAT_SAME = "X07-MOVE-0001"
IF_VIEW_SAME = "X07-MOVE-0002"


def lint(low: Lowered, reported_spans: set) -> list[Finding]:
    out: list[Finding] = []
    fn = low.fn
    for call_span, args in low.concat_calls:
        if len(args) < 2:
            continue
        (s1, p1), (s2, p2) = args[0], args[1]
        common = sorted(o for o in (p1 & p2) if isinstance(o, int))
        if not common or call_span in reported_spans:
            continue
        if any(call_span.covers(s) for s in reported_spans):
            continue   # the flow already reported the double move at this call, with this code
        name = fn.local(common[0]).name
        out.append(Finding(CONCAT_SAME, "error", call_span,
                           f'bytes.concat uses "{name}" on both sides; copy one side with a view copy '
                           f"(view.to_bytes (bytes.view {name}))",
                           related=[Related(s1, "first use"), Related(s2, "second use"),
                                    Related(fn.local(common[0]).span, f'"{name}" declared here')],
                           fix_requests=[FixRequest("copy_before_move", s1, name)]))
    for fact in low.ifs:
        common = sorted(set(fact.cond_borrows) & set(fact.branch_borrows))
        if not common:
            continue
        o = common[0]
        name = fn.local(o).name
        out.append(Finding(IF_VIEW_SAME, "error", fact.span,
                           f'if uses bytes.view of "{name}" in its condition and in a branch; '
                           "insert a view copy for the condition",
                           related=[Related(s, "borrowed in the condition") for s in fact.cond_borrows[o]]
                           + [Related(s, "borrowed in a branch") for s in fact.branch_borrows[o]],
                           fix_requests=[FixRequest("view_copy_for_if", fact.span, name,
                                                    tuple(fact.cond_borrows[o]))]))
    return out
