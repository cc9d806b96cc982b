"""A well-formed `.x07t` file read without tree-sitter's whole-file parse (batch mode only).

Why: on a 16 MiB file tree-sitter's parse (~0.9 s) and reading the declarations from its nodes
ran serially before the CLI forks its workers; the workers then convert each function body from
its bytes anyway (`text_form.fast_values`, which follows the grammar's tokens exactly). Most files
a CLI checks are well-formed, and for those the tree adds nothing but its cost. So in batch mode
`text_form.parse` first tries `scan`, which finds the root map, its `decls` list and each
declaration's byte extent with C-speed bytes methods and regular expressions, and builds the same
values the tree-sitter path builds (declarations and their bodies deferred the same way, converted
by the same `fast_values`). Where tree-sitter would report anything (a syntax error, nesting past
the limit) or the scan is not sure it read the file as tree-sitter would, the tree-sitter path
does the work, so findings, spans and syntax errors stay exactly what they were.

What is checked when:
- `scan` (before anything is analysed) reads the text outside declarations (`fast_values`: every
  token, the map structure, nesting) and every declaration around its body: a function in the
  usual layout by the header regex (`text_form._HEADER`, which admits only that layout's tokens;
  read straight into a module.Decl, `_DeclFill.decl`), any other declaration by `fast_values`.
  It checks each body's extent (it starts with an opener, ends with a closer that is no comment's)
  and nesting depth. Any doubt and it returns None: the caller parses with tree-sitter.
- A function body is converted (and so checked token by token) when the analysis reads it, as on
  the tree-sitter path; a body the analysis would not read is converted when its declaration is.
  A body that turns out not to be what the grammar says (a syntax error inside a function body)
  raises `Doubt`; the batch check (server/batch.py) then checks the file again with the scan off.
  Nothing reaches the output from a check that raised.

Only while `optimistic.on()` (the CLI's batch check, which handles `Doubt` as `optimistic.Retry`):
the language server and every other user of the parser keep the tree (and its incremental
reparses).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import partial

from ..optimistic import Retry
from ..source import Span, span_of
from .module import FUNCTION_KINDS, Decl, Param
from .names import decl_findings
from .parse_result import MAX_NESTING, ParseResult
from .text_form import _CHAR, _HEADER, _PARAMS, _SCALARS, _SCALARS_LIMIT, SYNTAX, _scalar_of, _tokens, fast_values
from .values import Value
from .cst_values import _nests_within


class Doubt(Retry):
    """A scanned file turned out not to be what the scan took it for (raised while a deferred value
    is converted): the check must be done again on the tree-sitter path (analysis/optimistic.py)."""


_TRIVIA = re.compile(rb"(?:[ \t\n\r\f\v]+|;[^\n]*)*")
# `{` first on its line (after blanks): the usual start of a declaration. A line never starts
# inside a string or a comment (neither spans lines), so this is always a real `{` token of a
# well-formed file; whether it opens a declaration is checked (`_quick_end`).
_LINE_MAP = re.compile(rb"\n[ \t]*\{")
# a line that starts with a key (after blanks): where a declaration's entries after its body
# start in the usual layout (`:meta ...` after `:body ...`)
_KEY_LINE = re.compile(rb"\n[ \t]*:[A-Za-z_+\-*/<>=!?&|%^~$.]")
# brackets, strings and comments, for `_walk_end` (a string or comment's brackets do not count)
_BRACKETS = re.compile(rb'[(){}]|"(?:[^"\\\n]|\\.)*"|;[^\n]*')
_BLANKS = b" \t\n\r\f\v"
_DECLS_KEY = re.compile(rb":decls(?![" + _CHAR + rb"])")
_DECL_DEPTH = 2         # root map 0, decls list 1, a declaration 2, its body 3 (as cst_values)


def _trivia_end(data: bytes, pos: int) -> int:
    return _TRIVIA.match(data, pos).end()


def _balanced(data: bytes, start: int, end: int) -> bool:
    """Do data[start:end]'s ( ) and { } bytes balance (strings and comments included)?"""
    return (data.count(b"(", start, end) == data.count(b")", start, end)
            and data.count(b"{", start, end) == data.count(b"}", start, end))


