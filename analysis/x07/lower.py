"""Lowering an X07 function body (or an entry's `solve`) to the ownership IR.

This is the only place that knows how X07's forms move, borrow and drop: `let` moves an owned
value into its binding, a call moves arguments whose parameter is owned and lends a temporary
borrow to arguments whose parameter is a view (released right after the call), a `let`-bound
view holds its owners until its scope ends, every scope drops its owned bindings on the way
out (and `return`/`try` drop everything on the way out of the function).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from ..findings import Finding, Related
from ..ownership.fixes import FixRequest
from ..ownership.ir import (RUNTIME, UNKNOWN, Assign, Assume, Bind, BranchMerge, Borrow, CallSite, Discard, Drop,
                            Flag, FnResult, FunctionIR, Loan, Local, Move, Opaque, Release, Scope, ScopeResult,
                            Use)
from ..source import Span, span_of
from .names import binding_finding
from .signatures import FnSig, SignatureTable, builtins as builtin_signatures
from .types import must_consume, own_class, unwrap_try
from .values import Value

# X07's own codes for the generic rule kinds (see the catalog).
X07_CODES = {
    "use_after_move": "X07-MOVE-0901",
    "use_after_move_loop": "CUS-MOVE-0001",
    "borrow_of_moved": "X07-MOVE-0902",
    "move_while_borrowed": "X07-MOVE-0902",
    "set_while_borrowed": "X07-MOVE-0902",
    "mutate_while_borrowed": "X07-MOVE-0902",
    "drop_while_borrowed": "X07-MOVE-0902",
    "escape": "X07-BORROW-0002",
    "fn_returns_local_view": "X07-MOVE-0902",
    "fn_multi_source": "X07-MOVE-0902",
    "branch_sources": "X07-MOVE-0902",
    "unconsumed": "CUS-RESULT-0001",
}
X07_WORDS = {
    "view_type": "bytes_view",
    "copy_out": "return owned bytes (view.to_bytes)",
    "consume": "unwrap it (try, *_unwrap_or) or check it (*_is_ok, *_err_code)",
}
TEMP_VIEW = "X07-BORROW-0001"
UNKNOWN_CALL = "CUS-INFO-0001"

RUNTIME_VIEWS = {"input"}


_NO_PROV = frozenset()


class Info:
    """What lowering learned about an expression's value. (A plain `__slots__` class: lowering
    makes one per expression; `temps` defaults to a shared empty tuple, which consumers only
    iterate or replace, never append to.)"""

    __slots__ = ("ty", "prov", "temps", "local", "diverges")

    def __init__(self, ty: str | None = None, prov: frozenset = _NO_PROV, temps=(), local: int | None = None,
                 diverges: bool = False):
        self.ty = ty
        self.prov = prov            # for views: where it borrows from
        self.temps = temps          # temporary loans its consumer must release
        self.local = local          # a bare identifier: its local
        self.diverges = diverges    # control never reaches past it (return)

    @property
    def cls(self) -> str:
        return own_class(self.ty)


# An Info that says only "a value of this type" is shared: nothing changes an Info after it is
# made except `form_begin`, which rewrites a view's temps, so only a view type gets a fresh one.
_TYPED: dict = {}


def _typed(ty: str | None) -> Info:
    info = _TYPED.get(ty)
    if info is None:
        if own_class(ty) == "view":
            return Info(ty)
        if len(_TYPED) >= 4096:
            _TYPED.clear()
        info = _TYPED[ty] = Info(ty)
    return info


_NO_INFO = _typed(None)
_I32_INFO = _typed("i32")
_F64_INFO = _typed("f64")


@dataclass(slots=True)
class CallFact:
    """A call as the model sees it: callee, signature (or None = unknown), argument modes."""

    span: Span
    head_span: Span
    callee: str
    sig: FnSig | None
    modes: list[str]          # per argument: "moves" | "borrows" | "copies" | "literal" | "unknown"
    #                           (a call of a known signature shares its plan's tuple: never mutated)


@dataclass
class IfFact:
    """What X07-MOVE-0002 needs about an `if` of a condition and two branches: the names given
    to `bytes.view` in its condition and in its branches (by spelling, as x07c's lint compares
    them: a shadowing or unresolved name counts)."""

    span: Span
    cond_borrows: dict            # name -> [spans of the name in (bytes.view name) in the condition]
    branch_borrows: dict          # name -> [spans, in either branch]
    same_binding: frozenset = frozenset()   # names whose condition occurrences all mean the binding seen at the if


@dataclass
class Lowered:
    fn: FunctionIR
    findings: list[Finding] = field(default_factory=list)
    calls: list[CallFact] = field(default_factory=list)
    view_prov: dict = field(default_factory=dict)       # view local id -> provenance
    ifs: list[IfFact] = field(default_factory=list)
    # (bytes.concat x x): (call span, first x span, second x span, name), by spelling
    concat_calls: list = field(default_factory=list)


def _end_span(v: Value) -> Span:
    start, end = v.span
    return span_of((end - 1 if end > start else start, end))


class Lowerer:
    def __init__(self, name: str, decl_span: Span, name_span: Span, sigs: SignatureTable, result_ty: str | None,
                 lean: bool = False):
        self.lean = lean        # batch mode: no call facts (only the ownership map's users read them)
        self.fn = FunctionIR(name, decl_span, name_span, codes=dict(X07_CODES), words=dict(X07_WORDS))
        self.out = Lowered(self.fn, view_prov=self.fn.view_prov)
        self.sigs = sigs
        self.result_ty = result_ty
        self.cur = self.fn.new_block()
        self.fn.entry = self.cur.id
        self.exit = self.fn.new_block()
        self.fn.exit = self.exit.id
        self.scope_stack: list[Scope] = []
        self.env: list[dict[str, int]] = []
        # name -> the innermost binding in scope (what `lookup` answers), and per scope what its
        # declarations hid, restored when it ends
        self.visible: dict[str, int] = {}
        self.hidden: list[list] = []
        self.held: dict[int, list[Loan]] = {}          # view local -> loans it holds
        self._loan_id = 0
        self._call_id = 0
        # every (bytes.view <name>) lowered so far, in source order: (name, name span, its binding or
        # None); an `if` reads the slices its condition and branches added (X07-MOVE-0002)
        self._views: list = []
        self.body: Value | None = None
        # (head, items) -> (signature, plan): a function calls the same few heads again and again;
        # the first call of each head still asks `sigs` (which may record what was looked up)
        self._signed: dict = {}

    # ---- plumbing ----
    def emit(self, ev):
        self.cur.events.append(ev)

    def goto(self, target):
        if target.id not in self.cur.succs:
            self.cur.succs.append(target.id)

    def push_scope(self, span: Span, kind: str) -> Scope:
        sc = Scope(len(self.fn.scopes), self.scope_stack[-1].id if self.scope_stack else None, span, kind=kind)
        self.fn.scopes.append(sc)
        self.scope_stack.append(sc)
        self.env.append({})
        self.hidden.append([])
        return sc

    def exit_scope_events(self, sc: Scope, at: Span, reason: str = "scope"):
        """Views declared in the scope release their loans; owners are dropped, last declared first."""
        if not sc.locals:
            return
        emit = self.cur.events.append
        held = self.held
        if held:
            for lid in reversed(sc.locals):
                for loan in held.get(lid, ()):
                    emit(Release(loan.id))
        locals_ = self.fn.locals
        for lid in reversed(sc.locals):
            if locals_[lid].cls in _DROPPED_CLASSES:
                emit(Drop(lid, at, reason))

    def pop_scope(self, at: Span):
        sc = self.scope_stack[-1]
        self.exit_scope_events(sc, at)
        self.scope_stack.pop()
        self.env.pop()
        visible = self.visible
        for name, lid in reversed(self.hidden.pop()):
            if lid is None:
                del visible[name]
            else:
                visible[name] = lid

    def declare(self, name: str, span: Span, ty: str | None, kind: str = "let") -> Local:
        sc = self.scope_stack[-1]
        cls = own_class(ty)
        loc = Local(len(self.fn.locals), name, span, cls, ty or "unknown", sc.id, kind,
                    must_consume=_must_consume(ty))
        self.fn.locals.append(loc)
        sc.locals.append(loc.id)
        self.env[-1][name] = loc.id
        self.hidden[-1].append((name, self.visible.get(name)))
        self.visible[name] = loc.id
        return loc

    def lookup(self, name: str) -> int | None:
        return self.visible.get(name)

    def new_loan(self, owner: int, holder: int | None, span: Span) -> Loan:
        self._loan_id += 1
        return Loan(self._loan_id, owner, holder, span)

    def release(self, loans):
        if loans:
            emit = self.cur.events.append
            for l in loans:
                emit(Release(l.id))

    def owners_in(self, prov) -> list[int]:
        return sorted(s for s in prov if isinstance(s, int) and not self.fn.local(s).is_root_view)

    # ---- entry points ----
    def declare_params(self, params):
        for p in params:
            loc = self.declare(p.name, p.span, p.full_ty, "param")
            loc.must_consume = False  # a caller's value: not ours to insist on
            self.emit(Bind(loc.id, p.span))
            if loc.cls == "view":
                loc.is_root_view = True
                self.out.view_prov[loc.id] = frozenset([loc.id])

    def lower_function(self, params, body: Value | None, body_span: Span) -> Lowered:
        self.body = body
        sc = self.push_scope(body_span, "function")
        self.declare_params(params)
        if body is not None:
            info = self.expr(body, self.result_mode(), "by return")
            if not info.diverges:
                self.finish_value(body, info)
        self.exit_scope_events(sc, _end_span(body) if body is not None else body_span)
        self.goto(self.exit)
        return self.out

    def lower_clause(self, params, exprs: list) -> Lowered:
        """A contract clause: its expression, then its witnesses (evaluated after it, in the same
        scope), each an i32 or a value that is only read; the parameters are the scope."""
        span = Span(min(e.span.start for e in exprs), max(e.span.end for e in exprs))
        sc = self.push_scope(span, "function")
        self.declare_params(params)
        for e in exprs:
            self.release(self.expr(e, "read").temps)
        self.exit_scope_events(sc, _end_span(exprs[-1]))
        self.goto(self.exit)
        return self.out

    def result_mode(self) -> str:
        return "move" if own_class(self.result_ty) == "owned" else ("borrow" if own_class(self.result_ty) == "view" else "read")

    def finish_value(self, v: Value, info: Info):
        """The function's value leaves it: a view must only borrow from view parameters."""
        if own_class(self.result_ty) == "view" and info.cls == "view":
            tail = v
            while tail.head in ("begin", "unsafe") and len(tail.items) > 1:
                tail = tail.items[-1]
            self.emit(FnResult(tail.span, info.prov))
        self.release(info.temps)

    # ---- expressions ----
    def expr(self, v: Value, mode: str, into: str = "") -> Info:
        k = v.kind
        if k == "list":
            items = v.items
            if not items:
                return _NO_INFO
            first = items[0]
            if first.kind != "str":     # no head atom
                for it in items:
                    self.release(self.expr(it, "read").temps)
                return _NO_INFO
            head = first.value
            form = _FORMS.get(head)
            if form is not None:
                return form(self, v, mode, into)
            return self.call(v, head, mode)
        if k == "str":
            return self.ident(v, mode, into)
        if k == "int":
            return _I32_INFO
        if k == "num":
            return _F64_INFO
        return _NO_INFO

    def ident(self, v: Value, mode: str, into: str) -> Info:
        name = v.value
        lid = self.visible.get(name)  # type: ignore[arg-type]
        if lid is None:
            if name in RUNTIME_VIEWS:
                return Info("bytes_view", _RUNTIME_PROV)
            return Info(None, _UNKNOWN_PROV)
        loc = self.fn.locals[lid]
        cls = loc.cls
        emit = self.cur.events.append
        if cls == "owned":
            if mode == "move":
                emit(Move(lid, v.span, into or "here"))
                return Info(loc.ty, _NO_PROV, (), lid)
            if mode == "borrow":
                emit(Use(lid, v.span, "borrow"))
                loan = self.new_loan(lid, None, v.span)
                emit(Borrow(loan))
                return Info(loc.ty, frozenset((lid,)), [loan], lid)
            emit(Use(lid, v.span, "read"))
            return Info(loc.ty, _NO_PROV, (), lid)
        # A copied value or a view is never moved or dropped, so without the map (lean) reading
        # one matters to the flow only when it must be consumed (reading it counts as looking)
        if cls == "view":
            if not self.lean or loc.must_consume:
                emit(Use(lid, v.span, "copy"))
            return Info(loc.ty, self.out.view_prov.get(lid, _UNKNOWN_PROV), (), lid)
        if not self.lean or cls == "unknown" or loc.must_consume:
            emit(Use(lid, v.span, "copy" if cls == "copy" else "read"))
        return Info(loc.ty, _UNKNOWN_PROV if cls == "unknown" else _NO_PROV, (), lid)

    # ---- calls ----
    def call(self, v: Value, head: str, mode: str) -> Info:
        items = v.items
        if head == "bytes.view" and len(items) == 2 and items[1].kind == "str":
            name = items[1].value
            self._views.append((name, items[1].span, self.visible.get(name)))  # type: ignore[arg-type]
        key = (head, len(items))
        got = self._signed.get(key)
        if got is None:
            sig = self.sigs.lookup(head)
            got = self._signed[key] = (sig, None if sig is None else _plan(sig, len(items) - 1))
        sig, plan = got
        head_span = items[0].span
        if sig is None:
            return self.unknown_call(v, head, head_span)
        self._call_id += 1
        args = items[1:]
        temps: list[Loan] = []
        expr = self.expr
        if plan.plain and head != "bytes.concat":
            # nothing moves, lends or carries a borrow (arithmetic, comparisons, reads): each
            # argument is read; a number literal is not even looked at (no event, no temps)
            for a, how in zip(args, plan.hows):
                if how != _LITERAL and a.kind != "int":
                    t = expr(a, "read").temps
                    if t:
                        temps.extend(t)
            if temps:
                self.release(temps)
            if not self.lean:
                self.out.calls.append(CallFact(v.span, head_span, head, sig, plan.modes))
            if plan.rcls != "view":
                return _typed(plan.rty)
            keep: list[Loan] = []
            prov: set = set()
        else:
            keep = []          # temps the result view carries to its consumer
            prov = set()
            self.call_args(v, head, head_span, sig, args, plan, temps, keep, prov)
            if temps:
                self.release(temps)
            if not self.lean:
                self.out.calls.append(CallFact(v.span, head_span, head, sig, plan.modes))
        rty = plan.rty
        if plan.rcls == "view":
            if sig.origin != "builtin" and len(sig.view_of) > 1:
                if keep:
                    self.release(keep)
                return Info(rty, _UNKNOWN_PROV)
            if not sig.view_of and sig.origin == "builtin":
                prov = {RUNTIME}
            return Info(rty, frozenset(prov) if prov else _RUNTIME_PROV, keep)
        if keep:
            self.release(keep)
        return _typed(rty)

    def call_args(self, v: Value, head: str, head_span: Span, sig: FnSig, args: list, plan: "_Plan",
                  temps: list, keep: list, prov: set) -> None:
        """The arguments of a call that moves, lends or carries something (see `_plan`)."""
        site = None                    # the CallSite, made when an argument moves into the call
        concat = head == "bytes.concat"
        if concat and len(args) == 2 and args[0].kind == "str" and args[1].kind == "str" \
                and args[0].value == args[1].value:
            # x07c's lint compares the spellings (lint.rs lint_core_move_rules): an unresolved name
            # counts too; a moved owner is also reported by the flow (the CallSite's twice_code)
            self.out.concat_calls.append((v.span, args[0].span, args[1].span, args[0].value))
        merged = [] if head in _VIEW_MERGES else None   # (arg span, its borrow sources, what it is)
        expr = self.expr
        for i, (a, (how, carried, op)) in enumerate(zip(args, plan.args)):
            if how == _LITERAL:
                continue
            if how == _READS:
                temps.extend(expr(a, "read").temps)
                continue
            if how == _IDENT_OWNER:
                info = self.view_owner_arg(head, v, a)
                if carried:
                    keep.extend(info.temps)
                    prov |= info.prov
                else:
                    temps.extend(info.temps)
                continue
            if how == _OWNED:
                if a.kind == "str":
                    lid = self.lookup(a.value)  # type: ignore[arg-type]
                    if lid is not None and self.fn.locals[lid].cls == "owned":
                        # arguments are evaluated left to right: an owned identifier moves where it stands
                        if site is None:
                            site = CallSite(self._call_id, head, v.span, head_span,
                                            twice_code="X07-MOVE-0001" if concat else None)
                        self.emit(Move(lid, a.span, f'into "{head}"', site, op=head if op else None))
                        continue
                info = expr(a, "move", f'into "{head}"')
            elif how == _VIEW:
                info = expr(a, "borrow")
            else:
                info = expr(a, "read")
            if carried and info.cls in ("view", "owned"):
                prov |= info.prov
                keep.extend(info.temps)
                if merged is not None and i < 2:
                    merged.append((a.span, info.prov, _VIEW_MERGES[head][i]))
            else:
                temps.extend(info.temps)
        if merged is not None and len(merged) == 2:
            # the option's payload or the default: like an if's branches, one borrow source
            # (c_emit_core.rs borrow_of_view_expr: "bytes_view must have a single borrow source
            # across branches")
            self.emit(BranchMerge(v.span, tuple(merged)))

    def view_owner_arg(self, head: str, call: Value, a: Value) -> Info:
        """`bytes.view x` and friends: x must be a named local owner (X07-BORROW-0001)."""
        if a.kind == "str":
            lid = self.lookup(a.value)  # type: ignore[arg-type]
            if lid is not None:
                loc = self.fn.local(lid)
                if loc.cls == "view":
                    self.emit(Use(lid, a.span, "copy"))
                    return Info(loc.ty, self.out.view_prov.get(lid, frozenset([UNKNOWN])), local=lid)
                self.emit(Use(lid, a.span, "view"))
                loan = self.new_loan(lid, None, call.span)
                self.emit(Borrow(loan))
                return Info(loc.ty, frozenset([lid]), [loan], local=lid)
            if a.value in RUNTIME_VIEWS:
                return Info("bytes_view", frozenset([RUNTIME]))
            return Info(None, frozenset([UNKNOWN]))
        # A temporary: the view would dangle as soon as the temporary is dropped.
        info = self.expr(a, "read")
        self.release(info.temps)
        requests = []
        if a.head == "bytes.lit" and head == "bytes.view" and len(a.args) == 1:
            requests.append(FixRequest("use_view_lit", call.span, "", (a.args[0].span,)))
        requests.append(FixRequest("bind_with_let", a.span, "owner", (call.span,)))
        self.out.findings.append(Finding(
            TEMP_VIEW, "error", a.span,
            f"{head} requires an identifier owner (bind the value to a local with let first)",
            related=[Related(call.span, "the view would borrow from this temporary, dropped right after")],
            fix_requests=requests))
        return Info(None, frozenset([UNKNOWN]))

    def unknown_call(self, v: Value, head: str, head_span: Span) -> Info:
        modes = []
        for a in v.args:
            if a.kind == "str" and self.lookup(a.value) is not None:  # type: ignore[arg-type]
                lid = self.lookup(a.value)  # type: ignore[arg-type]
                self.emit(Opaque(lid, a.span, head))
                modes.append("unknown")
            else:
                self.release(self.expr(a, "read").temps)
                modes.append("unknown")
        if not self.lean:
            self.out.calls.append(CallFact(v.span, head_span, head, None, modes))
        return Info(None, _UNKNOWN_PROV)

    # ---- special forms ----
    def form_begin(self, v: Value, mode: str, into: str) -> Info:
        sc = self.push_scope(v.span, "block")
        body = v.args
        info = _I32_INFO
        for i, e in enumerate(body):
            if i < len(body) - 1:
                self.statement(e)
                continue
            if mode == "borrow" and e.kind == "str" and self.env[-1].get(e.value) is not None \
                    and self.fn.local(self.env[-1][e.value]).cls == "owned":
                mode = "move"   # the block's own owned value leaves the block: it moves out
            info = self.expr(e, mode, into)
            if info.diverges or info.cls != "view":
                continue
            if v is not self.body:   # the function body itself is checked as the function's result
                self.emit(ScopeResult(e.span, info.prov, frozenset(sc.locals), v.span))
            escaping = [l for l in info.temps if l.owner in sc.locals]
            self.release(escaping)
            info.temps = [l for l in info.temps if l not in escaping]
        self.pop_scope(_end_span(v))
        return info

    def statement(self, e: Value):
        """An expression whose value is thrown away."""
        info = self.expr(e, "read", "into a discarded temporary")
        if info.temps:
            self.release(info.temps)
        if info.ty is not None and _must_consume(info.ty) and e.kind == "list" and e.head not in SPECIAL:
            self.emit(Discard(e.span, info.ty or "result"))

    def form_unsafe(self, v, mode, into):
        return self.form_begin(v, mode, into)

    def form_let(self, v: Value, mode: str, into: str) -> Info:
        args = v.args
        if len(args) != 2 or args[0].kind != "str":
            for a in args[1:]:
                self.release(self.expr(a, "read").temps)
            return _NO_INFO
        name = args[0].value
        if (bad := binding_finding(name, args[0].span)) is not None:
            self.out.findings.append(bad)
        info = self.expr(args[1], "move", f'into "{name}"')
        loc = self.declare(name, args[0].span, info.ty)  # type: ignore[arg-type]
        self.emit(Bind(loc.id, args[0].span))
        if args[1].kind == "int" and (args[1].value == 0 or args[1].value == 1):
            self.emit(Flag(loc.id, args[1].span, args[1].value == 1))
        if loc.cls == "view":
            self.out.view_prov[loc.id] = info.prov
            self.hold(loc.id, info.prov, args[1].span)
        if info.temps:
            self.release(info.temps)
        return _I32_INFO

    def hold(self, lid: int, prov, span: Span):
        for o in self.owners_in(prov):
            loan = self.new_loan(o, lid, span)
            self.held.setdefault(lid, []).append(loan)
            self.emit(Borrow(loan))

    def form_set(self, v: Value, mode: str, into: str) -> Info:
        args = v.args
        if len(args) != 2 or args[0].kind != "str":
            return _NO_INFO
        lid = self.lookup(args[0].value)  # type: ignore[arg-type]
        if lid is None:
            self.release(self.expr(args[1], "read").temps)
            return _NO_INFO
        loc = self.fn.local(lid)
        self.emit(Assign(lid, args[0].span))
        info = self.expr(args[1], "move", f'into "{loc.name}"')
        if loc.cls in ("owned", "unknown"):
            self.emit(Drop(lid, args[0].span, "set"))
        self.emit(Bind(lid, args[0].span, reinit=True))
        if args[1].kind == "int" and (args[1].value == 0 or args[1].value == 1):
            self.emit(Flag(lid, args[1].span, args[1].value == 1))
        if loc.cls == "view":
            # Re-pointing a view ends its borrows of what it pointed at before. The old loans stay
            # in `held`: a `set` in one branch of an if ends them on that path only, and the other
            # path still holds them until the view's scope ends (x07c recounts every view's borrow
            # after an if, c_emit_core.rs recompute_borrow_counts, and pop_scope releases them
            # before it drops the owners). Releasing a loan that is not live is a no-op.
            self.release(self.held.get(lid, ()))
            self.out.view_prov[lid] = info.prov
            self.hold(lid, info.prov, args[1].span)
        self.release(info.temps)
        return Info(loc.ty if v.head == "set" else "i32")

    def form_set0(self, v, mode, into):
        self.form_set(v, mode, into)
        return _I32_INFO

    def form_if(self, v: Value, mode: str, into: str) -> Info:
        args = v.args
        if len(args) < 2:
            for a in args:
                self.release(self.expr(a, "read").temps)
            return _NO_INFO
        views = self._views
        c0 = len(views)
        cinfo = self.expr(args[0], "read")
        c1 = len(views)
        self.release(cinfo.temps)
        before = self.cur
        join = self.fn.new_block()
        arms = []
        infos = []
        facts = self.flag_facts(args[0])
        for k, br in enumerate(args[1:3]):
            blk = self.fn.new_block()
            self.cur = before
            self.goto(blk)
            self.cur = blk
            blk.events.extend(Assume(lid, args[0].span, nonzero) for lid, nonzero in facts[k])
            info = self.branch(br, mode, into)
            infos.append(info)
            self.goto(join)   # from a dead block (after return) this edge carries nothing
            if not info.diverges:
                arms.append((br.span, info))
        if len(args) == 2:
            self.cur = before
            if facts[1]:     # the missing else: its own block, to say what it knows
                blk = self.fn.new_block()
                self.goto(blk)
                self.cur = blk
                blk.events.extend(Assume(lid, args[0].span, nonzero) for lid, nonzero in facts[1])
            self.goto(join)
        self.cur = join
        if len(args) == 3 and c1 > c0 and len(views) > c1:
            self.if_fact(v, views[c0:c1], views[c1:])
        if not arms and len(args) > 2:
            return Info(infos[0].ty if infos else None, diverges=True)
        ty = next((i.ty for _, i in arms if i.ty), None)
        if own_class(ty) == "view":
            if len(arms) > 1:
                self.emit(BranchMerge(v.span, tuple((s, i.prov) for s, i in arms)))
            prov = frozenset().union(*(i.prov for _, i in arms))
            temps = [l for _, i in arms for l in i.temps]
            return Info(ty, prov, temps)
        return _typed(ty)

    def flag_test(self, cond: Value):
        """(local, nonzero) when a condition (an if's, a while's) tests an i32 binding against 0
        or 1: `x`, `(= x 0)`, `(= x 1)`, `(!= x 0)`, `(!= x 1)`, either operand order. nonzero
        True: where the condition holds, x is not 0; False: x is not 1 (and where it fails, the
        other way round). None for any other condition. The lowering says so with ir.Assume at
        the head of each branch, and ir.Flag where a let or set gives a binding the literal 0
        or 1; the flow follows such flags only to tell which later loop iterations can run."""
        if cond.kind == "str":
            lid = self.visible.get(cond.value)  # type: ignore[arg-type]
            return (lid, True) if lid is not None and self.fn.locals[lid].ty == "i32" else None
        if cond.kind != "list":
            return None
        items = cond.items
        if len(items) != 3 or items[0].kind != "str" or items[0].value not in ("=", "!="):
            return None
        a, b = items[1], items[2]
        if a.kind == "int":
            a, b = b, a
        if a.kind != "str" or b.kind != "int" or b.value not in (0, 1):
            return None
        lid = self.visible.get(a.value)  # type: ignore[arg-type]
        if lid is None or self.fn.locals[lid].ty != "i32":
            return None
        # (= x 1) holds only if x is not 0; (= x 0) only if x is not 1; != the other way round
        nonzero = (b.value == 1) == (items[0].value == "=")
        return lid, nonzero

    def flag_facts(self, cond: Value) -> tuple[list, list]:
        """What a condition tells each side about the flags it tests (see flag_test): (facts
        where it holds, facts where it fails), each a list of (local, nonzero). One test gives
        one fact to each side; `(&& a b ...)` gives, where it holds, the facts of every operand
        where that holds (all of them hold) and nothing where it fails; `(|| a b ...)` the other
        way round. A branch's head gets an ir.Assume for each fact."""
        single = self.flag_test(cond)
        if single is not None:
            return [single], [(single[0], not single[1])]
        if cond.kind != "list" or not cond.items or cond.items[0].kind != "str":
            return [], []
        head, args = cond.items[0].value, cond.items[1:]
        if head in ("&&", "||"):
            parts = [self.flag_facts(x) for x in args]
            if head == "&&":
                return [f for held, _ in parts for f in held], []
            return [], [f for _, failed in parts for f in failed]
        if head == "if" and len(args) == 3:
            # an if with a literal branch is a conjunction or a disjunction written out:
            # (if a b 0) is (&& a b), (if a 0 c) is (&& (not a) c), (if a 1 c) is (|| a c),
            # (if a b 1) is (|| (not a) b)
            a, b, c = args
            (a_held, a_failed) = self.flag_facts(a)
            if _literal(c, 0):
                return a_held + self.flag_facts(b)[0], []
            if _literal(b, 0):
                return a_failed + self.flag_facts(c)[0], []
            if _literal(b, 1):
                return [], a_failed + self.flag_facts(c)[1]
            if _literal(c, 1):
                return [], a_held + self.flag_facts(b)[1]
        return [], []

    def if_fact(self, v: Value, cond: list, branches: list):
        """The `bytes.view` names of an if's condition and branches, for X07-MOVE-0002 (x07c's
        lint compares them by spelling, branches that return included). Called once the
        branches' scopes are closed: `visible` is what the if itself sees."""
        in_branches: dict = {}
        for name, span, _ in branches:
            in_branches.setdefault(name, []).append(span)
        in_cond: dict = {}
        mixed = set()
        visible = self.visible
        for name, span, lid in cond:
            if name in in_branches:
                in_cond.setdefault(name, []).append(span)
                if lid != visible.get(name):
                    mixed.add(name)      # a binding made inside the condition: no copy before the if
        if in_cond:
            self.out.ifs.append(IfFact(v.span, in_cond, {n: in_branches[n] for n in in_cond},
                                       frozenset(in_cond) - mixed))

    def branch(self, br: Value, mode: str, into: str) -> Info:
        """A branch is its own scope (bindings inside are dropped at its end)."""
        sc = self.push_scope(br.span, "branch")
        info = self.expr(br, mode, into)
        if not info.diverges and info.cls == "view":
            self.emit(ScopeResult(br.span, info.prov, frozenset(sc.locals), br.span))
        self.pop_scope(_end_span(br))
        return info

    def loop(self, v: Value, header_fn, body: Value | None, loop_var=None, cond: Value | None = None):
        """while/for: header -> body -> header; the body is a scope; its span is a loop for the flow.
        `cond`: a while's condition: x07c emits it again at the body's end (emit_while_to), so
        the flow's one-pass view checks it once more (`rechecked`); when it tests a flag, the body
        and the exit know its value."""
        first_block = len(self.fn.blocks)
        header = self.fn.new_block()
        header.loop_header = True
        self.goto(header)
        self.cur = header
        header_fn()
        body_blk = self.fn.new_block()
        exit_blk = self.fn.new_block()
        if cond is not None:
            self.fn.rechecked[header.id] = frozenset(range(header.id, body_blk.id))
        self.goto(body_blk)
        self.goto(exit_blk)
        held, failed = self.flag_facts(cond) if cond is not None else ([], [])
        body_blk.events.extend(Assume(lid, cond.span, nonzero) for lid, nonzero in held)
        exit_blk.events.extend(Assume(lid, cond.span, nonzero) for lid, nonzero in failed)
        self.cur = body_blk
        sc = self.push_scope(body.span if body is not None else v.span, "loop")
        if loop_var is not None:
            name, span = loop_var
            loc = self.declare(name, span, "i32", "loop")
            self.emit(Bind(loc.id, span))
        if body is not None:
            self.statement(body)
        self.pop_scope(_end_span(body) if body is not None else _end_span(v))
        self.goto(header)
        inside = set(range(first_block, len(self.fn.blocks))) - {exit_blk.id}
        self.fn.loops.append((v.span, inside))
        self.cur = exit_blk

    def form_while(self, v: Value, mode: str, into: str) -> Info:
        args = v.args
        cond = args[0] if args else None
        body = args[1] if len(args) > 1 else None

        def header():
            if cond is not None:
                self.release(self.expr(cond, "read").temps)
        self.loop(v, header, body, cond=cond)
        return _I32_INFO

    def form_for(self, v: Value, mode: str, into: str) -> Info:
        args = v.args
        if len(args) < 4 or args[0].kind != "str":
            for a in args:
                self.release(self.expr(a, "read").temps)
            return _I32_INFO
        if (bad := binding_finding(args[0].value, args[0].span)) is not None:
            self.out.findings.append(bad)
        # start, then end, each evaluated once before the loop (c_emit_builtins.rs emit_for_to:
        # the end goes into a temporary that every iteration compares with)
        self.release(self.expr(args[1], "read").temps)
        self.release(self.expr(args[2], "read").temps)
        self.loop(v, _no_header, args[3], (args[0].value, args[0].span))
        return _I32_INFO

    def early_exit(self, at: Span):
        """Drops for every scope up to the function's, then an edge to the exit."""
        for sc in reversed(self.scope_stack):
            self.exit_scope_events(sc, at, "return")
        self.goto(self.exit)

    def form_return(self, v: Value, mode: str, into: str) -> Info:
        args = v.args
        if args:
            info = self.expr(args[0], self.result_mode(), "by return")
            self.finish_value(args[0], info)
        self.early_exit(v.span)
        self.cur = self.fn.new_block()   # unreachable continuation: the solver never visits it
        return Info(None, diverges=True)

    def form_try(self, v: Value, mode: str, into: str) -> Info:
        args = v.args
        if not args:
            return _NO_INFO
        info = self.expr(args[0], "move", 'into "try"')
        self.release(info.temps)
        err = self.fn.new_block()
        cont = self.fn.new_block()
        self.goto(err)
        self.goto(cont)
        self.cur = err
        self.early_exit(v.span)
        self.cur = cont
        return _typed(unwrap_try(info.ty))

    def form_match(self, v: Value, mode: str, into: str) -> Info:
        args = v.args
        if not args:
            return _NO_INFO
        sinfo = self.expr(args[0], "borrow")
        self.release(sinfo.temps)
        before = self.cur
        join = self.fn.new_block()
        arms = []
        reached = False
        for arm in args[1:]:
            blk = self.fn.new_block()
            self.cur = before
            self.goto(blk)
            self.cur = blk
            if arm.kind != "list" or len(arm.items) < 2:
                self.goto(join)
                reached = True
                continue
            sc = self.push_scope(arm.span, "branch")
            body = arm.items[-1]
            if len(arm.items) >= 3 and arm.items[1].kind == "str":
                loc = self.declare(arm.items[1].value, arm.items[1].span, "i32", "bind")  # type: ignore[arg-type]
                self.emit(Bind(loc.id, arm.items[1].span))
            info = self.expr(body, mode, into)
            diverged = info.diverges
            if not diverged and info.cls == "view":
                self.emit(ScopeResult(body.span, info.prov, frozenset(sc.locals), arm.span))
            self.pop_scope(_end_span(arm))
            if not diverged:
                self.goto(join)
                reached = True
                arms.append((body.span, info))
        self.cur = join
        if not reached:
            return Info(None, diverges=True)
        ty = next((i.ty for _, i in arms if i.ty), None)
        if own_class(ty) == "view":
            if len(arms) > 1:
                self.emit(BranchMerge(v.span, tuple((s, i.prov) for s, i in arms)))
            return Info(ty, frozenset().union(*(i.prov for _, i in arms)), [l for _, i in arms for l in i.temps])
        return _typed(ty)


