"""One X07 function body -> one C function.

Every C local is hoisted to the top of the function and zero-initialised, so a moved-out or
not-yet-bound owned variable is always a safe no-op for drop glue. Each evaluated AST node ticks
fuel with its node id, and every runtime call carries that id.

Which node a borrow check carries decides where a run-time finding is shown, so it is the node
custody check reports the same fault at: the owner's name at the use (not the enclosing call or
the `let`), the set's target for `(set x (mutator x ...))`, and the block's last expression when
a block yields a view of its own local. `rt_owner_bind` / `rt_borrow_bind` tell the borrow table
which `let` name holds an owner or a view, so the report can name bindings (report.py).

Ownership in the generated C
  - A named owned local is dropped when its scope (begin, if branch, loop body, match arm,
    function) ends, and on every early exit (return, the error path of try). A move empties the
    variable at run time (ptr NULL, see cus_move_*), so a drop never frees twice, also when a
    value is moved on one path only.
  - Owned temporaries (call results not yet consumed) are tracked statically: an early exit
    drops the ones live at that point.
  - A let-bound view of a local owner takes its own borrow (rt_borrow_acquire) held in a
    companion variable and released when the view's scope ends; a view made for one call
    argument (an owned value passed where a view is expected, or a fresh view expression) is
    borrowed just around that call. Views of parameters and runtime views carry their bid.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from custody.analysis.x07.values import Value

from .emit_builtins import BUILTINS, FORMS, Spec
from .emit_data import DataForms
from .emit_types import (DROP_FN, HAS_OID, MOVE_FN, NEVER, TAKE_FN, Unsupported, c_string, c_type,
                         is_owned, is_view, literal_bytes, sanitize, zero)


@dataclass(eq=False)
class Var:
    name: str
    cname: str
    ty: str
    src: "Source | None" = None     # views: where the borrow comes from
    bid: str | None = None          # let-bound views of a local owner: the borrow it holds
    decl: int = 0                   # node of the name in its `let` (names it in run-time messages)


@dataclass(frozen=True, eq=False)
class Source:
    kind: str                       # "owner" (a local owner) | "param" | "runtime"
    var: Var | None = None
    node: int = 0                   # where a borrow of `var` is reported: the owner's name where
                                    # the view is made, or the block result a view escapes through


RUNTIME = Source("runtime")
PARAM = Source("param")


@dataclass
class Val:
    c: str | None                   # a temporary or a literal; None for `never`
    ty: str
    src: Source | None = None       # views: the static borrow source
    var: Var | None = None          # views: a plain read of this variable (carries its bid)


@dataclass
class Scope:
    vars: dict[str, Var] = field(default_factory=dict)
    order: list[Var] = field(default_factory=list)


class FnEmitter(DataForms):
    def __init__(self, prog, path: str | None, name: str, params: list[tuple[str, str]], result: str):
        self.prog = prog
        self.path = path
        self.name = name
        self.result = result
        self.decls: list[str] = []
        self.lines: list[str] = []
        self.indent = 1
        self.counter = 0
        self.scopes: list[Scope] = [Scope()]
        self.temps: list[tuple[str, str]] = []     # live owned temporaries (cname, ty)
        self.tbids: list[str] = []                 # live temporary borrows
        self.unsafe_depth = 0
        self.inplace: Value | None = None          # the mutator call that is `set`'s own RHS
        self.inplace_node = 0                      # ... and the node of the set's target
        self.params: list[tuple[str, str]] = []    # (C type, C name)
        for pname, pty in params:
            cname = f"p{len(self.params)}_{sanitize(pname)}"
            self.params.append((c_type(pty), cname))
            self.scopes[0].vars[pname] = v = Var(pname, cname, pty, PARAM if is_view(pty) else None)
            self.scopes[0].order.append(v)

    # ------------------------------------------------------------------ plumbing
    def fail(self, v: Value, head: str | None = None, message: str | None = None):
        span = v.items[0].span if v.kind == "list" and v.items else v.span
        raise Unsupported(head or str(v.head or v.value), span, self.path, message)

    def line(self, s: str):
        self.lines.append("    " * self.indent + s)

    def local(self, ty: str, hint: str = "t") -> str:
        self.counter += 1
        name = f"{hint}{self.counter}"
        self.decls.append(f"    {c_type(ty)} {name} = {zero(ty)};")
        return name

    def bidvar(self) -> str:
        self.counter += 1
        name = f"b{self.counter}"
        self.decls.append(f"    uint32_t {name} = 0;")
        return name

    def node(self, v: Value) -> int:
        return self.prog.node(self.path, v)

    def tick(self, v: Value) -> int:
        n = self.node(v)
        self.line(f"RT_TICK({n});")
        return n

    def temp(self, ty: str, expr: str, src: Source | None = None, var: Var | None = None) -> Val:
        t = self.local(ty)
        self.line(f"{t} = {expr};")
        if is_owned(ty):
            self.temps.append((t, ty))
        return Val(t, ty, src, var)

    def consume(self, val: Val) -> str:
        """Takes an owned temporary out of the live set (its new holder owns it)."""
        if val.c is None:
            return self.dummy(val.ty)
        for i in range(len(self.temps) - 1, -1, -1):
            if self.temps[i][0] == val.c:
                del self.temps[i]
                break
        return val.c

    def dummy(self, ty: str) -> str:
        return self.local(ty if ty != NEVER else "i32")

    def drop_temp(self, val: Val, n: int):
        c = self.consume(val)
        self.line(f"{DROP_FN[val.ty]}(&{c}, {n});")

    def lookup(self, name: str) -> Var | None:
        for s in reversed(self.scopes):
            v = s.vars.get(name)
            if v is not None:
                return v
        return None

    def bind(self, name: str, ty: str, src: Source | None = None) -> Var:
        v = Var(name, self.local(ty, f"l_{sanitize(name)}_"), ty, src)
        scope = self.scopes[-1]
        scope.vars[name] = v
        scope.order.append(v)
        return v

    def push_scope(self):
        self.scopes.append(Scope())

    def pop_scope(self, n: int):
        self.scope_exit(self.scopes.pop(), n)

    def scope_exit(self, scope: Scope, n: int):
        for v in reversed(scope.order):
            if v.bid is not None:
                self.line(f"cus_release(&{v.bid});")
        for v in reversed(scope.order):
            if is_owned(v.ty):
                self.line(f"{DROP_FN[v.ty]}(&{v.cname}, {n});")

    def exit_all(self, n: int):
        """Drop glue for an early exit: every view released, then every live owner dropped."""
        for scope in reversed(self.scopes):
            for v in reversed(scope.order):
                if v.bid is not None:
                    self.line(f"cus_release(&{v.bid});")
        for b in reversed(self.tbids):
            self.line(f"cus_release(&{b});")
        for c, ty in reversed(self.temps):
            self.line(f"{DROP_FN[ty]}(&{c}, {n});")
        for scope in reversed(self.scopes):
            for v in reversed(scope.order):
                if is_owned(v.ty):
                    self.line(f"{DROP_FN[v.ty]}(&{v.cname}, {n});")

    # ------------------------------------------------------------------ the function
    def emit_function(self, body: Value, body_node: Value) -> tuple[list[str], list[str]]:
        val = self.emit(body)
        n = self.node(body_node)
        if val.c is None:
            ret = self.dummy(self.result)
        else:
            self.check_type(body, val, self.result)
            ret = self.consume(val) if is_owned(val.ty) else val.c
        self.scope_exit(self.scopes[0], n)
        self.line(f"return {ret};")
        return self.decls, self.lines

    def check_type(self, v: Value, val: Val, want: str):
        if val.ty != NEVER and val.ty != want:
            self.fail(v, message=f"custody run cannot translate this: `{v.head or v.value}` has "
                                 f"type {val.ty} where {want} is expected")

    # ------------------------------------------------------------------ expressions
    def emit(self, v: Value) -> Val:
        if v.kind == "int":
            self.tick(v)
            return Val(f"{int(v.value) & 0xFFFFFFFF}u", "i32")
        if v.kind == "str":
            return self.emit_ident(v)
        if v.kind != "list" or not v.items:
            self.fail(v, str(v.value) if v.kind != "list" else "()")
        head = v.head
        if head is None:
            self.fail(v, "(...)", "custody run cannot translate a call whose head is not a name")
        form = getattr(self, "form_" + head.replace(".", "_").replace("&&", "and").replace("||", "or"),
                       None) if head in FORMS else None
        if form is not None:
            return form(v)
        spec = BUILTINS.get(head)
        if spec is not None:
            return self.emit_builtin(v, head, spec)
        fn = self.prog.function(head)
        if fn is not None:
            return self.emit_user_call(v, head, fn)
        rec = self.prog.record_op(head)
        if rec is not None:
            return self.emit_record_op(v, *rec)
        en = self.prog.enum_variant(head)
        if en is not None:
            return self.emit_enum_ctor(v, *en)
        self.fail(v, head)

    def emit_ident(self, v: Value) -> Val:
        name = v.value
        n = self.tick(v)
        var = self.lookup(name)
        if var is None:
            if name == "input":
                return self.temp("bytes_view", "cus_input", RUNTIME)
            self.fail(v, name, f"custody run cannot translate this: unknown identifier `{name}`")
        if is_owned(var.ty):
            # an owned identifier in value position is moved out
            return self.temp(var.ty, f"{MOVE_FN[var.ty]}(&{var.cname}, {n})")
        if is_view(var.ty):
            return self.temp(var.ty, var.cname, var.src or RUNTIME, var)
        return self.temp(var.ty, var.cname)

    def owned_ident(self, a: Value) -> Var | None:
        if a.kind == "str":
            var = self.lookup(a.value)
            if var is not None and is_owned(var.ty):
                return var
        return None

    # ------------------------------------------------------------------ views as arguments
    def view_arg(self, a: Value, n: int, post: list) -> tuple[str, Source]:
        """A bytes_view argument: auto-borrows owned values, re-borrows fresh views of owners."""
        var = self.owned_ident(a)
        if var is not None:
            self.tick(a)
            if var.ty not in ("bytes", "vec_u8"):
                self.fail(a, message=f"custody run cannot translate this: `{var.name}` is "
                                     f"{var.ty}, not a bytes_view")
            na = self.node(a)       # problems with the owner are reported at its name
            mk = "cus_bytes_view" if var.ty == "bytes" else "cus_vec_as_view"
            tb = self.bidvar()      # acquiring the borrow checks the owner is live
            self.tbids.append(tb)
            post.append(("release", tb))
            t = self.temp("bytes_view", f"cus_borrow({mk}({var.cname}, {na}), {var.cname}.oid, &{tb}, {na})")
            return t.c, Source("owner", var, na)
        val = self.emit(a)
        if val.ty in ("bytes", "vec_u8"):
            mk = "cus_bytes_view" if val.ty == "bytes" else "cus_vec_as_view"
            post.append(("drop", val))
            return self.temp("bytes_view", f"{mk}({val.c}, {n})").c, RUNTIME
        if val.c is None:
            return self.dummy("bytes_view"), RUNTIME
        if val.ty != "bytes_view":
            self.fail(a, message=f"custody run cannot translate this: a {val.ty} where a bytes_view "
                                 "is expected")
        src = val.src or RUNTIME
        if val.var is None and src.kind == "owner":
            tb = self.bidvar()
            self.tbids.append(tb)
            post.append(("release", tb))
            return self.temp("bytes_view", f"cus_borrow({val.c}, {src.var.cname}.oid, &{tb}, "
                                           f"{src.node or n})").c, src
        return val.c, src

    def finish(self, post: list, n: int):
        for kind, x in post:
            if kind == "release":
                self.line(f"cus_release(&{x});")
                self.tbids.remove(x)
            else:
                self.drop_temp(x, n)

    # ------------------------------------------------------------------ calls
    def emit_builtin(self, v: Value, head: str, spec: Spec) -> Val:
        n = self.tick(v)
        args = v.args
        if spec.unsafe and not self.unsafe_depth:
            self.fail(v, head, f"custody run runs `{head}` only inside (unsafe ...)")
        if len(args) != len(spec.params):
            self.fail(v, head, f"custody run cannot translate this: `{head}` takes "
                               f"{len(spec.params)} argument(s), not {len(args)}")
        cargs: list[str] = []
        post: list = []
        src: Source | None = None
        mut: tuple[Var, str] | None = None
        for i, (kind, a) in enumerate(zip(spec.params, args)):
            if kind == "text":
                self.node(a)
                text = a.value if a.kind == "str" else ("" if a.value is None else str(a.value))
                data = literal_bytes(str(text))
                cargs.append(f"{c_string(data)}, {len(data)}u")
            elif kind in ("i32", "opt_i32", "res_i32", "vview"):
                val = self.emit(a)
                want = {"vview": None}.get(kind, kind.replace("opt_", "option_").replace("res_", "result_"))
                if want is not None:
                    self.check_type(a, val, want)
                if kind == "vview" and i == spec.view_of:
                    src = self.fresh_src(val)
                cargs.append(val.c if val.c is not None else self.dummy(val.ty))
            elif kind == "own":
                val = self.emit(a)
                if not is_owned(val.ty) and val.ty != NEVER:
                    self.fail(a, message=f"custody run cannot translate this: `{head}` takes an owned "
                                         f"value here, not {val.ty}")
                cargs.append(self.consume(val))
            elif kind == "read":
                var = self.owned_ident(a)
                if var is not None:
                    na = self.tick(a)
                    if var.ty in HAS_OID:
                        self.line(f"rt_check_owner_use({var.cname}.oid, {na});")
                    cargs.append(var.cname)
                else:
                    val = self.emit(a)
                    if is_owned(val.ty):
                        post.append(("drop", val))
                    cargs.append(val.c if val.c is not None else self.dummy(val.ty))
            elif kind == "mut":
                var = self.owned_ident(a)
                if var is not None:
                    na = self.tick(a)
                    # reported at the owner's name; for `(set x (mutator x ...))` at the set's
                    # target, where custody check reports it
                    at = self.inplace_node if self.inplace is v else na
                    self.line(f'rt_check_owner_mutate({var.cname}.oid, {c_string(spec.op.encode())}, {at});')
                    if self.inplace is not v:
                        saved = self.local("i32", "o")
                        self.line(f"{saved} = {var.cname}.oid;")
                        mut = (var, saved)
                    cargs.append(f"{TAKE_FN[var.ty]}(&{var.cname}, {na})")
                else:
                    val = self.emit(a)
                    cargs.append(self.consume(val))
            elif kind == "owner":
                var = self.owned_ident(a)
                if var is None:
                    # a view of a temporary (X07 rejects it): give it a hidden owner in this scope
                    val = self.emit(a)
                    if not is_owned(val.ty):
                        self.fail(a, message=f"custody run cannot translate this: `{head}` needs an "
                                             "owned bytes or vec_u8")
                    var = self.bind(f"__owner{self.counter}", val.ty)
                    self.line(f"{var.cname} = {self.consume(val)};")
                    src = Source("owner", var)
                else:
                    # the borrow taken by the let or the call checks the owner, at its name
                    src = Source("owner", var, self.tick(a))
                cargs.append(var.cname)
            else:  # view
                c, s = self.view_arg(a, n, post)
                cargs.append(c)
                if i == spec.view_of:
                    src = s
        expr = spec.c.format(n=n, **{f"a{i}": c for i, c in enumerate(cargs)})
        ty = spec.result
        if is_view(ty):
            out = self.temp(ty, expr, src or RUNTIME)
        else:
            out = self.temp(ty, expr)
        if mut is not None and self.inplace is not v:
            var, saved = mut
            # the mutated owner went into a different binding: the old variable is moved out
            self.line(f"{var.cname}.oid = {saved}; rt_owner_moved({saved}, {n});")
            if ty in HAS_OID:
                self.line(f"if ({out.c}.oid == {saved}) {out.c}.oid = rt_owner_new({n});")
        self.finish(post, n)
        return out

    def fresh_src(self, val: Val) -> Source:
        return val.src or RUNTIME

    def emit_user_call(self, v: Value, head: str, fn) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != len(fn.params):
            self.fail(v, head, f"custody run cannot translate this: `{head}` takes "
                               f"{len(fn.params)} argument(s), not {len(args)}")
        cname = self.prog.require(head)
        cargs: list[str] = []
        post: list = []
        src: Source | None = None
        for (pname, pty), a in zip(fn.params, args):
            if pty == "bytes_view":
                c, s = self.view_arg(a, n, post)
                if src is None and s.kind != "runtime":
                    src = s
                cargs.append(c)
                continue
            val = self.emit(a)
            if is_owned(pty):
                self.check_type(a, val, pty)
                cargs.append(self.consume(val))
            else:
                self.check_type(a, val, pty)
                if is_view(pty) and src is None and val.src is not None and val.src.kind != "runtime":
                    src = val.src
                cargs.append(val.c if val.c is not None else self.dummy(pty))
        out = self.temp(fn.result, f"{cname}({', '.join(cargs)})",
                        (src or RUNTIME) if is_view(fn.result) else None)
        self.finish(post, n)
        return out

    # ------------------------------------------------------------------ forms
    def form_begin(self, v: Value) -> Val:
        n = self.tick(v)
        items = v.args
        if not items:
            self.fail(v, v.head, f"custody run cannot translate this: `({v.head})` needs at least "
                                 "one expression")
        self.push_scope()
        val = Val("0u", "i32")
        for i, item in enumerate(items):
            val = self.emit(item)
            if i < len(items) - 1:
                self.discard(val, n)
            if val.ty == NEVER:
                break
        if is_view(val.ty) and val.src is not None and val.src.kind == "owner" \
                and any(x is val.src.var for x in self.scopes[-1].order):
            # the block yields a view of its own local, dropped right below: whoever takes the
            # borrow next finds it freed; report that at the yielded expression (custody check's
            # X07-BORROW-0002 range), not where the borrow is taken
            val = Val(val.c, val.ty, Source("owner", val.src.var, self.node(items[-1])), val.var)
        self.pop_scope(n)
        return val

    def form_unsafe(self, v: Value) -> Val:
        self.unsafe_depth += 1
        try:
            return self.form_begin(v)
        finally:
            self.unsafe_depth -= 1

    def discard(self, val: Val, n: int):
        if is_owned(val.ty):
            self.drop_temp(val, n)
        elif val.c is not None and val.c[:1].isalpha():
            self.line(f"(void){val.c};")

    def form_let(self, v: Value) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != 2 or args[0].kind != "str":
            self.fail(v, "let", "custody run cannot translate this: write (let <name> <expr>)")
        val = self.emit(args[1])
        ty = val.ty if val.ty != NEVER else "i32"
        var = self.bind(args[0].value, ty)
        var.decl = self.node(args[0])
        self.assign(var, val, n)
        if is_owned(ty):
            return Val("0u", "i32")
        return self.temp(ty, var.cname, var.src, var if is_view(ty) else None)

    def assign(self, var: Var, val: Val, n: int):
        """Stores a value into a variable (an old owned value was dropped by the caller)."""
        if val.c is None:
            return
        if is_owned(var.ty):
            self.line(f"{var.cname} = {self.consume(val)};")
            if var.decl and var.ty in HAS_OID:
                self.line(f"rt_owner_bind({var.cname}.oid, {var.decl});")
            return
        if is_view(var.ty):
            if var.bid is not None:
                self.line(f"cus_release(&{var.bid});")
            src = val.src or RUNTIME
            var.src = src
            if src.kind == "owner" and var.ty == "bytes_view":
                if var.bid is None:
                    var.bid = self.bidvar()
                self.line(f"{var.cname} = cus_borrow({val.c}, {src.var.cname}.oid, &{var.bid}, "
                          f"{src.node or n});")
                if var.decl:
                    self.line(f"rt_borrow_bind({var.bid}, {var.decl});")
                return
            if src.kind == "owner":
                # option/result views of an owner: the borrow is held through the companion too
                if var.bid is None:
                    var.bid = self.bidvar()
                field = "val" if var.ty == "option_bytes_view" else "ok"
                self.line(f"{var.cname} = {val.c};")
                self.line(f"if ({var.cname}.tag) {var.cname}.{field} = cus_borrow({var.cname}.{field}, "
                          f"{src.var.cname}.oid, &{var.bid}, {src.node or n});")
                if var.decl:
                    self.line(f"rt_borrow_bind({var.bid}, {var.decl});")
                return
        self.line(f"{var.cname} = {val.c};")

    def form_set(self, v: Value, zero_result: bool = False) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != 2 or args[0].kind != "str":
            self.fail(v, v.head, f"custody run cannot translate this: write ({v.head} <name> <expr>)")
        var = self.lookup(args[0].value)
        if var is None:
            self.fail(args[0], args[0].value, f"custody run cannot translate this: `{v.head}` of "
                                              f"unknown variable `{args[0].value}`")
        rhs = args[1]
        if is_owned(var.ty):
            spec = BUILTINS.get(rhs.head) if rhs.kind == "list" else None
            if spec is not None and spec.params[:1] == ("mut",) and len(rhs.items) > 1 \
                    and rhs.items[1].kind == "str" and rhs.items[1].value == var.name:
                self.inplace = rhs      # the mutator checks the borrow itself, with its own name
                self.inplace_node = self.node(args[0])
            else:
                self.line(f'rt_check_owner_mutate({var.cname}.oid, "set", {self.node(args[0])});')
            val = self.emit(rhs)
            self.inplace = None
            if val.c is None:
                return val
            self.line(f"{DROP_FN[var.ty]}(&{var.cname}, {n});")
            self.assign(var, val, n)
            return Val("0u", "i32")
        val = self.emit(rhs)
        if val.c is None:
            return val
        self.assign(var, val, n)
        if zero_result:
            return Val("0u", "i32")
        return self.temp(var.ty, var.cname, var.src, var if is_view(var.ty) else None)

    def form_set0(self, v: Value) -> Val:
        val = self.form_set(v, zero_result=True)
        return val if val.c is None else Val("0u", "i32")

    def branch_into(self, body: Value, dest: list, n: int) -> Val:
        """Emits one branch in its own scope, storing its value in dest[0] (allocated lazily)."""
        self.push_scope()
        val = self.emit(body)
        if val.c is not None:
            if dest[0] is None:
                dest[0] = Val(self.local(val.ty), val.ty, val.src)
            d = dest[0]
            if val.ty != d.ty:
                self.fail(body, message=f"custody run cannot translate this: the branches have types "
                                        f"{d.ty} and {val.ty}")
            self.line(f"{d.c} = {self.consume(val) if is_owned(val.ty) else val.c};")
        self.pop_scope(n)
        return val

    def merged(self, dest: list, vals: list[Val]) -> Val:
        if dest[0] is None:
            return Val(None, NEVER)
        d = dest[0]
        src = next((x.src for x in vals if x.c is not None and x.src is not None), None)
        if is_owned(d.ty):
            self.temps.append((d.c, d.ty))
        return Val(d.c, d.ty, src)

    def form_if(self, v: Value) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != 3:
            self.fail(v, "if", "custody run cannot translate this: write (if <cond> <then> <else>)")
        cond = self.emit(args[0])
        if cond.c is None:
            return cond
        self.check_type(args[0], cond, "i32")
        dest: list = [None]
        self.line(f"if ({cond.c}) {{")
        self.indent += 1
        a = self.branch_into(args[1], dest, n)
        self.indent -= 1
        self.line("} else {")
        self.indent += 1
        b = self.branch_into(args[2], dest, n)
        self.indent -= 1
        self.line("}")
        return self.merged(dest, [a, b])

    def form_and(self, v: Value) -> Val:
        return self.short_circuit(v, True)

    def form_or(self, v: Value) -> Val:
        return self.short_circuit(v, False)

    def short_circuit(self, v: Value, is_and: bool) -> Val:
        n = self.tick(v)
        del n
        args = v.args
        if len(args) != 2:
            self.fail(v, v.head, f"custody run cannot translate this: `{v.head}` takes 2 arguments")
        a = self.emit(args[0])
        if a.c is None:
            return a
        self.check_type(args[0], a, "i32")
        out = self.local("i32")
        self.line(f"if ({'!' if is_and else ''}{a.c}) {{")
        self.line(f"    {out} = {'0u' if is_and else '1u'};")
        self.line("} else {")
        self.indent += 1
        b = self.emit(args[1])
        if b.c is not None:
            self.check_type(args[1], b, "i32")
            self.line(f"{out} = (uint32_t)({b.c} != 0u);")
        self.indent -= 1
        self.line("}")
        return Val(out, "i32")

    def form_for(self, v: Value) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != 4 or args[0].kind != "str":
            self.fail(v, "for", "custody run cannot translate this: write (for <i> <start> <end> <body>)")
        var = self.lookup(args[0].value)
        if var is None or var.ty != "i32":
            var = self.bind(args[0].value, "i32")
        start = self.emit(args[1])
        if start.c is None:
            return start
        self.check_type(args[1], start, "i32")
        self.line(f"{var.cname} = {start.c};")
        end = self.emit(args[2])
        if end.c is None:
            return end
        self.check_type(args[2], end, "i32")
        stop = self.local("i32")
        self.line(f"{stop} = {end.c};")
        self.line("for (;;) {")
        self.indent += 1
        self.line(f"if ({var.cname} >= {stop}) break;")
        self.push_scope()
        self.discard(self.emit(args[3]), n)
        self.pop_scope(n)
        self.line(f"{var.cname} = {var.cname} + 1u;")
        self.indent -= 1
        self.line("}")
        return Val("0u", "i32")

    def form_while(self, v: Value) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != 2:
            self.fail(v, "while", "custody run cannot translate this: write (while <cond> <body>)")
        self.line("for (;;) {")
        self.indent += 1
        self.push_scope()
        cond = self.emit(args[0])
        self.check_type(args[0], cond, "i32")
        c = self.local("i32")
        if cond.c is not None:
            self.line(f"{c} = {cond.c};")
        self.pop_scope(n)
        self.line(f"if (!{c}) break;")
        self.push_scope()
        self.discard(self.emit(args[1]), n)
        self.pop_scope(n)
        self.indent -= 1
        self.line("}")
        return Val("0u", "i32")

    def form_return(self, v: Value) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != 1:
            self.fail(v, "return", "custody run cannot translate this: write (return <expr>)")
        val = self.emit(args[0])
        if val.c is None:
            return val
        self.check_type(args[0], val, self.result)
        ret = self.local(self.result, "r")
        self.line(f"{ret} = {self.consume(val) if is_owned(val.ty) else val.c};")
        self.exit_all(n)
        self.line(f"return {ret};")
        return Val(None, NEVER)

    def form_try(self, v: Value) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != 1:
            self.fail(v, "try", "custody run cannot translate this: write (try <result>)")
        val = self.emit(args[0])
        if val.c is None:
            return val
        errs = {"result_i32": "val", "result_bytes": "err", "result_bytes_view": "err"}
        if val.ty not in errs:
            self.fail(v, "try", f"custody run cannot translate this: try of {val.ty} (try takes a "
                                "result_i32, result_bytes or result_bytes_view)")
        makers = {"result_i32": "cus_res_i32_make(0u, {e})", "result_bytes": "cus_res_bytes_err({e})",
                  "result_bytes_view": "cus_res_view_err({e})"}
        if self.result not in makers:
            self.fail(v, "try", f"custody run cannot translate this: try in a function returning "
                                f"{self.result} (it must return a result type)")
        c = self.consume(val) if is_owned(val.ty) else val.c
        ret = self.local(self.result, "r")
        self.line(f"if (!{c}.tag) {{")
        self.indent += 1
        self.line(f"{ret} = {makers[self.result].format(e=f'{c}.{errs[val.ty]}')};")
        self.exit_all(n)
        self.line(f"return {ret};")
        self.indent -= 1
        self.line("}")
        if val.ty == "result_i32":
            return self.temp("i32", f"{c}.val")
        if val.ty == "result_bytes":
            return self.temp("bytes", f"{c}.ok")
        return self.temp("bytes_view", f"{c}.ok", val.src)

    def form___internal_bytes_drop_v1(self, v: Value) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != 1:
            self.fail(v, v.head, f"custody run cannot translate this: `{v.head}` takes 1 argument")
        var = self.owned_ident(args[0])
        if var is not None:
            self.tick(args[0])
            self.line(f'rt_check_owner_mutate({var.cname}.oid, {c_string(literal_bytes(v.head))}, {n});')
            self.line(f"{DROP_FN[var.ty]}(&{var.cname}, {n});")
        else:
            val = self.emit(args[0])
            if is_owned(val.ty):
                self.drop_temp(val, n)
        return Val("0u", "i32")
