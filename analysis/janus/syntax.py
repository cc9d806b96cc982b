"""A Janus file (`.jan`) as the checks read it: custody's tree-sitter grammar (`grammar/janus`,
node types in grammar/janus/NODES.md) parses it, and this module turns the tree into the plain
records lower.py, the passes and the front-end read: `Module`, `Function` (a header; its body
converted on first read), `Param`, `Decl`, and statements and expressions as `Node`s with a
`kind`, a byte `span` and fields.

Why a record model on top of the tree: the lowering walks statements with the questions of the
ownership rules (what a `let` binds, where a block's scope ends, which names a closure mentions),
and the same questions have different tree shapes (`do … end` against `{ … }`, the one `end` of
an `if … else if … end` chain, `e catch err { }`). Answering them here keeps lower.py about
ownership. One parser for one language: what the editor's tree shows is what custody checks, and
syntax errors are the tree's ERROR / MISSING nodes (check.py reports them; a function holding one
is not analysed).

A body is converted when first read (`Function.body`), from the tree the function was parsed in,
moved by `Function.shift` bytes: a keystroke's fast path (patch.py) carries the records of the
functions after the edit moved, and never converts their bodies unless something looks inside.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass

from ..incremental import Segs
from ..source import LineIndex, Span

# words that may not name a local (the front-end's vocabulary: rename)
KEYWORDS = frozenset("""func fn let var const if else for in while match do end return use import extern
struct enum union trait impl type using defer pub test error fail catch async await nursery spawn shared
select break continue unsafe region with_scratchpad profile move owned true false null and or not""".split())

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 180            # nesting converted; deeper is CUS-SYNTAX-0002 (check.py)

# ownership syntax (docs/janus.md): `owned`, `~T`, `move x`, `unsafe`, `with_scratchpad`
OWNERSHIP_QUERY = ("(owned_modifier) @o (linear_type) @o (move_expression) @o (unsafe_block) @o "
                   "(scratchpad_statement) @o")
_CONTAINERS = {"struct_declaration": "struct", "enum_declaration": "enum", "union_declaration": "union",
               "trait_declaration": "trait", "impl_declaration": "impl"}
_TOPLEVEL = {"using_statement": "using", "using_declaration": "using", "unsafe_block": "unsafe",
             "region_statement": "region"}


def language():
    from custody.grammar import language as load
    return load("janus")


def new_parser():
    import tree_sitter
    return tree_sitter.Parser(language())


_PARSER = None
_QUERY = None


def parser():
    """A shared parser for whole documents (never given included ranges)."""
    global _PARSER
    if _PARSER is None:
        _PARSER = new_parser()
    return _PARSER


def ownership_nodes(node) -> list:
    """The nodes of ownership syntax under `node` (a query, run by tree-sitter)."""
    global _QUERY
    import tree_sitter
    if _QUERY is None:
        _QUERY = tree_sitter.Query(language(), OWNERSHIP_QUERY)
    got = tree_sitter.QueryCursor(_QUERY).captures(node).get("o", [])
    return [o for o in got if o.type != "move_expression" or is_move(o)]


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

    @property
    def header(self) -> tuple:
        return (self.name, self.type_text, self.owned, self.ref)


class Function:
    """A function's header, and its body converted to Nodes on first read (from `node`, the body
    in the tree it was parsed in, whose offsets are `shift` bytes behind the document's)."""

    __slots__ = ("name", "span", "name_span", "params", "ret", "signature", "container", "digest", "shift",
                 "node", "src", "top", "broken", "owns", "too_deep", "_body")
    delta = 0                  # (a Segs item: its span is where it is)

    def __init__(self, name, span, name_span, params, ret, signature, container, digest, node, src,
                 top=False, broken=False, owns=False, shift=0):
        self.name, self.span, self.name_span, self.params = name, span, name_span, params
        self.ret, self.signature, self.container, self.digest = ret, signature, container, digest
        self.node, self.src, self.top, self.broken, self.owns = node, src, top, broken, owns
        self.shift = shift
        self.too_deep = False
        self._body = None

    def __repr__(self):
        return f"Function({self.name!r}, {self.span})"

    @property
    def has_body(self) -> bool:
        return self.node is not None

    @property
    def body(self) -> Node | None:
        """The body's statements (None: no body, or one nested deeper than MAX_DEPTH, which
        check.py reports)."""
        if self._body is None and self.node is not None and not self.too_deep:
            try:
                self._body = Reader(self.src, self.shift).block(self.node)
            except RecursionError:
                self.too_deep = True
        return self._body

    @property
    def header(self) -> tuple:
        """What callers and the context key read of it."""
        return (self.name, self.container, self.signature, self.ret, tuple(p.header for p in self.params))

    def moved_by(self, d: int) -> "Function":
        if d == 0:
            return self
        return Function(self.name, Span(self.span[0] + d, self.span[1] + d),
                        Span(self.name_span[0] + d, self.name_span[1] + d),
                        [Param(p.name, Span(p.span[0] + d, p.span[1] + d), p.type_text, p.owned, p.ref)
                         for p in self.params],
                        self.ret, self.signature, self.container, self.digest, self.node, self.src, self.top,
                        self.broken, self.owns, self.shift + d)

    def body_interior(self) -> tuple[int, int] | None:
        """(end of the opening `do`/`{`, start of the closing `end`/`}`) in the document, or None."""
        n = self.node
        if n is None or n.child_count < 2:
            return None
        first, last = n.children[0], n.children[-1]
        if first.type not in ("do", "{") or last.type not in ("end", "}") or last.is_missing:
            return None
        return first.end_byte + self.shift, last.start_byte + self.shift


