"""The ownership map: for every occurrence of a binding, its type and ownership state at that
exact point, the drop points, what each binding borrows or is borrowed by, the arena (region)
a binding's value lives in and where it is freed, and the deferred actions run at each scope
exit. Hover, inlay hints, semantic tokens and cursor decorations read this; none of them
recompute anything."""
from __future__ import annotations

import bisect

from dataclasses import dataclass, field, replace

from ..source import Span
from .flow import FlowResult
from .ir import GENERIC_WORDS, RUNTIME, UNKNOWN, FunctionIR, Move, Opaque
from .state import DROPPED, MAYBE, MOVED

# states
OWNED, BORROWED, VIEW, COPY, S_MOVED, S_MAYBE, S_UNKNOWN, S_DROPPED = (
    "owned", "borrowed", "view", "copy", "moved", "maybe-moved", "unknown", "dropped")
# states of explicit release (release.py): the value was handed on, freed, is nothing, or is
# owned on some paths only
S_TRANSFERRED, S_DESTROYED, S_NULL, S_MAYBE_OWNED = "transferred", "destroyed", "null", "maybe-owned"
# a live value whose memory belongs to an arena (a region, a scratchpad), freed with it
S_ARENA = "arena"


@dataclass(frozen=True, slots=True)
class Note:
    span: Span
    label: str


@dataclass(slots=True)
class BindingPoint:
    span: Span
    binding: tuple          # (function name, local id): stable key for references/rename
    name: str
    ty: str
    cls: str
    state: str
    is_definition: bool = False
    action: str = ""        # what this occurrence does: "moves into f", "borrows", "reads", ...
    notes: list[Note] = field(default_factory=list)
    hint: str = ""          # label of an inlay hint after this occurrence ("moved", "destroyed"), if any


@dataclass(slots=True)
class DropPoint:
    span: Span
    binding: tuple
    name: str
    reason: str
    seq: int = 0            # when it happens among the drops and deferred actions of its function


@dataclass(slots=True)
class DeferPoint:
    span: Span              # the scope exit where it runs (as the Drop points there)
    label: str              # the action, as the front-end shows it (`close(f)`)
    origin: Span            # where it was registered
    seq: int = 0            # when it runs among the drops and deferred actions of its function


@dataclass(frozen=True, slots=True)
class Arena:
    name: str               # the front-end's words for it ("the scratchpad `s`")
    freed: tuple            # the reachable exits where it is freed (spans, in source order)


@dataclass
class FunctionModel:
    """One function's map. A model reused from the cache after an edit above it keeps its
    recorded spans and carries `delta`, the bytes the function moved by; queries apply it, so
    reuse costs nothing per point."""

    name: str
    span: Span
    points: list[BindingPoint] = field(default_factory=list)
    drops: list[DropPoint] = field(default_factory=list)
    borrows: list[tuple] = field(default_factory=list)    # (view binding, owner binding, span)
    delta: int = 0
    arenas: dict = field(default_factory=dict)            # binding -> Arena its value lives in
    deferred: list[DeferPoint] = field(default_factory=list)   # in the order they run

    def moved_by(self, d: int) -> "FunctionModel":
        # borrows are few: moved now; points, drops, arenas and deferred actions when read (_out)
        return FunctionModel(self.name, _shift(self.span, d), self.points, self.drops,
                             [(v, o, _shift(sp, d)) for v, o, sp in self.borrows], self.delta + d,
                             self.arenas, self.deferred)

    def _out(self, p):
        if self.delta == 0:
            return p
        if isinstance(p, BindingPoint):
            return replace(p, span=_shift(p.span, self.delta),
                           notes=[Note(_shift(n.span, self.delta), n.label) for n in p.notes] if p.notes else p.notes)
        if isinstance(p, DeferPoint):
            return DeferPoint(_shift(p.span, self.delta), p.label, _shift(p.origin, self.delta), p.seq)
        return replace(p, span=_shift(p.span, self.delta))

    def point_at(self, offset: int) -> BindingPoint | None:
        o = offset - self.delta
        best = None
        for p in self.points:
            if p.span.start <= o <= p.span.end:
                if best is None or (p.span.end - p.span.start) < (best.span.end - best.span.start):
                    best = p
        return self._out(best) if best is not None else None

    def all_points(self) -> list[BindingPoint]:
        return [self._out(p) for p in self.points]

    def all_drops(self) -> list[DropPoint]:
        return [self._out(d) for d in self.drops]

    def all_deferred(self) -> list[DeferPoint]:
        return [self._out(d) for d in self.deferred]

    def arena_of(self, binding: tuple) -> Arena | None:
        a = self.arenas.get(binding)
        if a is None or not self.delta:
            return a
        return Arena(a.name, tuple(_shift(sp, self.delta) for sp in a.freed))


def _shift(span: Span, d: int) -> Span:
    return Span(span.start + d, span.end + d) if d else span


