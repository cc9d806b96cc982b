"""`.x07t` (x07text) -> value tree, through custody's own x07text tree-sitter grammar."""
from __future__ import annotations

import re
from functools import lru_cache

from .cst_values import FormSyntax, parse_tree
from .parse_result import ParseResult
from .values import Value

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


def _scalar(node, data: bytes, span, pointer) -> Value:
    t = node.type
    text = data[node.start_byte:node.end_byte]
    if t == "atom":
        return Value("str", span, pointer, value=text.decode("utf-8"))
    if t == "string":
        s = _decode_string(node, data)
        return Value("error", span, pointer) if s is None else Value("str", span, pointer, value=s)
    if t == "integer":
        return Value("int", span, pointer, value=int(text))
    if t == "rawnum":
        try:
            return Value("num", span, pointer, value=float(text[5:-1]))
        except ValueError:
            return Value("error", span, pointer)
    if t in ("true", "false"):
        return Value("bool", span, pointer, value=(t == "true"))
    if t == "null":
        return Value("null", span, pointer)
    return Value("error", span, pointer)


def _key(k, data: bytes) -> str:
    return data[k.start_byte + 1:k.end_byte].decode("utf-8")   # `:name` -> name


SYNTAX = FormSyntax("list", "map", _scalar, _key)


def parse(data: bytes, tree=None, parser=None) -> ParseResult:
    return parse_tree(SYNTAX, parser or new_parser(), data, tree)
