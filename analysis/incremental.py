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
`analyse_units`, `move` and `finish`. The engine calls `check_units` with them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
                slots.append(language.move(result, unit.span.start - start))
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
