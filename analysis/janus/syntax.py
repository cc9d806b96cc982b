"""Reading a Janus file (`.jan`) for custody: a tokenizer and a tolerant recursive-descent reader
of the parts the ownership rules look at (docs/janus.md).

Why custody's own reader and not a tree-sitter grammar: the checks are opt-in per construct
(`~T`, `move x`, `owned`, `unsafe`, `region`, `with_scratchpad`, `profile`), and real Janus code
mixes several syntaxes (`func`/`fn`, `do … end`/`{ … }`, Zig-like `.{ }` literals, `:test` blocks).
The reader never reports a syntax error: what it does not understand it skips, balanced, as an
opaque statement, so custody stays silent on code it cannot read (Janus's own 247 files).

The result is plain records (`Module`, `Function`, statements and expressions as `Node`s with a
`kind`, a byte `span` and fields), read by lower.py and the front-end.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from ..source import LineIndex, Span

KEYWORDS = frozenset("""func fn let var const if else for in while match do end return use import extern
struct enum union trait impl type using defer pub test error fail catch async await nursery spawn shared
select break continue unsafe region with_scratchpad profile move owned true false null and or not""".split())

_TOKEN = re.compile(rb"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<nl>\n)
  | (?P<lc>//[^\n]*)
  | (?P<bc>/\*(?:.|\n)*?(?:\*/|\Z))
  | (?P<str>"(?:\\.|[^"\\\n])*"?|\\\\[^\n]*)
  | (?P<chr>'(?:\\.|[^'\\\n])'?)
  | (?P<num>0[xXbBoO][0-9A-Fa-f_]+|[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:[eE][+-]?[0-9]+)?)
  | (?P<id>@?[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\.\.\.|\.\.=|\.\.|::|:=|->|=>|==|!=|<=|>=|&&|\|\||\+=|-=|\*=|/=|%=|\|>|\.\?|\.\*|[^\sA-Za-z0-9_])
""", re.X)


@dataclass(slots=True)
class Tok:
    kind: str          # "id" | "kw" | "num" | "str" | "chr" | "op" | "eof"
    text: str
    start: int
    end: int
    nl: bool           # a newline between this token and the previous one

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


def tokenize(data: bytes, pos: int = 0, n: int | None = None) -> list[Tok]:
    """The tokens of data[pos:n] (offsets in `data`), then an end token at n."""
    out: list[Tok] = []
    nl = True
    n = len(data) if n is None else n
    match = _TOKEN.match
    while pos < n:
        m = match(data, pos, n)
        if m is None:
            pos += 1
            continue
        kind = m.lastgroup
        end = m.end()
        if kind == "ws" or kind == "lc":
            pass
        elif kind == "nl":
            nl = True
        elif kind == "bc":
            if b"\n" in m.group():
                nl = True
        else:
            text = m.group().decode("utf-8", errors="replace")
            if kind == "id" and text in KEYWORDS:
                kind = "kw"
            out.append(Tok(kind, text, pos, end, nl))
            nl = False
        pos = end if end > pos else pos + 1
    out.append(Tok("eof", "", n, n, True))
    return out


class Node:
    """A statement or an expression: `kind`, byte span, fields (other Nodes, lists, strings)."""

    __slots__ = ("kind", "span", "f")

    def __init__(self, kind: str, span: Span, **f):
        self.kind = kind
        self.span = span
        self.f = f

    def __getattr__(self, name):
        try:
            return self.f[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name, default=None):
        return self.f.get(name, default)

    def __repr__(self):
        return f"Node({self.kind}, {self.span.start}-{self.span.end}, {self.f})"

    def walk(self):
        yield self
        for v in self.f.values():
            if isinstance(v, Node):
                yield from v.walk()
            elif isinstance(v, list):
                for x in v:
                    if isinstance(x, Node):
                        yield from x.walk()
                    elif isinstance(x, tuple):
                        for y in x:
                            if isinstance(y, Node):
                                yield from y.walk()


