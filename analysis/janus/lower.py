"""Lowering one Janus function to the ownership IR (analysis/ownership/ir.py), and Janus's own
passes over it (docs/janus.md):

- tracked values are opt-in (the lowering plan of Janus's SPEC-015 as custody reads it): a binding
  or parameter of linear type `~T` (must be consumed: J2), an `owned` parameter, and a binding that
  is the operand of `move x` (or passed bare to an `owned`/`~T` parameter of this file) somewhere in
  its function. Nothing else is tracked: `let y = x` of anything else is a logical copy;
- a tracked value moves at `move x` and at a bare argument to an `owned`/`~T` parameter of a
  function of this file; a linear value also when bound to another name, returned, stored in a
  literal or an assignment, or passed bare to a callee custody cannot see (`close(f)`);
- `defer` bodies run at each exit of their scope, last registered first (each announced by a
  `Deferred` event, which the ownership map shows as an inlay hint at that exit); tracked locals
  are dropped at the scope end (a linear one still live is E3001 LinearLeak, at its binding);
- a `let` holding region or scratchpad memory (regions.py) is a local too, marked with the region
  it lives in (`Local.arena`, freed at the region's end): hover says so, nothing else changes;
- J1/J4 (use after move, double move, maybe moved on access) come out of the shared flow checker
  and are re-coded here; J3 (borrows), J5 (raw pointers), J6 (profile laws inside a function)
  and J7 (region escapes, regions.py) are passes over the function's statements.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding, Related
from ..ownership.fixes import FixRequest
from ..ownership.ir import ArenaFreed, Bind, Block, Deferred, Drop, FunctionIR, Local, Move, Scope, Use
from ..source import Span
from . import codes as C
from .regions import RegionFacts, region_facts
from .syntax import Function, Module, Node

MAYBE_MARK = " (moved on some paths)"
IR_CODES = {"use_after_move": C.USE_AFTER_MOVE, "read_after_move": C.USE_AFTER_MOVE,
            "borrow_of_moved": C.USE_AFTER_MOVE, "use_after_move_loop": C.USE_AFTER_MOVE,
            "unconsumed": C.LINEAR_LEAK}
IR_WORDS = {"use_after_move": C.MESSAGES[C.USE_AFTER_MOVE], "read_after_move": C.MESSAGES[C.USE_AFTER_MOVE],
            "borrow_of_moved": "borrow of moved value: `{name}`", "moved_some_paths": MAYBE_MARK,
            "moved_here": "`{name}` moved here {into}", "declared_here": "`{name}` declared here",
            "never_consumed": C.MESSAGES[C.LINEAR_LEAK], "dropped_unconsumed": "it leaves its scope here without being consumed",
            "consume": "consume it (move it, pass it on, or `defer` its consuming call)"}

# what `profile :X` allows (J6); a profile custody does not know checks nothing profile-related
CORE_FORBIDS = {"using": "Using declarations are not available in :core profile",
                "unsafe": "Unsafe blocks are not available in :core profile",
                "region": "Region blocks are not available in :core profile",
                "trait": "Traits are not available in :core profile (upgrade to :service)",
                "impl": "Impl blocks are not available in :core profile (upgrade to :service)",
                "import_c": "C interop is not available in :core profile (requires :service or higher)"}
SCRIPT_FORBIDS = {"unsafe": "Unsafe blocks are not available in :script profile",
                  "import_c": "C interop is not available in :script profile (requires :service or higher)"}


def forbidden(profile: str | None) -> dict:
    return CORE_FORBIDS if profile == "core" else SCRIPT_FORBIDS if profile == "script" else {}


@dataclass
class Settings:
    """What a function's checks depend on besides its text."""

    profile: str | None
    ownership_syntax: bool
    borrows: bool = False

    @property
    def moves(self) -> bool:
        """Move semantics (J1, J2, J4, J7): off in `:script` (the seed's table), on otherwise."""
        return self.profile != "script"


@dataclass
class CallFact:
    callee: str
    head_span: Span
    span: Span
    target: Function | None
    modes: list = field(default_factory=list)      # (argument text, passing key)


