"""Inlay hints from the ownership map: where owned values are dropped, which arguments move
their binding, and which owner a `let`-bound view borrows from.

Pure: a `Snapshot` in, `lsprotocol` hints out; nothing is recomputed, the map is only read.
"""
from __future__ import annotations

import re

from lsprotocol import types

from custody.analysis.source import Position

from .service import Snapshot

_BORROWS_FROM = re.compile(r'borrows from "(.*)"\Z')
_DROP_WHY = {"scope": "at the end of its scope", "return": "on the way out of the function",
             "set": "when it is re-assigned"}


def _pos(p: Position) -> types.Position:
    return types.Position(line=p.line, character=p.character)


def _inside(p: Position, rng: types.Range) -> bool:
    at = (p.line, p.character)
    return (rng.start.line, rng.start.character) <= at <= (rng.end.line, rng.end.character)


def drop_hints(snap: Snapshot, functions=None) -> list[types.InlayHint]:
    """One `drop a, b` hint per drop position (names of all owners dropped there).
    `functions`: the function models to read (default: all)."""
    at: dict[int, list] = {}
    for f in snap.model.functions if functions is None else functions:
        for d in f.all_drops():
            group = at.setdefault(d.span.start, [])
            if all(d.name != g.name or d.binding != g.binding for g in group):
                group.append(d)
    out = []
    for start in sorted(at):
        group = at[start]
        names = ", ".join(d.name for d in group)
        why = "; ".join(f'"{d.name}" is dropped {_DROP_WHY.get(d.reason, "here")}' for d in group)
        out.append(types.InlayHint(position=_pos(snap.index.position(start)), label=f"drop {names}",
                                   kind=types.InlayHintKind.Type, padding_left=True,
                                   tooltip=why + " (its memory is freed here)."))
    return out


def move_hints(snap: Snapshot, functions=None) -> list[types.InlayHint]:
    """`moved` (`transferred`, `destroyed`: the map's `hint`) after every occurrence that gives an
    owned binding's value away."""
    out = []
    for f in snap.model.functions if functions is None else functions:
        for p in f.all_points():
            if p.is_definition or not p.hint:
                continue
            out.append(types.InlayHint(position=_pos(snap.index.position(p.span.end)), label=p.hint,
                                       kind=types.InlayHintKind.Parameter, padding_left=True,
                                       tooltip=f'"{p.name}" {p.action}: it cannot be used after this point.'))
    return out


def borrow_hints(snap: Snapshot, functions=None) -> list[types.InlayHint]:
    """`borrows x` after the name of a `let`-bound view, naming the owners it borrows from."""
    out = []
    for f in snap.model.functions if functions is None else functions:
        for p in f.all_points():
            if not p.is_definition or p.cls != "view":
                continue
            owners = []
            for n in p.notes:
                m = _BORROWS_FROM.match(n.label)
                if m and m.group(1) not in owners:
                    owners.append(m.group(1))
            if not owners:
                continue
            listed = " and ".join(f'"{o}"' for o in owners)
            out.append(types.InlayHint(position=_pos(snap.index.position(p.span.end)),
                                       label="borrows " + ", ".join(owners),
                                       kind=types.InlayHintKind.Type, padding_left=True,
                                       tooltip=f'"{p.name}" is a view into {listed}: '
                                               f'{listed} must not be moved, changed or dropped while "{p.name}" is used.'))
    return out


def inlay_hints(snap: Snapshot, range: types.Range, kinds: dict) -> list[types.InlayHint]:
    """The hints inside `range`, of the kinds switched on in `kinds` ({"drops", "moves", "borrows"})."""
    out: list[types.InlayHint] = []
    # only the functions the range touches: on a big file the others' maps are not even made
    fs = snap.model.functions_in(snap.index.offset(Position(range.start.line, range.start.character)),
                                 snap.index.offset(Position(range.end.line, range.end.character)))
    if kinds.get("drops", True):
        out += drop_hints(snap, fs)
    if kinds.get("moves", True):
        out += move_hints(snap, fs)
    if kinds.get("borrows", True):
        out += borrow_hints(snap, fs)
    out = [h for h in out if _inside(h.position, range)]
    out.sort(key=lambda h: (h.position.line, h.position.character))
    return out
