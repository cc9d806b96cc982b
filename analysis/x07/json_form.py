"""`.x07.json` (x07AST JSON) -> value tree, through the official tree-sitter-json grammar."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from .cst_values import FormSyntax, parse_tree
from .parse_result import ParseResult
from .values import Value

_INT = re.compile(rb"-?(0|[1-9][0-9]*)\Z")


@lru_cache(maxsize=None)
def language():
    import tree_sitter
    import tree_sitter_json

    return tree_sitter.Language(tree_sitter_json.language())


def new_parser():
    import tree_sitter

    return tree_sitter.Parser(language())


def _string(raw: bytes) -> str | None:
    if b"\\" not in raw and len(raw) >= 2:
        return raw[1:-1].decode("utf-8")
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def _scalar(node, data: bytes, span) -> Value:
    t = node.type
    raw = data[node.start_byte:node.end_byte]
    if t == "string":
        s = _string(raw)
        return Value("error", span) if s is None else Value("str", span, value=s)
    if t == "number":
        if _INT.match(raw):
            return Value("int", span, value=int(raw))
        try:
            return Value("num", span, value=float(raw))
        except ValueError:
            return Value("error", span)
    if t in ("true", "false"):
        return Value("bool", span, value=(t == "true"))
    if t == "null":
        return Value("null", span)
    return Value("error", span)


def _key(k, data: bytes) -> str | None:
    return _string(data[k.start_byte:k.end_byte]) if k.type == "string" else None


SYNTAX = FormSyntax("array", "object", _scalar, _key, None, re.compile(rb'"(?:[^"\\]|\\.)*"'))


def parse(data: bytes, tree=None, parser=None, reuse=None) -> ParseResult:
    return parse_tree(SYNTAX, parser or new_parser(), data, tree, reuse)
