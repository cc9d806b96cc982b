"""Lowering one C function to the ownership IR (analysis/ownership/ir.py): a control-flow graph
whose blocks hold the ownership events of AgeRun's conventions (docs/c.md "States").

Why a CFG of events and not a walk with states: the explicit-release checker (release.py) joins
possible states over every path — `goto` cleanup labels, `switch` fall-through, loops with
`break`/`continue`, `&&`/`||` short-circuit in conditions, NULL tests that refine each branch, and
the failure edge of a consume-on-success sink. All of that is control flow, so it is built here
once, and the checker stays language-neutral.

What becomes an event: only `own_` pointer locals and parameters are tracked (`must_consume`);
`ref_`/`mut_` locals are views, the rest copies or unknown (they appear in the ownership map, the
checker ignores them). A call passes each bare argument (casts and parentheses unwrapped) as its
callee's summary says (analysis/c/summaries.py): destroyed, transferred (always or on success),
lent, or escaped into something unknown. The same lowering, run with `for_summary`, is how a
callee's implementation is read to learn its summary (`learn_implementation`).
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field

from ..ownership.ir import (Assign, Assume, Bind, CallSite, Clear, Destroy, Drop, Flag, FunctionIR, Kept,
                            Local, Move, Opaque, Refine, Scope, Use)
from ..source import Span
from .summaries import LENDING, REALLOCS, Summary
from .syntax import CFunction, prefix_of

CODES = {"use_after_release": "MMM-T1", "release_twice": "MMM-D1", "leak": "MMM-L1",
         "param_not_consumed": "MMM-L2", "overwrite": "MMM-L3", "kept_leak": "MMM-L4",
         "test_after_release": "MMM-T2", "assert_contradiction": "MMM-A1"}

ASSERT_OWNED = frozenset({"AR_ASSERT_OWNERSHIP"})
# assertions whose failure ends the program: what follows them may take their condition as true
ASSERTING = frozenset({"assert", "AR_ASSERT"})
ASSERT_RELEASED = frozenset({"AR_ASSERT_TRANSFERRED", "AR_ASSERT_NOT_USED_AFTER_FREE"})
_WRAPPERS = frozenset({"parenthesized_expression", "cast_expression"})
_FAILURE_VALUES = frozenset({"false", "0", "NULL", "nullptr"})


@dataclass(eq=False)
class CallFact:
    """A call the lowering saw (hover, definition, references, lints)."""

    callee: str
    head_span: Span
    span: Span
    summary: Summary | None
    modes: tuple = ()          # (argument label, passing key) per argument


@dataclass
class Lowered:
    fn: FunctionIR
    calls: list[CallFact] = field(default_factory=list)
    failure_exits: set = field(default_factory=set)      # spans of `return false/0/NULL` keywords
    return_kinds: list[str] = field(default_factory=list)  # owned | borrowed | null | unknown per return
    passthrough: set = field(default_factory=set)        # parameter names returned through an on-success sink
    exits: set = field(default_factory=set)              # spans of every exit (returns, the closing brace)
    handed: set = field(default_factory=set)             # locals passed to a declared callee (not a macro)
    returned: dict = field(default_factory=dict)         # index in return_kinds -> span of its `return own_x`


# how the explicit-release checker's messages say things in C (FunctionIR.words)
C_WORDS = {"nothing": "NULL", "clear": "set `{name} = NULL;`", "as_borrowed": "make it `ref_` (or `mut_`)"}


def unwrap(node):
    while node is not None and node.type in _WRAPPERS:
        node = node.child_by_field_name("value") if node.type == "cast_expression" else (
            node.named_children[-1] if node.named_children else None)
        while node is not None and node.type == "comment":
            node = node.prev_named_sibling
    return node


def is_null(node, data: bytes) -> bool:
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "null":
        return True
    return node.type == "number_literal" and data[node.start_byte:node.end_byte] in (b"0", b"0L")


def last_component(node, data: bytes) -> str:
    """The name a field, dereference or subscript ends in: `mut_agent->own_context` -> own_context."""
    node = unwrap(node)
    while node is not None:
        t = node.type
        if t == "identifier":
            return data[node.start_byte:node.end_byte].decode("utf-8", "replace")
        if t == "field_expression":
            f = node.child_by_field_name("field")
            return data[f.start_byte:f.end_byte].decode("utf-8", "replace") if f is not None else ""
        if t in ("pointer_expression", "subscript_expression"):
            node = unwrap(node.child_by_field_name("argument"))
            continue
        return ""
    return ""


class _Lowerer:
    def __init__(self, fn: CFunction, data: bytes, lookup, lean: bool, for_summary: bool,
                 self_summary: Summary | None = None):
        self.cf = fn
        self.data = data
        self.lookup = lookup
        self.lean = lean
        self.for_summary = for_summary
        self.self_summary = self_summary
        self.ir = FunctionIR(fn.name, fn.span, fn.name_span, codes=dict(CODES))
        self.ir.words.update(C_WORDS)
        self.out = Lowered(self.ir)
        self.cur = None
        self.scopes: list[tuple[Scope, dict]] = []
        self.labels: dict[str, int] = {}
        self.loops: list[tuple[int | None, int | None, int]] = []   # (break target, continue target, scope depth)
        self.pending: dict[int, list] = {}       # copy local (bool ok) -> [(owned local, span, callee)]
        self.param_ids: dict[int, int] = {}      # local id -> parameter index
        self.closers: dict[int, Span] = {}       # scope id -> its closing brace
        self.label_at: dict[str, int] = {}       # label name -> start of its labeled statement
        self.flags: frozenset = frozenset()      # names of plain locals tested for truth (_flag_names)

    # ---- blocks ----------------------------------------------------------------------
    def emit(self, ev) -> None:
        if self.cur is None:
            self.cur = self.ir.new_block()      # unreachable code: no predecessor
        self.cur.events.append(ev)

    def jump(self, target: int) -> None:
        if self.cur is not None:
            self.cur.succs.append(target)
        self.cur = None

    def start(self, block) -> None:
        self.cur = block

    def new(self):
        return self.ir.new_block()

    def branch(self, t: int, f: int, t_events=(), f_events=()) -> None:
        if self.cur is None:
            self.cur = self.new()
        src = self.cur
        for target, evs in ((t, t_events), (f, f_events)):
            if evs:
                b = self.new()
                b.events.extend(evs)
                b.succs.append(target)
                src.succs.append(b.id)
            else:
                src.succs.append(target)
        self.cur = None

    # ---- names ---------------------------------------------------------------------------
    def txt(self, node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def declare(self, name: str, span: Span, ty: str, depth: int, fnptr: bool, kind: str) -> Local:
        p = prefix_of(name)
        if p == "own" and depth == 1 and not fnptr:
            cls, must = "owned", True
        elif p in ("ref", "mut") and depth >= 1:
            cls, must = "view", False
        elif depth == 0:
            cls, must = "copy", False
        else:
            cls, must = "unknown", False
        scope, names = self.scopes[-1]
        if name in names and self.ir.locals[names[name]].span != span:
            # declared again in the same block: only another preprocessor branch can (the
            # compiler refuses it otherwise), so it is the same variable in another configuration
            return self.ir.locals[names[name]]
        loc = Local(len(self.ir.locals), name, span, cls, ty, scope.id, kind, must_consume=must)
        self.ir.locals.append(loc)
        scope.locals.append(loc.id)
        names[name] = loc.id
        return loc

    def resolve(self, node) -> Local | None:
        if node is None or node.type != "identifier":
            return None
        name = self.txt(node)
        for _, names in reversed(self.scopes):
            lid = names.get(name)
            if lid is not None:
                return self.ir.locals[lid]
        return None

    def push_scope(self, node, kind="block") -> None:
        parent = self.scopes[-1][0].id if self.scopes else None
        s = Scope(len(self.ir.scopes), parent, Span(node.start_byte, node.end_byte), kind=kind)
        self.ir.scopes.append(s)
        self.scopes.append((s, {}))
        self.closers[s.id] = _closing(node) if node.type == "compound_statement" else \
            Span(node.end_byte - 1, node.end_byte)

    def drops(self, span: Span | None, reason: str, depth: int = 0, skip=()) -> None:
        """Drop events for the tracked locals of the scopes deeper than `depth`, innermost first;
        span None: each at the closing brace of its own scope (a `break`/`continue` leaving it)."""
        if self.cur is None:
            return
        for scope, _ in reversed(self.scopes[depth:]):
            for lid in scope.locals:
                loc = self.ir.locals[lid]
                if loc.must_consume and lid not in skip:
                    self.emit(Drop(lid, span if span is not None else self.closers[scope.id], reason))

    def pop_scope(self, end_span: Span) -> None:
        self.drops(end_span, "scope", depth=len(self.scopes) - 1)
        self.scopes.pop()

    # ---- the function ------------------------------------------------------------------
    def run(self) -> Lowered:
        cf = self.cf
        self.push_scope(cf.node, "function")
        self.start(self.new())
        for i, p in enumerate(cf.params):
            if p.name and p.name_span is not None:
                loc = self.declare(p.name, p.name_span, p.ty, p.depth, p.fnptr, "param")
                self.param_ids[loc.id] = i
        exit_block = self.new()
        self.ir.exit = exit_block.id
        body = cf.body
        self.label_at = _labels(body, self.data)
        self.flags = _flag_names(body, self.data)
        self.compound(body, function_body=True)
        if self.cur is not None:
            self.out.exits.add(_closing(body))
            self.drops(_closing(body), "scope")
        self.jump(exit_block.id)
        return self.out

    # ---- statements -----------------------------------------------------------------------
    def compound(self, node, function_body: bool = False) -> None:
        self.push_scope(node)
        for c in node.named_children:
            self.stmt(c)
        self.pop_scope(_closing(node))

    def stmt(self, node) -> None:
        t = node.type
        m = getattr(self, "s_" + t, None)
        if m is not None:
            m(node)
        elif t == "compound_statement":
            self.compound(node)
        elif t == "comment":
            return
        elif t in ("preproc_if", "preproc_ifdef", "preproc_else", "preproc_elif", "preproc_elifdef"):
            self.preproc(node)
        elif t.endswith("_expression") or t == "identifier":
            self.expr(node)

    def preproc(self, node) -> None:
        """`#if`/`#ifdef` ... `#elif` ... `#else` ... `#endif` in a body: one path per branch, all
        reaching what follows (and a path through none of them when there is no `#else`). custody
        reads C before preprocessing, so every configuration is checked at once: a destroy under
        `#ifdef DEBUG` and another under `#else` are two paths, not a double destroy, and a leak
        in one configuration is a leak "on some paths". `#if 0` is never taken, `#if 1` always."""
        branches = []          # statements of each branch that may be compiled
        always = False
        n = node
        while n is not None and not always:
            cond = n.child_by_field_name("condition")
            name = n.child_by_field_name("name")
            alt = n.child_by_field_name("alternative")
            word = self.txt(cond).strip() if cond is not None else None
            if n.type == "preproc_else" or word in ("1", "1L", "true"):
                always = True
            if word not in ("0", "0L", "false"):
                branches.append([c for c in n.named_children
                                 if c != cond and c != name and c != alt and c.type != "comment"])
            n = alt
        if self.cur is None:
            self.cur = self.new()
        src = self.cur
        after = self.new()
        for stmts in branches:
            b = self.new()
            src.succs.append(b.id)
            self.start(b)
            for c in stmts:
                self.stmt(c)
            self.jump(after.id)
        if not always:
            src.succs.append(after.id)
        self.start(after)

    def s_expression_statement(self, node) -> None:
        for c in node.named_children:
            if c.type == "comment":
                continue
            cond = self._asserted(c)
            if cond is not None:
                # `assert(own_ast == NULL);` -- past it the condition holds (a failing assertion
                # aborts the program: nothing leaks on that edge, the path just ends there)
                cont, stop = self.new(), self.new()
                self.cond(cond, cont.id, stop.id)
                self.start(cont)
                continue
            self.expr(c)

    def _asserted(self, node):
        """The condition of `assert(c)` / `AR_ASSERT(c, "...")`, else None."""
        n = unwrap(node)
        if n is None or n.type != "call_expression":
            return None
        f = unwrap(n.child_by_field_name("function"))
        if f is None or f.type != "identifier" or self.txt(f) not in ASSERTING:
            return None
        args = n.child_by_field_name("arguments")
        first = next((a for a in (args.named_children if args is not None else ()) if a.type != "comment"), None)
        return first

    def s_declaration(self, node) -> None:
        from .syntax import _const_qualified, _type_text, _unwrap_declarator
        for d in node.children_by_field_name("declarator"):
            value = d.child_by_field_name("value") if d.type == "init_declarator" else None
            ident, depth, fnptr = _unwrap_declarator(d.child_by_field_name("declarator") if value is not None else d)
            if ident is None or ident.type != "identifier":
                if value is not None:
                    self.expr(value)
                continue
            name = self.txt(ident)
            ty = _type_text(self.data, node, depth)
            if value is not None and value.type == "initializer_list":
                loc = self.declare(name, _span(ident), ty, depth, fnptr, "let")
                self.expr(value)
                continue
            if value is None:
                loc = self.declare(name, _span(ident), ty, depth, fnptr, "let")
                if self._is_flag(loc):
                    self.emit(Flag(loc.id, _span(ident), None))     # indeterminate
                continue
            v = self.rhs(value)
            loc = self.declare(name, _span(ident), ty, depth, fnptr, "let")
            self.store_local(loc, _span(ident), value, v, fresh=True)

    def s_if_statement(self, node) -> None:
        cons = node.child_by_field_name("consequence")
        alt = node.child_by_field_name("alternative")
        then_b, after = self.new(), self.new()
        else_b = self.new() if alt is not None else after
        self.cond(node.child_by_field_name("condition"), then_b.id, else_b.id)
        self.start(then_b)
        if cons is not None:
            self.stmt(cons)
        self.jump(after.id)
        if alt is not None:
            self.start(else_b)
            for c in alt.named_children:
                self.stmt(c)
            self.jump(after.id)
        self.start(after)

    def s_while_statement(self, node) -> None:
        header = self.new()
        header.loop_header = True
        body_b, after = self.new(), self.new()
        self.jump(header.id)
        self.start(header)
        self.cond(node.child_by_field_name("condition"), body_b.id, after.id)
        self.start(body_b)
        self.loops.append((after.id, header.id, len(self.scopes)))
        self.stmt(node.child_by_field_name("body"))
        self.loops.pop()
        self.jump(header.id)
        self.start(after)

    def s_do_statement(self, node) -> None:
        body_b = self.new()
        body_b.loop_header = True
        cond_b, after = self.new(), self.new()
        self.jump(body_b.id)
        self.start(body_b)
        self.loops.append((after.id, cond_b.id, len(self.scopes)))
        self.stmt(node.child_by_field_name("body"))
        self.loops.pop()
        self.jump(cond_b.id)
        self.start(cond_b)
        self.cond(node.child_by_field_name("condition"), body_b.id, after.id)
        self.start(after)

    def s_for_statement(self, node) -> None:
        self.push_scope(node, "loop")
        for init in node.children_by_field_name("initializer"):
            if init.type == "declaration":
                self.s_declaration(init)
            else:
                self.expr(init)
        header = self.new()
        header.loop_header = True
        body_b, update_b, after = self.new(), self.new(), self.new()
        self.jump(header.id)
        self.start(header)
        c = node.child_by_field_name("condition")
        if c is not None:
            self.cond(c, body_b.id, after.id)
        else:
            self.jump(body_b.id)
        self.start(body_b)
        self.loops.append((after.id, update_b.id, len(self.scopes)))
        body = node.child_by_field_name("body")
        if body is not None:
            self.stmt(body)
        self.loops.pop()
        self.jump(update_b.id)
        self.start(update_b)
        for u in node.children_by_field_name("update"):
            self.expr(u)
        self.jump(header.id)
        self.start(after)
        self.pop_scope(Span(node.end_byte - 1, node.end_byte))

    def s_switch_statement(self, node) -> None:
        c = node.child_by_field_name("condition")
        if c is not None:
            self.expr(c)
        body = node.child_by_field_name("body")
        after = self.new()
        if self.cur is None:
            self.cur = self.new()
        dispatch = self.cur
        self.cur = None
        if body is None:
            dispatch.succs.append(after.id)
            self.start(after)
            return
        depth = len(self.scopes)
        self.push_scope(body)
        cases = [ch for ch in body.named_children if ch.type == "case_statement"]
        blocks = [self.new() for _ in cases]
        for b in blocks:
            dispatch.succs.append(b.id)
        if not any(ch.child_by_field_name("value") is None for ch in cases):
            dispatch.succs.append(after.id)
        self.loops.append((after.id, None, depth))
        for case, b in zip(cases, blocks):
            if self.cur is not None:
                self.jump(b.id)
            self.start(b)
            value = case.child_by_field_name("value")
            for s in case.named_children:
                if value is not None and s == value:
                    continue
                self.stmt(s)
        self.loops.pop()
        self.pop_scope(_closing(body))
        self.jump(after.id)
        self.start(after)

    def _loop_target(self, kind: str):
        for brk, cont, depth in reversed(self.loops):
            target = brk if kind == "break" else cont
            if target is not None:
                return target, depth
        return None, 0

    def s_break_statement(self, node) -> None:
        target, depth = self._loop_target("break")
        if target is not None:
            self.drops(None, "scope", depth)
            self.jump(target)

    def s_continue_statement(self, node) -> None:
        target, depth = self._loop_target("continue")
        if target is not None:
            self.drops(None, "scope", depth)
            self.jump(target)

    def _label(self, name: str) -> int:
        b = self.labels.get(name)
        if b is None:
            b = self.labels[name] = self.new().id
        return b

    def s_goto_statement(self, node) -> None:
        lab = node.child_by_field_name("label")
        if lab is not None:
            name = self.txt(lab)
            at = self.label_at.get(name)
            if at is not None:
                # the scopes the jump leaves: those that do not hold the label. Their tracked
                # locals end here, at the `goto` keyword (reason "return": "leaks here", the exit
                # that leaves them). AgeRun's cleanup label (X10) sits in the function's body
                # with the locals it destroys, so a `goto error;` drops nothing.
                depth = next((i for i in range(1, len(self.scopes))
                              if not (self.scopes[i][0].span.start <= at < self.scopes[i][0].span.end)),
                             len(self.scopes))
                self.drops(Span(node.start_byte, node.start_byte + 4), "return", depth)
            self.jump(self._label(name))

    def s_labeled_statement(self, node) -> None:
        lab = node.child_by_field_name("label")
        b = self._label(self.txt(lab)) if lab is not None else self.new().id
        self.jump(b)
        self.start(self.ir.blocks[b])
        for c in node.named_children:
            if c != lab:
                self.stmt(c)

    def s_return_statement(self, node) -> None:
        kw = Span(node.start_byte, node.start_byte + 6)
        value = next((c for c in node.named_children if c.type != "comment"), None)
        kind = "none"
        failure = False
        moved: set = set()
        if value is not None:
            inner = unwrap(value)
            failure = inner is not None and (is_null(inner, self.data) or self.txt(inner) in _FAILURE_VALUES)
            loc = self.resolve(inner)
            if loc is not None:
                kind = {"own": "owned", "ref": "borrowed"}.get(prefix_of(loc.name), "unknown")   # a returned mut_ local may be a misnamed owner (ar_method.c)
                if loc.must_consume:
                    self.emit(Move(loc.id, _span(inner), "by return"))
                    moved.add(loc.id)
                    self.out.returned[len(self.out.return_kinds)] = _span(inner)
                else:
                    self.emit(Use(loc.id, _span(inner), "read"))
            else:
                v = self.expr(value)
                if is_null(value, self.data):
                    kind = "null"
                elif v is not None and v[0] == "call":
                    s = v[2]
                    kind = s.returns if s is not None and s.returns in ("owned", "borrowed") else "unknown"
                    for lid, _sp, _callee in v[3]:
                        p = self.param_ids.get(lid)
                        if p is not None:
                            self.out.passthrough.add(self.ir.locals[lid].name)
                elif inner is not None and inner.type == "field_expression":
                    kind = "borrowed"
                else:
                    kind = "unknown"
        self.out.return_kinds.append(kind)
        if failure:
            self.out.failure_exits.add(kw)
        if self.cur is not None:
            self.out.exits.add(kw)
        skip = set()
        if failure and not self.for_summary and self.self_summary is not None:
            for lid, i in self.param_ids.items():
                pf = self.self_summary.param(i)
                if pf is not None and pf.consumes == "on_success":
                    skip.add(lid)
        self.drops(kw, "return", 0, skip)
        self.jump(self.ir.exit)

    # ---- conditions ---------------------------------------------------------------------
    def cond(self, node, t: int, f: int) -> None:
        n = unwrap(node)
        if n is None:
            self.branch(t, f)
            return
        ty = n.type
        constant = self._constant(n)
        if constant is not None:
            # `while (true)`, `do { ... } while (0)`: the edge the constant never takes is not
            # a path (a loop that only `return`s or `break`s out does not fall off its end)
            if self.cur is None:
                self.cur = self.new()
            self.jump(t if constant else f)
            return
        if ty == "unary_expression" and self.txt(n.child_by_field_name("operator")) == "!":
            self.cond(n.child_by_field_name("argument"), f, t)
            return
        if ty == "binary_expression":
            op = self.txt(n.child_by_field_name("operator"))
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            if op in ("&&", "||"):
                # (not when reading a body for its summary: there a guard's return says nothing
                # about what the function does with a value it was given)
                guarded = self._null_disjuncts(n) if op == "||" and not self.for_summary else []
                if len({loc.id for loc, _ in guarded}) == 1:
                    # X11: `if (!mut_a || !own_x) return ...;` -- the guard says own_x may be NULL
                    # on the way in, whichever disjunct fired (own_x usually came from mut_a): no
                    # leak of own_x is reported there. Two owned values tested together
                    # (`!own_a || !own_b`) are independent: the one not NULL leaks.
                    edge = self.new()
                    edge.events.extend(Refine(loc.id, sp, True) for loc, sp in guarded)
                    edge.succs.append(t)
                    t = edge.id
                mid = self.new()
                if op == "&&":
                    self.cond(left, mid.id, f)
                else:
                    self.cond(left, t, mid.id)
                self.start(mid)
                self.cond(right, t, f)
                return
            if op in ("==", "!="):
                other = right if self._nothing(left) else left if self._nothing(right) else None
                if other is not None:
                    # `x == NULL` is true on the null edge: swap so t is the non-null edge
                    if op == "==":
                        t, f = f, t
                    self.cond_value(other, t, f)
                    return
        self.cond_value(n, t, f)

    def _null_disjuncts(self, node) -> list:
        """(tracked local, span) of each `!own_x` / `own_x == NULL` disjunct of an `||` chain."""
        out = []
        stack = [node]
        while stack:
            n = unwrap(stack.pop())
            if n is None:
                continue
            if n.type == "binary_expression":
                op = self.txt(n.child_by_field_name("operator"))
                left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
                if op == "||":
                    stack += [right, left]
                    continue
                if op == "==":
                    other = right if self._nothing(left) else left if self._nothing(right) else None
                    loc = self.resolve(unwrap(other)) if other is not None else None
                    if loc is not None and loc.must_consume:
                        out.append((loc, _span(unwrap(other))))
                continue
            if n.type == "unary_expression" and self.txt(n.child_by_field_name("operator")) == "!":
                inner = unwrap(n.child_by_field_name("argument"))
                loc = self.resolve(inner) if inner is not None else None
                if loc is not None and loc.must_consume:
                    out.append((loc, _span(inner)))
        return out

    def _is_flag(self, loc: Local) -> bool:
        return not loc.must_consume and loc.name in self.flags

    def _assumed(self, loc: Local, span: Span) -> tuple[list, list]:
        """The events heading the true and the false edge of a test of `loc`."""
        if not self._is_flag(loc):
            return [], []
        return [Assume(loc.id, span, True)], [Assume(loc.id, span, False)]

    def _truth(self, node) -> bool | None:
        """The truth of a value stored into a flag, when it is a literal (true, 0, NULL)."""
        n = unwrap(node)
        if n is None:
            return None
        c = self._constant(n)
        if c is not None:
            return c
        return False if is_null(n, self.data) else None

    def _unknown_flag(self, node) -> None:
        """A flag changed in a way custody does not evaluate (`found |= x`, `count++`)."""
        loc = self.resolve(unwrap(node))
        if loc is not None and self._is_flag(loc):
            self.emit(Flag(loc.id, _span(node), None))

    def _constant(self, n) -> bool | None:
        """The truth of a literal condition (true, false, a number), else None."""
        if n.type in ("true", "false"):
            return n.type == "true"
        if n.type == "number_literal":
            try:
                return int(self.txt(n).rstrip("uUlL"), 0) != 0
            except ValueError:
                return None
        return None

    def _nothing(self, node) -> bool:
        """NULL, 0 or false: what a failed call or an empty pointer compares equal to."""
        n = unwrap(node)
        return n is not None and (is_null(n, self.data) or n.type == "false")

    def cond_value(self, node, t: int, f: int) -> None:
        """A value tested for truth: t is taken when it is non-NULL / true."""
        n = unwrap(node)
        loc = self.resolve(n)
        if loc is not None:
            if loc.must_consume:
                sp = _span(n)
                self.emit(Use(loc.id, sp, "test"))
                kept = failure_events(*self.pending.get(loc.id, ((), ())))
                self.branch(t, f, [Refine(loc.id, sp, False)], [Refine(loc.id, sp, True)] + kept)
                return
            pend = self.pending.get(loc.id)
            self.emit(Use(loc.id, _span(n), "read"))
            known = self._assumed(loc, _span(n))
            if pend:
                self.branch(t, f, known[0], known[1] + failure_events(*pend))
                return
            self.branch(t, f, *known)
            return
        v = self.expr(n) if n is not None else None
        if v is not None and v[0] == "assigned":
            loc = v[1]
            if loc.must_consume:
                self.emit(Use(loc.id, v[2], "test"))
                kept = failure_events(*self.pending.get(loc.id, ((), ())))
                self.branch(t, f, [Refine(loc.id, v[2], False)], [Refine(loc.id, v[2], True)] + kept)
                return
            if self._is_flag(loc):
                known = self._assumed(loc, v[2])
                self.branch(t, f, known[0], known[1] + failure_events(*self.pending.get(loc.id, ((), ()))))
                return
        if v is not None and v[0] == "call" and (v[3] or v[5]):
            self.branch(t, f, [], failure_events(v[3], v[5]))
            return
        self.branch(t, f)

    # ---- expressions ----------------------------------------------------------------------
    def read(self, node) -> None:
        n = unwrap(node)
        loc = self.resolve(n)
        if loc is not None:
            self.emit(Use(loc.id, _span(n), "read"))
        elif n is not None:
            self.expr(n)

    def rhs(self, node):
        """The value of an initialiser or right-hand side: a bare local is not read yet (its
        store decides: transfer or alias)."""
        n = unwrap(node)
        loc = self.resolve(n)
        if loc is not None:
            return ("local", loc, _span(n))
        if n is not None and is_null(n, self.data):
            return ("null",)
        return self.expr(n) if n is not None else None

    def expr(self, node):
        if node is None:
            return None
        t = node.type
        if t in _WRAPPERS:
            return self.expr(unwrap(node))
        if t == "identifier":
            loc = self.resolve(node)
            if loc is not None:
                self.emit(Use(loc.id, _span(node), "read"))
                return ("local", loc, _span(node))
            return None
        if t == "call_expression":
            return self.call(node)
        if t == "assignment_expression":
            return self.assign(node)
        if t == "binary_expression":
            op = self.txt(node.child_by_field_name("operator"))
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op in ("&&", "||"):
                tb, fb, after = self.new(), self.new(), self.new()
                self.cond(node, tb.id, fb.id)
                self.start(tb)
                self.jump(after.id)
                self.start(fb)
                self.jump(after.id)
                self.start(after)
                return None
            if op in ("==", "!="):
                other = right if is_null(left, self.data) else left if is_null(right, self.data) else None
                if other is not None:
                    o = unwrap(other)
                    loc = self.resolve(o)
                    if loc is not None:
                        self.emit(Use(loc.id, _span(o), "test" if loc.must_consume else "read"))
                        return None
                    self.expr(other)
                    return None
            self.expr(left)
            self.expr(right)
            return None
        if t == "unary_expression":
            arg = node.child_by_field_name("argument")
            o = unwrap(arg)
            loc = self.resolve(o)
            if loc is not None and self.txt(node.child_by_field_name("operator")) == "!":
                self.emit(Use(loc.id, _span(o), "test" if loc.must_consume else "read"))
                return None
            self.expr(arg)
            return None
        if t == "pointer_expression":
            arg = node.child_by_field_name("argument")
            op = node.child_by_field_name("operator")
            if op is not None and self.txt(op) == "&":
                o = unwrap(arg)
                loc = self.resolve(o)
                if loc is not None:
                    if loc.must_consume:
                        self.emit(Opaque(loc.id, _span(o), "its address (&)"))
                    else:
                        self.emit(Use(loc.id, _span(o), "read"))
                    return None
            self.read(arg)
            return ("deref",)
        if t == "field_expression":
            self.read(node.child_by_field_name("argument"))
            return ("field",)
        if t == "conditional_expression":
            tb, fb, after = self.new(), self.new(), self.new()
            self.cond(node.child_by_field_name("condition"), tb.id, fb.id)
            self.start(tb)
            self.read(node.child_by_field_name("consequence"))
            self.jump(after.id)
            self.start(fb)
            self.read(node.child_by_field_name("alternative"))
            self.jump(after.id)
            self.start(after)
            return None
        if t == "initializer_list" or t == "initializer_pair":
            for c in node.named_children:
                o = unwrap(c)
                loc = self.resolve(o)
                if loc is not None and loc.must_consume:
                    self.emit(Opaque(loc.id, _span(o), "an initializer"))
                else:
                    self.expr(c)
            return None
        if t in ("sizeof_expression", "alignof_expression", "string_literal", "concatenated_string",
                 "number_literal", "char_literal", "true", "false", "null", "comment", "type_descriptor",
                 "field_identifier", "offsetof_expression"):
            return None
        if t == "comma_expression":
            self.expr(node.child_by_field_name("left"))
            return self.expr(node.child_by_field_name("right"))
        if t == "update_expression":
            arg = node.child_by_field_name("argument")
            self.expr(arg)
            self._unknown_flag(arg)
            return None
        for c in node.named_children:
            self.expr(c)
        return None

    # ---- calls ----------------------------------------------------------------------------
    def call(self, node):
        fnode = node.child_by_field_name("function")
        args_node = node.child_by_field_name("arguments")
        args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
        f = unwrap(fnode)
        name = self.txt(f) if f is not None and f.type == "identifier" and self.resolve(f) is None else None
        if name is None:
            if fnode is not None:
                self.expr(fnode)
            head = fnode
            callee = self.txt(fnode) if fnode is not None else "?"
            summary = None
        else:
            head = f
            callee = name
            summary = self.lookup(name)
        head_span = _span(head) if head is not None else _span(node)
        site = None
        later = []           # events of bare arguments, after the other arguments are evaluated
        modes = []
        on_success = []
        unsure = []          # "always" said only by a doc or a prefix: unknown on a failure edge
        for i, a in enumerate(args):
            o = unwrap(a)
            loc = self.resolve(o)
            pf = summary.param(i) if summary is not None else None
            label = pf.name if pf is not None and pf.name else f"#{i + 1}"
            if loc is None:
                self.expr(a)
                modes.append((label, self._mode(name, summary, pf)))
                continue
            sp = _span(o)
            if name in ASSERT_OWNED:
                later.append(Use(loc.id, sp, "assert_owned"))
                modes.append((label, "reads"))
                continue
            if name in ASSERT_RELEASED:
                later.append(Use(loc.id, sp, "assert_released"))
                modes.append((label, "reads"))
                continue
            mode = self._mode(name, summary, pf)
            if mode == "unknown" and summary is None and self.for_summary:
                mode = "lends"       # reading a body: a macro or undeclared helper is not where it goes
            if (mode == "lends" and pf is not None and loc.must_consume and not pf.const
                    and pf.depth == 1 and _is_void_pointer(pf.ty)):
                # X2: a generic container or registry (AgeRun's lists, maps, registries hold
                # `void *` items) keeps what it is given. (A typed `mut_` parameter is lent:
                # `ar_instruction_ast__set_function_arg_asts(own_ast, own_arg_asts)` changes
                # own_ast, it does not keep it.)
                mode = "unknown"
            modes.append((label, mode))
            if summary is not None and name not in LENDING and mode not in ("lends", "reads"):
                self.out.handed.add(loc.id)      # given (not lent) to a callee custody knows
            if not loc.must_consume:
                later.append(Use(loc.id, sp, "borrow" if mode == "lends" else "read"))
                continue
            if site is None:
                site = CallSite(len(self.out.calls), callee, _span(node), head_span)
            if mode == "destroys":
                later.append(Destroy(loc.id, sp, callee, site))
            elif mode == "transfers":
                later.append(Move(loc.id, sp, f"into `{callee}` (always consumes)", site))
                if pf is not None and pf.origin in UNSURE_ON_FAILURE:
                    unsure.append((loc.id, sp, callee))
            elif mode == "transfers_on_success":
                later.append(Move(loc.id, sp, f"into `{callee}` (consumes on success)", site))
                on_success.append((loc.id, sp, callee))
            elif mode == "unknown":
                later.append(Opaque(loc.id, sp, callee))
            elif mode == "lends":
                later.append(Use(loc.id, sp, "borrow"))
            else:
                later.append(Use(loc.id, sp, "read"))
        for ev in later:
            self.emit(ev)
        if not self.lean:
            self.out.calls.append(CallFact(callee, head_span, _span(node), summary, tuple(modes)))
        return ("call", callee, summary, on_success, args, unsure)

    @staticmethod
    def _mode(name, summary: Summary | None, pf) -> str:
        if name is not None and name in LENDING:
            return "lends"
        if summary is None:
            return "unknown"
        if pf is None:
            return "reads" if summary.variadic else "unknown"
        if pf.destroys:
            return "destroys"
        if pf.consumes == "always":
            return "transfers"
        if pf.consumes == "on_success":
            return "transfers_on_success"
        if pf.depth == 0:
            return "reads"
        if pf.prefix in ("ref", "mut") or pf.const or pf.consumes == "never":
            return "lends" if pf.depth == 1 or pf.prefix in ("ref", "mut") else "unknown"
        if pf.prefix == "own":
            return "lends"      # a `T **own_` slot: the elements move, the array stays (X5)
        return "unknown"

    # ---- stores -------------------------------------------------------------------------------
    def assign(self, node):
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = self.txt(node.child_by_field_name("operator")) if node.child_by_field_name("operator") else "="
        l = unwrap(left)
        if op != "=":
            self.read(right)
            self.read(left)
            self._unknown_flag(l)
            return None
        loc = self.resolve(l)
        if loc is not None:
            v = self.rhs(right)
            self.store_local(loc, _span(l), right, v, fresh=False)
            return ("assigned", loc, _span(l))
        # a store into a field, through a pointer, into an array element
        if l is not None:
            if l.type == "field_expression":
                self.read(l.child_by_field_name("argument"))
            elif l.type == "pointer_expression":
                self.read(l.child_by_field_name("argument"))
            elif l.type == "subscript_expression":
                self.read(l.child_by_field_name("argument"))
                self.read(l.child_by_field_name("index"))
            else:
                self.expr(l)
        v = self.rhs(right)
        if v is not None and v[0] == "local":
            src = v[1]
            target = last_component(l, self.data)
            if src.must_consume and prefix_of(target) not in ("ref", "mut") and not self._local_slot(l):
                holder = None
                if l.type == "field_expression":
                    base = l.child_by_field_name("argument")
                    holder = " ".join(self.txt(base).split()) if base is not None else None
                self.emit(Move(src.id, v[2], f"into `{self.txt(left)}`", holder=holder))
            elif not src.must_consume:
                self.emit(Use(src.id, v[2], "read"))
            # else: a borrowed alias of the value is stored next to its owner (X9): not a use
        return None

    def store_local(self, loc: Local, span: Span, value_node, v, fresh: bool) -> None:
        """`loc = value` (or its initialiser): hand the old value on, then say what it holds."""
        if v is not None and v[0] == "local":
            src = v[1]
            if src.must_consume and loc.must_consume and src.id != loc.id:
                self.emit(Move(src.id, v[2], f"into `{loc.name}`"))
                if not fresh:
                    self.emit(Assign(loc.id, span))
                self.emit(Bind(loc.id, span))
                return
            self.emit(Use(src.id, v[2], "read"))
        if loc.must_consume:
            realloc = (v is not None and v[0] == "call" and v[1] in REALLOCS and v[4]
                       and self.resolve(unwrap(v[4][0])) is loc)
            if not fresh and not realloc:
                self.emit(Assign(loc.id, span))
            if v is not None and v[0] == "null":
                self.emit(Clear(loc.id, span))
            elif v is not None and v[0] == "call":
                s = v[2]
                if v[3] or v[5]:
                    self.pending[loc.id] = (v[3], v[5])     # own_d = f(own_x); if (!own_d) ...: kept
                else:
                    self.pending.pop(loc.id, None)
                if s is not None and s.returns == "owned":
                    self.emit(Bind(loc.id, span))
                elif self._extraction(v[1], v[4]):
                    self.emit(Bind(loc.id, span))            # X1: taken out of a container it owns
                else:
                    self.emit(Opaque(loc.id, span, v[1]))
            else:
                self.emit(Opaque(loc.id, span, "an expression custody does not follow"))
            return
        if v is not None and v[0] == "call" and (v[3] or v[5]) and loc.cls == "copy":
            self.pending[loc.id] = (v[3], v[5])             # bool ok = f(own_x); if (!ok) ...
        else:
            self.pending.pop(loc.id, None)
        self.emit(Bind(loc.id, span))
        if self._is_flag(loc):
            self.emit(Flag(loc.id, span, self._truth(value_node)))

    def _local_slot(self, node) -> bool:
        """A field or element of a local struct value (`state.items[i]`): a stack of aliases the
        function keeps for itself, not an owner (unless the slot says `own_`)."""
        if prefix_of(last_component(node, self.data)) == "own":
            return False
        n = unwrap(node)
        while n is not None and n.type in ("field_expression", "subscript_expression"):
            if n.type == "field_expression":
                op = n.child_by_field_name("operator")
                if op is not None and self.txt(op) == "->":
                    return False
            n = unwrap(n.child_by_field_name("argument"))
        loc = self.resolve(n)
        return loc is not None and loc.cls == "copy"

    def _extraction(self, callee: str, args) -> bool:
        return is_extraction(callee) and bool(args) and prefix_of(last_component(args[0], self.data)) == "own"


# Where an "always consumes" fact comes from when nothing has said what happens on failure: an
# `own_` parameter whose doc says only "takes ownership" (or nothing). That is often wrong for the
# failure case (reference 4.3: such docs belong to functions that return false without consuming,
# X3), so on the failure edge of a tested call such a sink leaves its argument unknown: a destroy
# there is not a double destroy, and no destroy there is not a leak. A body custody read, a doc
# that says what happens on failure ("if sending fails, function will destroy"), or custody.toml
# are trusted.
UNSURE_ON_FAILURE = frozenset({"its `own_` prefix"})


# X1: what a container's owner takes out of it (`ar_list__remove_first(own_list)`,
# `ar_map__get(own_map, key)`) is owned although the accessor returns a borrowed value; a call of
# another kind with an `own_` first argument (`ar_system_fixture__register_method(own_fixture,
# ...)`) is not an extraction.
_EXTRACTING = re.compile(r"__(remove|get|take|pop|dequeue|first|last|find)")


def is_extraction(callee: str) -> bool:
    return bool(_EXTRACTING.search(callee or ""))


def _is_void_pointer(ty: str) -> bool:
    """`void *` (the element type of AgeRun's ar_list/ar_map and registries)."""
    return ty.replace("*", " ").split() == ["void"]


def failure_events(kept, unsure) -> list:
    """The events at the head of a tested call's failure edge: an on-success sink gave its
    argument back (Kept); an always-sink custody only has a doc for leaves it unknown (Opaque)."""
    return ([Kept(lid, sp, callee) for lid, sp, callee in kept]
            + [Opaque(lid, sp, callee) for lid, sp, callee in unsure])


def _span(node) -> Span:
    return Span(node.start_byte, node.end_byte)


_TESTS = ("if_statement", "while_statement", "do_statement", "for_statement", "conditional_expression")


def _flag_names(body, data: bytes) -> frozenset:
    """The plain locals a body tests for truth directly (`if (!found)`, `while (more && ...)`),
    less those whose address it takes (anything may then change them): the flags whose tests the
    checker correlates (ir.Flag, ir.Assume)."""
    tested, addressed = set(), set()
    stack = [body]
    while stack:
        n = stack.pop()
        t = n.type
        if t in _TESTS:
            c = n.child_by_field_name("condition")
            todo = [c] if c is not None else []
            while todo:
                x = unwrap(todo.pop())
                if x is None:
                    continue
                if x.type == "identifier":
                    tested.add(data[x.start_byte:x.end_byte])
                elif x.type == "unary_expression" and data[x.start_byte:x.start_byte + 1] == b"!":
                    todo.append(x.child_by_field_name("argument"))
                elif x.type == "binary_expression":
                    op = x.child_by_field_name("operator")
                    if op is not None and op.type in ("&&", "||"):
                        todo.append(x.child_by_field_name("left"))
                        todo.append(x.child_by_field_name("right"))
        elif t == "pointer_expression":
            op = n.child_by_field_name("operator")
            arg = unwrap(n.child_by_field_name("argument"))
            if op is not None and op.type == "&" and arg is not None and arg.type == "identifier":
                addressed.add(data[arg.start_byte:arg.end_byte])
        stack.extend(n.named_children)
    return frozenset(x.decode("utf-8", "replace") for x in tested - addressed)


def _labels(body, data: bytes) -> dict[str, int]:
    """Where each label of a function body is (a `goto` may jump forward to one not seen yet)."""
    out: dict[str, int] = {}
    stack = [body] if body is not None else []
    while stack:
        n = stack.pop()
        if n.type == "labeled_statement":
            lab = n.child_by_field_name("label")
            if lab is not None:
                out.setdefault(data[lab.start_byte:lab.end_byte].decode("utf-8", "replace"), n.start_byte)
        stack.extend(c for c in n.named_children if c.type not in _LEAVES)
    return out


_LEAVES = frozenset({"comment", "identifier", "number_literal", "string_literal", "primitive_type",
                     "type_identifier", "field_identifier", "char_literal"})


def _closing(node) -> Span:
    if node is not None and node.child_count and node.children[-1].type == "}":
        c = node.children[-1]
        return Span(c.start_byte, c.end_byte)
    end = node.end_byte if node is not None else 0
    return Span(max(0, end - 1), end)


def lower_function(fn: CFunction, data: bytes, lookup, lean: bool = False, for_summary: bool = False,
                   self_summary: Summary | None = None) -> Lowered:
    return _Lowerer(fn, data, lookup, lean, for_summary, self_summary).run()


@dataclass
class Learned:
    consumes: dict          # parameter index -> always | on_success
    returns: str | None


def learn_implementation(fn: CFunction, data: bytes, summaries, path) -> Learned:
    """What a function's body says of its `own_` parameters and its return (docs/c.md source 2)."""
    from ..ownership.release import check_release

    low = lower_function(fn, data, lambda n: summaries.lookup(n, path), lean=True, for_summary=True)
    consumes: dict = {}
    sinks = [(i, p.name) for i, p in enumerate(fn.params) if p.prefix == "own" and p.depth == 1 and not p.fnptr]
    if sinks:
        low.fn.codes = {"param_not_consumed": "L2"}
        res = check_release(low.fn, record=False)
        for i, name in sinks:
            # the exits that keep it (one finding per exit, or one for all of them: release.py's
            # "never consumed", whose related locations are the exits)
            spans = [sp for f in res.findings if f"`{name}`" in f.message
                     for sp in ([f.span] + [r.span for r in f.related if r.message == "kept at this exit"])]
            if not spans:
                consumes[i] = "on_success" if name in low.passthrough else "always"
            elif low.exits and low.exits <= set(spans) and not any(
                    low.fn.locals[lid].name == name for lid in low.handed):
                consumes[i] = "never"          # kept on every exit: the caller still owns it
            elif any(s in low.failure_exits for s in spans):
                # kept on a failing exit: not an always-consume sink (where it goes on success may be
                # something custody cannot see, e.g. a runtime ownership claim)
                consumes[i] = "on_success"
    return_kinds = list(low.return_kinds)
    if low.returned and "owned" in return_kinds:
        # `return own_x;` returns what the caller then owns only where own_x still owns its
        # value: one already transferred to a sink is returned as a borrowed alias (AgeRun's
        # ar_system_fixture__register_method). (Not one that merely escaped to something custody
        # cannot see: a macro, a `void *` container -- that may be either.)
        model = check_release(low.fn, record=True).model
        before = {p.span: p.state for p in model.points if not p.is_definition} if model else {}
        for i, sp in low.returned.items():
            state = before.get(sp)
            if state == "transferred":
                return_kinds[i] = "borrowed"
            elif state == "unknown":
                # handed to something custody cannot see before it is returned (a registry that
                # keeps it, a macro): the body does not say who owns it; the doc, const or the
                # name decide (AgeRun's ar_shell__start_session: stored in the shell's list,
                # documented as a borrowed return)
                return_kinds[i] = "unknown"
    kinds = [k for k in return_kinds if k not in ("null", "none")]
    returns = None
    if kinds and all(k == "owned" for k in kinds):
        returns = "owned"
    elif kinds and all(k == "borrowed" for k in kinds):
        returns = "borrowed"
    return Learned(consumes, returns)