@dataclass
class Lowered:
    fn: FunctionIR
    calls: list
    move_spans: set
    findings: list                 # the function's own passes (J3, J5, J6, J7)


# a method of one of these names called on a linear value consumes it (unless a method of this
# file by that name says otherwise: `owned self` / a `~T` self consumes, a plain self reads)
CONSUMING_METHODS = frozenset({"close", "deinit", "free", "release", "drop", "destroy", "dispose", "consume"})


def _name(node) -> str | None:
    return node.name if node is not None and node.kind == "name" else None


class Lowerer:
    def __init__(self, f: Function, module: Module, settings: Settings, regions: RegionFacts | None = None):
        self.f = f
        self.m = module
        self.s = settings
        self.arenas = regions.arenas if regions is not None else {}
        ir = FunctionIR(f.name, f.span, f.name_span, codes=dict(IR_CODES))
        ir.words.update(IR_WORDS)
        ir.scopes.append(Scope(0, None, f.span, kind="function"))
        self.ir = ir
        self.cur: Block = ir.new_block()
        self.frames: list[dict] = []
        self.loops: list = []          # (header block, after block, frame depth)
        self.calls: list[CallFact] = []
        self.move_spans: set = set()
        self.tracked_names = self._tracked_names() if settings.moves else set()

    # ---- what is tracked -------------------------------------------------------------------
    def _tracked_names(self) -> set:
        names = set()
        if self.f.body is None:
            return names
        for n in self.f.body.walk():
            if n.kind == "move" and _name(n.operand):
                names.add(n.operand.name)
            elif n.kind == "call":
                target = self.resolve(n.callee)
                if target is not None:
                    for i, a in enumerate(n.args):
                        p = self.param_at(target, i)
                        if p is not None and (p.owned or p.linear) and _name(a):
                            names.add(a.name)
        return names

    def resolve(self, callee: Node) -> Function | None:
        name = _name(callee)
        if name is None or self.lookup(name) is not None:
            return None
        got = None
        for g in self.m.named(name):
            if g.container is None:
                return g
            got = got or g
        return got

    def consuming_method(self, name: str) -> bool:
        """Does `x.name()` consume a linear `x`? A method of this file taking `owned self` or a
        `~T` self does; else one of the names that release a resource (CONSUMING_METHODS)."""
        for g in self.m.named(name):
            if g.container is not None and g.params and g.params[0].name == "self":
                return g.params[0].owned or g.params[0].linear
        return name in CONSUMING_METHODS

    @staticmethod
    def param_at(target: Function, i: int):
        params = [p for p in target.params if p.name != "self"]
        return params[i] if i < len(params) else None

    # ---- plumbing ----------------------------------------------------------------------------
    def emit(self, ev):
        self.cur.events.append(ev)

    def block(self, *preds) -> Block:
        b = self.ir.new_block()
        for p in preds:
            if p is not None:
                p.succs.append(b.id)
        return b

    def lookup(self, name: str):
        for fr in reversed(self.frames):
            if name in fr["names"]:
                return fr["names"][name]
        return None

    def local(self, lid: int) -> Local:
        return self.ir.locals[lid]

    def new_local(self, name: str, sp: Span, ty: str, kind: str, linear: bool) -> int:
        lid = len(self.ir.locals)
        self.ir.locals.append(Local(lid, name, sp, "owned", ty or ("linear" if linear else "owned"), 0, kind,
                                    must_consume=linear, linear=linear))
        self.ir.scopes[0].locals.append(lid)
        self.frames[-1]["names"][name] = lid
        self.frames[-1]["locals"].append(lid)
        return lid

    def push(self, end: Span, arena: Span | None = None):
        self.frames.append({"names": {}, "locals": [], "defers": [], "end": end, "arena": arena})

    def leave(self, frame: dict, end: Span) -> None:
        """The exit of a frame: its defers (last first), then its tracked locals dropped, then the
        region it is the body of (if it is one) freed."""
        for d in reversed(frame["defers"]):
            self.emit(Deferred(end, _one_line(self.m.data[d.body.span.start:d.body.span.end]), d.span))
            self.stmts(d.body.stmts)
        for lid in frame["locals"]:
            self.emit(Drop(lid, end, "scope"))
        if frame["arena"] is not None:
            self.emit(ArenaFreed(end, frame["arena"]))

    def pop(self) -> None:
        fr = self.frames.pop()
        self.leave_popped(fr)

    def leave_popped(self, fr: dict) -> None:
        # defers see the frame's names: lowered with it pushed back
        self.frames.append(fr)
        self.leave(fr, fr["end"])
        self.frames.pop()

    # ---- the function ------------------------------------------------------------------------
    def run(self) -> Lowered:
        f = self.f
        body = f.body
        self.push(body.end if body is not None else f.span)
        for p in f.params:
            if not self.s.moves:
                self.frames[0]["names"][p.name] = None
                continue
            if p.linear or p.owned:
                lid = self.new_local(p.name, p.span, p.type_text, "param", p.linear)
                self.emit(Bind(lid, p.span))
            elif p.name in self.tracked_names and not p.ref:
                lid = self.new_local(p.name, p.span, p.type_text, "param", False)
                self.emit(Bind(lid, p.span))
            else:
                self.frames[0]["names"][p.name] = None
        if body is not None:
            self.stmts(body.stmts)
        self.pop()
        exit_ = self.block(self.cur)
        self.ir.exit = exit_.id
        self.exit_block = exit_
        for b in getattr(self, "_returns", []):
            b.succs.append(exit_.id)
        return Lowered(self.ir, self.calls, self.move_spans, [])

    # ---- statements ----------------------------------------------------------------------------
    def stmts(self, stmts: list) -> None:
        for st in stmts:
            self.stmt(st)

    def scoped(self, block: Node | None) -> None:
        if block is None:
            return
        self.push(block.end)
        self.stmts(block.stmts)
        self.pop()

    def stmt(self, st: Node) -> None:
        k = st.kind
        if k == "let":
            self.let(st)
        elif k == "expr":
            if st.e is not None:
                self.expr(st.e, "read")
        elif k == "assign":
            self.assign(st)
        elif k == "return":
            guard = st.get("guard")
            if guard is not None:
                # `return x when c` / `unless c`: a return on one branch only
                self.expr(guard, "read")
                pre = self.cur
                self.cur = self.block(pre)
            if st.value is not None:
                self.expr(st.value, "read" if st.get("fail") else "consume", "by return")
            for fr in reversed(self.frames):
                self.leave(fr, st.keyword)
            self._returns = getattr(self, "_returns", [])
            self._returns.append(self.cur)
            self.cur = self.block(pre) if guard is not None else self.ir.new_block()   # else unreachable
        elif k in ("break", "continue"):
            if self.loops:
                header, after, depth = self.loops[-1]
                for fr in reversed(self.frames[depth:]):
                    self.leave(fr, st.span)
                self.cur.succs.append((after if k == "break" else header).id)
                self.cur = self.ir.new_block()
        elif k == "defer":
            self.frames[-1]["defers"].append(st)
        elif k == "if":
            self.if_(st)
        elif k == "while":
            self.loop(st, st.cond, None)
        elif k == "for":
            if st.iter is not None:
                self.expr(st.iter, "read")
            self.loop(st, None, st.names)
        elif k == "region" and st.name and st.body is not None:
            self.push(st.body.end, arena=st.span)
            self.stmts(st.body.stmts)
            self.pop()
        elif k in ("scope", "unsafe", "region"):
            self.scoped(st.body)
        elif k == "using":
            if st.init is not None:
                self.expr(st.init, "read")
            if st.body is not None:
                self.push(st.body.end)
                for n, _sp in st.names:
                    self.frames[-1]["names"][n] = None
                self.stmts(st.body.stmts)
                self.pop()
            else:
                for n, _sp in st.names:
                    self.frames[-1]["names"][n] = None

    def let(self, st: Node) -> None:
        init = st.init
        linear = st.type.startswith("~")
        src = self.lookup(_name(init)) if init is not None and _name(init) else None
        if init is not None and init.kind == "call":
            t = self.resolve(init.callee)
            if t is not None and t.ret.startswith("~") and not st.type:
                linear = True
        if src is not None and self.local(src).linear and self.s.moves:
            self.emit(Move(src, init.span, f'into "{st.names[0][0]}"' if st.names else "into a binding"))
            linear = True
        elif init is not None:
            self.expr(init, "consume" if st.names else "read",
                      f'into "{st.names[0][0]}"' if st.names else "into a binding")
        for name, sp in st.names:
            region = self.arenas.get(sp)
            if (self.s.moves and (linear or name in self.tracked_names)) or region is not None:
                ty = st.type or (self.local(src).ty if src is not None and self.local(src).linear else "")
                lid = self.new_local(name, sp, ty, "let", linear and self.s.moves)
                if region is not None:
                    loc = self.local(lid)
                    loc.arena, loc.arena_at = region.words, region.node.span
                    loc.ty = st.type
                self.emit(Bind(lid, sp))
            else:
                self.frames[-1]["names"][name] = None

    def assign(self, st: Node) -> None:
        target = st.target
        tname = _name(target)
        lid = self.lookup(tname) if tname else None
        if st.value is not None:
            self.expr(st.value, "consume" if st.op in ("=", ":=") else "read", "by assignment")
        if lid is not None and st.op in ("=", ":="):
            if self.local(lid).linear:
                self.emit(Drop(lid, target.span, "set"))
            self.emit(Bind(lid, target.span, reinit=True))
        elif target is not None and lid is None:
            self.expr(target, "read")
        elif lid is not None:
            self.emit(Use(lid, target.span))

    def if_(self, st: Node) -> None:
        if st.cond is not None:
            self.expr(st.cond, "read")
        pre = self.cur
        self.cur = self.block(pre)
        self.scoped(st.then)
        end_then = self.cur
        self.cur = self.block(pre)
        if st.other is not None:
            self.scoped(st.other)
        end_else = self.cur
        self.cur = self.block(end_then, end_else)

    def match(self, e: Node) -> None:
        if e.subject is not None:
            self.expr(e.subject, "read")
        pre = self.cur
        ends = []
        for arm in e.arms:
            self.cur = self.block(pre)
            self.push(arm.body.end)
            for n, _sp in arm.names:
                self.frames[-1]["names"][n] = None
            self.stmts(arm.body.stmts)
            self.pop()
            ends.append(self.cur)
        if not e.arms:
            ends.append(pre)
        self.cur = self.block(*ends)

    def loop(self, st: Node, cond: Node | None, names) -> None:
        first = len(self.ir.blocks)
        header = self.block(self.cur)
        header.loop_header = True
        self.cur = header
        if cond is not None:
            self.expr(cond, "read")
        head_end = self.cur
        after = self.ir.new_block()
        head_end.succs.append(after.id)
        self.cur = self.block(head_end)
        self.loops.append((header, after, len(self.frames)))
        body = st.body
        if body is not None:
            self.push(body.end)
            for n, _sp in names or ():
                self.frames[-1]["names"][n] = None
            self.stmts(body.stmts)
            self.pop()
        self.loops.pop()
        self.cur.succs.append(header.id)
        inside = set(range(first, len(self.ir.blocks))) - {after.id}
        self.ir.loops.append((st.span, inside))
        self.cur = after

    # ---- expressions ---------------------------------------------------------------------------
    def expr(self, e: Node, how: str, into: str = "") -> None:
        """how: "read" (a use), "consume" (a bare linear value here is handed on: moved)."""
        k = e.kind
        if k == "name":
            lid = self.lookup(e.name)
            if lid is None:
                return
            loc = self.local(lid)
            if how == "consume" and loc.linear:
                self.emit(Move(lid, e.span, into or "here"))
                self.move_spans.add(e.span)
            else:
                self.emit(Use(lid, e.span))
        elif k == "move":
            lid = self.lookup(_name(e.operand)) if _name(e.operand) else None
            if lid is not None:
                self.emit(Move(lid, e.span, into or "by `move`"))
                self.move_spans.add(e.span)
            else:
                self.expr(e.operand, "read")
        elif k == "ref":
            op = e.operand
            lid = self.lookup(_name(op)) if _name(op) else None
            if lid is not None:
                self.emit(Use(lid, op.span, "view"))
            else:
                self.expr(op, "read")
        elif k == "call":
            self.call(e)
        elif k == "field":
            self.expr(e.value, "read")
        elif k == "literal":
            for it in e.items:
                self.expr(it, "consume", "into a literal")
        elif k == "if":
            self.if_(e)
        elif k == "unsafe":
            self.scoped(e.body)
        elif k == "closure":
            # a closure takes what it mentions where it is written: a linear value is moved into
            # it, another tracked value is read
            seen = set()
            for name, sp in e.names:
                lid = self.lookup(name)
                if lid is None or lid in seen:
                    continue
                seen.add(lid)
                if self.local(lid).linear:
                    self.emit(Move(lid, sp, "into a closure"))
                    self.move_spans.add(sp)
                else:
                    self.emit(Use(lid, sp))
        elif k == "match":
            self.match(e)
        elif k in ("unary", "deref"):
            self.expr(e.operand, "read")
        elif k == "binary":
            self.expr(e.left, "read")
            self.expr(e.right, "read")
        elif k == "index":
            self.expr(e.value, "read")
            for a in e.args:
                self.expr(a, "read")

    def call(self, e: Node) -> None:
        callee = e.callee
        target = self.resolve(callee)
        if callee.kind == "field":
            head = callee.name_span
            shown = callee.name
            recv = self.lookup(_name(callee.value)) if _name(callee.value) else None
            if recv is not None and self.local(recv).linear and self.consuming_method(callee.name):
                self.emit(Move(recv, callee.value.span, f"by `.{shown}()`"))
                self.move_spans.add(callee.value.span)
            else:
                self.expr(callee.value, "read")
        else:
            head = callee.span
            shown = _name(callee) or ""
            if _name(callee) is None:
                self.expr(callee, "read")
        fact = CallFact(shown, head, e.span, target)
        for i, a in enumerate(e.args):
            p = self.param_at(target, i) if target is not None else None
            text = self.m.data[a.span.start:a.span.end].decode("utf-8", "replace")
            if a.kind == "move":
                fact.modes.append((text, "moves"))
                self.expr(a, "read", f"into `{shown}`")
                continue
            lid = self.lookup(_name(a)) if _name(a) else None
            if target is not None:
                if p is not None and (p.owned or p.linear):
                    fact.modes.append((text, "moves"))
                    if lid is not None:
                        self.emit(Move(lid, a.span, f"into `{shown}`"))
                        self.move_spans.add(a.span)
                    else:
                        self.expr(a, "consume", f"into `{shown}`")
                else:
                    fact.modes.append((text, "borrows" if p is not None and p.ref else "reads"))
                    if lid is not None:
                        self.emit(Use(lid, a.span, "borrow"))
                    else:
                        self.expr(a, "read")
            else:
                consumed = lid is not None and self.local(lid).linear
                fact.modes.append((text, "moves" if consumed else "unknown"))
                self.expr(a, "consume", f"into `{shown}`")
        self.calls.append(fact)