def _closer_is_token(data: bytes, end: int) -> bool:
    """Is data[end - 1] a closer that no comment holds? (a `;` earlier on its line may start one)"""
    return data[end - 1] in b")}" and data.find(b";", data.rfind(b"\n", 0, end) + 1, end) < 0


def _quick_end(data: bytes, pos: int, nxt: int):
    """(end, openers) of the map opening at `pos` when it is what stands before `nxt` (the next
    line that starts with `{`, or the end of the file), followed only by blanks and comments;
    None when that does not hold at first sight (then `_walk_end` finds the end). `openers`:
    how many `(` and `{` bytes it holds (strings and comments included: no fewer than it nests)."""
    end = data.rfind(b"}", pos, nxt) + 1
    if end <= pos or not _closer_is_token(data, end) or _TRIVIA.fullmatch(data, end, nxt) is None:
        return None
    brackets = data[pos:end].translate(None, _NOT_BRACKETS)
    lists, maps = brackets.count(b"("), brackets.count(b"{")
    if lists != brackets.count(b")") or maps != brackets.count(b"}"):
        return None
    return end, lists + maps


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"(){}")


def _walk_end(data: bytes, pos: int) -> int | None:
    """The end of the list or map opening at `pos`, by counting its brackets outside strings and
    comments (one step per bracket: for what `_quick_end` does not settle)."""
    depth = 0
    for m in _BRACKETS.finditer(data, pos):
        c = data[m.start()]
        if c == 40 or c == 123:
            depth += 1
        elif c == 41 or c == 125:
            depth -= 1
            if depth == 0:
                return m.end()
    return None


def _body_by_tokens(data: bytes, start: int, end: int):
    """(start, end) of the one `:body` entry's list or map value of the declaration
    data[start:end], found token by token; None when it has no body or a scalar one; raises Doubt
    when the tokens are not a declaration's or it has more than one body."""
    toks: list = []
    starts: list = []
    ends: list = []
    if not _tokens(data, start, end, toks, starts, ends):
        raise Doubt("tokens")
    depth = 0
    found = None
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t == b"(" or t == b"{":
            depth += 1
        elif t == b")" or t == b"}":
            depth -= 1
        elif depth == 1 and t == b":body":
            if found is not None or i + 1 >= n:
                raise Doubt("bodies")
            v = toks[i + 1]
            if v == b"(" or v == b"{":
                d, j = 0, i + 1
                while j < n:
                    u = toks[j]
                    if u == b"(" or u == b"{":
                        d += 1
                    elif u == b")" or u == b"}":
                        d -= 1
                        if d == 0:
                            break
                    j += 1
                else:
                    raise Doubt("unclosed body")
                found = (starts[i + 1], ends[j])
                i = j
            else:
                found = False
        i += 1
    return found or None


def _body_extent(data: bytes, start: int, end: int):
    """(start, end) of the declaration data[start:end]'s body when it is a list or map, else None.
    The usual layout (`text_form._HEADER` up to the body; after it either the declaration's `}` or
    a line that starts with its next key) is settled by a few C calls; anything else token by token."""
    m = _HEADER.match(data, start, end)
    if m is not None:
        bs = m.end()
        k = _KEY_LINE.search(data, bs, end)
        be = len(data[bs:k.start() if k is not None else end - 1].rstrip(_BLANKS)) + bs
        if be > bs and data[bs] in b"({" and _closer_is_token(data, be) \
                and data.find(b":", bs, be) < 0 and _balanced(data, bs, be):
            return bs, be
    return _body_by_tokens(data, start, end)


def _fill_body(data: bytes, start: int, end: int, v: Value) -> None:
    built = fast_values(data, start, end, _DECL_DEPTH + 1)
    if built is None:
        raise Doubt(f"body at {start}")
    v.items, v.entries = built


def _deferred_body(data: bytes, bs: int, be: int) -> Value:
    return Value.deferred("list" if data[bs] == 40 else "map", Span(bs, be), False, partial(_fill_body, data, bs, be))


