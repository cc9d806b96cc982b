"""Moves and loans over the CFG: use after move (branches and loop iterations included),
borrow of a moved value, move/set/mutation/drop while borrowed, values never consumed.

One forward pass computes both, because each needs the other's facts at the same point (a move
is an error when a loan is live; a loan of a moved owner is an error) and because the ownership
map records both per occurrence.

In a function with loops, a use of a moved value is sorted afterwards by how the move reaches it
(`settle_moves`). The language's compiler checks a loop body once, in one pass (X07: x07c's
emit_for_to / emit_while_to): a move it sees before the use in that pass (within the iteration,
or before the loop, or a use after the loop) is its own error and gets the language's code. A
move that reaches the use only through the loop's back edge is custody's own finding
(`use_after_move_loop`), and only when some execution really gets there with the value moved:
that pass follows the flags the function tests (ir.Flag / ir.Assume), so the iteration that
moves a value and sets `done` does not reach a body guarded by `(if (= done 0) ...)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Related
from .dataflow import solve
from .fixes import FixRequest
from .ir import (GENERIC_WORDS, Agree, ArenaFreed, ArmEnd, Assign, Assume, Bind, Block, Borrow, Deferred, Discard, Drop, Flag,
                 FunctionIR, Move, Opaque, Release, Use)
from .state import (DROPPED, EMPTY, INIT, INIT_STATE, MAYBE, MOVED, UNKNOWN, FlowState, MoveState, Worlds,
                    join_move_states)


@dataclass(slots=True)
class Occurrence:
    """A binding occurrence and the state the flow saw right before it."""

    span: object
    local: int
    event: object
    state: MoveState | None
    loans: tuple          # live loans on this local (as owner) at that point


@dataclass
class FlowResult:
    findings: list[Finding] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    drops: list[Drop] = field(default_factory=list)        # drops that really happen (value held)
    deferred: list[Deferred] = field(default_factory=list)  # deferred actions at reachable scope exits
    freed: list[ArenaFreed] = field(default_factory=list)   # arenas freed at reachable scope exits
    order: dict = field(default_factory=dict)      # drop or deferred action -> when it runs (0, 1, ...)


class OwnershipFlow:
    # reads, re-assignments, discards, deferred actions and freed arenas only report or record
    # (see the solver's `inert`)
    inert = frozenset({Use, Assign, Discard, Deferred, ArenaFreed})

    def __init__(self, fn: FunctionIR, record: bool = True):
        self.fn = fn
        self.record = record     # keep occurrences (the ownership map's input); findings either way
        self.result = FlowResult()
        self._reported: set = set()
        # a linear value counts as consumed once anything looks at it (try, unwrap, *_is_ok, *_err_code)
        looked_at: set = set()
        # looked at without being consumed (is_ok, err_code, passed to the unknown): checked
        inspected: set = set()
        loans: dict = {}        # loan id -> Loan, for Release (which names the id)
        reporting = False       # is there an event a finding could come from? (see `quiet`)
        for b in fn.blocks:
            for ev in b.events:
                t = type(ev)
                if t is Use or t is Opaque:
                    looked_at.add(ev.local)
                    inspected.add(ev.local)
                elif t is Move:
                    looked_at.add(ev.local)
                    reporting = True
                elif t is Borrow:
                    loans[ev.loan.id] = ev.loan
                    reporting = True
                elif t is Discard:
                    reporting = True
        self._looked_at = looked_at
        self._inspected = inspected
        self._loans = loans
        # Without moves, loans or discards, and without a binding that must be consumed, no
        # finding can come out of the solver: a use is reported only after a move, a move, set or
        # drop only while a loan is live, a drop only of a must-consume binding
        self.quiet = not reporting and not any(l.must_consume for l in fn.locals)
        # Findings depend only on the move state of bindings that can be moved or dropped (owned,
        # unknown): the others are only ever bound or handed to the unknown; only the ownership
        # map shows their state. Without the map they are not tracked (fewer state copies at each
        # Bind, smaller joins).
        self._untracked = frozenset() if record else frozenset(
            l.id for l in fn.locals if l.cls != "owned" and l.cls != "unknown")
        # uses of moved values waiting for `settle_moves` (functions with loops only):
        # (position in the findings, local, span, state, at, what, event)
        self._pending: list | None = [] if fn.loops else None
        self._moved: dict = {}      # Move event -> the MoveState it makes (see _on_move)
        self._lent = frozenset(l.id for l in fn.locals if l.lent)
        self._arms: dict = {}       # Agree event -> {arm: (span, {local: move sites or None})}

    # -- lattice --
    def entry_state(self):
        return EMPTY

    def join(self, a: FlowState, b: FlowState):
        return a.join(b)

    # -- transfer --
    @property
    def handlers(self) -> dict:
        """For the solver: the handler of each event class (it calls them directly)."""
        return _ON

    def transfer(self, ev, st: FlowState, at, final: bool):
        handler = _ON.get(type(ev))     # one handler per event class (see the end of the class)
        return st if handler is None else handler(self, ev, st, at, final)

    def _on_bind(self, ev, st: FlowState, at, final: bool):
        if ev.local in self._untracked:
            return st
        return st.with_move(ev.local, INIT_STATE)

    def _on_use(self, ev, st: FlowState, at, final: bool):
        if final:
            if self.record:
                self._occurrence(ev.span, ev.local, ev, st)
            ms = st[0].get(ev.local)
            if ms is not None and ms[0] in _MOVED_TAGS:
                self._report_moved(ev.local, ev.span, ms, at,
                                   "borrow" if ev.how == "view" else "read" if ev.how == "borrow" else "use")
        return st

    def _on_move(self, ev, st: FlowState, at, final: bool):
        lid = ev.local
        if lid in self._lent:
            # lent to the function: consuming it is the finding, and it stays where it is
            if final:
                if self.record:
                    self._occurrence(ev.span, lid, ev, st)
                fn = self.fn
                loc = fn.local(lid)
                self._report(("lent", ev.span, lid), Finding(
                    fn.codes.get("consume_lent", "CUS-MOVE-0901"), "error", ev.span,
                    _word(fn, "consume_lent").format(name=loc.name),
                    related=[Related(loc.span, _word(fn, "declared_here").format(name=loc.name))]))
            return st
        if final:
            if self.record:
                self._occurrence(ev.span, lid, ev, st)
            ms = st[0].get(lid)
            if not self._check_live(lid, ev.span, st, at, "move", ev):
                pass
            elif ms is None or ms.tag == INIT:
                self._check_not_borrowed(lid, ev.span, st, "op" if ev.op else "move", ev.op)
        ms = st[0].get(lid)
        if ms is not None and ms.tag == UNKNOWN:
            return st
        # one state per move, shared by every pass over it: a state that already holds it is
        # returned as it is (`with_move` compares by identity first) instead of copied
        moved = self._moved.get(ev)
        if moved is None:
            moved = self._moved[ev] = MoveState(MOVED, frozenset((ev,)))
        return st.with_move(lid, moved)

    def _on_opaque(self, ev, st: FlowState, at, final: bool):
        if final:
            self._occurrence(ev.span, ev.local, ev, st)
            # what the callee does is unknown, but handing it an already moved value is not
            self._check_live(ev.local, ev.span, st, at, "use")
        return st.with_move(ev.local, MoveState(UNKNOWN))

    def _on_borrow(self, ev, st: FlowState, at, final: bool):
        # a borrow of a moved owner is reported at the Use that precedes every Borrow
        return st.with_loans(st.loans | {ev.loan})

    def _on_release(self, ev, st: FlowState, at, final: bool):
        loans = st[1]
        loan = self._loans.get(ev.loan)
        if loan is not None and loan in loans:
            return st.with_loans(loans - {loan})
        if loan is None and any(l.id == ev.loan for l in loans):   # a loan no Borrow of this function made
            return st.with_loans(frozenset(l for l in loans if l.id != ev.loan))
        return st

    def _on_assign(self, ev, st: FlowState, at, final: bool):
        if final:
            self._occurrence(ev.span, ev.local, ev, st)
            self._check_not_borrowed(ev.local, ev.span, st, "set")
        return st

    def _on_drop(self, ev, st: FlowState, at, final: bool):
        fn = self.fn
        ms = st[0].get(ev.local)
        if ms is not None and ms.tag == INIT:
            if final:
                self.result.drops.append(ev)
                self.result.order[ev] = len(self.result.order)
                if ev.reason != "set":
                    self._check_not_borrowed(ev.local, ev.span, st, "drop")
                loc = fn.local(ev.local)
                if loc.must_consume and ev.reason in ("scope", "set") and (loc.linear or ev.local not in self._looked_at):
                    self._report(("unconsumed", ev.local), Finding(
                        fn.codes.get("unconsumed", "CUS-RESULT-0001"), "warning", loc.span,
                        _word(fn, "never_consumed").format(ty=loc.ty, name=loc.name, consume=fn.words["consume"]),
                        related=[Related(ev.span, _word(fn, "dropped_unconsumed"))]))
        elif ms is not None and ms.tag == MAYBE and final and ev.reason == "scope":
            loc = fn.local(ev.local)
            sites = sorted((s for s in ms.sites if isinstance(s, Move)), key=lambda s: s.span)
            # a move inside a loop makes "maybe" for the zero-iteration path: not a branch left out
            in_loop = any(lspan.covers(s.span) for s in sites for lspan, _ in fn.loops)
            if loc.must_consume and (loc.linear or ev.local not in self._inspected) and sites and not in_loop:
                self._report(("unconsumed", ev.local), Finding(
                    fn.codes.get("unconsumed", "CUS-RESULT-0001"), "warning", loc.span,
                    f'{loc.ty} value "{loc.name}" is consumed on some paths only; {fn.words["consume"]} '
                    "on every path",
                    related=[Related(s.span, "consumed here") for s in sites]
                    + [Related(ev.span, "dropped here unconsumed when the other paths run")]))
        if ev.reason == "set":
            return st
        if not self.record:
            # only Move sites are ever reported (the map shows drops): one shared state
            return st.with_move(ev.local, _DROPPED_BARE)
        return st.with_move(ev.local, MoveState(DROPPED, frozenset([ev])))

    def _on_discard(self, ev, st: FlowState, at, final: bool):
        if final:
            fn = self.fn
            self._report(("discard", ev.span), Finding(
                fn.codes.get("unconsumed", "CUS-RESULT-0001"), "warning", ev.span,
                f'{ev.ty} value is computed and thrown away; bind it, then {fn.words["consume"]}'))
        return st

    def _on_deferred(self, ev, st: FlowState, at, final: bool):
        # reached in the final pass: this exit runs (an exit after a `return` is never reached)
        if final and self.record:
            self.result.deferred.append(ev)
            self.result.order[ev] = len(self.result.order)
        return st

    def _on_arena_freed(self, ev, st: FlowState, at, final: bool):
        if final and self.record:
            self.result.freed.append(ev)
        return st

    def _on_arm_end(self, ev, st: FlowState, at, final: bool):
        if final:
            moves = st[0]
            seen = {}
            for lid in ev.group.locals:
                ms = moves.get(lid)
                seen[lid] = ms.sites if ms is not None and ms.tag in _MOVED_TAGS else None
            self._arms.setdefault(ev.group, {})[ev.arm] = (ev.span, seen)
        return st

    def _on_agree(self, ev, st: FlowState, at, final: bool):
        if not final:
            return st
        arms = self._arms.get(ev)
        if not arms or len(arms) < 2:
            return st
        fn = self.fn
        for lid in ev.locals:
            moved = [(span, seen.get(lid)) for _arm, (span, seen) in sorted(arms.items())]
            if len({sites is not None for _span, sites in moved}) < 2:
                continue
            loc = fn.local(lid)
            related = []
            for span, sites in moved:
                if sites is None:
                    related.append(Related(span, _word(fn, "kept_in_arm").format(name=loc.name)))
                else:
                    related += [Related(s.span, _word(fn, "moved_in_arm").format(name=loc.name))
                                for s in sorted(sites, key=lambda m: m.span) if isinstance(s, Move)]
            self._report(("agree", ev.span, lid), Finding(
                fn.codes.get(ev.rule, ev.rule), "error", ev.span,
                fn.words.get(ev.rule, GENERIC_WORDS["branch_mismatch"]).format(name=loc.name),
                related=related))
        return st

    # -- checks --
    def check_unread_copies(self):
        """A must-consume value of a plain (copied) type has no drop: it is unconsumed if never read."""
        fn = self.fn
        for loc in fn.locals:
            if loc.must_consume and loc.cls == "copy" and loc.kind != "param" and loc.id not in self._looked_at:
                self._report(("unconsumed", loc.id), Finding(
                    fn.codes.get("unconsumed", "CUS-RESULT-0001"), "warning", loc.span,
                    f'{loc.ty} value "{loc.name}" is never looked at; {fn.words["consume"]}'))

    def _occurrence(self, span, lid, ev, st: FlowState):
        if self.record:
            self.result.occurrences.append(Occurrence(span, lid, ev, st.move_state(lid), tuple(st.loans_on(lid))))

    def _check_live(self, lid, span, st: FlowState, at, what, ev=None) -> bool:
        ms = st.move_state(lid)
        if ms is None or ms.tag not in (MOVED, MAYBE):
            return True
        self._report_moved(lid, span, ms, at, what, ev)
        return False

    def _report_moved(self, lid, span, ms: MoveState, at, what, ev=None):
        if self._pending is not None:
            self._pending.append((len(self.result.findings), lid, span, ms, at, what, ev))
            return
        self._report(("moved", span, lid), self._moved_finding(lid, span, ms, what, ev, False))

    def _moved_finding(self, lid, span, ms: MoveState, what, ev, in_loop: bool) -> Finding:
        fn = self.fn
        loc = fn.local(lid)
        sites = sorted((s for s in ms.sites if isinstance(s, Move)), key=lambda m: m.span)
        # the same call moving it twice (two arguments), not the same call again in a later iteration
        same_call = (isinstance(ev, Move) and ev.call is not None
                     and any(s.call is not None and s.call.id == ev.call.id and s.span != ev.span for s in sites))
        related = [Related(s.span, _word(fn, "moved_here").format(name=loc.name, into=s.into)) for s in sites]
        related.append(Related(loc.span, _word(fn, "declared_here").format(name=loc.name)))
        copy_sites = [s.span for s in sites if not s.op]
        requests = ([FixRequest("copy_before_move", copy_sites[0], loc.name, tuple(copy_sites[1:]))]
                    if copy_sites and fn.local(lid).cls == "owned" else [])
        if same_call and ev.call.twice_code:
            code = ev.call.twice_code
            msg = (f'{ev.call.callee} uses "{loc.name}" twice: the first argument moves it, '
                   f"so the second sees a moved value; copy one side with a view copy")
            requests = [FixRequest("copy_before_move", sites[0].span, loc.name)]
        elif what == "borrow":
            code = fn.codes.get("borrow_of_moved", "CUS-MOVE-0902")
            msg = _word(fn, "borrow_of_moved").format(name=loc.name)
        elif what == "read":
            code = fn.codes.get("read_after_move", fn.codes.get("use_after_move", "CUS-MOVE-0901"))
            msg = _word(fn, "read_after_move").format(name=loc.name)
        else:
            code = fn.codes.get("use_after_move", "CUS-MOVE-0901")
            msg = _word(fn, "use_after_move").format(name=loc.name)
        if in_loop and not same_call:
            code = fn.codes.get("use_after_move_loop", code)
            msg += " (moved in an earlier iteration of the loop; the next iteration sees an empty value)"
        elif ms.tag == MAYBE and not same_call:
            msg += _word(fn, "moved_some_paths")
        f = Finding(code, "error", span, msg, related=related, fix_requests=requests)
        f.provenance = {
            "nodes": [{"id": "n0", "role": "owner", "name": loc.name}]
            + [{"id": f"m{i}", "role": "move"} for i, _ in enumerate(sites)]
            + [{"id": "u", "role": "use"}],
            "edges": [{"kind": "moved_to", "from": "n0", "to": f"m{i}"} for i, _ in enumerate(sites)]
            + [{"kind": "used_after_move", "from": f"m{i}", "to": "u"} for i, _ in enumerate(sites)],
        }
        return f

    def settle_moves(self):
        """The uses of moved values a function with loops put aside (see the module's doc): each
        is the language's finding when the one-pass view sees the value moved there, custody's
        loop finding when only the back edge brings the move and some execution that honours
        the tested flags gets there with it, and nothing otherwise. Findings keep their places."""
        pending = self._pending
        self._pending = None
        if not pending:
            return
        targets = {p[4]: p[1] for p in pending}
        view, copy_of = _one_pass_view(self.fn)
        # a use in a re-checked condition is looked at in its copy too; moved there is the finding
        again = {(copy_of[b], i): (b, i) for b, i in targets if b in copy_of}
        once = _probe(view, _Probe(self, {**targets, **{c: targets[o] for c, o in again.items()}}))
        for c, o in again.items():
            if c in once and once[c].tag in _MOVED_TAGS:
                once[o] = once[c]
        looped = None
        placed = []
        for pos, lid, span, ms, at, what, ev in pending:
            seen = once.get(at)
            if seen is not None and seen.tag in _MOVED_TAGS:
                placed.append((pos, ("moved", span, lid), self._moved_finding(lid, span, seen, what, ev, False)))
                continue
            if looped is None:    # the same pending uses, through the loops, flags followed
                looped = _probe(self.fn, _FlagWorlds(self, targets))
            seen = looped.get(at)
            if seen is not None and seen.tag in _MOVED_TAGS:
                placed.append((pos, ("moved", span, lid), self._moved_finding(lid, span, seen, what, ev, True)))
        findings = self.result.findings
        for pos, key, f in reversed(placed):
            if key not in self._reported:
                self._reported.add(key)
                findings.insert(pos, f)

    def _check_not_borrowed(self, lid, span, st: FlowState, what, op=None):
        loans = st.loans_on(lid)
        if not loans:
            return
        fn = self.fn
        loc = fn.local(lid)
        loan = loans[0]
        holder = fn.local(loan.holder).name if loan.holder is not None else None
        by = f'"{holder}"' if holder else "a temporary view in this call"
        if what == "set":
            msg = f'set while borrowed: "{loc.name}" borrowed_by="{holder or "temporary"}"'
            code = fn.codes.get("set_while_borrowed", "CUS-BORROW-0902")
        elif what == "op":
            msg = f'{op} while borrowed: "{loc.name}" (borrowed by {by})'
            code = fn.codes.get("mutate_while_borrowed", "CUS-BORROW-0902")
        elif what == "drop":
            msg = f'drop while borrowed: "{loc.name}" is dropped here while {by} still borrows it'
            code = fn.codes.get("drop_while_borrowed", "CUS-BORROW-0902")
        else:
            msg = f'move while borrowed: "{loc.name}" (borrowed by {by})'
            code = fn.codes.get("move_while_borrowed", "CUS-BORROW-0902")
        related = [Related(l.span, f'borrowed here by {fn.local(l.holder).name if l.holder is not None else "a temporary view"}')
                   for l in loans]
        related.append(Related(loc.span, f'owner "{loc.name}" declared here'))
        holders = tuple(l.holder for l in loans if l.holder is not None)
        requests = [FixRequest("end_borrow_early", span, loc.name, holders)] if holders and what != "drop" else []
        f = Finding(code, "error", span, msg, related=related, fix_requests=requests)
        f.provenance = {
            "nodes": [{"id": "o", "role": "owner", "name": loc.name}]
            + [{"id": f"b{i}", "role": "borrow"} for i, _ in enumerate(loans)]
            + [{"id": "x", "role": "move" if what in ("move", "op") else what}],
            "edges": [{"kind": "borrowed_from", "from": "o", "to": f"b{i}"} for i, _ in enumerate(loans)]
            + [{"kind": "borrow_conflict", "from": f"b{i}", "to": "x"} for i, _ in enumerate(loans)],
        }
        # one report per conflict: `set h (vec_u8.push h 1)` while borrowed is one mistake, not two
        self._report(("borrowed", lid, tuple(l.id for l in loans)), f)

    def _report(self, key, finding: Finding):
        if key in self._reported:
            return
        self._reported.add(key)
        self.result.findings.append(finding)


def _word(fn: FunctionIR, key: str) -> str:
    """The language's words for `key`, else the generic ones (a front-end may replace the whole
    table with its own, made before a key was added)."""
    got = fn.words.get(key)
    return GENERIC_WORDS[key] if got is None else got


# functions, not bound methods: a table of bound methods on the instance would be a reference
# cycle per function, left for the collector (which is paused during a check)
_MOVED_TAGS = (MOVED, MAYBE)
_DROPPED_BARE = MoveState(DROPPED)
_ON = {Bind: OwnershipFlow._on_bind, Use: OwnershipFlow._on_use, Move: OwnershipFlow._on_move,
       Opaque: OwnershipFlow._on_opaque, Borrow: OwnershipFlow._on_borrow, Release: OwnershipFlow._on_release,
       Assign: OwnershipFlow._on_assign, Drop: OwnershipFlow._on_drop, Discard: OwnershipFlow._on_discard,
       Deferred: OwnershipFlow._on_deferred, ArenaFreed: OwnershipFlow._on_arena_freed, ArmEnd: OwnershipFlow._on_arm_end, Agree: OwnershipFlow._on_agree}


def run_flow(fn: FunctionIR, record: bool = True) -> FlowResult:
    """record=False: findings only, no occurrences (a batch check never reads the map)."""
    flow = OwnershipFlow(fn, record)
    if record or not flow.quiet:   # the map needs every occurrence; findings only a non-quiet flow
        solve(fn, flow)
        flow.settle_moves()
    flow.check_unread_copies()
    return flow.result


# ---- sorting the uses of moved values in a function with loops -----------------------------

def _one_pass_view(fn: FunctionIR) -> tuple[FunctionIR, dict]:
    """The function as a compiler that checks each loop body once sees it: every back edge goes
    to the loop's exit instead of its header, so what a body moves reaches the code after the
    loop but never the body's own earlier events. A loop whose condition is checked again after
    the body (`fn.rechecked`) has its back edges go to a copy of the condition's blocks, which
    leads only out of the loop. Returns the view and, for each copied block, its copy's id."""
    blocks = [Block(b.id, b.events, list(b.succs), b.loop_header) for b in fn.blocks]
    copy_of: dict[int, int] = {}
    for _span, inside in fn.loops:
        header = min(inside)       # a loop's header is the first block the lowering made for it
        exits = {s for b in inside for s in fn.blocks[b].succs if s not in inside and s != fn.exit}
        after = min(exits) if len(exits) == 1 else None
        again = _condition_again(fn, blocks, copy_of, header, inside) if header in fn.rechecked else None
        for b in inside:
            succs = blocks[b].succs
            if header in succs and b not in fn.rechecked.get(header, ()):
                succs.remove(header)
                target = again if again is not None else after
                if target is not None and target not in succs:
                    succs.append(target)
    view = FunctionIR(fn.name, fn.span, fn.name_span, fn.locals, blocks, fn.scopes, fn.entry, fn.exit,
                      fn.codes, fn.words, [], fn.view_prov)
    return view, copy_of