@dataclass
class Decl:
    kind: str                   # "struct" | "enum" | "union" | "trait" | "impl" | "import_c"
    name: str
    span: Span
    name_span: Span
    keyword: Span               # the keyword (what J6 marks)

    def moved_by(self, d: int) -> "Decl":
        def mv(s):
            return Span(s[0] + d, s[1] + d)
        return Decl(self.kind, self.name, mv(self.span), mv(self.name_span), mv(self.keyword))


class Module:
    """One document's records. `fsegs` holds the functions in file order (an
    `analysis.incremental.Segs`: a keystroke's patch replaces one and moves the later ones
    without walking them); `functions` is that list, moved, made on first read."""

    def __init__(self, path: str | None, data: bytes, tree=None):
        self.path = path
        self.data = data
        self.tree = tree                    # tree-sitter's, or a PendingTree after a patch
        self.fsegs: Segs = Segs.of([])
        self.decls: list = []
        self.profile: str | None = None     # "core" | "script" | "service" | "sovereign" | other
        self.profile_span: Span | None = None
        self.ownership_syntax = False       # `~T`, `move x`, `owned`, `unsafe`, `with_scratchpad`
        self.toplevel: list = []            # top-level `using`/`unsafe`/`region` statements (J6)
        self._named: dict | None = None
        self._index: LineIndex | None = None

    @property
    def functions(self) -> list:
        return self.fsegs.materialized()

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.data)
        return self._index

    def named(self, name: str) -> list:
        """The functions of that name, in file order, for their headers (what lowering reads of a
        callee): a record may lie where an earlier text had it."""
        return self.named_table().get(name, [])

    def named_table(self) -> dict:
        """name -> the functions of that name: the records `fsegs` holds, not moved."""
        if self._named is None:
            named: dict = {}
            for base, lo, hi, _d in self.fsegs.segs:
                for i in range(lo, hi):
                    named.setdefault(base[i].name, []).append(base[i])
            self._named = named
        return self._named

    def set_named(self, table: dict) -> None:
        self._named = table

    def function(self, name: str):
        got = self.named(name)
        return got[0] if got else None


