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
from dataclasses import dataclass
from typing import Any

from .findings import Edit, Finding, Fix, Related
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


class LazyMap:
    """A unit's ownership map and call facts, made when first read: `make()` -> (model, calls),
    both as analysed. `span` is the map's span as analysed (known without making it), so that
    finding the unit at an offset does not make its map. Moved copies of a result share it."""

    __slots__ = ("make", "span", "got")

    def __init__(self, make, span):
        self.make = make
        self.span = span
        self.got = None

    def get(self) -> tuple:
        got = self.got
        if got is None:
            make = self.make
            if make is None:            # made meanwhile (`got` is set before `make` is dropped)
                return self.got
            got = self.got = make()
            self.make = None            # (frees what it held: the declaration, the signatures)
        return got


class UnitResult:
    """One unit's findings, ownership map and call facts, as analysed, plus how far the unit has
    moved since: findings move when the result is reused (they are few), the map and the calls
    when they are read (a keystroke moves every unit after it; only hovers and the like read them).

    The map and the calls are either given (`analysed_model`, `recorded_calls`) or made on first
    read (`lazy`, a LazyMap): a check that analyses many units at once (opening a file) makes
    only their findings, which is what its diagnostics need."""

    __slots__ = ("name", "findings", "_made", "delta", "span", "key", "_model")

    def __init__(self, name: str, findings: list, analysed_model: Any = None, recorded_calls: list | None = None,
                 delta: int = 0, span: Any = None, key: Any = None, lazy: "LazyMap | None" = None):
        self.name = name
        self.findings = findings
        self._made = lazy if lazy is not None else (analysed_model,
                                                    recorded_calls if recorded_calls is not None else [])
        self.delta = delta            # the bytes the unit has moved by since it was analysed
        self.span = span              # the unit's span when analysed (set by check_units) ...
        self.key = key                # ... and its cache key (unit key, context key)
        self._model = None

    def __repr__(self) -> str:
        return f"UnitResult({self.name!r}, {len(self.findings)} findings, delta={self.delta}, span={self.span})"

    def make_lazily(self, lazy: LazyMap) -> None:
        """The map and calls are to be made by `lazy` when first read."""
        self._made = lazy
        self._model = None

    def _got(self) -> tuple:
        made = self._made
        return made if type(made) is tuple else made.get()

    @property
    def analysed_model(self):
        """The unit's ownership map as analysed (FunctionModel, or None: lean checks keep none)."""
        return self._got()[0]

    @property
    def recorded_calls(self) -> list:
        """The unit's call facts with their spans as analysed."""
        return self._got()[1]

    @property
    def has_map(self) -> bool:
        """Has an ownership map (made or to be made), without making it."""
        made = self._made
        return type(made) is not tuple or made[0] is not None

    @property
    def map_pending(self) -> bool:
        """Is the map still to be made (on first read)?"""
        made = self._made
        return type(made) is not tuple and made.got is None

    @property
    def map_span(self):
        """The map's span as analysed, without making it (None: no map)."""
        made = self._made
        if type(made) is not tuple:
            return made.span
        return made[0].span if made[0] is not None else None

    @property
    def start(self) -> int:
        """The unit's current start (its span as analysed, moved by delta)."""
        return self.span[0] + self.delta

    @property
    def model(self):
        """The unit's ownership map at its current spans."""
        if self._model is None:
            m = self.analysed_model
            if m is not None:
                self._model = m.moved_by(self.delta) if self.delta else m
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
        out = UnitResult(self.name, shift(self.findings, d), None, None, self.delta + d, self.span, self.key)
        out._made = self._made
        return out


def shift(obj, delta: int):
    """A copy of an analysis result with every Span moved by delta bytes."""
    if delta == 0:
        return obj
    if isinstance(obj, Span):
        return Span(obj.start + delta, obj.end + delta)
    if type(obj) is Finding:
        return _shifted_finding(obj, delta)
    if isinstance(obj, list):
        return [shift(x, delta) for x in obj]
    if isinstance(obj, tuple):
        return tuple(shift(x, delta) for x in obj)
    if isinstance(obj, dict):
        return {shift(k, delta): shift(v, delta) for k, v in obj.items()}
    if isinstance(obj, Related) and obj.path is not None:
        return obj                    # a place in another file (a header): the edit did not move it
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        changes = {f.name: shift(getattr(obj, f.name), delta) for f in dataclasses.fields(obj)}
        return dataclasses.replace(obj, **changes) if not _is_mutable(obj) else _rebuild(obj, changes)
    return obj


def _shifted_finding(f: Finding, delta: int) -> Finding:
    """`shift` of a Finding, field by field (a keystroke moves every finding after the edit; the
    generic walk over dataclasses cost ~0.2 ms a finding). The provenance graph holds no spans."""
    out = object.__new__(Finding)
    d = out.__dict__
    d.update(f.__dict__)
    out.span = Span(f.span.start + delta, f.span.end + delta)
    out.related = [r if r.path is not None else Related(Span(r.span.start + delta, r.span.end + delta), r.message)
                   for r in f.related]
    out.fixes = [Fix(x.title, tuple(Edit(Span(e.span.start + delta, e.span.end + delta), e.new_text)
                                    for e in x.edits), x.safe, x.preferred) for x in f.fixes]
    out.fix_requests = shift(f.fix_requests, delta)
    return out


def _is_mutable(obj) -> bool:
    return not obj.__dataclass_params__.frozen  # type: ignore[attr-defined]


def _rebuild(obj, changes):
    new = object.__new__(type(obj))
    for k, v in changes.items():
        object.__setattr__(new, k, v)
    return new


