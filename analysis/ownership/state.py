"""The lattice the ownership flow runs on: per-binding move state plus the set of live loans.

Both records are tuples underneath (`MoveState` = (tag, sites), `FlowState` = (moves, loans)):
the flow makes one per state change and compares them at every join, and a tuple is built and
compared by C where a frozen dataclass ran `object.__setattr__` per field and a Python `__eq__`.
"""
from __future__ import annotations

from functools import partial
from operator import attrgetter, itemgetter

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