def read_module(path: str | None, data: bytes, tree=None) -> Module:
    """The records of `data` (parsed now unless `tree` is its tree). A file over MAX_BYTES is not
    parsed (check.py reports it)."""
    m = Module(path, data)
    if len(data) > MAX_BYTES:
        return m
    if tree is None:
        tree = parser().parse(data)
    m.tree = tree
    functions: list = []
    for n in tree.root_node.named_children:
        t = n.type
        if t == "function_declaration":
            f = function_of(n, data, None, True)
            if f is not None:
                functions.append(f)
        elif t in _CONTAINERS:
            _container(m, n, data, functions)
        elif t == "profile_declaration":
            name = n.child_by_field_name("name")
            if m.profile is None and name is not None and name.type == "symbol":
                m.profile = _text(data, name).lstrip(":")
                m.profile_span = Span(n.start_byte, name.end_byte)
        elif t in ("import_declaration", "use_declaration"):
            kind, where = n.child_by_field_name("kind"), n.child_by_field_name("path")
            if kind is not None and _text(data, kind) == "c" and where is not None and where.type == "string":
                sp = Span(n.children[0].start_byte, where.end_byte)
                m.decls.append(Decl("import_c", _text(data, where).strip('"'), sp, _span(where), sp))
        elif t in _TOPLEVEL:
            # what J6 reads of it (its body is not a function's: nothing else is checked there)
            m.toplevel.append(Node(_TOPLEVEL[t], _span(n), keyword=_span(n.children[0])))
    owning = ownership_nodes(tree.root_node) if _may_own(data) else []
    if owning:
        m.ownership_syntax = True
        starts = [f.span[0] for f in functions]
        for o in owning:
            k = bisect.bisect_right(starts, o.start_byte) - 1
            if k >= 0 and o.end_byte <= functions[k].span[1]:
                functions[k].owns = True
    m.fsegs = Segs.of(functions)
    return m


def is_move(n) -> bool:
    """Is this `move_expression` a move? The grammar reads `move(p, dx)` (Janus's own code has a
    function named move) as `move` of a tuple; a bracket right after the word is a call."""
    value = n.child_by_field_name("value")
    return not (value is not None and value.type in ("tuple_expression", "parenthesized_expression")
                and value.start_byte == n.children[0].end_byte)


def _may_own(data: bytes) -> bool:
    """Could the text hold ownership syntax at all (a cheap test before the query)?"""
    return any(w in data for w in (b"owned", b"~", b"move", b"unsafe", b"with_scratchpad"))


def _container(m: Module, n, data: bytes, functions: list) -> None:
    kw = n.children[0]
    for c in n.children:
        if c.type == _CONTAINERS[n.type]:
            kw = c
            break
    if n.type == "impl_declaration":
        named = n.child_by_field_name("trait") or n.child_by_field_name("type")
        while named is not None and named.type == "generic_type":
            named = named.child_by_field_name("type")
    else:
        named = n.child_by_field_name("name")
    name = _text(data, named) if named is not None else kw.type
    name_span = _span(named) if named is not None else _span(kw)
    body = n.child_by_field_name("body")
    if body is not None and body.type in ("field_declaration_list", "declaration_list"):
        for c in body.named_children:
            if c.type == "function_declaration":
                f = function_of(c, data, name, False)
            elif c.type == "destructor_declaration":
                f = _destructor(c, data, name)
            else:
                continue
            if f is not None:
                functions.append(f)
    m.decls.append(Decl(kw.type, name, Span(kw.start_byte, n.end_byte), name_span, _span(kw)))


def function_of(n, data: bytes, container: str | None, top: bool) -> Function | None:
    """The record of a `function_declaration` node (offsets of `data`, the text it was parsed from)."""
    name = n.child_by_field_name("name")
    if name is None:
        return None
    plist = n.child_by_field_name("parameters")
    params = [_param(p, data) for p in plist.named_children if p.type == "parameter"] if plist is not None else []
    ret = n.child_by_field_name("return_type")
    body = n.child_by_field_name("body")
    kw = next((c for c in n.children if c.type in ("func", "fn")), n)
    sig_end = body.start_byte if body is not None else n.end_byte
    return Function(_text(data, name), _span(n), _span(name), params, _text(data, ret).strip() if ret else "",
                    data[kw.start_byte:sig_end].decode("utf-8", "replace").strip(), container,
                    hashlib.sha1(data[n.start_byte:n.end_byte]).hexdigest(), body, data, top, n.has_error)