def too_deep(name: str, name_span) -> "UnitResult":
    """The result of a unit nested deeper than a front-end's analysis recurses (it raised
    RecursionError): CUS-SYNTAX-0002 at the unit's name, no map, no calls."""
    return UnitResult(name, [Finding("CUS-SYNTAX-0002", "error", name_span,
                                     "this function nests deeper than custody analyses")], None, [])


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
            result.span, result.key = unit.span, key
            cache.put(key, (unit.span.start, result, deps))
            slots[slot] = result
            counts.analysed += 1
    return language.finish(ctx, [r for r in slots if r is not None], counts)


class Segs:
    """A sequence of per-unit objects kept as a few *segments* (base list, lo, hi, delta): the
    items base[lo:hi], each moved by `delta` bytes when read (`item.moved_by(delta)`). Replacing
    one unit (a keystroke inside it) splits at most one segment and shifts the later segments'
    deltas: the units after the edit keep their objects, and nothing walks them. Readers that
    want every unit at its current place iterate (or `materialized()`), which moves them then.

    Items have `span` (as analysed, (start, end)) and `delta` (moved since): a base list's
    starts are computed once (`_starts`), so finding the unit at an offset is a bisection per
    segment."""

    __slots__ = ("segs", "_flat", "_len")
    MAX = 12              # more segments than this: compacted into one base list

    def __init__(self, segs):
        self.segs = tuple(s for s in segs if s[2] > s[1])
        self._flat = None
        self._len = sum(hi - lo for _, lo, hi, _ in self.segs)

    @classmethod
    def of(cls, items) -> "Segs":
        if isinstance(items, Segs):
            return items
        base = _Base(items)
        return cls(((base, 0, len(base), 0),))

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def __iter__(self):
        if self._flat is not None:
            yield from self._flat
            return
        for base, lo, hi, d in self.segs:
            if d == 0:
                for i in range(lo, hi):
                    yield base[i]
            else:
                for i in range(lo, hi):
                    yield base[i].moved_by(d)

    def materialized(self) -> list:
        if self._flat is None:
            self._flat = list(iter(self))
        return self._flat

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.materialized()[i]
        if self._flat is not None:
            return self._flat[i]
        if i < 0:
            i += self._len
        for base, lo, hi, d in self.segs:
            if i < hi - lo:
                x = base[lo + i]
                return x.moved_by(d) if d else x
            i -= hi - lo
        raise IndexError(i)

    def __eq__(self, other):
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"Segs({[(lo, hi, d) for _, lo, hi, d in self.segs]})"

    def locate(self, offset: int, ends: bool = False):
        """(index, segment number, base index, segment delta) of the unit whose current span holds
        `offset` (start <= offset < end; `ends`: <= end), or None. Units are in file order."""
        import bisect
        n = 0
        for k, (base, lo, hi, d) in enumerate(self.segs):
            starts = base.starts()
            o = offset - d
            j = bisect.bisect_right(starts, o, lo, hi) - 1
            if j >= lo:
                x = base[j]
                s = starts[j]
                e = x.span[1] + x.delta
                if s <= o < e or (ends and o == e):
                    return n + j - lo, k, j, d
            n += hi - lo
        return None

    def holding(self, dirty):
        """(segment number, base index, unit, current start, current end) of the unit whose
        current span strictly holds the changed range of `dirty` (analysis.source.Dirty, in
        the offsets before the change), or None: what a keystroke fast path replaces."""
        try:
            loc = self.locate(dirty.start)
        except TypeError:                 # a result without its span (not from the engine)
            return None
        if loc is None:
            return None
        _, seg, j, sd = loc
        u = self.segs[seg][0][j]
        if u.key is None or u.span is None:
            return None
        start, end = u.span[0] + u.delta + sd, u.span[1] + u.delta + sd
        if not (start < dirty.start and dirty.old_end < end):
            return None
        return seg, j, u, start, end

    def around(self, offset: int) -> list:
        """The units (moved to their place) whose span holds `offset`, ends included, in file order."""
        import bisect
        out = []
        for base, lo, hi, d in self.segs:
            starts = base.starts()
            o = offset - d
            j = bisect.bisect_right(starts, o, lo, hi) - 1
            for k in (j - 1, j):
                if k >= lo:
                    x = base[k]
                    if starts[k] <= o <= x.span[1] + x.delta:
                        out.append(x.moved_by(d) if d else x)
        return out

    def replaced(self, seg: int, j: int, item, delta: int) -> "Segs":
        """These units with the one at base index j of segment `seg` replaced by `item` (already at
        its place), the units after it moved by `delta` bytes."""
        out = []
        for k, (base, lo, hi, d) in enumerate(self.segs):
            if k < seg:
                out.append((base, lo, hi, d))
            elif k == seg:
                out.append((base, lo, j, d))
                out.append((_Base([item]), 0, 1, 0))
                out.append((base, j + 1, hi, d + delta))
            else:
                out.append((base, lo, hi, d + delta))
        new = Segs(out)
        if len(new.segs) > self.MAX:
            return Segs.of(new.materialized())
        return new


class _Base(list):
    """A segment's shared list, with its items' starts (computed once)."""

    __slots__ = ("_starts",)

    def starts(self) -> list:
        try:
            return self._starts
        except AttributeError:
            self._starts = [x.span[0] + x.delta for x in self]
            return self._starts


def spliced_findings(findings: list, start: int, end: int, inside: list, delta: int) -> list:
    """A document's sorted findings after one unit [start, end) (previous offsets) was analysed
    again: those before it kept, `inside` (its new findings) in their place, those after it
    moved by `delta`. O(findings)."""
    from .findings import Finding
    before = [f for f in findings if f.span[0] < start]
    after = [shift(f, delta) for f in findings if f.span[0] >= end]
    mid = sorted(inside, key=Finding.sort_key)
    out = before + mid + after
    return out