@dataclass
class Param:
    name: str
    span: Span
    type_text: str = ""
    owned: bool = False
    ref: str = ""              # "&" | "&mut" | ""

    @property
    def linear(self) -> bool:
        return self.type_text.startswith("~")


@dataclass
class Function:
    name: str
    span: Span
    name_span: Span
    params: list
    ret: str                    # the return type as written ("" when none)
    body_node: Node | None      # read through `body` (a keystroke's patch shifts it lazily)
    signature: str
    container: str | None = None
    digest: str = ""
    shift: int = 0              # bytes `body_node` is still to be moved by (patch.py)

    @property
    def has_body(self) -> bool:
        return self.body_node is not None

    @property
    def body(self) -> Node | None:
        if self.shift and self.body_node is not None:
            self.body_node = shifted(self.body_node, self.shift)
            self.shift = 0
        return self.body_node


def _shift_value(v, d: int):
    if isinstance(v, Node):
        return shifted(v, d)
    if isinstance(v, Span):
        return Span(v.start + d, v.end + d)
    if isinstance(v, list):
        return [_shift_value(x, d) for x in v]
    if isinstance(v, tuple):
        return tuple(_shift_value(x, d) for x in v)
    return v


def shifted(n: Node, d: int) -> Node:
    """A copy of the tree moved by d bytes."""
    return Node(n.kind, Span(n.span.start + d, n.span.end + d), **{k: _shift_value(v, d) for k, v in n.f.items()})


@dataclass
class Decl:
    kind: str                   # "struct" | "enum" | "trait" | "impl" | "union" | "using" ...
    name: str
    span: Span
    name_span: Span
    keyword: Span               # the keyword (what J6 marks)


@dataclass
class Module:
    path: str | None
    data: bytes
    index: LineIndex
    functions: list = field(default_factory=list)
    decls: list = field(default_factory=list)
    profile: str | None = None          # "core" | "script" | "service" | "sovereign" | other
    profile_span: Span | None = None
    digest: str = ""
    ownership_syntax: bool = False      # `~T`, `move x`, `owned`, `unsafe`, `with_scratchpad`
    toplevel: list = field(default_factory=list)   # top-level statements outside functions (J6)

    def function(self, name: str):
        for f in self.functions:
            if f.name == name:
                return f
        return None

    tree: "TextTree | None" = None


class TextTree:
    """What the engine keeps as a Janus document's tree: there is nothing to reparse (the reader
    is custody's own), but having one makes an editor's next check a keystroke the front-end may
    patch (frontend.patch, patch.py)."""

    def edit(self, **_edit) -> None:
        pass

    def copy(self) -> "TextTree":
        return TextTree()


_CLOSE = {"(": ")", "[": "]", "{": "}"}
# keywords that real code also uses as names (`func move(p: *Player)`, `self.region`)
_SOFT = frozenset("move owned region profile with_scratchpad shared select spawn test type error async "
                  "nursery await use".split())