# How a call treats its argument i (from its signature), worked out once per signature and
# argument count: `call` runs for every call of a file, and the signature's tuples and the
# parameter's class would otherwise be looked up per argument.
_LITERAL, _READS, _IDENT_OWNER, _OWNED, _VIEW, _COPY, _OTHER = range(7)
_CLASS_HOW = {"owned": _OWNED, "view": _VIEW, "copy": _COPY}
_MODE_OF = {_LITERAL: "literal", _READS: "borrows", _IDENT_OWNER: "borrows", _OWNED: "moves", _VIEW: "borrows",
            _COPY: "copies", _OTHER: "unknown"}
_PLANS: dict = {}      # (id(sig), argument count) -> (sig, plan); the sig is kept so its id stays its own
_PLANS_LIMIT = 50_000


class _Plan(NamedTuple):
    args: tuple        # per argument: (how, whether the result view carries its borrow, whether the call mutates it)
    hows: tuple        # per argument: how
    modes: tuple       # per argument: the call fact's mode
    plain: bool        # every argument is only read (or a literal) and carries nothing: `call`'s short path
    rty: str | None    # the result type (None: unknown)
    rcls: str          # its ownership class


def _plan(sig: FnSig, n: int) -> _Plan:
    """How a call with n arguments treats each of them, and its result."""
    got = _PLANS.get((id(sig), n))
    if got is not None and got[0] is sig:
        return got[1]
    args = []
    for i in range(n):
        if i in sig.literal_args:
            how = _LITERAL
        elif i in sig.reads:
            how = _READS
        elif i in sig.needs_ident_owner:
            how = _IDENT_OWNER
        else:
            how = _CLASS_HOW.get(own_class(sig.param_type(i)), _OTHER)
        args.append((how, i in sig.view_of, sig.mutates == i))
    plain = all(how in (_LITERAL, _READS) or (how in (_COPY, _OTHER) and not carried) for how, carried, _ in args)
    rty = None if sig.result == "any" else sig.result
    plan = _Plan(tuple(args), tuple(a[0] for a in args), tuple(_MODE_OF[a[0]] for a in args), plain, rty,
                 own_class(rty))
    if len(_PLANS) >= _PLANS_LIMIT:
        _PLANS.clear()
    _PLANS[(id(sig), n)] = (sig, plan)
    return plan


