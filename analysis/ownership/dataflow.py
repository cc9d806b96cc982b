"""A forward dataflow solver over a FunctionIR's blocks.

An analysis supplies `entry_state()`, `join(a, b)` and `transfer(event, state, at)`; the solver
iterates to a fixpoint (loops included: a back edge feeds the header until nothing changes),
then replays each block once with the stable in-states so the analysis can report and record.
"""
from __future__ import annotations

import heapq
from typing import Protocol

from .ir import FunctionIR


class Analysis(Protocol):
    def entry_state(self): ...
    def join(self, a, b): ...
    def transfer(self, event, state, at: tuple[int, int] | None, final: bool): ...
    # optional: `inert`, the event classes whose transfer returns the state unchanged and does
    # nothing else when not final (`at` is None then)
    # optional: `handlers`, {event class: f(analysis, event, state, at, final)}, which the
    # solver then calls instead of `transfer` (a class missing from it leaves the state as is)


MAX_ROUNDS = 10_000  # a lattice of finite height converges far sooner; this only guards bugs


def solve(fn: FunctionIR, analysis: Analysis) -> dict[int, object]:
    """Returns the in-state of every reachable block, after replaying them with `final=True`."""
    in_state: dict[int, object] = {fn.entry: analysis.entry_state()}
    out_state: dict[int, object] = {}
    order = _reverse_postorder(fn)
    rank = {bid: i for i, bid in enumerate(order)}
    blocks = fn.blocks
    handlers = getattr(analysis, "handlers", None)
    if not _has_back_edge(blocks, order, rank):
        # no back edge: in reverse postorder every block's in-state is complete when it is
        # reached, so one pass that reports is the fixpoint and the replay at once (the same
        # transfers, joins and reports, in the same order, as the two passes below)
        join = analysis.join
        for bid in order:
            state = in_state.get(bid)
            if state is None:
                continue
            block = blocks[bid]
            if handlers is not None:
                get = handlers.get
                i = 0
                for ev in block.events:
                    h = get(type(ev))
                    if h is not None:
                        state = h(analysis, ev, state, (bid, i), True)
                    i += 1
            else:
                for i, ev in enumerate(block.events):
                    state = analysis.transfer(ev, state, (bid, i), True)
            for s in block.succs:
                old = in_state.get(s)
                in_state[s] = state if old is None else join(old, state)
        return in_state
    work = [(rank[b], b) for b in order]   # already a heap: ranks ascend
    queued = set(order)
    rounds = 0
    # events that never change the state unless reporting (`analysis.inert`, classes): the
    # fixpoint rounds skip them; the replay below sees every event
    inert = getattr(analysis, "inert", frozenset())
    # per block, (transfer function, event) of its non-inert events, resolved once: a block is
    # visited several times before its loop settles
    active: dict[int, list] = {}
    if handlers is None:
        def resolve(events):
            return [(_transfer_of(analysis), ev) for ev in events if type(ev) not in inert]
    else:
        def resolve(events, _get=handlers.get):
            return [(h, ev) for ev in events if type(ev) not in inert and (h := _get(type(ev))) is not None]
    join = analysis.join
    while work and rounds < MAX_ROUNDS:
        rounds += 1
        _, bid = heapq.heappop(work)
        queued.discard(bid)
        state = in_state.get(bid)
        if state is None:
            continue
        events = active.get(bid)
        if events is None:
            events = active[bid] = resolve(blocks[bid].events)
        for h, ev in events:
            state = h(analysis, ev, state, None, False)
        prev = out_state.get(bid)
        if prev is state or prev == state:
            continue
        out_state[bid] = state
        for s in fn.blocks[bid].succs:
            old = in_state.get(s)
            new = state if old is None else join(old, state)
            if new is not old and new != old:
                in_state[s] = new
                if s not in queued and s in rank:
                    heapq.heappush(work, (rank[s], s))
                    queued.add(s)
    for bid in order:
        state = in_state.get(bid)
        if state is None:
            continue
        if handlers is not None:
            get = handlers.get
            i = 0
            for ev in blocks[bid].events:
                h = get(type(ev))
                if h is not None:
                    state = h(analysis, ev, state, (bid, i), True)
                i += 1
        else:
            for i, ev in enumerate(blocks[bid].events):
                state = analysis.transfer(ev, state, (bid, i), True)
    return in_state


def _transfer_of(analysis):
    """An analysis's `transfer` as a handler (analysis, event, state, at, final)."""
    return lambda _a, ev, state, at, final: analysis.transfer(ev, state, at, final)


def _has_back_edge(blocks, order: list[int], rank: dict[int, int]) -> bool:
    for bid in order:
        r = rank[bid]
        for s in blocks[bid].succs:
            if rank.get(s, -1) <= r:
                return True
    return False


def _reverse_postorder(fn: FunctionIR) -> list[int]:
    seen: set[int] = set()
    post: list[int] = []
    stack = [(fn.entry, iter(fn.blocks[fn.entry].succs))]
    seen.add(fn.entry)
    while stack:
        bid, it = stack[-1]
        nxt = next(it, None)
        if nxt is None:
            stack.pop()
            post.append(bid)
        elif nxt not in seen:
            seen.add(nxt)
            stack.append((nxt, iter(fn.blocks[nxt].succs)))
    return list(reversed(post))
