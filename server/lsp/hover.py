"""Hover: a binding's type and ownership state at that exact occurrence, or a call's signature
with how each argument is passed. Answered from the ownership model; nothing is recomputed."""
from __future__ import annotations

from lsprotocol import types

from custody.analysis.ownership.model import BindingPoint

from .diagnostics import span_range
from .service import Snapshot

_STATE_TEXT = {
    "owned": "owned",
    "borrowed": "owned, borrowed",
    "view": "a view (borrowed bytes)",
    "copy": "a plain value (copied)",
    "moved": "moved",
    "maybe-moved": "maybe moved",
    "unknown": "state unknown to custody",
    "dropped": "dropped",
}


def _line_link(snap: Snapshot, span) -> str:
    r = snap.index.range(span)
    return f"[line {r.start.line + 1}]({snap.uri}#L{r.start.line + 1},{r.start.character + 1})"


def _function_of(snap: Snapshot, offset: int):
    for fr in snap.result.analysis.functions:
        s = fr.model.span
        if s.start <= offset <= s.end:
            return fr
    return None


def binding_hover(snap: Snapshot, p: BindingPoint, fr) -> str:
    lines = [f"```x07\n{p.name}: {p.ty}\n```"]
    state = _STATE_TEXT.get(p.state, p.state)
    details = []
    for n in p.notes:
        details.append(f"{n.label} at {_line_link(snap, n.span)}")
    if p.state == "dropped" and fr is not None:
        for d in fr.model.all_drops():
            if d.binding == p.binding:
                details.append(f"dropped at {_line_link(snap, d.span)} ({'end of scope' if d.reason == 'scope' else d.reason})")
                break
    head = f"**{state}**" + (": " + "; ".join(details) if details else "")
    lines.append(head)
    if not p.is_definition:
        lines.append(f"Here: {p.action}.")
    else:
        lines.append(f"Declared here; {p.action}.")
        if fr is not None and p.cls == "owned":
            drops = [d for d in fr.model.all_drops() if d.binding == p.binding]
            if drops:
                lines.append("Dropped at " + ", ".join(
                    f"{_line_link(snap, d.span)} ({'end of scope' if d.reason == 'scope' else 'early exit' if d.reason == 'return' else 're-assigned'})"
                    for d in drops) + ".")
    return "\n\n".join(lines)


_MODE_TEXT = {"moves": "moves", "borrows": "borrows", "copies": "copies", "literal": "literal",
              "unknown": "unknown"}


def call_hover(call) -> str:
    sig = call.sig
    if sig is None:
        return (f"```x07\n{call.callee}\n```\n\ncustody does not know this function's signature: "
                "its arguments are not checked for ownership.")
    names = list(sig.param_names) or [f"arg{i + 1}" for i in range(len(call.modes))]
    params = []
    for i, ty in enumerate(sig.params):
        if ty == "...":
            params.append("...")
            continue
        params.append(f"{names[i] if i < len(names) else f'arg{i + 1}'}: {ty}")
    text = f"```x07\n{call.callee}({', '.join(params)}) -> {sig.result}\n```"
    if call.modes:
        text += "\n\n" + "\n".join(
            f"{i + 1}. `{names[i] if i < len(names) else sig.param_type(i) or 'arg'}` {_MODE_TEXT.get(m, m)}"
            for i, m in enumerate(call.modes))
    origin = {"builtin": "X07 builtin", "module": "declared in this module", "import": "imported module",
              "stdlib": "X07 stdlib"}.get(sig.origin, sig.origin)
    return text + f"\n\n_{origin}_"


def hover(snap: Snapshot, offset: int) -> types.Hover | None:
    fr = _function_of(snap, offset)
    if fr is not None:
        for call in fr.calls:
            if call.head_span.start <= offset < call.head_span.end or call.head_span.start == offset:
                return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, call_hover(call)),
                                   span_range(snap.index, call.head_span))
    p = snap.model.point_at(offset)
    if p is None:
        return None
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, binding_hover(snap, p, fr)),
                       span_range(snap.index, p.span))