def _prov_names(fn: FunctionIR, prov) -> list[str]:
    names = []
    for s in sorted(prov, key=str):
        if isinstance(s, int):
            names.append(fn.local(s).name)
        elif s == RUNTIME:
            names.append("a runtime buffer")
        elif s == UNKNOWN:
            names.append("an unknown source")
    return names


# A point without notes shares this empty tuple, and the points of one binding share its key
# (a file's map has hundreds of thousands of points, most of them without notes).
_NO_NOTES: tuple = ()
_PHRASES: dict = {}


def _phrase(s: str) -> str:
    """One shared copy of an action phrase that is made from a callee's or a binding's name."""
    got = _PHRASES.get(s)
    if got is None:
        if len(_PHRASES) >= 8192:
            _PHRASES.clear()
        got = _PHRASES[s] = s
    return got


def build_model(fn: FunctionIR, flow: FlowResult) -> FunctionModel:
    m = FunctionModel(fn.name, fn.span)
    keys = [(fn.name, loc.id) for loc in fn.locals]
    freed: dict = {}
    for ev in flow.freed:
        spans = freed.setdefault(ev.arena, [])
        if ev.span not in spans:
            spans.append(ev.span)
    for loc in fn.locals:
        key = keys[loc.id]
        notes = []
        if loc.cls == "view":
            prov = fn.view_prov.get(loc.id, frozenset())
            src = _prov_names(fn, prov)
            state = VIEW
            action = ("view parameter" if loc.is_root_view else "view of " + " or ".join(src)) if src else "view"
            if loc.lent:
                action = fn.words.get("lent_parameter") or GENERIC_WORDS["lent_parameter"]
            for s in prov:
                if isinstance(s, int) and s != loc.id:
                    notes.append(Note(fn.local(s).span, f'borrows from "{fn.local(s).name}"'))
                    m.borrows.append((key, (fn.name, s), loc.span))
        elif loc.arena:
            state, action = S_ARENA, "allocated in " + loc.arena
            m.arenas[key] = Arena(loc.arena, tuple(sorted(freed.get(loc.arena_at, ()))))
        elif loc.cls == "owned":
            state, action = OWNED, "owns its value"
        elif loc.cls == "copy":
            state, action = COPY, "copied by value"
        else:
            state, action = S_UNKNOWN, "type not known to custody"
        m.points.append(BindingPoint(loc.span, key, loc.name, loc.ty, loc.cls, state, True, action,
                                     notes or _NO_NOTES))
    for occ in flow.occurrences:
        loc = fn.local(occ.local)
        key = keys[loc.id]
        notes: list[Note] = []
        ms = occ.state
        if ms is not None and ms.tag == MOVED:
            state = S_MOVED
            notes += [Note(s.span, f"moved here {s.into}") for s in sorted(ms.sites, key=lambda s: s.span) if isinstance(s, Move)]
        elif ms is not None and ms.tag == MAYBE:
            state = S_MAYBE
            notes += [Note(s.span, f"moved here {s.into} on some paths") for s in sorted(ms.sites, key=lambda s: s.span) if isinstance(s, Move)]
        elif ms is not None and ms.tag == "unknown":
            state = S_UNKNOWN
        elif ms is not None and ms.tag == DROPPED:
            state = S_DROPPED
        elif loc.arena:
            state = S_ARENA
        elif loc.cls == "owned" and occ.loans:
            state = BORROWED
            for l in occ.loans:
                who = fn.local(l.holder).name if l.holder is not None else "a temporary view"
                notes.append(Note(l.span, f"borrowed by {who}"))
        elif loc.cls == "owned":
            state = OWNED
        elif loc.cls == "view":
            state = VIEW
            for s in fn.view_prov.get(loc.id, ()):
                if isinstance(s, int) and s != loc.id:
                    notes.append(Note(fn.local(s).span, f'view of "{fn.local(s).name}"'))
        elif loc.cls == "copy":
            state = COPY
        else:
            state = S_UNKNOWN
        ev = occ.event
        if isinstance(ev, Move):
            action = _phrase(f"moves {ev.into}" if not ev.op else f"is consumed by {ev.op} (and handed back)")
        elif isinstance(ev, Opaque):
            action = _phrase(f'passed to "{ev.callee}", whose signature custody does not know')
        elif type(ev).__name__ == "Assign":
            action = "re-assigned here (old value dropped)"
        elif getattr(ev, "how", "") == "borrow":
            action = "borrowed for this call"
        elif getattr(ev, "how", "") == "view":
            action = "a view of it is taken here"
        else:
            action = "read"
        hint = "moved" if isinstance(ev, Move) and not ev.op else ""
        m.points.append(BindingPoint(occ.span, key, loc.name, loc.ty, loc.cls, state, False, action,
                                     notes or _NO_NOTES, hint))
    seen = set()
    for d in flow.drops:
        k = (d.span, d.local)
        if k in seen:
            continue
        seen.add(k)
        m.drops.append(DropPoint(d.span, (fn.name, d.local), fn.local(d.local).name, d.reason,
                                 flow.order.get(d, 0)))
    m.deferred = [DeferPoint(d.span, d.label, d.origin, flow.order.get(d, 0)) for d in flow.deferred]
    m.points.sort(key=lambda p: (p.span.start, p.span.end))
    return m


