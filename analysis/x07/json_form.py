"""`.x07.json` (x07AST JSON) -> value tree, through the official tree-sitter-json grammar."""
from __future__ import annotations

import json
import re
from functools import lru_cache

from ..findings import Finding
from ..source import Span
from ..syntax_errors import syntax_findings
from .values import Entry, Value, child_pointer
from .parse_result import MAX_NESTING, NESTING, ParseResult

_INT = re.compile(rb"-?(0|[1-9][0-9]*)\Z")


@lru_cache(maxsize=None)
def language():
    import tree_sitter
    import tree_sitter_json

    return tree_sitter.Language(tree_sitter_json.language())


def new_parser():
    import tree_sitter

    return tree_sitter.Parser(language())


def parse(data: bytes, tree=None, parser=None) -> ParseResult:
    parser = parser or new_parser()
    tree = parser.parse(data, tree) if tree is not None else parser.parse(data)
    findings = syntax_findings(tree, data)
    root = None
    doc = tree.root_node
    values = [c for c in doc.named_children if c.type != "comment"]
    too_deep: list[Finding] = []
    if values:
        root = _convert(values[0], data, "", 0, too_deep)
    return ParseResult(root=root, tree=tree, findings=findings + too_deep)


def _convert(node, data: bytes, pointer: str, depth: int, too_deep: list[Finding]) -> Value:
    span = Span(node.start_byte, node.end_byte)
    if depth > MAX_NESTING:
        if not too_deep:
            too_deep.append(Finding(NESTING, "error", span,
                                    f"nested more than {MAX_NESTING} levels deep; custody does not analyse this part"))
        return Value("error", span, pointer)
    t = node.type
    if node.has_error and t not in ("object", "array"):
        return Value("error", span, pointer)
    if t == "string":
        raw = data[node.start_byte:node.end_byte]
        if b"\\" not in raw and len(raw) >= 2:
            return Value("str", span, pointer, value=raw[1:-1].decode("utf-8"))
        try:
            s = json.loads(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return Value("error", span, pointer)
        return Value("str", span, pointer, value=s)
    if t == "number":
        raw = data[node.start_byte:node.end_byte]
        if _INT.match(raw):
            return Value("int", span, pointer, value=int(raw))
        try:
            return Value("num", span, pointer, value=float(raw))
        except ValueError:
            return Value("error", span, pointer)
    if t in ("true", "false"):
        return Value("bool", span, pointer, value=(t == "true"))
    if t == "null":
        return Value("null", span, pointer)
    if t == "array":
        v = Value("list", span, pointer)
        for child in node.named_children:
            if child.type == "comment":
                continue
            v.items.append(_convert(child, data, f"{pointer}/{len(v.items)}", depth + 1, too_deep))
        if any(c.is_missing for c in node.children):
            v.items.append(Value("error", span, pointer))   # marks the list (and its decl) as spoiled
        v.has_error = node.has_error
        return v
    if t == "object":
        v = Value("map", span, pointer)
        for child in node.named_children:
            if child.type != "pair":
                continue
            k = child.child_by_field_name("key")
            val = child.child_by_field_name("value")
            if k is None or val is None or k.type != "string":
                continue
            try:
                key = json.loads(data[k.start_byte:k.end_byte].decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue
            v.entries.append(Entry(key, Span(k.start_byte, k.end_byte),
                                   _convert(val, data, child_pointer(pointer, key), depth + 1, too_deep)))
        v.has_error = node.has_error
        return v
    return Value("error", span, pointer)
