"""Work proportional to the edit, for every language: the engine keeps each front-end's per-unit
results and decides which units of a document must be analysed again.

Why here and not in each front-end: every language needs the same thing (the server checks on
every keystroke, and a function whose text and whose callees did not change must cost nothing
but a lookup), and the rules are language-neutral: a unit is identified by its key (a digest of
its text, `Unit.key`) together with the front-end's context key (its configuration); a cached
result stands only if the front-end says the summaries it read are unchanged; a unit that only
moved gets its previous result moved by the bytes it shifted.

A front-end takes part by implementing `FrontEnd.begin` and the methods that go with it
(analysis/frontend.py, "incremental"): `work_units`, `context_key`, `still_valid`,
`analyse_units` (whose results are `UnitResult`s, moved here when their unit moved) and `finish`.
The engine calls `check_units` with them.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .source import Span

CACHE_LIMIT = 20_000


class UnitCache:
    """(unit key, context key) -> (start offset when analysed, result, dependencies); the oldest
    entry goes first when full."""

    def __init__(self, limit: int = CACHE_LIMIT):
        self.items: dict = {}
        self.limit = limit

    def get(self, key):
        return self.items.get(key)

    def put(self, key, value) -> None:
        if len(self.items) >= self.limit:
            self.items.pop(next(iter(self.items)))
        self.items[key] = value

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class UnitResult:
    """One unit's findings, ownership map and call facts, as analysed, plus how far the unit has
    moved since: findings move when the result is reused (they are few), the map and the calls
    when they are read (a keystroke moves every unit after it; only hovers and the like read them)."""

    name: str
    findings: list
    analysed_model: Any              # FunctionModel | None (lean checks keep none), as analysed
    recorded_calls: list             # spans as recorded when analysed ...
    delta: int = 0                   # ... and the bytes the unit has moved by since
    _model: Any = field(default=None, repr=False, compare=False)

    @property
    def model(self):
        """The unit's ownership map at its current spans."""
        if self._model is None and self.analysed_model is not None:
            self._model = self.analysed_model.moved_by(self.delta) if self.delta else self.analysed_model
        return self._model

    @property
    def calls(self) -> list:
        """The unit's calls at their current spans (a call's callee stays in its own file)."""
        d = self.delta
        if not d:
            return self.recorded_calls
        return [dataclasses.replace(c, span=shift(c.span, d), head_span=shift(c.head_span, d))
                for c in self.recorded_calls]

    def moved_by(self, d: int) -> "UnitResult":
        if d == 0:
            return self
        return UnitResult(self.name, shift(self.findings, d), self.analysed_model, self.recorded_calls, self.delta + d)


def shift(obj, delta: int):
    """A copy of an analysis result with every Span moved by delta bytes."""
    if delta == 0:
        return obj
    if isinstance(obj, Span):
        return Span(obj.start + delta, obj.end + delta)
    if isinstance(obj, list):
        return [shift(x, delta) for x in obj]
    if isinstance(obj, tuple):
        return tuple(shift(x, delta) for x in obj)
    if isinstance(obj, dict):
        return {shift(k, delta): shift(v, delta) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: shift(getattr(obj, f.name), delta) for f in dataclasses.fields(obj)}
        return dataclasses.replace(obj, **changes) if not _is_mutable(obj) else _rebuild(obj, changes)
    return obj


def _is_mutable(obj) -> bool:
    return not obj.__dataclass_params__.frozen  # type: ignore[attr-defined]


def _rebuild(obj, changes):
    new = object.__new__(type(obj))
    for k, v in changes.items():
        object.__setattr__(new, k, v)
    return new


@dataclass
class UnitCounts:
    reused: int = 0       # units whose previous result stood (moved if they moved)
    analysed: int = 0     # units analysed afresh


def check_units(language, ctx: Any, cache: UnitCache, workers: int = 1):
    """One document's check: reuse what still stands, analyse the rest (in file order, through
    `language.analyse_units`, which may split the work among processes), store the new results,
    and let the front-end assemble its answer (`language.finish`)."""
    ckey = language.context_key(ctx)
    slots: list = []
    todo: list = []          # (slot, cache key, unit)
    counts = UnitCounts()
    for unit in language.work_units(ctx):
        key = (unit.key, ckey)
        hit = cache.get(key)
        if hit is not None:
            start, result, deps = hit
            if language.still_valid(ctx, deps):
                slots.append(result.moved_by(unit.span.start - start))
                counts.reused += 1
                continue
        todo.append((len(slots), key, unit))
        slots.append(None)
    if todo:
        done = language.analyse_units(ctx, [u for _, _, u in todo], workers)
        for (slot, key, unit), got in zip(todo, done):
            if got is None:
                continue
            result, deps = got
            cache.put(key, (unit.span.start, result, deps))
            slots[slot] = result
            counts.analysed += 1
    return language.finish(ctx, [r for r in slots if r is not None], counts)