def _fill_decl(data: bytes, start: int, end: int, v: Value, value: Value | None = None) -> None:
    """A declaration's values, its body deferred as `cst_values._fill_decl` defers it (`value`:
    the body's deferred value, when it was made before, `_DeclFill.decl`)."""
    body = (value.span.start, value.span.end) if value is not None else _body_extent(data, start, end)
    if value is not None or body is not None and _nests_within(SYNTAX, data, body[0], body[1],
                                                               MAX_NESTING - _DECL_DEPTH - 1):
        bs, be = body
        if value is None:
            value = _deferred_body(data, bs, be)
        built = fast_values(data, start, end, _DECL_DEPTH, (bs, be, value))
    else:
        built = fast_values(data, start, end, _DECL_DEPTH)
    if built is None:
        raise Doubt(f"declaration at {start}")
    items, entries = built
    kind = name = None
    bodies = 0
    for e in entries:
        k = e.key
        if k == "kind":
            if kind is None:
                kind = e.value
        elif k == "name":
            if name is None:
                name = e.value
        elif k == "body":
            bodies += 1
    if bodies > 1:
        raise Doubt(f"declaration at {start}: two bodies")
    if value is not None and (value.kind == "map" or kind is None or kind.kind != "str" or kind.value not in FUNCTION_KINDS
                              or name is None or name.kind != "str" or not name.value):
        # a body the analysis does not convert (no function's, or not an expression list): now
        _fill_body(data, value.span.start, value.span.end, Value("list", value.span))
    v.items, v.entries = items, entries


class _DeclFill:
    """The filler of a declaration's deferred value (`_fill_decl`), which can also give the
    declaration's header without building any value (`decl`, through `module.read_decl`) when it
    is a function in the usual layout with its body last: the serial part of a batch check then
    reads a header by one regular expression, and the declaration's values are built where its
    body is analysed (a forked worker)."""

    __slots__ = ("data", "start", "end", "usual", "body")

    def __init__(self, data: bytes, start: int, end: int, openers: int | None = None):
        self.data, self.start, self.end = data, start, end
        self.usual = _usual_function(data, start, end, openers)
        self.body = None        # the body's deferred value, once `decl` made it

    def __call__(self, v: Value) -> None:
        _fill_decl(self.data, self.start, self.end, v, self.body)

    def decl(self, dv: Value):
        """The module.Decl `read_decl` makes of this declaration's values, or None (then it
        reads them). Its body is made now (deferred): the analysis reads only the body, so the
        declaration's other values are never built unless something else looks."""
        if self.usual is None:
            return None
        m, be = self.usual
        self.body = _deferred_body(self.data, m.end(), be)
        return _function_decl(self.data, m, dv)


def _usual_function(data: bytes, start: int, end: int, openers: int | None = None):
    """(the `_HEADER` match, the body's end) of the declaration data[start:end] when it is a function
    (`defn`/`defasync`, named by an atom) in the usual layout whose body is its last entry, a list
    that nests within the limit (no `:` in it: no key after it); else None. `openers`: how many
    openers the whole declaration holds, if known (no more than that: it nests within)."""
    m = _HEADER.match(data, start, end)
    if m is None:
        return None
    bs = m.end()
    be = len(data[bs:end - 1].rstrip(_BLANKS)) + bs
    if be <= bs or data[bs] != 40 or data[end - 1] != 125 \
            or not _closer_is_token(data, be) or data.find(b":", bs, be) >= 0 \
            or not (openers is not None and openers <= MAX_NESTING - _DECL_DEPTH - 1
                    or _nests_within(SYNTAX, data, bs, be, MAX_NESTING - _DECL_DEPTH - 1)):
        return None
    kind, name = _scalar(m.group(2)), _scalar(m.group(4))
    if kind != ("str", "defn") and kind != ("str", "defasync") or name[0] != "str":
        return None
    return m, be


def _scalar(tok: bytes) -> tuple:
    """(kind, value) of a scalar token, as `fast_values` reads it (and through its cache)."""
    kv = _SCALARS.get(tok)
    if kv is None:
        if len(_SCALARS) >= _SCALARS_LIMIT:
            _SCALARS.clear()
        kv = _SCALARS[tok] = _scalar_of(tok)
    return kv


