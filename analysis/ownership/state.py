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
        if self == other:
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


@dataclass(frozen=True)
class FlowState:
    moves: tuple      # sorted tuple of (local id, MoveState): hashable and comparable
    loans: frozenset  # live Loan objects

    def move_state(self, lid: int) -> MoveState | None:
        for k, v in self.moves:
            if k == lid:
                return v
        return None

    def with_move(self, lid: int, st: MoveState) -> "FlowState":
        d = dict(self.moves)
        d[lid] = st
        return FlowState(tuple(sorted(d.items(), key=lambda kv: kv[0])), self.loans)

    def with_loans(self, loans: frozenset) -> "FlowState":
        return FlowState(self.moves, loans)

    def loans_on(self, owner: int) -> list:
        return sorted((l for l in self.loans if l.owner == owner), key=lambda l: l.id)

    def join(self, other: "FlowState") -> "FlowState":
        a, b = dict(self.moves), dict(other.moves)
        merged = {}
        for k in a.keys() | b.keys():
            if k in a and k in b:
                merged[k] = a[k].join(b[k])
            else:
                merged[k] = a.get(k) or b[k]
        return FlowState(tuple(sorted(merged.items(), key=lambda kv: kv[0])), self.loans | other.loans)


EMPTY = FlowState((), frozenset())
