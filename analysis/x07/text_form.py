"""`.x07t` (x07text) -> value tree, through custody's own x07text tree-sitter grammar.

tree-sitter decides what parses; a declaration it parsed without error is then converted from
its bytes by `fast_values`, a scanner that follows the grammar's tokens exactly (grammar.js):
one regular-expression match per token instead of several tree-sitter node objects per value.
"""
from __future__ import annotations

import re
from functools import lru_cache

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
# as in the generated lexer) and `;` comments (to the end of the line, `\r` included). The group
# that matched says what the token is.
_START = rb"A-Za-z_+\-*/<>=!?&|%^~$."
_CHAR = _START + rb"0-9@"
_TOKEN = re.compile(
    rb"(?:[ \t\n\r\f\v]+|;[^\n]*)*(?:"
    rb"(\()|(\))|(\{)|(\})"                                   # 1 ( 2 ) 3 { 4 }
    rb"|(:[" + _START + rb"][" + _CHAR + rb"]*)"                  # 5 key
    rb"|([0-9]+|-[0-9]+(?![" + _CHAR + rb"]))"                    # 6 integer (wins a tie with an atom)
    rb"|([" + _START + rb"][" + _CHAR + rb"]*)"                   # 7 atom, true, false, null
    rb'|("[^"\\\n]*")'                                          # 8 string without escapes
    rb'|("(?:[^"\\\n]|\\["\\nrt]|\\u\{[0-9A-Fa-f]+\})*")'     # 9 string with escapes
    rb'|(#num"[^"\\\n]*")'                                       # 10 rawnum
    rb")")
_TRAILING = re.compile(rb"(?:[ \t\n\r\f\v]+|;[^\n]*)*")
_ESCAPE = re.compile(r'\\(["\\nrt])|\\u\{([0-9A-Fa-f]+)\}')
_LITERALS = {"true": ("bool", True), "false": ("bool", False), "null": ("null", None)}


def _unescape(m) -> str:
    if m.group(1):
        return _ESCAPES[m.group(1)]
    code = int(m.group(2), 16)
    if code > 0x10FFFF:
        raise ValueError(code)
    return chr(code)


def _atom(tok: bytes) -> tuple:
    """(kind, value) of an atom token: true/false/null are literals, anything else a string."""
    text = tok.decode()
    return _LITERALS.get(text) or ("str", text)


def fast_values(data: bytes, start: int, end: int, depth: int):
    """(items, entries) of the list or map that is exactly data[start:end], parsed by
    tree-sitter without error and standing `depth` levels deep; None if it nests past
    MAX_NESTING or the bytes are not what the grammar's tokens say (the caller then walks the
    tree, which reports what is wrong).

    The loop is the hot path of a check (one pass per token of every function body), so the
    common tokens inside a list come first: an atom, a close, an open. Scalars leave
    `has_error`/`fill` unset (`Value.__getattr__` answers False/None for them)."""
    new = object.__new__
    V = Value
    atoms: dict = {}          # atom token -> (kind, value)
    match = _TOKEN.scanner(data, start, end).match
    m = match()
    if m is None or m.lastindex not in (1, 3) or m.start() != start:
        return None
    is_map = m.lastindex == 3
    top = new(V)
    top.kind = "map" if is_map else "list"
    top.items, top.entries = [], []
    cur, items, entries = top, top.items, top.entries
    add = items.append
    open_at = start
    stack: list = []
    key = key_span = None
    limit = MAX_NESTING - depth
    # a scalar one level deeper than its list may stand only while len(stack) < limit
    scalar_ok = limit > 0
    while True:
        m = match()
        if m is None:
            return None
        g = m.lastindex
        if not is_map:
            if g == 7:                                      # atom in a list (the most common token)
                if not scalar_ok:
                    return None
                tok = m.group(7)
                kv = atoms.get(tok)
                if kv is None:
                    kv = atoms[tok] = _atom(tok)
                v = new(V)
                v.span = span_of(m.span(7))
                v.kind, v.value = kv
                add(v)
                continue
            if g == 2:                                      # )
                cur.span = Span(open_at, m.end())
                if not stack:
                    break
                cur, is_map, open_at = stack.pop()
                items, entries = cur.items, cur.entries
                add = items.append
                scalar_ok = len(stack) < limit
                continue
            if g == 1:                                      # ( in a list
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
                open_at = m.start(1)
                scalar_ok = len(stack) < limit
                continue
        if g == 2 or g == 4:                               # ) }
            if is_map != (g == 4) or key is not None:
                return None
            cur.span = Span(open_at, m.end())
            if not stack:
                break
            cur, is_map, open_at = stack.pop()
            items, entries = cur.items, cur.entries
            add = items.append
            scalar_ok = len(stack) < limit
            continue
        if g == 5:                                          # :key
            if not is_map or key is not None:
                return None
            tok = m.group(5)
            key = atoms.get(tok)
            if key is None:
                key = atoms[tok] = tok[1:].decode()
            key_span = span_of(m.span(5))
            continue
        if is_map and key is None:
            return None
        if g == 1 or g == 3:                                # ( {
            if not scalar_ok:
                return None
            v = new(V)
            v.kind = "list" if g == 1 else "map"
            v.value, v.has_error, v.fill = None, False, None
            v.items, v.entries = [], []
            if is_map:
                entries.append(Entry(key, key_span, v))
            else:
                add(v)
            stack.append((cur, is_map, open_at))
            cur, is_map, items, entries, key = v, g == 3, v.items, v.entries, None
            add = items.append
            open_at = m.start(g)
            scalar_ok = len(stack) < limit
            continue
        if not scalar_ok:                                   # a scalar one level deeper than its list
            return None
        v = new(V)
        v.span = span_of(m.span(g))
        tok = m.group(g)
        if g == 7:
            kv = atoms.get(tok)
            if kv is None:
                kv = atoms[tok] = _atom(tok)
            v.kind, v.value = kv
        elif g == 6:
            v.kind, v.value = "int", int(tok)
        elif g == 8:
            v.kind, v.value = "str", tok[1:-1].decode("utf-8")
        elif g == 9:
            try:
                v.kind, v.value = "str", _ESCAPE.sub(_unescape, tok[1:-1].decode("utf-8"))
            except ValueError:
                v.kind, v.value = "error", None
        else:
            try:
                v.kind, v.value = "num", float(tok[5:-1])
            except ValueError:
                v.kind, v.value = "error", None
        if is_map:
            entries.append(Entry(key, key_span, v))
            key = None
        else:
            add(v)
    if m.end() != end and _TRAILING.match(data, m.end(), end).end() != end:
        return None
    return top.items, top.entries


SYNTAX = FormSyntax("list", "map", _scalar, _key, fast_values, re.compile(rb'"(?:[^"\\\n]|\\.)*"|;[^\n]*'))


def parse(data: bytes, tree=None, parser=None) -> ParseResult:
    return parse_tree(SYNTAX, parser or new_parser(), data, tree)
