"""The lattice the ownership flow runs on: per-binding move state plus the set of live loans.

Both records are tuples underneath (`MoveState` = (tag, sites), `FlowState` = (moves, loans)):
the flow makes one per state change and compares them at every join, and a tuple is built and
compared by C where a frozen dataclass ran `object.__setattr__` per field and a Python `__eq__`.
"""
from __future__ import annotations

from functools import partial
from operator import attrgetter, itemgetter

from .ir import Assume, Flag

INIT = "init"          # holds a value
MOVED = "moved"        # moved out on every path here
MAYBE = "maybe"        # moved out on some path (a branch, an earlier loop iteration)
UNKNOWN = "unknown"    # handed to something custody cannot see
DROPPED = "dropped"    # its scope ended


class MoveState(tuple):
    """(tag, sites): sites are the Move events (or Drop) that made it so."""

    __slots__ = ()

    def __new__(cls, tag: str, sites: frozenset = frozenset()) -> "MoveState":
        return tuple.__new__(cls, (tag, sites))

    tag = property(itemgetter(0))
    sites = property(itemgetter(1))

    def __repr__(self) -> str:
        return f"MoveState(tag={self[0]!r}, sites={self[1]!r})"

    def __getnewargs__(self):
        return tuple(self)

    def join(self, other: "MoveState") -> "MoveState":
        if self is other or self == other:
            return self
        tags = {self.tag, other.tag}
        sites = self.sites | other.sites
        if UNKNOWN in tags:
            return MoveState(UNKNOWN)
        if tags == {MOVED}:
            return MoveState(MOVED, sites)
        if DROPPED in tags:
            # only reachable when a loop body re-enters the scope of a local dropped at its end
            other_tag = (tags - {DROPPED}) or {DROPPED}
            t = other_tag.pop()
            return MoveState(t, sites) if t != INIT else MoveState(INIT)
        if tags <= {INIT, MOVED, MAYBE}:
            return MoveState(MAYBE, sites)
        return MoveState(UNKNOWN)


INIT_STATE = MoveState(INIT)


class FlowState(tuple):
    """(moves, loans): `moves` maps local id -> MoveState (never mutated after construction),
    `loans` is the frozenset of live Loan objects. Immutable by convention: every update
    returns a new state and never touches `moves`. Compared, never hashed (it holds a dict)."""

    __slots__ = ()

    def __new__(cls, moves: dict, loans: frozenset) -> "FlowState":
        return tuple.__new__(cls, (moves, loans))

    moves = property(itemgetter(0))
    loans = property(itemgetter(1))

    def __repr__(self) -> str:
        return f"FlowState(moves={self[0]!r}, loans={self[1]!r})"

    def __getnewargs__(self):
        return tuple(self)

    def move_state(self, lid: int) -> MoveState | None:
        return self[0].get(lid)

    def with_move(self, lid: int, st: MoveState) -> "FlowState":
        moves = self[0]
        cur = moves.get(lid)
        if cur is st or cur == st:
            return self
        d = moves.copy()
        d[lid] = st
        return _flow_state((d, self[1]))

    def with_loans(self, loans: frozenset) -> "FlowState":
        return _flow_state((self[0], loans))

    def loans_on(self, owner: int) -> list:
        loans = self[1]
        if not loans:
            return []
        return sorted((l for l in loans if l.owner == owner), key=_loan_id)

    def join(self, other: "FlowState") -> "FlowState":
        """The merge of two paths. Returns `self` itself when `other` adds nothing (the common
        case at a loop header after the first round), and copies `moves` only when a binding's
        state changes: a join is the solver's most frequent step."""
        if self is other:
            return self
        a, b = self[0], other[0]
        merged = None
        if a is not b:
            get = a.get
            for k, v in b.items():
                mine = get(k)
                if mine is v:
                    continue
                if mine is not None:
                    v = mine.join(v)
                    if v is mine:
                        continue
                if merged is None:
                    merged = dict(a)
                merged[k] = v
        la, lb = self[1], other[1]
        loans = la if lb is la or lb <= la else la | lb
        if merged is None:
            return self if loans is la else _flow_state((a, loans))
        return _flow_state((merged, loans))


_flow_state = partial(tuple.__new__, FlowState)   # FlowState from a (moves, loans) pair, no Python call
_loan_id = attrgetter("id")
EMPTY = FlowState({}, frozenset())


def join_move_states(a: MoveState | None, b: MoveState | None) -> MoveState | None:
    """The join of two move states, either of which may be missing (not bound on that path)."""
    if a is None:
        return b
    if b is None:
        return a
    return a.join(b)