def _condition_again(fn: FunctionIR, blocks: list, copy_of: dict, header: int, inside: set) -> int:
    """Copies of the blocks of a loop's condition (appended to `blocks`, recorded in `copy_of`)
    whose edges into the loop's body are dropped: the condition evaluated once more, after which
    only the loop's exits follow. Returns the copy of the header."""
    cond = sorted(fn.rechecked[header])
    new_id = {b: len(blocks) + i for i, b in enumerate(cond)}
    for b in cond:
        orig = fn.blocks[b]
        succs = [new_id[s] if s in new_id else s for s in orig.succs if s in new_id or s not in inside]
        blocks.append(Block(new_id[b], orig.events, succs, False))
    copy_of.update(new_id)
    return new_id[header]


def _probe(fn: FunctionIR, probe) -> dict:
    """Runs `probe` (an analysis that records the state of its targets) over `fn`; its records."""
    solve(fn, probe)
    return probe.seen


class _Probe:
    """The flow's transfer without reporting; records the move state of each target (position
    -> local) when the final pass reaches it."""

    inert = OwnershipFlow.inert

    def __init__(self, flow: OwnershipFlow, targets: dict):
        self.flow = flow
        self.targets = targets
        self.seen: dict = {}
        self.handlers = {cls: _probing(h) for cls, h in _ON.items()}

    def entry_state(self):
        return EMPTY

    def join(self, a, b):
        return a.join(b)

    def record(self, at, st: FlowState):
        lid = self.targets[at]
        self.seen[at] = join_move_states(self.seen.get(at), st.move_state(lid))