def _one_line(text: bytes, limit: int = 40) -> str:
    """A deferred action as an inlay hint shows it: its text on one line, cut at `limit`."""
    s = " ".join(text.decode("utf-8", "replace").split())
    return s if len(s) <= limit else s[:limit - 1].rstrip() + "…"


def lower_function(f: Function, module: Module, settings: Settings) -> Lowered:
    regions = region_facts(f, module)
    low = Lowerer(f, module, settings, regions).run()
    if f.body is not None:
        low.findings += function_passes(f, module, settings, regions)
    return low


# ---- J3, J5, J6, J7: passes over the statements -------------------------------------------------

def function_passes(f: Function, module: Module, s: Settings, regions: RegionFacts) -> list:
    out = []
    body = f.body
    laws = forbidden(s.profile)
    deref_rule = None
    if s.profile in ("core", "script"):
        deref_rule = f"raw pointers are not available in :{s.profile} profile"
    elif s.profile == "service" or (s.profile is None and s.ownership_syntax):
        deref_rule = "outside"

    def visit(n: Node, in_unsafe: bool):
        k = n.kind
        if k in ("using", "unsafe", "region") and not n.get("scratchpad"):
            msg = laws.get(k)
            if msg:
                out.append(Finding(C.PROFILE, "error", n.keyword, msg,
                                   related=[Related(module.profile_span, f"the file's profile is :{s.profile}")]
                                   if module.profile_span else []))
        if k == "deref" and deref_rule and not in_unsafe:
            name = module.data[n.operand.span.start:n.operand.span.end].decode("utf-8", "replace")
            if deref_rule == "outside":
                out.append(Finding(C.RAW_DEREF, "error", n.span, C.MESSAGES[C.RAW_DEREF].format(name=name),
                                   fix_requests=[FixRequest("wrap_unsafe", n.span, name)]))
            else:
                out.append(Finding(C.RAW_DEREF, "error", n.span,
                                   f"dereference of raw pointer `{name}`: {deref_rule}"))
        inner = in_unsafe or k == "unsafe"
        for v in n.f.values():
            if isinstance(v, Node):
                visit(v, inner)
            elif isinstance(v, list):
                for x in v:
                    if isinstance(x, Node):
                        visit(x, inner)

    visit(body, False)
    if s.moves:
        out += regions.escapes
    if s.borrows and s.moves:
        out += borrow_conflicts(f, module)
    return out


