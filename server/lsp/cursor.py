"""The custom request `custody/ownership`: the ownership story of the binding under the cursor,
for an editor to decorate (where it lives, who borrows it, where it moves and is dropped, and
the findings it is involved in).

Request (client -> server)::

    method: "custody/ownership"
    params: {"textDocument": {"uri": str}, "position": {"line": int, "character": int}}

Result: a list of `OwnershipItem` (JSON objects), empty when the cursor is on no binding::

    {"kind": "live" | "borrow" | "move" | "drop" | "conflict",
     "range": {"start": {"line", "character"}, "end": {"line", "character"}},   # UTF-16
     "message": str}

- live: from the binding's definition to its last occurrence or drop (one item);
- borrow: where views borrow it (a view's `let`, the borrowing expression) and the occurrences
  lent to a call or turned into a view; for a view, the owners it borrows from;
- move: each occurrence that gives its value away (moves it; transfers or destroys it);
- drop: each point where it is dropped;
- conflict: findings whose primary or related span touches one of its occurrences (one item for
  the primary span, one per related span).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict

from custody.analysis.ownership.model import BindingPoint, FunctionModel
from custody.analysis.source import Span

from .service import Snapshot

METHOD = "custody/ownership"
KINDS = ("live", "borrow", "move", "drop", "conflict")

_BORROWED_BY = re.compile(r"borrowed by (.*)\Z")
_BORROWS_FROM = re.compile(r'borrows from "(.*)"\Z')
_DROP_WHY = {"scope": "at the end of its scope", "return": "when the function returns early",
             "set": "when it is re-assigned (its old value)"}


class OwnershipItem(TypedDict):
    kind: str
    range: dict
    message: str


@dataclass(frozen=True)
class OwnershipParams:
    """The request's params: the document and the cursor (an LSP position)."""

    uri: str
    line: int
    character: int

    @classmethod
    def from_json(cls, params: dict) -> "OwnershipParams":
        pos = params["position"]
        return cls(params["textDocument"]["uri"], int(pos["line"]), int(pos["character"]))


def _touches(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end or a == b


def binding_at(snap: Snapshot, offset: int) -> tuple[FunctionModel, BindingPoint] | None:
    """The function model and binding occurrence under a byte offset (the innermost one)."""
    for f in snap.model.functions_at(offset):
        p = f.point_at(offset)
        if p is not None:
            return f, p
    return None


def ownership_at(snap: Snapshot, offset: int) -> list[OwnershipItem]:
    """What the binding under `offset` (a byte offset) goes through; [] when there is none."""
    found = binding_at(snap, offset)
    if found is None:
        return []
    f, here = found
    key, name = here.binding, here.name
    points = f.all_points()
    occ = [p for p in points if p.binding == key]
    drops = [d for d in f.all_drops() if d.binding == key]
    items: list[tuple[Span, str, str]] = []

    first = min(p.span.start for p in occ)
    last = max([p.span.end for p in occ] + [d.span.end for d in drops])
    ends = "its drop" if drops and max(d.span.end for d in drops) == last else "its last use"
    items.append((Span(first, last), "live", f'"{name}" is live from its definition to {ends}'))

    defs = {p.binding: p for p in points if p.is_definition}
    for p in points:               # views of this binding, at their `let`
        if p.is_definition and p.binding != key and any(
                _BORROWS_FROM.match(n.label) and _BORROWS_FROM.match(n.label).group(1) == name
                and n.span == defs.get(key, here).span for n in p.notes):
            items.append((p.span, "borrow", f'"{p.name}" is a view of "{name}"'))
    for p in occ:
        if p.action in ("a view of it is taken here", "borrowed for this call"):
            items.append((p.span, "borrow", f'"{name}": {p.action}'))
        for n in p.notes:
            m = _BORROWED_BY.match(n.label)
            if m:
                items.append((n.span, "borrow", f'"{name}" is {n.label} here'))
            m = _BORROWS_FROM.match(n.label)
            if m and p.is_definition:
                items.append((n.span, "borrow", f'"{name}" borrows from "{m.group(1)}"'))
        if p.hint:              # gives its value away here (moved, transferred, destroyed)
            items.append((p.span, "move", f'"{name}" {p.action}'))
    for d in drops:
        items.append((d.span, "drop", f'"{name}" is dropped {_DROP_WHY.get(d.reason, "here")}'))

    spans = [p.span for p in occ]
    for fd in snap.findings:
        if any(_touches(s, o) for s in [fd.span] + [r.span for r in fd.related if r.path is None] for o in spans):
            items.append((fd.span, "conflict", f"{fd.code}: {fd.message}"))
            for r in fd.related:
                if r.path is None:
                    items.append((r.span, "conflict", r.message))

    out: list[OwnershipItem] = []
    seen = set()
    for span, kind, msg in sorted(items, key=lambda i: (i[0].start, KINDS.index(i[1]), i[0].end)):
        if (span, kind) in seen:
            continue
        seen.add((span, kind))
        out.append({"kind": kind, "range": snap.index.range(span).to_json(), "message": msg})
    return out
