"""The lattice the ownership flow runs on: per-binding move state plus the set of live loans."""
from __future__ import annotations

from dataclasses import dataclass

INIT = "init"          # holds a value
MOVED = "moved"        # moved out on every path here
MAYBE = "maybe"        # moved out on some path (a branch, an earlier loop iteration)
UNKNOWN = "unknown"    # handed to something custody cannot see
DROPPED = "dropped"    # its scope ended


@dataclass(frozen=True)
class MoveState:
    tag: str
    sites: frozenset = frozenset()   # the Move events (or Drop) that made it so

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


@dataclass(frozen=True, eq=True)
class FlowState:
    """Immutable by convention: every update returns a new state and never touches `moves`."""

    moves: dict       # local id -> MoveState (never mutated after construction)
    loans: frozenset  # live Loan objects

    __hash__ = None   # compared, never hashed

    def move_state(self, lid: int) -> MoveState | None:
        return self.moves.get(lid)

    def with_move(self, lid: int, st: MoveState) -> "FlowState":
        cur = self.moves.get(lid)
        if cur is st or cur == st:
            return self
        d = dict(self.moves)
        d[lid] = st
        return FlowState(d, self.loans)

    def with_loans(self, loans: frozenset) -> "FlowState":
        return FlowState(self.moves, loans)

    def loans_on(self, owner: int) -> list:
        if not self.loans:
            return []
        return sorted((l for l in self.loans if l.owner == owner), key=lambda l: l.id)

    def join(self, other: "FlowState") -> "FlowState":
        """The merge of two paths. Returns `self` itself when `other` adds nothing (the common
        case at a loop header after the first round), and copies `moves` only when a binding's
        state changes: a join is the solver's most frequent step."""
        if self is other:
            return self
        a, b = self.moves, other.moves
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
        la, lb = self.loans, other.loans
        loans = la if lb is la or lb <= la else la | lb
        if merged is None:
            return self if loans is la else FlowState(a, loans)
        return FlowState(merged, loans)


EMPTY = FlowState({}, frozenset())
