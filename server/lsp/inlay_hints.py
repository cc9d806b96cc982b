"""Inlay hints from the ownership map: where owned values are dropped, which arguments move
their binding, which owner a `let`-bound view borrows from, and the deferred actions (`defer`)
that run at each scope exit, in the order they run.

Pure: a `Snapshot` in, `lsprotocol` hints out; nothing is recomputed, the map is only read.
"""
from __future__ import annotations

import re

from lsprotocol import types

from custody.analysis.ownership.model import DeferPoint, DropPoint
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


def exit_hints(snap: Snapshot, functions=None, drops: bool = True, defers: bool = True) -> list[types.InlayHint]:
    """At each scope exit, in the order things happen there: `drop a, b` (the owners dropped) and
    `defer: x; y` (the deferred actions run, last registered first). Consecutive drops share a
    hint, as do consecutive deferred actions. `functions`: the function models to read (default:
    all)."""
    at: dict[int, list] = {}
    arenas = {}
    for f in snap.model.functions if functions is None else functions:
        for d in f.all_drops() if drops else ():
            group = at.setdefault(d.span.start, [])
            if all(not isinstance(g, DropPoint) or d.name != g.name or d.binding != g.binding for g in group):
                group.append(d)
        for d in f.all_deferred() if defers else ():
            group = at.setdefault(d.span.start, [])
            if all(not isinstance(g, DeferPoint) or d.origin != g.origin for g in group):
                group.append(d)
        if drops:
            arenas.update((b, f.arena_of(b)) for b in f.arenas)
    out = []
    for start in sorted(at):
        runs: list[list] = []
        for item in sorted(at[start], key=lambda x: x.seq):
            if runs and type(runs[-1][0]) is type(item):
                runs[-1].append(item)
            else:
                runs.append([item])
        position = _pos(snap.index.position(start))
        for run in runs:
            out.append(_drop_hint(position, run, arenas) if isinstance(run[0], DropPoint)
                       else _defer_hint(snap, position, run))
    return out


def _drop_hint(position, group: list, arenas: dict) -> types.InlayHint:
    why = []
    for d in group:
        arena = arenas.get(d.binding)
        if arena is None:
            why.append(f'"{d.name}" is dropped {_DROP_WHY.get(d.reason, "here")} (its memory is freed here)')
        else:
            why.append(f'"{d.name}" goes out of scope here; its memory belongs to {arena.name}, freed with it')
    return types.InlayHint(position=position, label="drop " + ", ".join(d.name for d in group),
                           kind=types.InlayHintKind.Type, padding_left=True, tooltip="; ".join(why) + ".")


def _defer_hint(snap: Snapshot, position, group: list) -> types.InlayHint:
    listed = "\n".join(f"{i + 1}. `{d.label}` (deferred at line {snap.index.position(d.origin.start).line + 1})"
                       for i, d in enumerate(group))
    return types.InlayHint(position=position, label="defer: " + "; ".join(d.label for d in group),
                           kind=types.InlayHintKind.Type, padding_left=True,
                           tooltip="Leaving the scope here runs, last deferred first:\n" + listed)


def move_hints(snap: Snapshot, functions=None) -> list[types.InlayHint]:
    """`moved` (`transferred`, `destroyed`: the map's `hint`) after every occurrence that gives an
    owned binding's value away."""
    out = []
    seen = set()
    for f in snap.model.functions if functions is None else functions:
        for p in f.all_points():
            # an occurrence lowered at several exits (in a `defer`) is one place in the text
            if p.is_definition or not p.hint or (p.span, p.hint) in seen:
                continue
            seen.add((p.span, p.hint))
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
    """The hints inside `range`, of the kinds switched on in `kinds` ({"defers", "drops", "moves",
    "borrows"}). At one position, drops and deferred actions are in the order they happen."""
    out: list[types.InlayHint] = []
    # only the functions the range touches: on a big file the others' maps are not even made
    fs = snap.model.functions_in(snap.index.offset(Position(range.start.line, range.start.character)),
                                 snap.index.offset(Position(range.end.line, range.end.character)))
    out += exit_hints(snap, fs, drops=kinds.get("drops", True), defers=kinds.get("defers", True))
    if kinds.get("moves", True):
        out += move_hints(snap, fs)
    if kinds.get("borrows", True):
        out += borrow_hints(snap, fs)
    out = [h for h in out if _inside(h.position, range)]
    out.sort(key=lambda h: (h.position.line, h.position.character))
    return out