def _probing(handler):
    def run(probe, ev, st, at, final):
        if final and at in probe.targets:
            probe.record(at, st)
        return handler(probe.flow, ev, st, at, False)
    return run


class _FlagWorlds:
    """The flow's transfer per world: one flow state per combination of the values of the
    function's flags (i32 bindings it assigns 0 or 1 and tests, see ir.Flag / ir.Assume), so a
    branch that a flag's test rules out for a world does not run in that world. Records the
    move state of each target joined over the worlds that reach it."""

    inert = OwnershipFlow.inert

    def __init__(self, flow: OwnershipFlow, targets: dict):
        self.flow = flow
        self.targets = targets
        self.seen: dict = {}
        self.worlds = Worlds.of(flow.fn)
        handlers = {cls: _per_world(h) for cls, h in _ON.items()}
        handlers[Bind] = _FlagWorlds._on_bind
        handlers[Flag] = _FlagWorlds._on_flag
        handlers[Assume] = _FlagWorlds._on_assume
        self.handlers = handlers

    def entry_state(self):
        return self.worlds.entry(EMPTY)

    def join(self, a, b):
        return self.worlds.join(a, b)

    def record(self, at, st):
        lid = self.targets[at]
        ms = self.seen.get(at)
        for _key, world in st:
            ms = join_move_states(ms, world.move_state(lid))
        self.seen[at] = ms

    def _on_bind(self, ev, st, at, final):
        return self.worlds.flag(_BIND_PER_WORLD(self, ev, st, at, final), ev.local, None)

    def _on_flag(self, ev, st, at, final):
        return self.worlds.flag(st, ev.local, ev.value)

    def _on_assume(self, ev, st, at, final):
        return self.worlds.test(st, ev.local, ev.value)


def _per_world(handler):
    def run(w, ev, st, at, final):
        if final and at in w.targets:
            w.record(at, st)
        flow = w.flow
        changed = False
        out = []
        for key, world in st:
            new = handler(flow, ev, world, at, False)
            changed = changed or new is not world
            out.append((key, new))
        return tuple(out) if changed else st
    return run


_BIND_PER_WORLD = _per_world(OwnershipFlow._on_bind)
