"""`.x07t` (x07text) -> value tree, through custody's own x07text tree-sitter grammar."""
from __future__ import annotations

import re
from functools import lru_cache

from ..findings import Finding
from ..source import Span
from ..syntax_errors import syntax_findings
from .parse_result import MAX_NESTING, NESTING, ParseResult
from .values import Entry, Value, child_pointer

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_UNICODE = re.compile(r"\\u\{([0-9A-Fa-f]{1,6})\}\Z")


@lru_cache(maxsize=None)
def language():
    from custody.grammar import language as grammar_language

    return grammar_language("x07text")


def new_parser():
    import tree_sitter

    return tree_sitter.Parser(language())


def parse(data: bytes, tree=None, parser=None) -> ParseResult:
    parser = parser or new_parser()
    tree = parser.parse(data, tree) if tree is not None else parser.parse(data)
    findings = syntax_findings(tree, data)
    too_deep: list[Finding] = []
    values = [c for c in tree.root_node.named_children if c.type != "comment"]
    root = _convert(values[0], data, "", 0, too_deep) if values else None
    return ParseResult(root=root, tree=tree, findings=findings + too_deep)


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


def _convert(node, data: bytes, pointer: str, depth: int, too_deep: list[Finding]) -> Value:
    span = Span(node.start_byte, node.end_byte)
    if depth > MAX_NESTING:
        if not too_deep:
            too_deep.append(Finding(NESTING, "error", span,
                                    f"nested more than {MAX_NESTING} levels deep; custody does not analyse this part"))
        return Value("error", span, pointer)
    t = node.type
    if node.has_error and t not in ("list", "map"):
        return Value("error", span, pointer)
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
    if t == "list":
        v = Value("list", span, pointer)
        for child in node.named_children:
            if child.type == "comment":
                continue
            v.items.append(_convert(child, data, f"{pointer}/{len(v.items)}", depth + 1, too_deep))
        if any(c.is_missing for c in node.children):
            v.items.append(Value("error", span, pointer))   # marks the list (and its decl) as spoiled
        v.has_error = node.has_error
        return v
    if t == "map":
        v = Value("map", span, pointer)
        for child in node.named_children:
            if child.type != "pair":
                continue
            k = child.child_by_field_name("key")
            val = child.child_by_field_name("value")
            if k is None or val is None:
                continue
            key = data[k.start_byte + 1:k.end_byte].decode("utf-8")
            v.entries.append(Entry(key, Span(k.start_byte, k.end_byte),
                                   _convert(val, data, child_pointer(pointer, key), depth + 1, too_deep)))
        v.has_error = node.has_error
        return v
    return Value("error", span, pointer)