class Reader:
    def __init__(self, data: bytes, toks: list[Tok]):
        self.data = data
        self.t = toks
        self.i = 0
        self.depth = 0

    # ---- tokens --------------------------------------------------------------------------
    @property
    def tok(self) -> Tok:
        return self.t[self.i]

    def peek(self, k: int = 1) -> Tok:
        j = min(self.i + k, len(self.t) - 1)
        return self.t[j]

    def at(self, *texts) -> bool:
        t = self.t[self.i]
        return t.kind in ("op", "kw", "id") and t.text in texts

    def next(self) -> Tok:
        t = self.t[self.i]
        if t.kind != "eof":
            self.i += 1
        return t

    def eat(self, text: str) -> Tok | None:
        if self.at(text):
            return self.next()
        return None

    def prev_end(self) -> int:
        return self.t[self.i - 1].end if self.i > 0 else 0

    def skip_balanced(self) -> None:
        """Skips one token, or a whole bracketed group / do…end block starting at it."""
        t = self.next()
        if t.kind == "op" and t.text in _CLOSE:
            close = _CLOSE[t.text]
            while self.tok.kind != "eof" and not self.at(close):
                self.skip_balanced()
            self.eat(close)
        elif t.kind == "kw" and t.text == "do":
            while self.tok.kind != "eof" and not self.at("end"):
                if self.at("}", ")", "]"):
                    return
                self.skip_balanced()
            self.eat("end")

    def text_between(self, a: int, b: int) -> str:
        return self.data[a:b].decode("utf-8", errors="replace")

    # ---- declarations --------------------------------------------------------------------
    def module(self, m: Module) -> None:
        while self.tok.kind != "eof":
            self.declaration(m, None)

    def declaration(self, m: Module, container: str | None) -> None:
        t = self.tok
        if t.kind == "id" and t.text == "profile" or t.kind == "kw" and t.text == "profile":
            if self.peek().text == ":" and self.peek(2).kind in ("id", "kw"):
                start = self.next().start
                self.next()
                name = self.next()
                if m.profile is None and container is None:
                    m.profile = name.text
                    m.profile_span = Span(start, name.end)
                return
        if self.at("import", "use") and self.peek().kind == "id" and self.peek().text == "c" \
                and self.peek(2).kind == "str" and container is None:
            kw = self.next()
            self.next()
            path = self.next()
            m.decls.append(Decl("import_c", path.text.strip('"'), Span(kw.start, path.end), path.span,
                                Span(kw.start, path.end)))
            return
        if self.at("pub", "export", "extern", "async", "inline"):
            self.next()
            if self.tok.kind == "str":
                self.next()
            return
        if self.at("func", "fn") and self.peek().kind in ("id", "kw") and self.peek().text not in ("(",):
            f = self.function(container)
            if f is not None:
                m.functions.append(f)
            return
        if self.at("struct", "enum", "union", "trait", "impl"):
            kw = self.next()
            name_tok = self.tok if self.tok.kind in ("id",) else None
            # `impl T for C`, `struct Name`, generic arguments: up to the body
            while self.tok.kind != "eof" and not self.at("{", "do") and not (self.tok.nl and self.i > 0
                                                                                and self.at("func", "fn")):
                if self.at("(", "["):
                    self.skip_balanced()
                else:
                    self.next()
            name = name_tok.text if name_tok else kw.text
            name_span = name_tok.span if name_tok else kw.span
            if self.at("{", "do"):
                open_ = self.next()
                close = "}" if open_.text == "{" else "end"
                while self.tok.kind != "eof" and not self.at(close):
                    if self.at("func", "fn") and self.peek().kind in ("id", "kw"):
                        f = self.function(name)
                        if f is not None:
                            m.functions.append(f)
                    elif self.at("destructor") and self.peek().text == "(":
                        f = self.function(name, keyword=False)
                        if f is not None:
                            m.functions.append(f)
                    else:
                        self.skip_balanced()
                self.eat(close)
            m.decls.append(Decl(kw.text, name, Span(kw.start, self.prev_end()), name_span, kw.span))
            return
        if self.at("using", "unsafe", "region"):
            start = self.i
            st = self.statement()
            if st is not None:
                m.toplevel.append(st)
            if self.i == start:
                self.next()
            return
        self.skip_balanced()

    def function(self, container: str | None, keyword: bool = True) -> Function | None:
        # `destructor()` has no keyword: its name token is the first
        kw = self.next() if keyword else self.tok
        name_tok = self.next()
        params: list[Param] = []
        if self.at("<"):                 # generic parameters: `func identity<T>(value: T)`
            depth = 0
            while self.tok.kind != "eof":
                t = self.next()
                depth += (t.text == "<") - (t.text == ">")
                if depth <= 0 or t.text in ("{", "do"):
                    break
        if not self.at("("):
            return None
        self.next()
        while self.tok.kind != "eof" and not self.at(")"):
            params.append(self.param())
            while not self.at(",", ")") and self.tok.kind != "eof":
                self.skip_balanced()
            self.eat(",")
        self.eat(")")
        ret_start = None
        ret_end = None
        # return type, `requires …` clauses: everything up to the body
        while self.tok.kind != "eof" and not self.at("{", "do") and not (self.tok.nl and (self.at(
                "}", "end", "@") or self.tok.kind == "kw" and self.tok.text not in ("requires", "ensures", "where")
                or self.tok.kind == "id" and self.tok.text in ("extern", "export", "inline", "async"))):
            if self.at("->"):
                self.next()
                ret_start = self.tok.start
            if self.at("(", "["):
                self.skip_balanced()
            else:
                self.next()
            if ret_start is not None and not self.at("requires", "ensures", "where", "{", "do"):
                ret_end = self.prev_end()
        ret = self.text_between(ret_start, ret_end).strip() if ret_start is not None and ret_end else ""
        sig_end = self.prev_end()
        body = None
        if self.at("{", "do"):
            body = self.block()
        span = Span(kw.start, self.prev_end())
        f = Function(name_tok.text, span, name_tok.span, params, ret, body,
                     self.text_between(kw.start, sig_end).strip(), container)
        f.digest = hashlib.sha1(self.data[span.start:span.end]).hexdigest()
        return f

    def param(self) -> Param:
        owned = False
        ref = ""
        if self.at("owned"):
            owned = True
            self.next()
        if self.at("&"):
            self.next()
            ref = "&"
            if self.at("mut"):
                self.next()
                ref = "&mut"
        name_tok = self.next()
        type_text = ""
        if self.at(":"):
            self.next()
            a = self.tok.start
            while not self.at(",", ")") and self.tok.kind != "eof":
                self.skip_balanced()
            type_text = self.text_between(a, self.prev_end()).strip()
        return Param(name_tok.text, name_tok.span, type_text, owned, ref)

    # ---- statements ----------------------------------------------------------------------
    def block(self, stop=()) -> Node:
        """`{ … }` or `do … end` (also stopping at `else` and the given words, left unread)."""
        open_ = self.next()
        close = "}" if open_.text == "{" else "end"
        stmts = []
        while self.tok.kind != "eof" and not self.at(close):
            if close == "end" and (self.at("else") or self.at(*stop)):
                break
            if close == "end" and self.at("}", ")", "]"):
                break
            start = self.i
            st = self.statement()
            if st is not None:
                stmts.append(st)
            if self.i == start:
                self.skip_balanced()
        end_tok = self.tok
        closed = self.eat(close) is not None
        end_span = end_tok.span if closed else Span(self.prev_end(), self.prev_end())
        return Node("block", Span(open_.start, self.prev_end()), stmts=stmts, end=end_span)

    def body(self) -> Node | None:
        if self.at("{", "do"):
            return self.block()
        if self.at("=>", ":"):
            self.next()
        e = self.expr()
        if e is None:
            return None
        return Node("block", e.span, stmts=[Node("expr", e.span, e=e)], end=Span(e.span.end, e.span.end))

    def end_statement(self) -> None:
        """After a statement: `;`, or skip what is left on its line (code custody does not read)."""
        if self.eat(";"):
            return
        while (self.tok.kind != "eof" and not self.tok.nl and not self.at(";", "}", "end", ")", "]")
               and not self.at("else")):
            self.skip_balanced()
        self.eat(";")

    def statement(self) -> Node | None:
        self.depth += 1
        try:
            if self.depth > 180:
                raise RecursionError
            return self._statement()
        finally:
            self.depth -= 1

    def _statement(self) -> Node | None:
        t = self.tok
        if t.kind == "op" and t.text == ";":
            self.next()
            return None
        if self.at("let", "var", "const"):
            kw = self.next()
            names = []
            if self.at("(", "["):
                self.skip_balanced()
            else:
                if self.at("mut"):
                    self.next()
                n = self.next()
                if n.kind in ("id",):
                    names.append((n.text, n.span))
            type_text = ""
            if self.at(":"):
                self.next()
                a = self.tok.start
                while not self.at("=", ":=", ";") and not self.tok.nl and self.tok.kind != "eof":
                    self.skip_balanced()
                type_text = self.text_between(a, self.prev_end()).strip()
            init = None
            if self.at("=", ":="):
                self.next()
                init = self.expr()
            self.end_statement()
            return Node("let", Span(kw.start, self.prev_end()), keyword=kw.text, names=names, type=type_text, init=init)
        if self.at("return", "fail"):
            kw = self.next()
            value = None
            if not self.tok.nl and not self.at(";", "}", "end") and not self.at("when", "unless"):
                value = self.expr()
            guard = None
            if self.at("when", "unless") and not self.tok.nl:
                g = self.next()
                cond = self.expr()
                guard = cond if cond is not None else Node("const", g.span)
            self.end_statement()
            return Node("return", Span(kw.start, self.prev_end()), value=value, keyword=kw.span, guard=guard,
                        fail=kw.text == "fail")
        if self.at("break", "continue"):
            kw = self.next()
            self.end_statement()
            return Node(kw.text, kw.span)
        if self.at("defer"):
            kw = self.next()
            if self.at("{", "do"):
                b = self.block()
            else:
                e = self.expr()
                b = Node("block", e.span if e else kw.span, stmts=[Node("expr", e.span, e=e)] if e else [],
                         end=kw.span)
                self.end_statement()
            return Node("defer", Span(kw.start, self.prev_end()), body=b)
        if self.at("if"):
            return self.if_()
        if self.at("loop") and self.peek().text in ("{", "do"):
            kw = self.next()
            body = self.body()
            return Node("while", Span(kw.start, self.prev_end()), cond=None, body=body)
        if self.at("while"):
            kw = self.next()
            cond = self.expr(no_struct=True)
            body = self.body() if self.at("{", "do") else None
            return Node("while", Span(kw.start, self.prev_end()), cond=cond, body=body)
        if self.at("for"):
            kw = self.next()
            names = []
            while self.tok.kind != "eof" and not self.at("in") and not self.at("{", "do"):
                if self.tok.kind == "id":
                    names.append((self.tok.text, self.tok.span))
                self.next()
            it = None
            if self.eat("in"):
                it = self.expr(no_struct=True)
            body = self.body() if self.at("{", "do") else None
            return Node("for", Span(kw.start, self.prev_end()), names=names, iter=it, body=body)
        if self.at("match"):
            e = self.match_()
            return Node("expr", e.span, e=e)
        if self.at("unsafe") and self.peek().text in ("{", "do"):
            kw = self.next()
            b = self.block()
            return Node("unsafe", Span(kw.start, self.prev_end()), body=b, keyword=kw.span)
        if self.at("using"):
            kw = self.next()
            self.eat("shared")
            names = []
            if self.tok.kind == "id":
                n = self.next()
                names.append((n.text, n.span))
            init = None
            if self.at("=", ":="):
                self.next()
                init = self.expr(no_struct=True)
            body = None
            if self.at("{", "do"):
                body = self.block()
            else:
                self.end_statement()
            return Node("using", Span(kw.start, self.prev_end()), names=names, init=init, body=body, keyword=kw.span)
        if (self.at("region") and self.peek().kind == "id" and self.peek(2).text in ("{", "do")):
            kw = self.next()
            n = self.next()
            b = self.block()
            return Node("region", Span(kw.start, self.prev_end()), name=n.text, name_span=n.span, body=b,
                        keyword=kw.span, planned=True)
        if self.at("with_scratchpad"):
            kw = self.next()
            name = None
            if self.eat("|"):
                if self.tok.kind == "id":
                    name = self.next()
                self.eat("|")
            b = self.block() if self.at("{", "do") else None
            return Node("region", Span(kw.start, self.prev_end()), name=name.text if name else None,
                        name_span=name.span if name else kw.span, body=b, keyword=kw.span, planned=True,
                        scratchpad=True)
        if self.at("{") or self.at("do"):
            b = self.block()
            return Node("scope", b.span, body=b)
        if self.at("func", "fn", "struct", "enum", "impl", "trait", "union", "test", "import", "use", "pub",
                   "extern", "type"):
            # a nested declaration or something custody does not read here: skipped as a whole
            start = self.tok.start
            self.skip_statement()
            return Node("opaque", Span(start, self.prev_end()))
        e = self.expr()
        if e is None:
            start = self.tok.start
            self.skip_statement()
            return Node("opaque", Span(start, self.prev_end()))
        if self.at("=", "+=", "-=", "*=", "/=", "%=", ":=") and not self.tok.nl:
            op = self.next()
            value = self.expr()
            self.end_statement()
            return Node("assign", Span(e.span.start, self.prev_end()), target=e, value=value, op=op.text)
        self.end_statement()
        return Node("expr", e.span, e=e)

    def skip_statement(self) -> None:
        self.skip_balanced()
        while self.tok.kind != "eof" and not self.tok.nl and not self.at(";", "}", "end", ")", "]"):
            self.skip_balanced()
        self.eat(";")

    def if_(self) -> Node:
        kw = self.next()
        cond = self.expr(no_struct=True)
        then = self.body() if self.at("{", "do") else None
        other = None
        if self.at("else"):
            self.next()
            if self.at("if"):
                other = self.if_()
                other = Node("block", other.span, stmts=[other], end=Span(other.span.end, other.span.end))
            elif self.at("{", "do"):
                other = self.block()
            else:
                # `if c do … else … end`: the else part runs to `end`
                a = self.tok.start
                stmts = []
                while self.tok.kind != "eof" and not self.at("end", "}"):
                    s0 = self.i
                    st = self.statement()
                    if st is not None:
                        stmts.append(st)
                    if self.i == s0:
                        self.skip_balanced()
                end_tok = self.tok
                self.eat("end")
                other = Node("block", Span(a, self.prev_end()), stmts=stmts, end=end_tok.span)
        return Node("if", Span(kw.start, self.prev_end()), cond=cond, then=then, other=other, keyword=kw.span)

    def match_(self) -> Node:
        kw = self.next()
        subject = self.expr(no_struct=True)
        arms = []
        if self.at("{", "do"):
            open_ = self.next()
            close = "}" if open_.text == "{" else "end"
            while self.tok.kind != "eof" and not self.at(close):
                a = self.i
                pat_start = self.tok.start
                names = []
                while self.tok.kind != "eof" and not self.at("=>", "->", close):
                    if self.tok.kind == "id" and self.tok.text[:1].islower():
                        names.append((self.tok.text, self.tok.span))
                    self.skip_balanced()
                if self.at("=>", "->"):
                    self.next()
                    body = self.body()
                    if body is not None:
                        arms.append(Node("arm", Span(pat_start, self.prev_end()), names=names, body=body))
                self.eat(",")
                self.eat(";")
                if self.i == a:
                    self.skip_balanced()
            self.eat(close)
        return Node("match", Span(kw.start, self.prev_end()), subject=subject, arms=arms, keyword=kw.span)

    # ---- expressions ---------------------------------------------------------------------
    _BIN = {"||": 1, "or": 1, "orelse": 1, "catch": 1, "&&": 2, "and": 2, "==": 3, "!=": 3, "<": 4, ">": 4,
            "<=": 4, ">=": 4, "..": 5, "..=": 5, "|>": 5, "|": 6, "^": 6, "&": 7, "+": 8, "-": 8, "*": 9,
            "/": 9, "%": 9, "as": 10, "is": 10, "in": 3}

    def expr(self, no_struct: bool = False, min_prec: int = 0) -> Node | None:
        self.depth += 1
        try:
            if self.depth > 180:
                raise RecursionError
            left = self.unary(no_struct)
            if left is None:
                return None
            while True:
                t = self.tok
                prec = self._BIN.get(t.text) if t.kind in ("op", "kw", "id") else None
                if prec is None or prec <= min_prec - 1 or prec < min_prec:
                    break
                if t.nl and t.text in ("*", "-", "&", "|", "in"):
                    break
                if no_struct and t.text == "in":
                    break
                op = self.next()
                if op.text in ("as", "is"):
                    right = self.type_expr()
                else:
                    right = self.expr(no_struct, prec + 1)
                if right is None:
                    right = Node("opaque", op.span)
                left = Node("binary", Span(left.span.start, right.span.end), op=op.text, left=left, right=right)
            return left
        finally:
            self.depth -= 1

    def type_expr(self) -> Node:
        a = self.tok.start
        while self.tok.kind in ("id", "kw") or self.at(".", "*", "&", "?", "["):
            if self.at("["):
                self.skip_balanced()
            else:
                self.next()
        return Node("opaque", Span(a, max(a, self.prev_end())))

    def unary(self, no_struct: bool) -> Node | None:
        t = self.tok
        if t.kind == "kw" and t.text == "move" and self.peek().kind in ("id", "kw") and not self.peek().nl:
            self.next()
            operand = self.unary(no_struct)
            if operand is None:
                return Node("opaque", t.span)
            return Node("move", Span(t.start, operand.span.end), operand=operand)
        if t.kind == "op" and t.text == "&":
            self.next()
            mut = False
            if self.at("mut"):
                self.next()
                mut = True
            operand = self.unary(no_struct)
            if operand is None:
                return Node("opaque", t.span)
            return Node("ref", Span(t.start, operand.span.end), operand=operand, mut=mut)
        if t.kind == "op" and t.text == "*":
            self.next()
            operand = self.unary(no_struct)
            if operand is None:
                return Node("opaque", t.span)
            return Node("deref", Span(t.start, operand.span.end), operand=operand)
        if (t.kind == "op" and t.text in ("-", "!", "~")) or (t.kind == "kw" and t.text in ("not", "await")) \
                or (t.kind == "id" and t.text in ("try", "comptime")):
            self.next()
            operand = self.unary(no_struct)
            if operand is None:
                return Node("opaque", t.span)
            return Node("unary", Span(t.start, operand.span.end), op=t.text, operand=operand)
        return self.postfix(no_struct)

    def args(self) -> list:
        """After `(` (or `[`): the arguments up to the closing bracket, which is consumed."""
        open_ = self.next()
        close = _CLOSE[open_.text]
        out = []
        while self.tok.kind != "eof" and not self.at(close):
            a = self.i
            # named argument `name: value` / `.name = value`
            if self.tok.kind == "id" and self.peek().text == ":" and self.peek(2).text != ":":
                self.next()
                self.next()
            e = self.expr()
            if e is not None:
                out.append(e)
            while not self.at(",", close) and self.tok.kind != "eof":
                self.skip_balanced()
            self.eat(",")
            if self.i == a:
                self.skip_balanced()
        self.eat(close)
        return out

    def postfix(self, no_struct: bool) -> Node | None:
        e = self.primary(no_struct)
        if e is None:
            return None
        while True:
            t = self.tok
            if t.kind == "op" and t.text == "(" and not t.nl:
                args = self.args()
                e = Node("call", Span(e.span.start, self.prev_end()), callee=e, args=args)
            elif t.kind == "op" and t.text == "[" and not t.nl:
                args = self.args()
                e = Node("index", Span(e.span.start, self.prev_end()), value=e, args=args)
            elif t.kind == "op" and t.text in (".", "?.", "::") and self.peek().kind in ("id", "kw", "num"):
                self.next()
                n = self.next()
                e = Node("field", Span(e.span.start, n.end), value=e, name=n.text, name_span=n.span)
            elif t.kind == "op" and t.text in ("?", ".?", ".*", "!") and not t.nl:
                self.next()
                e = Node("unary", Span(e.span.start, t.end), op=t.text, operand=e)
            elif (t.kind == "op" and t.text == "{" and not no_struct and e.kind in ("name", "field")
                  and e.get("name", "")[:1].isupper() and not t.nl):
                args = self.args()
                e = Node("literal", Span(e.span.start, self.prev_end()), items=args)
            else:
                return e

    def primary(self, no_struct: bool) -> Node | None:
        t = self.tok
        if t.kind == "id" or (t.kind == "kw" and t.text in _SOFT):
            self.next()
            return Node("name", t.span, name=t.text)
        if t.kind == "kw" and t.text in ("true", "false", "null"):
            self.next()
            return Node("const", t.span)
        if t.kind in ("num", "str", "chr"):
            self.next()
            return Node("const", t.span)
        if t.kind == "op" and t.text in ("(", "["):
            items = self.args()
            return Node("literal", Span(t.start, self.prev_end()), items=items)
        if t.kind == "op" and t.text == "." and self.peek().text == "{":
            self.next()
            items = self.args()
            return Node("literal", Span(t.start, self.prev_end()), items=items)
        if t.kind == "op" and t.text == "." and self.peek().kind == "id":
            self.next()
            n = self.next()
            if self.at("=") and not self.tok.nl:     # `.field = value` inside `.{ }`
                self.next()
                v = self.expr()
                return v if v is not None else Node("const", n.span)
            return Node("const", Span(t.start, n.end))
        if t.kind == "op" and t.text == "{" and not no_struct:
            items = self.args()
            return Node("literal", Span(t.start, self.prev_end()), items=items)
        if t.kind == "kw" and t.text == "unsafe" and self.peek().text in ("{", "do"):
            self.next()
            b = self.block()
            return Node("unsafe", Span(t.start, self.prev_end()), body=b, keyword=t.span)
        if t.kind == "kw" and t.text == "if":
            return self.if_()
        if t.kind == "kw" and t.text == "match":
            return self.match_()
        if t.kind == "op" and t.text in ("|", "||"):
            # a closure: its body is not read, only the names it mentions (its captures)
            start = t.start
            self.next()
            params = set()
            if t.text == "|":
                while self.tok.kind != "eof" and not self.at("|") and not self.tok.nl:
                    if self.tok.kind == "id":
                        params.add(self.tok.text)
                    self.next()
                self.eat("|")
            first = self.i
            if self.at("{", "do"):
                self.skip_balanced()
            else:
                self.expr()
            return Node("closure", Span(start, self.prev_end()), names=self.mentioned(first, params))
        if t.kind == "kw" and t.text in ("func", "fn") and self.peek().text == "(":
            start = t.start
            self.next()
            a = self.i
            self.skip_balanced()
            params = {x.text for x in self.t[a:self.i] if x.kind == "id"}
            while self.tok.kind != "eof" and not self.at("{", "do") and not self.tok.nl:
                self.skip_balanced()
            first = self.i
            if self.at("{", "do"):
                self.skip_balanced()
            return Node("closure", Span(start, self.prev_end()), names=self.mentioned(first, params))
        return None

    def mentioned(self, first: int, params: set) -> list:
        """The names a closure's body mentions (not after a `.`, not its own parameters)."""
        out = []
        for k in range(first, self.i):
            x = self.t[k]
            if x.kind == "id" and x.text not in params and not (k > 0 and self.t[k - 1].text == "."):
                out.append((x.text, x.span))
        return out


def read_module(path: str | None, data: bytes) -> Module:
    m = Module(path, data, LineIndex(data))
    m.digest = hashlib.sha1(data).hexdigest()
    toks = tokenize(data)
    r = Reader(data, toks)
    try:
        r.module(m)
    except RecursionError:
        pass
    m.ownership_syntax = ownership_tokens(toks) or any(p.linear or p.owned for f in m.functions for p in f.params) \
        or any(f.ret.startswith("~") for f in m.functions)
    m.tree = TextTree()
    return m


def ownership_tokens(toks: list) -> bool:
    """Do these tokens hold ownership syntax (`owned`, `unsafe`, `with_scratchpad`, `move x`)?"""
    return any((t.kind == "kw" and t.text in ("owned", "unsafe", "with_scratchpad"))
               or (t.kind == "kw" and t.text == "move" and toks[k + 1].kind == "id" and not toks[k + 1].nl)
               for k, t in enumerate(toks))
