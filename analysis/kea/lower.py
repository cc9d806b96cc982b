"""Lowering one Kea function to the ownership IR (analysis/ownership/ir.py), with Kea's move rules
(docs/kea.md; Kea's `check_unique_moves_*` in kea-hir):

- only `Unique` values are tracked (K1): parameters and `let`s typed `Unique T`/`Unique(T)`/an
  alias of it, `let`s whose value is `Unique(..)`, a call of a function declared `-> Unique ..`
  (here or in an imported module) or a tracked variable (`let y = x`);
- every occurrence of a tracked variable moves it (the tail expression included) (K2), except a
  bare variable at a `borrow` position of a callee resolved by name, which is read (K3);
- a `borrow` parameter (written, or inferred by auto-borrow) is a `lent` local: any move is K4;
- a lambda (and the body of `with`) moves each tracked variable it mentions, where it is
  written; its body starts from a fresh state (K7);
- `if`/`case`/`cond` arms must agree on what they moved (K5/K6: ArmEnd/Agree events);
- each `handle` clause runs on its own copy of the state (a dead-end branch), `then` and the
  code after it on the main one (K8).
Nothing is ever dropped: Kea is affine.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..ownership.ir import Agree, ArmEnd, Bind, Block, FunctionIR, Local, Move, Scope, Use
from ..source import Span
from . import codes as C
from .module import Function, KeaModule, param_of, span, text

IR_CODES = {"use_after_move": C.K2, "read_after_move": C.K3, "consume_lent": C.K4,
            "if_mismatch": C.K5, "case_mismatch": C.K6}
IR_WORDS = {"use_after_move": C.MESSAGES[C.K2], "read_after_move": C.MESSAGES[C.K3],
            "consume_lent": C.MESSAGES[C.K4], "if_mismatch": C.MESSAGES[C.K5],
            "case_mismatch": C.MESSAGES[C.K6], "moved_some_paths": "",
            "moved_here": "value was moved here", "declared_here": "`{name}` declared here",
            "moved_in_arm": "`{name}` moved here in this branch",
            "kept_in_arm": "`{name}` still live at the end of this branch",
            "lent_parameter": "a `borrow` parameter: read-only here (it may not be returned, aliased, "
                              "passed on to consume or captured)"}

_SKIP_FIELDS = frozenset({"type", "name", "field", "label", "operator", "pattern", "constructor",
                          "effect", "operation", "continuation", "parameters", "return_type"})
_LITERALS = frozenset({"integer", "float", "string", "char", "boolean", "none", "unit", "comment",
                       "upper_identifier", "wildcard_pattern"})


@dataclass(frozen=True)
class Callee:
    module: str            # "" for the file itself, else the imported module's path ("Alpha")
    name: str              # the function's name in its module
    shown: str             # as the call spells it ("A.f", "f")
    fn: Function
    kmodule: KeaModule

    @property
    def key(self) -> tuple:
        return (self.module, self.name)


@dataclass
class CallFact:
    callee: str
    head_span: Span
    span: Span
    target: Callee | None
    modes: list = field(default_factory=list)      # (argument text, passing key)


class Env:
    """What a function's lowering knows of the world: its module, the modules it imports (path
    -> KeaModule or None when not found) and the borrow positions of every callee it can name
    (key (module, name) -> set of parameter indices)."""

    def __init__(self, module: KeaModule, imports: dict, borrow: dict):
        self.module = module
        self.imports = imports
        self.borrow = borrow

    def with_borrow(self, borrow: dict) -> "Env":
        return Env(self.module, self.imports, borrow)

    def _imported(self, qualifier: str):
        for u in self.module.uses:
            last = u.module.rsplit(".", 1)[-1]
            if qualifier in (u.alias, u.module, last) and (u.alias is None or qualifier == u.alias):
                return u.module, self.imports.get(u.module)
        return None, None

    def resolve(self, fnode, is_local) -> Callee | None:
        if fnode.type == "identifier":
            name = text(fnode)
            if is_local(name):
                return None
            f = self.module.function(name)
            if f is not None:
                return Callee("", name, name, f, self.module)
            for u in self.module.uses:
                if any(n == name for n, _ in u.items):
                    km = self.imports.get(u.module)
                    g = km.function(name) if km is not None else None
                    if g is not None:
                        return Callee(u.module, name, name, g, km)
            return None
        if fnode.type == "field_expression":
            q, f = fnode.child_by_field_name("value"), fnode.child_by_field_name("field")
            if q is None or f is None or q.type != "upper_identifier":
                return None
            if text(q) == self.module.name:
                g = self.module.function(text(f))
                return Callee("", text(f), f"{text(q)}.{text(f)}", g, self.module) if g is not None else None
            path, km = self._imported(text(q))
            if km is None:
                return None
            g = km.function(text(f))
            return Callee(path, text(f), f"{text(q)}.{text(f)}", g, km) if g is not None else None
        return None

    def positions(self, callee: Callee | None) -> frozenset:
        if callee is None:
            return frozenset()
        return frozenset(self.borrow.get(callee.key, ()))


@dataclass
class Lowered:
    fn: FunctionIR
    calls: list
    captures: set            # spans of lambda captures (K7)
    clauses: list            # spans of handler operation clauses (K8)
    params: dict             # parameter index -> local id (tracked parameters)


class Lowerer:
    def __init__(self, f: Function, env: Env, lent: frozenset):
        self.f = f
        self.env = env
        self.lent = lent
        ir = FunctionIR(f.name, f.span, f.name_span, codes=dict(IR_CODES))
        ir.words.update(IR_WORDS)
        ir.scopes.append(Scope(0, None, f.span, kind="function"))
        self.ir = ir
        self.cur: Block = ir.new_block()
        self.scopes: list[dict] = [{}]
        self.calls: list[CallFact] = []
        self.captures: set = set()
        self.clauses: list = []
        self.params: dict = {}

    # ---- plumbing -------------------------------------------------------------------------
    def emit(self, ev):
        self.cur.events.append(ev)

    def block(self, *preds) -> Block:
        b = self.ir.new_block()
        for p in preds:
            p.succs.append(b.id)
        return b

    def lookup(self, name: str):
        for s in reversed(self.scopes):
            if name in s:
                return s[name]
        return None

    def is_local(self, name: str) -> bool:
        return any(name in s for s in self.scopes)

    def visible(self) -> tuple:
        seen, out = set(), []
        for s in reversed(self.scopes):
            for name, lid in s.items():
                if name not in seen:
                    seen.add(name)
                    if lid is not None:
                        out.append(lid)
        return tuple(sorted(out))

    def new_local(self, name: str, sp: Span, ty: str, kind: str, lent: bool = False) -> int:
        lid = len(self.ir.locals)
        # a borrow parameter is its own borrowed root: the map shows it as borrowed, never moved
        self.ir.locals.append(Local(lid, name, sp, "view" if lent else "owned", ty, 0, kind, lent=lent,
                                    is_root_view=lent))
        self.ir.scopes[0].locals.append(lid)
        return lid

    def bind_names(self, pattern):
        for n in pattern_names(pattern):
            self.scopes[-1][n] = None

    # ---- the function ---------------------------------------------------------------------
    def run(self) -> Lowered:
        for i, p in enumerate(self.f.params):
            if p.name is None:
                continue
            if p.unique:
                lid = self.new_local(p.name, p.span, p.type_text, "param", lent=i in self.lent)
                self.scopes[0][p.name] = lid
                self.params[i] = lid
                self.emit(Bind(lid, p.span))
            else:
                self.scopes[0][p.name] = None
        if self.f.body is not None:
            self.expr(self.f.body, "by return")
        self.ir.exit = self.cur.id
        return Lowered(self.ir, self.calls, self.captures, self.clauses, self.params)

    # ---- expressions: each returns whether its value is Unique (for `let`) -------------------
    def expr(self, n, into: str = "here") -> bool:
        t = n.type
        h = getattr(self, "_" + t, None)
        if h is not None:
            return h(n, into)
        if t in _LITERALS:
            return False
        for i, c in enumerate(n.children):
            if not c.is_named or n.field_name_for_child(i) in _SKIP_FIELDS:
                continue
            self.expr(c)
        return False

    def _identifier(self, n, into):
        lid = self.lookup(text(n))
        if lid is not None:
            self.emit(Move(lid, span(n), into))
            return True
        return False

    def _parenthesized_expression(self, n, into):
        inner = [c for c in n.named_children if c.type != "comment"]
        return self.expr(inner[0], into) if len(inner) == 1 else any([self.expr(c) for c in inner])

    def _field_expression(self, n, into):
        v = n.child_by_field_name("value")
        if v is not None and v.type != "upper_identifier":
            self.expr(v, "here")
        return False

    def _block(self, n, into):
        self.scopes.append({})
        stmts = [c for c in n.named_children if c.type != "comment"]
        unique = False
        for i, s in enumerate(stmts):
            last = i == len(stmts) - 1
            unique = self.statement(s, into if last else "here")
        self.scopes.pop()
        return unique

    def statement(self, s, into) -> bool:
        if s.type == "let_expression":
            self._let(s)
            return False
        return self.expr(s, into)

    def _let(self, n, into="here"):
        pat, ty, val = (n.child_by_field_name(k) for k in ("pattern", "type", "value"))
        name = text(pat) if pat is not None and pat.type == "identifier" else None
        unique = self.expr(val, f"into `{name}`" if name else "into the `let`") if val is not None else False
        if pat is None:
            return False
        if name is not None:
            if (ty is not None and self.env.module.is_unique(ty)) or (ty is None and unique):
                lid = self.new_local(name, span(pat), " ".join(text(ty).split()) if ty is not None
                                     else "Unique", "let")
                self.emit(Bind(lid, span(pat)))
                self.scopes[-1][name] = lid
            else:
                self.scopes[-1][name] = None
        else:
            self.bind_names(pat)
        return False

    def _call_expression(self, n, into):
        fnode = n.child_by_field_name("function")
        args_node = n.child_by_field_name("arguments")
        callee = self.env.resolve(fnode, self.is_local) if fnode is not None else None
        if fnode is not None and fnode.type != "upper_identifier":
            self.expr(fnode, "into the call")
        args = [c for c in args_node.named_children if c.type != "comment"] if args_node is not None else []
        self.call(n, fnode, callee, args, None)
        ctor = fnode is not None and text(fnode) == "Unique"
        return ctor or (callee is not None and callee.fn.returns_unique)

    def call(self, n, fnode, callee, args, lam):
        positions = self.env.positions(callee)
        shown = callee.shown if callee is not None else (" ".join(text(fnode).split()) if fnode is not None
                                                         else "call")
        fact = CallFact(shown, span(fnode) if fnode is not None else span(n), span(n), callee)
        self.calls.append(fact)
        for i, a in enumerate(args):
            v = a.child_by_field_name("value") if a.type == "labeled_argument" else a
            if v is None:
                continue
            label = " ".join(text(v).split())[:40]
            if i in positions and v.type == "identifier":
                lid = self.lookup(text(v))
                if lid is not None:
                    self.emit(Use(lid, span(v), "borrow"))
                fact.modes.append((label, "borrows"))
                continue
            tracked = v.type == "identifier" and self.lookup(text(v)) is not None
            self.expr(v, f"into `{shown}`")
            fact.modes.append((label, ("moves" if tracked else "reads") if callee is not None or
                               tracked else "unknown"))
        if lam is not None:
            params, body, head = lam
            self.lambda_(params, body, head)
            fact.modes.append(("|..| (the `with` body)", "reads"))

    # lambdas -------------------------------------------------------------------------------
    def _lambda_expression(self, n, into):
        params = n.child_by_field_name("parameters")
        plist = [p for p in params.named_children if p.type == "parameter"] if params is not None else []
        self.lambda_(plist, n.child_by_field_name("body"), n)
        return False

    def lambda_(self, params, body, head):
        bound = set()
        for p in params:
            pat = p.child_by_field_name("pattern") if p.type == "parameter" else p
            if pat is not None:
                bound |= set(pattern_names(pat))
        first: dict = {}
        if body is not None:
            free_occurrences(body, bound, first)
        for name in sorted(first):
            lid = self.lookup(name)
            if lid is not None:
                sp = first[name]
                self.captures.add(sp)
                self.emit(Move(lid, sp, "into the lambda"))
        if body is None:
            return
        # the body: fresh state, a branch of its own that ends nowhere
        saved, saved_cur = self.scopes, self.cur
        start = self.block(self.cur)
        self.cur = start
        scope: dict = {}
        self.scopes = [scope]
        for p in params:
            if p.type != "parameter":
                for nme in pattern_names(p):
                    scope[nme] = None
                continue
            prm = param_of(p, self.env.module)
            if prm.name is not None and prm.unique:
                lid = self.new_local(prm.name, prm.span, prm.type_text, "param")
                scope[prm.name] = lid
                self.emit(Bind(lid, prm.span))
            else:
                pat = p.child_by_field_name("pattern")
                for nme in (pattern_names(pat) if pat is not None else ()):
                    scope[nme] = None
        self.expr(body, "by return")
        self.scopes, self.cur = saved, self.block(saved_cur)

    def _with_expression(self, n, into):
        call, pat, body = (n.child_by_field_name(k) for k in ("value", "pattern", "body"))
        params = [pat] if pat is not None else []
        if call is not None and call.type == "call_expression":
            fnode = call.child_by_field_name("function")
            callee = self.env.resolve(fnode, self.is_local) if fnode is not None else None
            if fnode is not None and fnode.type != "upper_identifier":
                self.expr(fnode, "into the call")
            an = call.child_by_field_name("arguments")
            args = [c for c in an.named_children if c.type != "comment"] if an is not None else []
            self.call(call, fnode, callee, args, (params, body, n))
        else:
            if call is not None:
                self.expr(call)
            self.lambda_(params, body, n)
        return False

    # branches ------------------------------------------------------------------------------
    def _if_expression(self, n, into):
        cond, then, alt = (n.child_by_field_name(k) for k in ("condition", "consequence", "alternative"))
        if cond is not None:
            self.expr(cond)
        kw = n.children[0]
        agree = Agree(span(kw), self.visible(), "if_mismatch")
        start = self.cur
        ends = []
        for i, arm in enumerate((then, alt)):
            self.cur = self.block(start)
            if arm is not None:
                self.scopes.append({})
                self.expr(arm, into)
                self.scopes.pop()
            self.emit(ArmEnd(agree, i, span(arm) if arm is not None else span(kw)))
            ends.append(self.cur)
        self.cur = self.block(*ends)
        self.emit(agree)
        return False

    def _case_expression(self, n, into):
        v = n.child_by_field_name("value")
        if v is not None:
            self.expr(v, "into the `case`")
        arms = [c for c in n.named_children if c.type == "case_arm"]
        self.arms(n, [(a.child_by_field_name("pattern"), a.child_by_field_name("guard"),
                       a.child_by_field_name("body"), a) for a in arms], into)
        return False

    def _cond_expression(self, n, into):
        arms = [c for c in n.named_children if c.type == "cond_arm"]
        self.arms(n, [(None, a.child_by_field_name("condition"), a.child_by_field_name("body"), a)
                      for a in arms], into)
        return False

    def arms(self, n, arms, into):
        kw = n.children[0]
        agree = Agree(span(kw), self.visible(), "case_mismatch")
        start = self.cur
        ends = []
        for i, (pat, guard, body, arm) in enumerate(arms):
            self.cur = self.block(start)
            self.scopes.append({})
            if pat is not None:
                self.bind_names(pat)
            if guard is not None:
                self.expr(guard)
            if body is not None:
                self.expr(body, into)
            self.scopes.pop()
            self.emit(ArmEnd(agree, i, span(arm)))
            ends.append(self.cur)
        if not arms:
            return
        self.cur = self.block(*ends)
        self.emit(agree)

    def _handle_expression(self, n, into):
        v = n.child_by_field_name("value")
        if v is not None:
            self.expr(v)
        start = self.cur
        for c in n.named_children:
            if c.type != "operation_clause":
                continue
            self.clauses.append(span(c))
            self.cur = self.block(start)
            self.scopes.append({})
            for p in c.children_by_field_name("parameters"):
                self.bind_names(p)
            k = c.child_by_field_name("continuation")
            if k is not None:
                self.scopes[-1][text(k)] = None
            b = c.child_by_field_name("body")
            if b is not None:
                self.expr(b)
            self.scopes.pop()
        self.cur = self.block(start)
        for c in n.named_children:
            if c.type == "then_clause":
                self.scopes.append({})
                p = c.child_by_field_name("pattern")
                if p is not None:
                    self.bind_names(p)
                b = c.child_by_field_name("body")
                if b is not None:
                    self.expr(b, into)
                self.scopes.pop()
        return False

    def _for_expression(self, n, into):
        v, p, b = (n.child_by_field_name(k) for k in ("value", "pattern", "body"))
        if v is not None:
            self.expr(v)
        self.scopes.append({})
        if p is not None:
            self.bind_names(p)
        if b is not None:
            self.expr(b)
        self.scopes.pop()
        return False


def pattern_names(pattern) -> list[str]:
    """The names a pattern binds."""
    out = []
    stack = [pattern]
    while stack:
        n = stack.pop()
        if n.type == "identifier":
            out.append(text(n))
            continue
        for i, c in enumerate(n.children):
            if not c.is_named:
                continue
            fname = n.field_name_for_child(i)
            if n.type == "field_pattern" and fname == "name" and n.child_by_field_name("pattern") is not None:
                continue
            if n.type == "constructor_pattern" and fname == "constructor":
                continue
            stack.append(c)
    return out


def free_occurrences(node, bound: set, first: dict) -> None:
    """The first occurrence of each name used in `node` and not bound inside it (lets, patterns,
    lambda parameters, clause parameters), in source order."""
    _free(node, set(bound), first)


def _free(n, bound: set, first: dict):
    t = n.type
    if t == "identifier":
        name = text(n)
        if name not in bound and name not in first:
            first[name] = span(n)
        return
    if t == "block":
        inner = set(bound)
        for c in n.named_children:
            if c.type == "let_expression":
                v = c.child_by_field_name("value")
                if v is not None:
                    _free(v, inner, first)
                p = c.child_by_field_name("pattern")
                if p is not None:
                    inner |= set(pattern_names(p))
            else:
                _free(c, inner, first)
        return
    if t == "lambda_expression":
        ps = n.child_by_field_name("parameters")
        inner = set(bound)
        for p in (ps.named_children if ps is not None else []):
            pat = p.child_by_field_name("pattern") if p.type == "parameter" else p
            if pat is not None:
                inner |= set(pattern_names(pat))
        b = n.child_by_field_name("body")
        if b is not None:
            _free(b, inner, first)
        return
    if t == "with_expression":
        v, p, b = (n.child_by_field_name(k) for k in ("value", "pattern", "body"))
        if v is not None:
            _free(v, bound, first)
        if b is not None:
            _free(b, bound | set(pattern_names(p) if p is not None else ()), first)
        return
    if t in ("case_arm", "then_clause", "operation_clause", "for_expression"):
        inner = set(bound)
        for fname in ("pattern", "parameters", "continuation"):
            for p in n.children_by_field_name(fname):
                inner |= set(pattern_names(p))
        for i, c in enumerate(n.children):
            if c.is_named and n.field_name_for_child(i) not in ("pattern", "parameters", "continuation",
                                                                  "effect", "operation"):
                _free(c, inner if n.field_name_for_child(i) != "value" else bound, first)
        return
    if t == "field_expression":
        v = n.child_by_field_name("value")
        if v is not None and v.type != "upper_identifier":
            _free(v, bound, first)
        return
    if t in _LITERALS:
        return
    for i, c in enumerate(n.children):
        if c.is_named and n.field_name_for_child(i) not in _SKIP_FIELDS:
            _free(c, bound, first)


def lower_function(f: Function, env: Env, lent: frozenset | None = None) -> Lowered:
    if lent is None:
        lent = env.positions(Callee("", f.name, f.name, f, env.module))
    return Lowerer(f, env, frozenset(lent)).run()
