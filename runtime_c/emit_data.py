"""Records, enums and match: X07's nominal data, which lives in plain owned bytes.

A defrecord value packs its i32 fields as little-endian u32 words in declaration order; a defenum
value is a u32 tag (the variant's index) followed by a u32 payload when the variant has one.
Field accessors and match read the words through a view (an identifier owner is borrowed for
each read, never moved); a scrutinee that is not an identifier is held by a hidden owner that is
dropped when the match ends. Mixed into FnEmitter (emit_fn.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from custody.analysis.x07.values import Value

from .emit_types import is_owned

if TYPE_CHECKING:
    from .emit_fn import Val


class DataForms:
    # ------------------------------------------------------------------ records and enums
    def emit_record_op(self, v: Value, rec: str, fields: list[str], field: str | None) -> Val:
        n = self.tick(v)
        head = v.head
        args = v.args
        if field is None:
            if len(args) != len(fields):
                self.fail(v, head, f"custody run cannot translate this: `{head}` takes "
                                   f"{len(fields)} field value(s), not {len(args)}")
            vals = []
            for a in args:
                val = self.emit(a)
                self.check_type(a, val, "i32")
                vals.append(val.c or "0u")
            out = self.temp("bytes", f"cus_bytes_alloc({4 * len(fields)}u, {n})")
            for i, c in enumerate(vals):
                self.line(f"{out.c} = cus_bytes_put_u32_le({out.c}, {4 * i}u, {c}, {n});")
            return out
        if len(args) != 1:
            self.fail(v, head, f"custody run cannot translate this: `{head}` takes one record")
        post: list = []
        c, _ = self.view_arg(args[0], n, post)
        out = self.temp("i32", f"cus_codec_read_u32_le({c}, {4 * fields.index(field)}u, {n})")
        self.finish(post, n)
        return out

    def emit_enum_ctor(self, v: Value, enum: str, tag: int, payload: bool) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) != (1 if payload else 0):
            self.fail(v, v.head, f"custody run cannot translate this: `{v.head}` takes "
                                 f"{1 if payload else 0} argument(s)")
        pc = None
        if payload:
            val = self.emit(args[0])
            self.check_type(args[0], val, "i32")
            pc = val.c or "0u"
        out = self.temp("bytes", f"cus_bytes_alloc({8 if payload else 4}u, {n})")
        self.line(f"{out.c} = cus_bytes_put_u32_le({out.c}, 0u, {tag}u, {n});")
        if payload:
            self.line(f"{out.c} = cus_bytes_put_u32_le({out.c}, 4u, {pc}, {n});")
        return out

    def form_match(self, v: Value) -> Val:
        n = self.tick(v)
        args = v.args
        if len(args) < 2:
            self.fail(v, "match", "custody run cannot translate this: write (match <value> <arm>...)")
        self.push_scope()
        scrut = args[0]
        owner = self.owned_ident(scrut)
        if owner is not None:
            self.tick(scrut)
            if owner.ty != "bytes":
                self.fail(scrut, message="custody run cannot translate this: match needs an enum value")
            sview = None
        else:
            val = self.emit(scrut)
            if val.ty == "bytes":
                hidden = self.bind(f"__scrut{self.counter}", "bytes")
                self.line(f"{hidden.cname} = {self.consume(val)};")
                sview = self.temp("bytes_view", f"cus_bytes_view({hidden.cname}, {n})").c
            elif val.ty == "bytes_view":
                sview = val.c
            else:
                self.fail(scrut, message=f"custody run cannot translate this: match of a {val.ty}")

        def read(off: int) -> str:
            if sview is not None:
                return self.temp("i32", f"cus_codec_read_u32_le({sview}, {off}u, {n})").c
            post: list = []
            c, _ = self.view_arg(scrut, n, post)
            out = self.temp("i32", f"cus_codec_read_u32_le({c}, {off}u, {n})").c
            self.finish(post, n)
            return out

        tag = read(0)
        arms = []
        for arm in args[1:]:
            pat = arm.items[0] if arm.kind == "list" and arm.items else None
            found = self.prog.enum_variant(pat.value) if pat is not None and pat.kind == "str" else None
            if found is None:
                self.fail(arm, message="custody run cannot translate this: a match arm is "
                                       "(<Enum>.<Variant> [binding] <body>)")
            _, k, payload = found
            want = 3 if payload else 2
            if len(arm.items) != want or (payload and arm.items[1].kind != "str"):
                self.fail(arm, pat.value, f"custody run cannot translate this: the arm for "
                                          f"`{pat.value}` needs {'a binding and ' if payload else ''}a body")
            arms.append((k, arm.items[1].value if payload else None, arm.items[-1]))
        dest: list = [None]
        vals = []
        for i, (k, bind, body) in enumerate(arms):
            last = i == len(arms) - 1
            if i == 0:
                self.line(f"if ({tag} == {k}u) {{" if not last else "{")
            else:
                self.line(f"}} else if ({tag} == {k}u) {{" if not last else "} else {")
            self.indent += 1
            self.push_scope()
            if bind is not None:
                var = self.bind(bind, "i32")
                self.line(f"{var.cname} = {read(4)}; (void){var.cname};")
            vals.append(self.branch_into(body, dest, n))
            self.pop_scope(n)
            self.indent -= 1
        self.line("}")
        out = self.merged(dest, vals)
        if out.c is not None and is_owned(out.ty):
            # keep the value out of the hidden scope's drop glue
            self.consume(out)
            self.pop_scope(n)
            self.temps.append((out.c, out.ty))
        else:
            self.pop_scope(n)
        return out
