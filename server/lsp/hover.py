"""Hover: a binding's type and ownership state at that exact occurrence (and, for a value living
in an arena — a region, a scratchpad — which one and where it is freed), or a call's signature
with how each argument is passed. Answered from the ownership model and the front-end's call
summaries, in the front-end's words (its `Vocabulary`); nothing is recomputed."""
from __future__ import annotations

from lsprotocol import types

from custody.analysis.ownership.model import BindingPoint

from .diagnostics import span_range
from .service import Snapshot

def _line_link(snap: Snapshot, span) -> str:
    r = snap.index.range(span)
    return f"[line {r.start.line + 1}]({snap.uri}#L{r.start.line + 1},{r.start.character + 1})"


def _function_of(snap: Snapshot, offset: int):
    fs = snap.model.functions_at(offset)
    return fs[0] if fs else None


def _freed(snap: Snapshot, arena) -> str:
    """Where an arena is freed: each reachable way out of it."""
    links = [_line_link(snap, sp) for sp in arena.freed]
    if not links:
        return "when the program leaves it"
    return "at " + " or ".join(links) + (", when the program leaves it" if len(links) == 1
                                         else " (each way out of it)")


def binding_hover(snap: Snapshot, p: BindingPoint, fr) -> str:
    """fr: the function model holding the occurrence."""
    words = snap.language.vocabulary
    lines = [f"```{words.code_language}\n{p.name}: {p.ty}\n```" if p.ty
             else f"```{words.code_language}\n{p.name}\n```"]
    arena = fr.arena_of(p.binding) if fr is not None else None
    if arena is not None and p.state == "arena":
        lines.append(f"**allocated in {arena.name}**: freed {_freed(snap, arena)}")
        lines.append("Declared here." if p.is_definition else f"Here: {p.action}.")
        return "\n\n".join(lines)
    state = words.states.get(p.state, p.state)
    details = []
    for n in p.notes:
        details.append(f"{n.label} at {_line_link(snap, n.span)}")
    if p.state == "dropped" and fr is not None:
        for d in fr.all_drops():
            if d.binding == p.binding:
                details.append(f"dropped at {_line_link(snap, d.span)} ({'end of scope' if d.reason == 'scope' else d.reason})")
                break
    head = f"**{state}**" + (": " + "; ".join(details) if details else "")
    lines.append(head)
    if arena is not None:
        lines.append(f"Allocated in {arena.name}: freed {_freed(snap, arena)}.")
    if not p.is_definition:
        lines.append(f"Here: {p.action}.")
    else:
        lines.append(f"Declared here; {p.action}.")
        if fr is not None and p.cls == "owned" and arena is None:
            drops = [d for d in fr.all_drops() if d.binding == p.binding]
            if drops:
                lines.append("Dropped at " + ", ".join(
                    f"{_line_link(snap, d.span)} ({'end of scope' if d.reason == 'scope' else 'early exit' if d.reason == 'return' else 're-assigned'})"
                    for d in drops) + ".")
    return "\n\n".join(lines)


def call_hover(snap: Snapshot, call) -> str:
    lang = snap.language
    words = lang.vocabulary
    summary = lang.call_summary(call)
    if summary.signature is None:
        return (f"```{words.code_language}\n{call.callee}\n```\n\ncustody does not know this function's "
                "signature: its arguments are not checked for ownership.")
    text = f"```{words.code_language}\n{summary.signature}\n```"
    if summary.arguments:
        text += "\n\n" + "\n".join(f"{i + 1}. `{label}` {words.passing.get(m, m)}"
                                     for i, (label, m) in enumerate(summary.arguments))
    return text + f"\n\n_{summary.origin}_"


def hover(snap: Snapshot, offset: int) -> types.Hover | None:
    fr = _function_of(snap, offset)
    if fr is not None:
        units = snap.model.units_at(offset)
        calls = [c for u in units for c in u.calls] if units else snap.language.calls(snap.result)
        for call in calls:
            if not fr.span.covers(call.head_span):
                continue
            if call.head_span.start <= offset < call.head_span.end or call.head_span.start == offset:
                return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, call_hover(snap, call)),
                                   span_range(snap.index, call.head_span))
    p = snap.model.point_at(offset)
    if p is None:
        return None
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, binding_hover(snap, p, fr)),
                       span_range(snap.index, p.span))