_UNSET = 2              # a flag's value in a world: 0, 1, or not known
_MAX_WORLDS = 64        # past this many worlds, a state forgets flags, the last ones first


class Worlds:
    """States split by the values of n flags: a tuple of (key, state) pairs in key order, where
    a key gives each flag's value (0, 1 or not known) in that world and `state` is anything with
    `join` (a FlowState). An empty tuple: no world gets here. Flags come in the order their
    caller values them: when there are too many worlds, the last flags are forgotten first."""

    __slots__ = ("n", "_unknown", "_join", "index")

    def __init__(self, n: int, join=None, index: dict | None = None):
        """join(a, b): how two states of one world join (default: `a.join(b)`); index: flag
        local -> its place (`Worlds.of`)."""
        self.n = n
        self._unknown = (_UNSET,) * n
        self._join = join or _method_join
        self.index = index or {}

    @classmethod
    def of(cls, fn, join=None) -> "Worlds":
        """The worlds of a function's flags (locals it sets with ir.Flag and tests with ir.Assume),
        at most MAX_FLAGS of them, the ones tested first kept (a guard around a whole loop body is
        tested before the tests inside it)."""
        flagged, tested = set(), {}
        for b in fn.blocks:         # in the order the lowering made them: outer tests first
            for ev in b.events:
                if type(ev) is Flag:
                    flagged.add(ev.local)
                elif type(ev) is Assume:
                    tested.setdefault(ev.local, len(tested))
        flags = sorted((lid for lid in tested if lid in flagged), key=tested.get)[:MAX_FLAGS]
        return cls(len(flags), join, {lid: i for i, lid in enumerate(flags)})

    def flag(self, worlds: tuple, local: int, value: bool | None) -> tuple:
        """ir.Flag: `local` now holds `value` (a flag not followed changes nothing)."""
        i = self.index.get(local)
        return worlds if i is None else self.assign(worlds, i, value)

    def test(self, worlds: tuple, local: int, value: bool, learn: bool = False) -> tuple:
        """ir.Assume: on this edge `local` is `value` (`learn`: see `assume`)."""
        i = self.index.get(local)
        return worlds if i is None else self.assume(worlds, i, value, learn)

    def entry(self, state) -> tuple:
        return ((self._unknown, state),)

    def join(self, a: tuple, b: tuple) -> tuple:
        if a is b or not b:
            return a
        if not a:
            return b
        merged = dict(a)
        changed = False
        for key, st in b:
            mine = merged.get(key)
            if mine is None:
                merged[key] = st
                changed = True
            else:
                new = self._join(mine, st)
                if new is not mine:
                    merged[key] = new
                    changed = True
        return self._pack(merged) if changed else a

    def assign(self, worlds: tuple, i: int, value: bool | None) -> tuple:
        """Flag i now holds `value` (True: 1, False: 0, None: not known) in every world."""
        v = _UNSET if value is None else int(value)
        if all(key[i] == v for key, _ in worlds):
            return worlds
        merged: dict = {}
        for key, st in worlds:
            key = key[:i] + (v,) + key[i + 1:]
            mine = merged.get(key)
            merged[key] = st if mine is None else self._join(mine, st)
        return self._pack(merged)

    def assume(self, worlds: tuple, i: int, nonzero: bool, learn: bool = False) -> tuple:
        """On this edge flag i is not 0 (`nonzero`) or not 1: worlds where it is are dropped;
        `learn`: the worlds that did not know it now do (a flag set from an expression custody
        does not evaluate is known from its tests: `found = (p != NULL); if (!found) ...`)."""
        ruled_out = 0 if nonzero else 1
        kept = tuple(w for w in worlds if w[0][i] != ruled_out)
        if learn and any(w[0][i] == _UNSET for w in kept):
            v = 1 - ruled_out
            merged: dict = {}
            for key, st in kept:
                key = key[:i] + (v,) + key[i + 1:]
                mine = merged.get(key)
                merged[key] = st if mine is None else self._join(mine, st)
            return self._pack(merged)
        return worlds if len(kept) == len(worlds) else kept

    def _pack(self, merged: dict) -> tuple:
        j = self.n
        while len(merged) > _MAX_WORLDS and j > 0:
            j -= 1          # forget flag j: the worlds that differ only there become one
            fewer: dict = {}
            for key, st in merged.items():
                key = key[:j] + (_UNSET,) + key[j + 1:]
                mine = fewer.get(key)
                fewer[key] = st if mine is None else self._join(mine, st)
            merged = fewer
        return tuple(sorted(merged.items(), key=_first))


_first = itemgetter(0)
MAX_FLAGS = 16


def _method_join(a, b):
    return a.join(b)
