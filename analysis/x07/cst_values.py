"""The walk shared by both source forms: a tree-sitter tree -> the value tree.

Each form supplies only what differs: its node names for list/map/pair, how a scalar token
becomes a value, and how a map key is spelled. Depth is bounded so a pathological file gets a
finding instead of unbounded recursion.

The elements of the module's `decls` list are deferred (`Value.deferred`): each declaration is
converted when something first looks inside it, so a file whose declarations are mostly
unchanged since the last check costs little more than its parse.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from ..findings import Finding
from ..source import Span
from ..syntax_errors import syntax_findings
from .parse_result import MAX_NESTING, NESTING, ParseResult
from .values import Entry, Value, child_pointer


@dataclass(frozen=True)
class FormSyntax:
    list_node: str
    map_node: str
    scalar: Callable           # (node, data, span, pointer) -> Value
    key_text: Callable         # (key node, data) -> str | None


DEFERRED_LIST = "/decls"   # the pointer whose elements are converted on demand


def parse_tree(form: FormSyntax, parser, data: bytes, old_tree=None) -> ParseResult:
    tree = parser.parse(data, old_tree) if old_tree is not None else parser.parse(data)
    too_deep: list[Finding] = []
    values = [c for c in tree.root_node.named_children if c.type != "comment"]
    root = _convert(form, values[0], data, "", 0, too_deep) if values else None
    return ParseResult(root=root, tree=tree, findings=syntax_findings(tree, data) + too_deep, deep=too_deep)


def _deferred(form: FormSyntax, node, data: bytes, pointer: str, depth: int, shared: list[Finding]) -> Value:
    t = node.type
    if t == form.list_node or t == form.map_node:
        kind = "list" if t == form.list_node else "map"
        return Value.deferred(kind, Span(node.start_byte, node.end_byte), pointer, node.has_error,
                              partial(_fill_deferred, form, node, data, depth, shared))
    return _convert(form, node, data, pointer, depth, shared)


def _fill_deferred(form: FormSyntax, node, data: bytes, depth: int, shared: list[Finding], v: Value) -> None:
    own: list[Finding] = []       # nesting is reported once per deferred value, into the shared list
    _fill(form, node, data, v, depth, own)
    shared.extend(own)


def _convert(form: FormSyntax, node, data: bytes, pointer: str, depth: int, too_deep: list[Finding]) -> Value:
    span = Span(node.start_byte, node.end_byte)
    if depth > MAX_NESTING:
        if not too_deep:
            too_deep.append(Finding(NESTING, "error", span,
                                    f"nested more than {MAX_NESTING} levels deep; custody does not analyse this part"))
        return Value("error", span, pointer)
    t = node.type
    if t == form.list_node:
        v = Value("list", span, pointer, has_error=node.has_error)
        _fill(form, node, data, v, depth, too_deep)
        return v
    if t == form.map_node:
        v = Value("map", span, pointer, has_error=node.has_error)
        _fill(form, node, data, v, depth, too_deep)
        return v
    if node.has_error:
        return Value("error", span, pointer)
    return form.scalar(node, data, span, pointer)


def _fill(form: FormSyntax, node, data: bytes, v: Value, depth: int, too_deep: list[Finding]) -> None:
    """Set the children of list or map `v` from its node."""
    pointer = v.pointer
    if v.kind == "list":
        convert = _deferred if pointer == DEFERRED_LIST else _convert
        for child in node.named_children:
            if child.type != "comment":
                v.items.append(convert(form, child, data, f"{pointer}/{len(v.items)}", depth + 1, too_deep))
        if node.has_error and any(c.is_missing for c in node.children):
            v.items.append(Value("error", v.span, pointer))   # marks the list (and its decl) as spoiled
    else:
        for child in node.named_children:
            if child.type != "pair":
                continue
            k = child.child_by_field_name("key")
            val = child.child_by_field_name("value")
            key = form.key_text(k, data) if k is not None else None
            if key is None or val is None:
                continue
            v.entries.append(Entry(key, Span(k.start_byte, k.end_byte),
                                   _convert(form, val, data, child_pointer(pointer, key), depth + 1, too_deep)))
