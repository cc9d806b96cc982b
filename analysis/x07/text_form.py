"""`.x07t` (x07text) -> value tree, through custody's own x07text tree-sitter grammar.

tree-sitter decides what parses; a declaration it parsed without error is then converted from
its bytes by `fast_values`, which follows the grammar's tokens exactly (grammar.js): one
regular-expression `split` cuts a body into its tokens and their offsets in C, and one Python
loop over them builds the values, instead of several tree-sitter node objects per value.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

from ..source import Span, span_of
from .cst_values import FormSyntax, parse_tree
from .parse_result import MAX_NESTING, ParseResult
from .values import Entry, Value

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_UNICODE = re.compile(r"\\u\{([0-9A-Fa-f]{1,6})\}\Z")


@lru_cache(maxsize=None)
def language():
    from custody.grammar import language as grammar_language

    return grammar_language("x07text")


def new_parser():
    import tree_sitter

    return tree_sitter.Parser(language())


def _decode_string(node, data: bytes) -> str | None:
    parts = []
    for child in node.named_children:
        raw = data[child.start_byte:child.end_byte].decode("utf-8")
        if child.type == "string_content":
            parts.append(raw)
        elif child.type == "escape_sequence":
            if len(raw) == 2 and raw[1] in _ESCAPES:
                parts.append(_ESCAPES[raw[1]])
            else:
                m = _UNICODE.match(raw)
                if not m or int(m.group(1), 16) > 0x10FFFF:
                    return None
                parts.append(chr(int(m.group(1), 16)))
    return "".join(parts)


def _scalar(node, data: bytes, span) -> Value:
    t = node.type
    text = data[node.start_byte:node.end_byte]
    if t == "atom":
        return Value("str", span, value=text.decode("utf-8"))
    if t == "string":
        s = _decode_string(node, data)
        return Value("error", span) if s is None else Value("str", span, value=s)
    if t == "integer":
        return Value("int", span, value=int(text))
    if t == "rawnum":
        try:
            return Value("num", span, value=float(text[5:-1]))
        except ValueError:
            return Value("error", span)
    if t in ("true", "false"):
        return Value("bool", span, value=(t == "true"))
    if t == "null":
        return Value("null", span)
    return Value("error", span)


def _key(k, data: bytes) -> str:
    return data[k.start_byte + 1:k.end_byte].decode("utf-8")   # `:name` -> name


# The grammar's tokens (grammar/x07text/grammar.js), each after any whitespace (`\s`: ASCII only,
# as in the generated lexer), one alternative each: brackets, an integer (which wins a tie with an
# atom: `-12` is an integer, `-12x` an atom), an atom (`true`/`false`/`null` are atoms here), a
# key, a string, a rawnum. `;` comments are tokens too, so that nothing inside a comment is taken
# for a token; they are dropped before the values are built.
_START = rb"A-Za-z_+\-*/<>=!?&|%^~$."
_CHAR = _START + rb"0-9@"
_SPLIT = re.compile(
    rb"([ \t\n\r\f\v]*)("
    rb"[(){}]"
    rb"|[0-9]+|-[0-9]+(?![" + _CHAR + rb"])"                      # integer
    rb"|[" + _START + rb"][" + _CHAR + rb"]*"                     # atom, true, false, null
    rb"|:[" + _START + rb"][" + _CHAR + rb"]*"                    # key
    rb'|"(?:[^"\\\n]|\\["\\nrt]|\\u\{[0-9A-Fa-f]+\})*"'         # string
    rb'|#num"[^"\\\n]*"'                                         # rawnum
    rb"|;[^\n]*)")                                                # comment
_BLANKS = b" \t\n\r\f\v"
_ESCAPE = re.compile(r'\\(["\\nrt])|\\u\{([0-9A-Fa-f]+)\}')
_LITERALS = {"true": ("bool", True), "false": ("bool", False), "null": ("null", None)}
_SKIPPED = b""          # the token standing for a value the caller builds itself (see fast_values)


def _unescape(m) -> str:
    if m.group(1):
        return _ESCAPES[m.group(1)]
    code = int(m.group(2), 16)
    if code > 0x10FFFF:
        raise ValueError(code)
    return chr(code)


def _scalar_of(tok: bytes) -> tuple:
    """(kind, value) of a scalar token: a string, rawnum, integer or atom (true/false/null are
    literals, any other atom a string)."""
    c = tok[0]
    if c == 34:                                                     # "
        if b"\\" not in tok:
            return "str", tok[1:-1].decode("utf-8")
        try:
            return "str", _ESCAPE.sub(_unescape, tok[1:-1].decode("utf-8"))
        except ValueError:
            return "error", None
    if c == 35:                                                     # #num"..."
        try:
            return "num", float(tok[5:-1])
        except ValueError:
            return "error", None
    if 48 <= c <= 57 or (c == 45 and tok[1:].isdigit()):          # the integer alternative matched
        return "int", int(tok)
    text = tok.decode()
    return _LITERALS.get(text) or ("str", text)


# scalar token -> (kind, value) and `:key` token -> key, shared by every conversion (the same
# atoms and keys recur in every body)
_SCALARS: dict = {}
_KEYS: dict = {}
_SCALARS_LIMIT = 200_000


def _tokens(data: bytes, start: int, end: int, toks: list, starts: list, ends: list) -> bool:
    """Append the tokens of data[start:end] with their start and end offsets (comments left
    out); False when the text holds something else (not what the grammar's tokens say).

    All of it runs in C: `split` cuts the text into (gap, blanks, token)*, gap, where every gap
    must be empty (the last one blank), and each piece's offset is the running sum of the lengths before it."""
    chunk = data[start:end]
    parts = _SPLIT.split(chunk)
    if any(parts[0:-1:3]) or parts[-1].translate(None, _BLANKS):
        return False
    bounds = list(accumulate(map(len, parts), initial=start))
    if b";" in chunk and any(t[0] == 59 for t in parts[2::3]):
        for t, s, e in zip(parts[2::3], bounds[2::3], bounds[3::3]):
            if t[0] != 59:
                toks.append(t)
                starts.append(s)
                ends.append(e)
    else:
        toks += parts[2::3]
        starts += bounds[2::3]
        ends += bounds[3::3]
    return True


# The layout every declaration custody or x07 writes has (`{:kind k :name n :params ({:name p
# :ty t} ...) :result r :body ...}`, blanks between, no comments), matched in C up to its body;
# anything else goes through the token loop. An atom here is any atom token that is not an
# integer (`-12` is one).
_BLANK = rb"[ \t\n\r\f\v]"
_ATOM = rb"(?!-[0-9]+(?![" + _CHAR + rb"]))[" + _START + rb"][" + _CHAR + rb"]*"


def _param(g: bytes) -> bytes:
    """`{:name atom :ty atom}`; g: b"(" to capture its six parts, b"(?:" not to."""
    return (g + rb"\{)" + _BLANK + rb"*" + g + rb":name)" + _BLANK + rb"+" + g + _ATOM + rb")" + _BLANK + rb"+"
            + g + rb":ty)" + _BLANK + rb"+" + g + _ATOM + rb")" + _BLANK + rb"*" + g + rb"\})")


_PARAM = _param(b"(")
_HEADER = re.compile(                # groups: 1 :kind 2 k 3 :name 4 n 5 :params 6 ( 7 params 8 ) 9 :result 10 r 11 :body
    rb"\{" + _BLANK + rb"*(:kind)" + _BLANK + rb"+(" + _ATOM + rb")" + _BLANK + rb"+(:name)" + _BLANK + rb"+("
    + _ATOM + rb")" + _BLANK + rb"+(:params)" + _BLANK + rb"*(\()((?:" + _BLANK + rb"*" + _param(b"(?:") + rb")*)"
    + _BLANK + rb"*(\))" + _BLANK + rb"+(:result)" + _BLANK + rb"+(" + _ATOM + rb")" + _BLANK + rb"+(:body)"
    + _BLANK + rb"*")
_PARAMS = re.compile(_BLANK + rb"*" + _PARAM)
_DECL_END = re.compile(_BLANK + rb"*\}")


def _header_values(data: bytes, start: int, end: int, depth: int, skip_start: int, skip_end: int, skipped):
    """`fast_values` of a declaration in the usual layout (see `_HEADER`), its body `skipped`;
    None when the declaration is laid out otherwise."""
    m = _HEADER.fullmatch(data, start, skip_start)
    if m is None or depth >= MAX_NESTING - 2 or _DECL_END.fullmatch(data, skip_end, end) is None:
        return None
    new = object.__new__
    V = Value
    scalars = _SCALARS

    def scalar(g: int) -> Value:
        tok = m.group(g)
        kv = scalars.get(tok)
        if kv is None:
            kv = scalars[tok] = _scalar_of(tok)
        v = new(V)
        v.span = span_of(m.span(g))
        v.kind, v.value = kv
        return v

    params = new(V)
    params.kind = "list"
    params.value, params.has_error, params.fill = None, False, None
    params.items, params.entries = [], []
    params.span = Span(m.start(6), m.end(8))
    add = params.items.append
    for p in _PARAMS.finditer(data, m.start(7), m.end(7)):
        pv = new(V)
        pv.kind = "map"
        pv.value, pv.has_error, pv.fill = None, False, None
        pv.items = []
        name, ty = new(V), new(V)
        name.span, ty.span = span_of(p.span(3)), span_of(p.span(5))
        for v, tok in ((name, p.group(3)), (ty, p.group(5))):
            kv = scalars.get(tok)
            if kv is None:
                kv = scalars[tok] = _scalar_of(tok)
            v.kind, v.value = kv
        pv.entries = [Entry("name", span_of(p.span(2)), name), Entry("ty", span_of(p.span(4)), ty)]
        pv.span = Span(p.start(1), p.end(6))
        add(pv)
    return [], [Entry("kind", span_of(m.span(1)), scalar(2)), Entry("name", span_of(m.span(3)), scalar(4)),
                Entry("params", span_of(m.span(5)), params), Entry("result", span_of(m.span(9)), scalar(10)),
                Entry("body", span_of(m.span(11)), skipped)]


def fast_values(data: bytes, start: int, end: int, depth: int, skip=None):
    """(items, entries) of the list or map that is exactly data[start:end], parsed by
    tree-sitter without error and standing `depth` levels deep; None if it nests past
    MAX_NESTING or the bytes are not what the grammar's tokens say (the caller then walks the
    tree, which reports what is wrong).

    skip = (skip_start, skip_end, value): data[skip_start:skip_end] is the value of one of the
    map's own entries and is not scanned; `value` stands for it (a declaration's deferred body).

    The tokens and their spans come from C (`_tokens`); the loop below is the hot path of a
    check (one pass per token of every function body), so the common tokens inside a list come
    first: a close, an open, a scalar. Scalars leave `has_error`/`fill` unset
    (`Value.__getattr__` answers False/None for them)."""
    toks: list = []
    starts: list = []
    ends: list = []
    if skip is None:
        if not _tokens(data, start, end, toks, starts, ends):
            return None
    else:
        skip_start, skip_end, skipped = skip
        built = _header_values(data, start, end, depth, skip_start, skip_end, skipped)
        if built is not None:
            return built
        if not _tokens(data, start, skip_start, toks, starts, ends):
            return None
        toks.append(_SKIPPED)
        starts.append(skip_start)
        ends.append(skip_end)
        if not _tokens(data, skip_end, end, toks, starts, ends):
            return None
    if not toks or (toks[0] != b"(" and toks[0] != b"{"):
        return None
    new = object.__new__
    V = Value
    scalars = _SCALARS
    get = scalars.get
    is_map = toks[0] == b"{"
    top = new(V)
    top.kind = "map" if is_map else "list"
    top.items, top.entries = [], []
    cur, items, entries = top, top.items, top.entries
    add = items.append
    open_at = starts[0]
    stack: list = []
    key = key_span = None
    limit = MAX_NESTING - depth
    # a scalar one level deeper than its list may stand only while len(stack) < limit
    scalar_ok = limit > 0
    rest = zip(toks, starts, ends)
    next(rest)
    for tok, s, e in rest:
        if not is_map:
            if tok == b")":
                cur.span = span_of((open_at, e))
                if not stack:
                    break
                cur, is_map, open_at = stack.pop()
                items, entries = cur.items, cur.entries
                add = items.append
                scalar_ok = len(stack) < limit
                continue
            if tok == b"(":
                if not scalar_ok:
                    return None
                v = new(V)
                v.kind = "list"
                v.value, v.has_error, v.fill = None, False, None
                v.items, v.entries = [], []
                add(v)
                stack.append((cur, False, open_at))
                cur, items, entries = v, v.items, v.entries
                add = items.append
                open_at = s
                scalar_ok = len(stack) < limit
                continue
            kv = get(tok)
            if kv is not None:                              # a scalar seen before (the most common)
                if not scalar_ok:
                    return None
                v = new(V)
                v.span = span_of((s, e))
                v.kind, v.value = kv
                add(v)
                continue
        if tok == b")" or tok == b"}":
            if is_map != (tok == b"}") or key is not None:
                return None
            cur.span = span_of((open_at, e))
            if not stack:
                break
            cur, is_map, open_at = stack.pop()
            items, entries = cur.items, cur.entries
            add = items.append
            scalar_ok = len(stack) < limit
            continue
        if tok == _SKIPPED:                                 # the caller's value
            if not is_map or key is None or stack:
                return None
            entries.append(Entry(key, key_span, skipped))
            key = None
            continue
        c = tok[0]
        if c == 58:                                         # :key
            if not is_map or key is not None:
                return None
            key = _KEYS.get(tok)
            if key is None:
                if len(_KEYS) >= _SCALARS_LIMIT:
                    _KEYS.clear()
                key = _KEYS[tok] = tok[1:].decode()
            key_span = span_of((s, e))
            continue
        if is_map and key is None:
            return None
        if c == 40 or c == 123:                             # ( {
            if not scalar_ok:
                return None
            v = new(V)
            v.kind = "list" if c == 40 else "map"
            v.value, v.has_error, v.fill = None, False, None
            v.items, v.entries = [], []
            if is_map:
                entries.append(Entry(key, key_span, v))
            else:
                add(v)
            stack.append((cur, is_map, open_at))
            cur, is_map, items, entries, key = v, c == 123, v.items, v.entries, None
            add = items.append
            open_at = s
            scalar_ok = len(stack) < limit
            continue
        if not scalar_ok:                                   # a scalar one level deeper than its list
            return None
        kv = get(tok)
        if kv is None:
            if len(scalars) >= _SCALARS_LIMIT:
                scalars.clear()
            kv = scalars[tok] = _scalar_of(tok)
        v = new(V)
        v.span = span_of((s, e))
        v.kind, v.value = kv
        if is_map:
            entries.append(Entry(key, key_span, v))
            key = None
        else:
            add(v)
    else:
        return None                                         # never closed
    for _ in rest:
        return None                                         # a token after the close
    return top.items, top.entries


SYNTAX = FormSyntax("list", "map", _scalar, _key, fast_values, re.compile(rb'"(?:[^"\\\n]|\\.)*"|;[^\n]*'), skips=True)


def parse(data: bytes, tree=None, parser=None, reuse=None) -> ParseResult:
    if tree is None and reuse is None:
        from ..optimistic import on
        if on():                        # batch checks: a well-formed file without tree-sitter
            from .text_scan import scan
            scanned = scan(data)
            if scanned is not None:
                return scanned
    return parse_tree(SYNTAX, parser or new_parser(), data, tree, reuse)