def _no_header():
    """A `for` loop's header evaluates nothing: its bounds were evaluated before the loop."""


_must_consume = lru_cache(maxsize=4096)(must_consume)   # per statement and binding; type names repeat
_DROPPED_CLASSES = ("owned", "unknown")      # bindings a scope's end drops
_RUNTIME_PROV = frozenset((RUNTIME,))
# builtins whose view result is one of two views (x07c merges their borrow sources as an if's):
# head -> what each argument is, for messages
_VIEW_MERGES = {
    "option_bytes_view.unwrap_or": ("the option", "the default"),
    "result_bytes_view.unwrap_or": ("the result", "the default"),
}
_UNKNOWN_PROV = frozenset((UNKNOWN,))

SPECIAL = {"begin", "let", "set", "set0", "if", "for", "while", "return", "unsafe", "match", "try"}
_FORMS = {head: getattr(Lowerer, "form_" + head) for head in SPECIAL}   # `expr`'s dispatch


def lower_function(name: str, decl_span: Span, name_span: Span, params, result_ty, body, sigs: SignatureTable,
                   lean: bool = False) -> Lowered:
    """lean: batch mode, no call facts (`Lowered.calls` stays empty)."""
    lw = Lowerer(name, decl_span, name_span, sigs, result_ty, lean)
    return lw.lower_function(params, body, body.span if body is not None else decl_span)