def _destructor(n, data: bytes, container: str) -> Function:
    kw = n.children[0]
    body = n.child_by_field_name("body")
    return Function("destructor", _span(n), _span(kw), [], "", "destructor()", container,
                    hashlib.sha1(data[n.start_byte:n.end_byte]).hexdigest(), body, data, False, n.has_error)


def _param(p, data: bytes) -> Param:
    name = p.child_by_field_name("name")
    ty = p.child_by_field_name("type")
    ref = p.child_by_field_name("reference")
    return Param(_text(data, name) if name is not None else "", _span(name if name is not None else p),
                 _text(data, ty).strip() if ty is not None else "",
                 p.child_by_field_name("modifier") is not None,
                 "" if ref is None else "&mut" if ref.child_by_field_name("mutable") is not None else "&")


def _text(data: bytes, n) -> str:
    return data[n.start_byte:n.end_byte].decode("utf-8", "replace")


def _span(n) -> Span:
    return Span(n.start_byte, n.end_byte)


def _empty_at(at: int) -> Span:
    return Span(at, at)


class Reader:
    """Statements and expressions of one tree as Nodes, their spans moved by `d` bytes."""

    __slots__ = ("src", "d", "depth")

    def __init__(self, src: bytes, d: int):
        self.src, self.d, self.depth = src, d, 0

    def span(self, n) -> Span:
        return Span(n.start_byte + self.d, n.end_byte + self.d)

    def text(self, n) -> str:
        return self.src[n.start_byte:n.end_byte].decode("utf-8", "replace")

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RecursionError("nested deeper than custody analyses")

    # ---- blocks and statements -----------------------------------------------------------
    def block(self, n, end: Span | None = None) -> Node:
        """A `block` node: its statements, and where its scope ends (its closing `end`/`}`,
        else `end`, else the end of its last statement)."""
        stmts = []
        for c in n.named_children:
            if c.type != "comment":
                st = self.statement(c)
                if st is not None:
                    stmts.append(st)
        if end is None:
            last = n.children[-1] if n.child_count else None
            if last is not None and last.type in ("end", "}") and not last.is_missing:
                end = self.span(last)
            else:
                end = _empty_at(n.end_byte + self.d)
        return Node("block", self.span(n), stmts=stmts, end=end)

    def wrapped(self, st: Node) -> Node:
        """One statement as a block of its own (an arm's body, a guarded statement)."""
        return Node("block", st.span, stmts=[st], end=_empty_at(st.span[1]))

    def statement(self, n) -> Node | None:
        self._enter()
        try:
            method = _STATEMENTS.get(n.type)
            if method is not None:
                return method(self, n)
            if n.type == "assignment_expression":
                return self.assignment(n)
            if n.type in _DECLARATIONS or n.type == "ERROR":
                return Node("opaque", self.span(n))
            e = self.expr(n)
            return Node("expr", e.span, e=e)
        finally:
            self.depth -= 1

    def let(self, n) -> Node:
        pat = n.child_by_field_name("pattern")
        names = []
        if pat is not None and pat.type == "identifier":
            names.append((self.text(pat), self.span(pat)))
        elif pat is not None and pat.type == "wildcard":
            names.append(("_", self.span(pat)))
        ty = n.child_by_field_name("type")
        value = n.child_by_field_name("value")
        kw = next((c.type for c in n.children if c.type in ("let", "var", "const")), "let")
        return Node("let", self.span(n), keyword=kw, names=names, type=self.text(ty).strip() if ty else "",
                    init=self.value(value))

    def assignment(self, n) -> Node:
        op = n.child_by_field_name("operator")
        return Node("assign", self.span(n), target=self.expr(n.child_by_field_name("left")),
                    value=self.value(n.child_by_field_name("right")), op=op.type if op is not None else "=")

    def return_(self, n, guard: Node | None = None, span: Span | None = None) -> Node:
        kw = n.children[0]
        return Node("return", span or self.span(n), value=self.value(n.child_by_field_name("value")),
                    keyword=self.span(kw), guard=guard, fail=kw.type == "fail")

    def guarded(self, n) -> Node:
        """`return x when c`: a return on one branch; `f() unless done`: a conditional statement."""
        body, cond = n.child_by_field_name("body"), n.child_by_field_name("condition")
        guard = self.expr(cond) if cond is not None else Node("const", self.span(n))
        if body is not None and body.type in ("return_statement", "fail_statement"):
            return self.return_(body, guard, self.span(n))
        op = n.child_by_field_name("operator")
        then = self.wrapped(self.statement(body)) if body is not None else None
        return Node("if", self.span(n), cond=guard, then=then, other=None,
                    keyword=self.span(op) if op is not None else self.span(n))

    def jump(self, n) -> Node:
        return Node(n.type.split("_")[0], self.span(n))

    def defer(self, n) -> Node:
        body = n.child_by_field_name("body")
        if body is None:
            b = Node("block", self.span(n), stmts=[], end=self.span(n.children[0]))
        elif body.type == "block":
            b = self.block(body)
        else:
            st = self.statement(body)
            b = Node("block", st.span, stmts=[st], end=self.span(n.children[0]))
        return Node("defer", self.span(n), body=b)

    def if_(self, n) -> Node:
        """Brace form: each block ends at its `}`. `do` form: one `end` closes the chain (the last
        child of the innermost `if`); a consequence followed by `else` ends where its statements do."""
        cond = n.child_by_field_name("condition")
        cons, alt = n.child_by_field_name("consequence"), n.child_by_field_name("alternative")
        last = n.children[-1]
        end_tok = self.span(last) if last.type == "end" and not last.is_missing else None
        has_else = any(c.type == "else" for c in n.children)
        then = None
        if cons is not None:
            brace = cons.child_count > 0 and cons.children[0].type == "{"
            then = self.block(cons, None if brace else (end_tok if not has_else and end_tok else
                                                         _empty_at(cons.end_byte + self.d)))
        other = None
        if alt is not None and alt.type == "if_statement":
            nested = self.if_(alt)
            other = Node("block", nested.span, stmts=[nested], end=_empty_at(nested.span[1]))
        elif alt is not None:
            brace = alt.child_count > 0 and alt.children[0].type == "{"
            other = self.block(alt, None if brace else end_tok)
        elif has_else and end_tok is not None:
            other = Node("block", end_tok, stmts=[], end=end_tok)
        return Node("if", self.span(n), cond=self.expr(cond) if cond is not None else None, then=then,
                    other=other, keyword=self.span(n.children[0]))

    def while_(self, n) -> Node:
        cond = n.child_by_field_name("condition")
        return Node("while", self.span(n), cond=self.expr(cond) if cond is not None else None,
                    body=self.body_of(n))

    def for_(self, n) -> Node:
        pat, it = n.child_by_field_name("pattern"), n.child_by_field_name("iterable")
        return Node("for", self.span(n), names=self.pattern_names(pat, False), iter=self.expr(it) if it else None,
                    body=self.body_of(n))

    def body_of(self, n) -> Node | None:
        b = n.child_by_field_name("body")
        return self.block(b) if b is not None and b.type == "block" else None

    def scope(self, n) -> Node:
        b = self.block(n) if n.type == "block" else self.body_of(n)
        return Node("scope", self.span(n), body=b)

    def unsafe(self, n) -> Node:
        return Node("unsafe", self.span(n), body=self.body_of(n), keyword=self.span(n.children[0]))

    def using(self, n) -> Node:
        name = n.child_by_field_name("name")
        names = [(self.text(name), self.span(name))] if name is not None else []
        value = n.child_by_field_name("value")
        return Node("using", self.span(n), names=names, init=self.expr(value) if value is not None else None,
                    body=self.body_of(n), keyword=self.span(n.children[0]))

    def region(self, n) -> Node:
        name = n.child_by_field_name("name")
        kw = self.span(n.children[0])
        return Node("region", self.span(n), name=self.text(name) if name is not None else None,
                    name_span=self.span(name) if name is not None else kw, body=self.body_of(n), keyword=kw,
                    planned=True, scratchpad=n.type == "scratchpad_statement")

    def as_expression(self, n) -> Node:
        e = self.expr(n)
        return Node("expr", e.span, e=e)

    # ---- expressions ---------------------------------------------------------------------
    def value(self, n) -> Node | None:
        """A bound, returned or assigned value (an expression, or an `if` used as one)."""
        if n is None:
            return None
        return self.expr(n)

    def expr(self, n) -> Node:
        self._enter()
        try:
            method = _EXPRESSIONS.get(n.type)
            if method is not None:
                return method(self, n)
            if n.type in _CONSTANTS:
                return Node("const", self.span(n))
            return Node("opaque", self.span(n))
        finally:
            self.depth -= 1

    def name(self, n) -> Node:
        return Node("name", self.span(n), name=self.text(n))

    def operand(self, n, kind: str, field_name: str = "value", **f) -> Node:
        v = n.child_by_field_name(field_name)
        return Node(kind, self.span(n), operand=self.expr(v) if v is not None else Node("const", self.span(n)), **f)

    def move(self, n) -> Node:
        if not is_move(n):                       # `move(p, dx)`: a call of a function named move
            kw, args = n.children[0], n.child_by_field_name("value")
            items = self.literal(args).items if args.type == "tuple_expression" else [self.parenthesized(args)]
            return Node("call", self.span(n), callee=self.name(kw), args=items)
        return self.operand(n, "move")

    def ref(self, n) -> Node:
        return self.operand(n, "ref", mut=n.child_by_field_name("mutable") is not None)

    def unary(self, n) -> Node:
        op = n.child_by_field_name("operator")
        op = op.type if op is not None else ""
        if op == "*":
            return self.operand(n, "deref", "operand")
        return self.operand(n, "unary", "operand", op=op)

    def postfix(self, n) -> Node:
        """`e?`, `await e`, `spawn e`: a read of e."""
        return self.operand(n, "unary", op=n.type.split("_")[0])

    def call(self, n) -> Node:
        fn, args = n.child_by_field_name("function"), n.child_by_field_name("arguments")
        items = []
        for a in (args.named_children if args is not None else ()):
            if a.type == "named_argument":
                a = a.child_by_field_name("value")
                if a is None:
                    continue
            if a.type != "comment":
                items.append(self.expr(a))
        return Node("call", self.span(n), callee=self.expr(fn), args=items)

    def field(self, n) -> Node:
        v, f = n.child_by_field_name("value"), n.child_by_field_name("field")
        return Node("field", self.span(n), value=self.expr(v), name=self.text(f) if f is not None else "",
                    name_span=self.span(f) if f is not None else self.span(n))

    def index(self, n) -> Node:
        args = [self.expr(c) for c in (n.child_by_field_name(k) for k in ("index", "start", "end")) if c is not None]
        return Node("index", self.span(n), value=self.expr(n.child_by_field_name("value")), args=args)

    def literal(self, n) -> Node:
        """`(a, b)`, `[a, b]`, `Name { x: a }`, `.{ .x = a }`: the values it holds."""
        if n.type == "struct_expression":
            body = n.child_by_field_name("body")
            kids = body.named_children if body is not None else []
        else:
            kids = n.named_children
        items = []
        for c in kids:
            if c.type in ("field_initializer", "field_assignment"):
                c = c.child_by_field_name("value")
                if c is None:
                    continue
            if c.type != "comment":
                items.append(self.expr(c))
        return Node("literal", self.span(n), items=items)

    def parenthesized(self, n) -> Node:
        inner = [c for c in n.named_children if c.type != "comment"]
        return self.expr(inner[0]) if len(inner) == 1 else Node("opaque", self.span(n))

    def binary(self, n) -> Node:
        """`a op b` (and a range `a .. b`); a chain `a + b + c` is read along its left spine
        without nesting deeper."""
        spine = [n]
        while True:
            left = _operands(spine[-1])[0]
            if left is None or left.type not in ("binary_expression", "range_expression"):
                break
            spine.append(left)
        left = _operands(spine[-1])[0]
        e = self.expr(left) if left is not None else Node("const", self.span(spine[-1]))
        for x in reversed(spine):
            right = _operands(x)[1]
            op = x.child_by_field_name("operator")
            e = Node("binary", self.span(x), op=op.type if op is not None else "", left=e,
                     right=self.expr(right) if right is not None else Node("const", _empty_at(x.end_byte + self.d)))
        return e

    def assigned(self, n) -> Node:
        """An assignment inside an expression: a read of both sides."""
        st = self.assignment(n)
        return Node("binary", st.span, op=st.op, left=st.target,
                    right=st.value if st.value is not None else Node("const", st.span))

    def catch(self, n) -> Node:
        """`e catch err { … }`: e, then the block on one branch."""
        value, body = n.child_by_field_name("value"), n.child_by_field_name("body")
        kw = next((c for c in n.children if c.type == "catch"), n)
        return Node("if", self.span(n), cond=self.expr(value) if value is not None else None,
                    then=self.block(body) if body is not None else None, other=None, keyword=self.span(kw))

    def match(self, n) -> Node:
        subject = n.child_by_field_name("value")
        body = n.child_by_field_name("body")
        arms = []
        for a in (body.named_children if body is not None else ()):
            if a.type == "match_arm":
                arm = self.arm(a)
                if arm is not None:
                    arms.append(arm)
        return Node("match", self.span(n), subject=self.expr(subject) if subject is not None else None, arms=arms,
                    keyword=self.span(n.children[0]))

    def arm(self, a) -> Node | None:
        pat, guard, body = (a.child_by_field_name(k) for k in ("pattern", "guard", "body"))
        if body is None:
            return None
        if body.type == "block":
            b = self.block(body)
        else:
            b = self.wrapped(self.statement(body))
        if guard is not None:
            g = self.expr(guard)
            b = Node("block", b.span, stmts=[Node("expr", g.span, e=g)] + b.stmts, end=b.end)
        start = pat.start_byte if pat is not None else a.start_byte
        return Node("arm", Span(start + self.d, body.end_byte + self.d),
                    names=self.pattern_names(pat, True) if pat is not None else [], body=b)

    def switch(self, n) -> Node:
        """`switch v { case a: … default: … }`: a match whose arms are the cases."""
        subject = n.child_by_field_name("value")
        arms = []
        for c in n.named_children:
            if c.type != "switch_case":
                continue
            values = {v.id for v in c.children_by_field_name("value")}
            stmts = [s for s in (self.statement(x) for x in c.named_children
                                 if x.id not in values and x.type != "comment") if s is not None]
            sp = self.span(c)
            arms.append(Node("arm", sp, names=[], body=Node("block", sp, stmts=stmts, end=_empty_at(sp[1]))))
        m = Node("match", self.span(n), subject=self.expr(subject) if subject is not None else None, arms=arms,
                 keyword=self.span(n.children[0]))
        return Node("expr", m.span, e=m)

    def closure(self, n) -> Node:
        """A closure is not read: it takes the names its body mentions (not its parameters)."""
        params = n.child_by_field_name("parameters")
        own = set()
        for p in (params.named_children if params is not None else ()):
            name = p.child_by_field_name("name") if p.type == "parameter" else None
            if name is not None:
                own.add(self.text(name))
        body = n.child_by_field_name("body")
        names = [x for x in self.mentions(body) if x[0] not in own] if body is not None else []
        return Node("closure", self.span(n), names=names)

    def mentions(self, n) -> list:
        """The names mentioned under n, in source order (not field names, labels or enum literals)."""
        out = []
        stack = [n]
        while stack:
            x = stack.pop()
            t = x.type
            if t == "identifier" or t == "self":
                out.append((self.text(x), self.span(x)))
            elif x.child_count:
                stack.extend(reversed(_unlabelled(x)))
        return out

    def pattern_names(self, pat, lower_only: bool) -> list:
        """The names a pattern binds: its identifiers (in a match pattern, those written in lower
        case that are not a constructor called, a field or an enum literal); `_` in a for loop."""
        if pat is None:
            return []
        out = []
        stack = [pat]
        while stack:
            x = stack.pop()
            t = x.type
            if t == "identifier":
                name = self.text(x)
                if not lower_only or name[:1].islower():
                    out.append((name, self.span(x)))
            elif t == "wildcard" and not lower_only:
                out.append(("_", self.span(x)))
            elif x.child_count:
                kids = _unlabelled(x)
                if t == "call_expression":
                    callee = x.child_by_field_name("function")
                    kids = [c for c in kids if callee is None or c.id != callee.id]
                stack.extend(reversed(kids))
        return out