def _function_decl(data: bytes, m, dv: Value) -> Decl:
    """`module.read_decl` of a declaration `_usual_function` matched, from the match: what
    `_read_decl` reads of the values `_header_values` builds (kind, name, params, result, a body)
    and the findings `read_decl` adds (`names.decl_findings`; it has no contract clauses, which
    would be entries after the body)."""
    scalar = _scalar
    d = _ScannedDecl(kind=scalar(m.group(2))[1], value=_NO_ENTRIES)
    d.name, d.name_span = scalar(m.group(4))[1], span_of(m.span(4))
    if m.end(7) > m.start(7):
        add = d.params.append
        for p in _PARAMS.finditer(data, m.start(7), m.end(7)):
            name, ty = scalar(p.group(3)), scalar(p.group(5))
            if name[0] == "str":
                add(Param(name[1], span_of(p.span(3)), ty[1] if ty[0] == "str" else None, None))
    result = scalar(m.group(10))
    d.result = result[1] if result[0] == "str" else None
    d.has_body = True
    d.findings = decl_findings(d)        # (reads d.value for contract clauses: none here)
    d.value = dv
    return d


_NO_ENTRIES = Value("map", Span(0, 0))


class _ScannedDecl(Decl):
    """A declaration `_function_decl` read: its body is the one its value's filler made (the
    same object the value holds once built), so reading it builds no other value."""

    @property
    def body(self) -> Value | None:
        fill = self.value.fill
        if isinstance(fill, _DeclFill) and fill.body is not None:
            return fill.body
        return Decl.body.fget(self)


def scan(data: bytes) -> ParseResult | None:
    """The parse of a well-formed x07text module with a `decls` list, as `cst_values.parse_tree`
    gives it (its tree None); None when the file is anything else, or not surely well-formed."""
    try:
        return _scan(data)
    except Doubt:
        return None


def _scan(data: bytes) -> ParseResult | None:
    n = len(data)
    if b"\0" in data:                 # tree-sitter's lexer stops at a NUL, even in a comment
        return None
    if not data.isascii():
        try:
            data.decode("utf-8")      # (the caller has checked; converting a string relies on it)
        except UnicodeDecodeError:
            return None
    k = _DECLS_KEY.search(data)
    if k is None or data.find(b";", data.rfind(b"\n", 0, k.start()) + 1, k.start()) >= 0:
        return None
    ds = _trivia_end(data, k.end())
    if ds >= n or data[ds] != 40:
        return None
    items: list = []
    pos = _trivia_end(data, ds + 1)
    line = data.rfind(b"\n", 0, pos) + 1
    indent = data[line:pos]
    # candidates for where each declaration starts: lines that start with `{`, indented as the
    # first declaration when that one starts its line
    lines = re.compile(b"\n" + re.escape(indent) + rb"\{") if line > ds and not indent.strip(b" \t") else _LINE_MAP
    starts = [m.end() - 1 for m in lines.finditer(data, pos)]
    while True:
        if pos >= n:
            return None
        c = data[pos]
        if c == 41:                     # the end of the decls list
            de = pos + 1
            break
        if c != 123:
            return None
        i = bisect_right(starts, pos)
        quick = _quick_end(data, pos, starts[i] if i < len(starts) else n)
        if quick is not None:
            end, openers = quick
        else:
            end, openers = _walk_end(data, pos), None
            if end is None:
                return None
        fill = _DeclFill(data, pos, end, openers)
        item = Value.deferred("map", Span(pos, end), False, fill)
        if fill.usual is None:          # (a usual one is read from its text: _DeclFill.decl)
            item.entries                # its values now, so that a doubt about them is had here
        items.append(item)
        pos = _trivia_end(data, end)
    decls = Value("list", Span(ds, de))
    decls.items = items
    built = fast_values(data, 0, n, 0, (ds, de, decls))
    if built is None:
        return None
    root_items, entries = built
    if root_items or [e.key for e in entries].count("decls") != 1 \
            or not any(e.key == "decls" and e.value is decls for e in entries):
        return None
    toks: list = []
    ends: list = []
    if not _tokens(data, de, n, toks, [], ends) or not toks or toks[-1] != b"}":
        return None
    root = Value("map", Span(_trivia_end(data, 0), ends[-1]))   # (fast_values checked it is one map)
    root.entries = entries
    return ParseResult(root=root, tree=None, findings=[], deep=[])