# ---- contract clauses -------------------------------------------------------------------------
# x07c reads them in x07ast.rs (parse_def_like): requires / ensures / invariant on defn and
# defasync, decreases on defn only, loop_contracts (each item's invariant and decreases) on both,
# protocol (await_invariant / scope_invariant / cancellation_ensures) on defasync only. A clause is
# {expr, witness?: [expr...], id?}. lint.rs runs its body lints on every clause expression and
# witness; typecheck.rs types them with the parameters in scope and `__result` (the function's
# result type) in ensures and cancellation_ensures only; c_emit_contracts.rs compiles requires,
# ensures and invariant with emit_expr in a copy of the parameters' scope.

_CLAUSE_LISTS = {
    "defn": frozenset(("requires", "ensures", "invariant", "decreases")),
    "defasync": frozenset(("requires", "ensures", "invariant")),
}
_LOOP_CLAUSE_LISTS = ("invariant", "decreases")
_PROTOCOL_LISTS = ("await_invariant", "scope_invariant", "cancellation_ensures")
_WITH_RESULT = frozenset(("ensures", "cancellation_ensures"))


def _clauses(lv: Value | None, with_result: bool, out: list):
    if lv is None or lv.kind != "list":
        return
    for c in lv.items:
        if c.kind != "map":
            continue
        exprs = []
        for e in c.entries:
            if e.key == "expr":
                exprs.insert(0, e.value)
            elif e.key == "witness" and e.value.kind == "list":
                exprs.extend(e.value.items)
        if exprs:
            out.append((with_result, exprs))