def borrow_conflicts(f: Function, module: Module) -> list:
    """J3 (off by default): readers XOR one writer, in source order within the function. A loan
    bound with `let h = &x`/`&mut x` lives until the last mention of `h`; one taken in a call's
    argument lives until the call ends."""
    locals_ = {p.name for p in f.params}
    for n in f.body.walk():
        if n.kind == "let":
            locals_.update(name for name, _ in n.names)
    last: dict = {}
    for n in f.body.walk():
        if n.kind == "name":
            last[n.name] = max(last.get(n.name, 0), n.span.end)
    loans = []          # (owner, mut, start, end, span)
    accesses = []       # (owner, kind, span)   kind: "read" | "shared" | "mut" | "assign"

    def visit(n: Node, call_end: int | None, holder: str | None):
        k = n.kind
        if k == "let":
            names = [x for x, _ in n.names]
            if n.init is not None:
                visit(n.init, None, names[0] if len(names) == 1 else None)
            return
        if k == "assign":
            if n.value is not None:
                visit(n.value, None, None)
            t = n.target
            if _name(t) in locals_ and n.op in ("=", ":="):
                accesses.append((t.name, "assign", t.span))
            elif t is not None:
                visit(t, None, None)
            return
        if k == "ref" and _name(n.operand) in locals_:
            owner = n.operand.name
            kind = "mut" if n.mut else "shared"
            accesses.append((owner, kind, n.span))
            if holder is not None:
                end = last.get(holder, n.span.end)
                loans.append((owner, n.mut, n.span.end, end, n.span, holder))
            elif call_end is not None:
                loans.append((owner, n.mut, n.span.end, call_end, n.span, None))
            return
        if k == "name":
            if n.name in locals_:
                accesses.append((n.name, "read", n.span))
            return
        if k == "call":
            visit(n.callee, call_end, None)
            for a in n.args:
                visit(a, n.span.end, None)
            return
        for v in n.f.values():
            if isinstance(v, Node):
                visit(v, call_end, None)
            elif isinstance(v, list):
                for x in v:
                    if isinstance(x, Node):
                        visit(x, call_end, None)

    visit(f.body, None, None)
    out = []
    seen = set()
    for owner, kind, sp in sorted(accesses, key=lambda a: a[2].start):
        for lo_owner, mut, start, end, lspan, holder in loans:
            if lo_owner != owner or lspan == sp or not (start <= sp.start < end):
                continue
            if mut or kind in ("mut", "assign"):
                if (sp.start, sp.end) in seen:
                    continue
                seen.add((sp.start, sp.end))
                first = "`&mut " + owner + "`" if mut else "`&" + owner + "`"
                what = {"read": "read", "shared": "borrowed", "mut": "borrowed mutably",
                        "assign": "assigned"}[kind]
                held = f" (held by `{holder}`)" if holder else ""
                out.append(Finding(C.BORROW_CONFLICT, "error", sp, C.MESSAGES[C.BORROW_CONFLICT].format(
                    name=owner, what=f"{what} while {first} is live{held}"),
                    related=[Related(lspan, f"{first} taken here")]))
                break
    return out