def _unlabelled(x) -> list:
    """x's children, without the one naming a field, a label or an enum literal."""
    label = _LABELLED.get(x.type)
    if label is None:
        return x.children
    named = x.child_by_field_name(label)
    return [c for c in x.children if named is None or c.id != named.id]


def _operands(n) -> tuple:
    if n.type == "range_expression":
        return n.child_by_field_name("start"), n.child_by_field_name("end")
    return n.child_by_field_name("left"), n.child_by_field_name("right")


# the field of a node whose identifier is a label, not a mention
_LABELLED = {"field_expression": "field", "field_assignment": "name", "field_initializer": "name",
             "named_argument": "name", "enum_literal": "name"}
_CONSTANTS = frozenset({"integer", "float", "string", "character", "boolean", "null", "symbol", "enum_literal"})
_DECLARATIONS = frozenset({"function_declaration", "struct_declaration", "enum_declaration", "union_declaration",
                           "error_declaration", "trait_declaration", "impl_declaration", "type_alias_declaration",
                           "import_declaration", "use_declaration", "test_declaration", "module_declaration",
                           "profile_declaration", "cap_declaration", "contract_statement"})
_STATEMENTS = {
    "let_declaration": Reader.let, "var_declaration": Reader.let, "const_declaration": Reader.let,
    "return_statement": Reader.return_, "fail_statement": Reader.return_,
    "postfix_guard_statement": Reader.guarded,
    "break_statement": Reader.jump, "continue_statement": Reader.jump,
    "defer_statement": Reader.defer, "if_statement": Reader.if_,
    "while_statement": Reader.while_, "loop_statement": Reader.while_, "for_statement": Reader.for_,
    "block": Reader.scope, "nursery_statement": Reader.scope,
    "unsafe_block": Reader.unsafe, "using_statement": Reader.using,
    # `using std.core` (the module form) is a using declaration too: J6 in :core
    "using_declaration": lambda r, n: Node("using", r.span(n), names=[], init=None, body=None,
                                           keyword=r.span(n.children[0])),
    "region_statement": Reader.region, "scratchpad_statement": Reader.region,
    "match_statement": Reader.as_expression, "switch_statement": Reader.switch,
}
_EXPRESSIONS = {
    "identifier": Reader.name, "self": Reader.name, "builtin_identifier": Reader.name,
    "move_expression": Reader.move, "reference_expression": Reader.ref, "unary_expression": Reader.unary,
    "try_expression": Reader.postfix, "await_expression": Reader.postfix, "spawn_expression": Reader.postfix,
    "call_expression": Reader.call, "field_expression": Reader.field,
    "index_expression": Reader.index, "slice_expression": Reader.index,
    "struct_expression": Reader.literal, "anonymous_struct_expression": Reader.literal,
    "tuple_expression": Reader.literal, "array_expression": Reader.literal,
    "parenthesized_expression": Reader.parenthesized,
    "binary_expression": Reader.binary, "range_expression": Reader.binary,
    "assignment_expression": Reader.assigned, "catch_expression": Reader.catch,
    "lambda_expression": Reader.closure, "function_expression": Reader.closure,
    "match_statement": Reader.match, "if_statement": Reader.if_,
}