def contract_clauses(decl) -> list[tuple[bool, list[Value]]]:
    """(whether `__result` is in scope, [the clause's expression, then its witnesses]) for every
    contract clause of a defn / defasync (a module.Decl)."""
    lists = _CLAUSE_LISTS.get(decl.kind)
    dv = decl.value
    if lists is None or dv.kind != "map":
        return []
    out: list = []
    for e in dv.entries:
        key = e.key
        if key in lists:
            _clauses(e.value, key in _WITH_RESULT, out)
        elif key == "loop_contracts" and e.value.kind == "list":
            for item in e.value.items:
                if item.kind == "map":
                    for k in _LOOP_CLAUSE_LISTS:
                        _clauses(item.get(k), False, out)
        elif key == "protocol" and decl.kind == "defasync" and e.value.kind == "map":
            for k in _PROTOCOL_LISTS:
                _clauses(e.value.get(k), k in _WITH_RESULT, out)
    return out


class _ClauseParam(NamedTuple):
    name: str
    span: Span
    full_ty: str | None


class _BuiltinsOnly:
    """Contract clauses may call only builtins and operators (typecheck.rs
    contract_pure_call_head; a module call is X07-CONTRACT-0002): any other head stays unknown."""

    @staticmethod
    def lookup(name: str) -> FnSig | None:
        return builtin_signatures().get(name)


def lower_clause(decl, exprs: list, with_result: bool) -> Lowered:
    """One contract clause of `decl` (see `contract_clauses`), lowered as a function of its own
    whose parameters are the declaration's (and `__result`, where the clause may name it)."""
    name_span = decl.name_span or decl.value.span
    params = list(decl.params)
    if with_result and decl.result:
        params.append(_ClauseParam("__result", name_span, decl.result))
    lw = Lowerer(decl.name or "?", decl.value.span, name_span, _BuiltinsOnly, "i32", lean=True)
    return lw.lower_clause(params, exprs)


def _literal(v: Value, n: int) -> bool:
    """Is `v` the integer literal `n`?"""
    return v.kind == "int" and v.value == n
