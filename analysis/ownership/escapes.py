"""Borrowed values that outlive or straddle their owners: a scope yielding a view of its own
local, a function returning a view of something other than its view parameters, and branches
whose borrowed results come from different owners."""
from __future__ import annotations

from ..findings import Finding, Related
from .ir import UNKNOWN, BranchMerge, FnResult, FunctionIR, ScopeResult


def _owners(fn: FunctionIR, prov) -> list[int]:
    return sorted(s for s in prov if isinstance(s, int))


def _sources(fn: FunctionIR, prov) -> list[int]:
    """The owners a branch's view may borrow from: locals other than view parameters."""
    return [s for s in prov if isinstance(s, int) and not fn.local(s).is_root_view]


def _arm_label(fn: FunctionIR, arm) -> str:
    """`arm` is (span, provenance) or (span, provenance, what it is: "the default")."""
    what = arm[2] if len(arm) > 2 else "this branch"
    owners = sorted(_sources(fn, arm[1]))
    if not owners:
        return what
    return f"{what} borrows from " + ", ".join(fn.local(o).name for o in owners)


_CHECKED = (ScopeResult, BranchMerge, FnResult)


def check_escapes(fn: FunctionIR) -> list[Finding]:
    out: list[Finding] = []
    checked = _CHECKED
    events = [ev for block in fn.blocks for ev in block.events if type(ev) in checked]
    if not events:
        return out
    view, copy_out = fn.words["view_type"], fn.words["copy_out"]
    merged_spans = []
    for ev in events:
        if isinstance(ev, ScopeResult):
            bad = [o for o in _owners(fn, ev.prov) if o in ev.scope_locals]
            if bad and UNKNOWN not in ev.prov:
                o = fn.local(bad[0])
                out.append(Finding(
                    fn.codes.get("escape", "CUS-BORROW-0002"), "error", ev.span,
                    f'this block returns a view borrowing "{o.name}", which is dropped at the end '
                    f"of the block; {copy_out}, or bind the owner outside the block",
                    related=[Related(o.span, f'"{o.name}" declared here, inside the block'),
                             Related(ev.scope_span, "the block that ends here")]))
        elif isinstance(ev, BranchMerge):
            # a view parameter is no borrow source here (nor is a runtime view): the caller's
            # value outlives the whole call; only owners of this function are (x07c: a
            # parameter's and `input`'s borrow_of is none). Returning either of two view
            # parameters is the function result's check (FnResult).
            arms = [arm for arm in ev.arms if UNKNOWN not in arm[1]]
            sources = {frozenset(_sources(fn, arm[1])) for arm in arms}
            sources.discard(frozenset())
            if len(sources) > 1 and len(arms) == len(ev.arms):
                names = sorted({fn.local(o).name for s in sources for o in s})
                merged_spans.append(ev.span)
                labelled = all(len(arm) > 2 for arm in arms)
                what = " and ".join(arm[2] for arm in arms) if labelled else "the branches"
                advice = "borrow both from the same owner" if labelled else f"{copy_out} in one branch"
                out.append(Finding(
                    fn.codes.get("branch_sources", "CUS-BORROW-0903"), "error", ev.span,
                    f"{view} must have a single borrow source across branches "
                    f"({what} borrow from {', '.join(repr(n) for n in names)}); {advice}",
                    related=[Related(arm[0], _arm_label(fn, arm)) for arm in arms]))
        elif isinstance(ev, FnResult):
            if UNKNOWN in ev.prov:
                continue
            owners = _owners(fn, ev.prov)
            local_owners = [o for o in owners if not fn.local(o).is_root_view]
            if local_owners:
                o = fn.local(local_owners[0])
                what = "by-value parameter" if o.kind == "param" else "local owned buffer"
                out.append(Finding(
                    fn.codes.get("fn_returns_local_view", "CUS-BORROW-0904"), "error", ev.span,
                    f'function "{fn.name}" returns {view} borrowed from {what} "{o.name}"; '
                    f"{copy_out}, or take a {view} parameter instead",
                    related=[Related(o.span, f'"{o.name}" declared here; it is dropped when the function returns')]))
            elif len(owners) > 1 and not any(s.covers(ev.span) or ev.span.covers(s) for s in merged_spans):
                out.append(Finding(
                    fn.codes.get("fn_multi_source", "CUS-BORROW-0905"), "error", ev.span,
                    f'function "{fn.name}" returns a {view} that may borrow from '
                    + " or ".join(f'"{fn.local(o).name}"' for o in owners)
                    + "; a returned view must have a single borrow source",
                    related=[Related(fn.local(o).span, "possible source") for o in owners]))
    return out