@dataclass
class OwnershipMap:
    functions: list[FunctionModel] = field(default_factory=list)

    def point_at(self, offset: int) -> BindingPoint | None:
        for f in self.functions_at(offset):
            p = f.point_at(offset)
            if p is not None:
                return p
        return None

    def functions_at(self, offset: int) -> list[FunctionModel]:
        """The functions whose span holds `offset` (ends included), in file order."""
        return [f for f in self.functions if f.span.start <= offset <= f.span.end]

    def units_at(self, offset: int) -> list:
        """The analysed units (analysis/incremental.py's UnitResult) holding `offset`, when the
        map knows them (empty otherwise)."""
        return []

    def units_in(self, lo: int, hi: int) -> list | None:
        """The analysed units whose map overlaps [lo, hi], when the map knows them (else None)."""
        return None

    def functions_in(self, lo: int, hi: int) -> list[FunctionModel]:
        """The functions whose span overlaps [lo, hi], in file order."""
        return [f for f in self.functions if f.span.end >= lo and f.span.start <= hi]

    def make_pending(self, limit: int) -> bool:
        """Make up to `limit` maps still to be made on first read; True while some remain (see
        UnitsOwnershipMap). A map built at once has none."""
        return False

    def occurrences(self, binding: tuple) -> list[BindingPoint]:
        return [p for f in self.functions for p in f.all_points() if p.binding == binding]

    def drops(self) -> list[DropPoint]:
        return [d for f in self.functions for d in f.all_drops()]


class UnitsOwnershipMap(OwnershipMap):
    """The map of a check's units (analysis/incremental.py's UnitResult), put together when first
    read: a keystroke moves every unit after the edit, and only hovers, inlay hints and the like
    read the map, not the diagnostics that follow each keystroke."""

    def __init__(self, units: list):
        self._units = units
        self._functions = None
        self._starts = None           # the mapped units' current starts, ascending, and ends
        self._mapped = None
        self._pending_at = 0          # make_pending: the units before it have their maps

    @property
    def functions(self) -> list[FunctionModel]:
        if self._functions is None:
            self._functions = [m for m in (u.model for u in self._units) if m is not None]
        return self._functions

    def units_at(self, offset: int) -> list:
        """By bisection over the units' spans (moved by arithmetic, not by building their maps):
        a hover reads one function's map, not every function's."""
        around = getattr(self._units, "around", None)
        if around is not None:          # analysis.incremental.Segs: bisection per segment
            return [u for u in around(offset) if u.has_map]
        if self._starts is None:
            mapped = [u for u in self._units if u.has_map]
            spans = [(s.start + u.delta, s.end + u.delta) for u in mapped for s in (u.map_span,)]
            if any(spans[i][0] > spans[i + 1][0] for i in range(len(spans) - 1)):
                order = sorted(range(len(spans)), key=lambda i: spans[i][0])
                mapped, spans = [mapped[i] for i in order], [spans[i] for i in order]
            self._mapped, self._starts = mapped, spans
        spans = self._starts
        i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
        out = []
        j = i
        while j >= 0 and (i - j) < 2:       # the unit starting at or before it, and an adjacent one ending there
            s, e = spans[j]
            if s <= offset <= e:
                out.append(self._mapped[j])
            j -= 1
        return out[::-1]

    def functions_at(self, offset: int) -> list[FunctionModel]:
        return [u.model for u in self.units_at(offset)]

    def units_in(self, lo: int, hi: int) -> list:
        """The units with a map overlapping [lo, hi], in file order, without making the maps of
        the others (what an editor shows of a big file: inlay hints, tokens of a range)."""
        units = self._units
        if hasattr(units, "materialized"):
            units = units.materialized()
        out = []
        for u in units:
            if u.has_map:
                s = u.map_span
                if s.end + u.delta >= lo and s.start + u.delta <= hi:
                    out.append(u)
        return out

    def functions_in(self, lo: int, hi: int) -> list[FunctionModel]:
        return [m for m in (u.model for u in self.units_in(lo, hi)) if m is not None]

    def make_pending(self, limit: int) -> bool:
        """Make the maps of up to `limit` units whose maps are made on first read (a big file's
        open, see analysis/x07/check.py), in file order; True while some remain. For a caller
        with idle time, so that the first hover in a function need not make its map (each map
        made costs memory: a caller decides how many it wants made)."""
        units = self._units
        if hasattr(units, "materialized"):
            units = units.materialized()
        i, n = self._pending_at, len(units)
        while i < n and limit > 0:
            u = units[i]
            if u.map_pending:
                u.analysed_model         # (made by reading it)
                limit -= 1
            i += 1
        while i < n and not units[i].map_pending:
            i += 1
        self._pending_at = i
        return i < n
