"""The walk shared by both source forms: a tree-sitter tree -> the value tree.

Each form supplies only what differs: its node names for list/map/pair, how a scalar token
becomes a value, and how a map key is spelled. Depth is bounded so a pathological file gets a
finding instead of unbounded recursion.

The elements of the module's `decls` list are deferred (`Value.deferred`): each declaration is
converted when something first looks inside it, so a file whose declarations are mostly
unchanged since the last check costs little more than its parse.

A declaration without a syntax error is converted from its bytes by the form's `fast`
converter (one regular-expression scan, no tree-sitter node objects: walking nodes from Python
cost 7x the parse itself on a 16 MiB file); a declaration with an error, or nested deeper than
the fast converter goes, is converted from its nodes, where the syntax error is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from itertools import accumulate
from typing import Callable

from ..findings import Finding
from ..source import Span
from ..syntax_errors import syntax_findings
from .parse_result import MAX_NESTING, NESTING, ParseResult
from .values import SPOILED_MARK, Entry, Value


@dataclass(frozen=True)
class FormSyntax:
    list_node: str
    map_node: str
    scalar: Callable           # (node, data, span) -> Value
    key_text: Callable         # (key node, data) -> str | None
    # (data, start, end, depth) -> (items, entries) of the error-free list or map spanning
    # data[start:end] at nesting depth `depth`, or None when it cannot (then nodes are walked)
    fast: Callable | None = None
    # strings and comments (whose brackets do not nest), for `_nests_within`
    opaque: "re.Pattern[bytes] | None" = None
    # `fast` takes a fifth argument, (start, end, value): one entry's value it does not scan but
    # takes as given (how a declaration is read around its deferred body, `_fill_decl`)
    skips: bool = False


_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}")


_STEPS = bytes.maketrans(b"([{)]}", b"\x01\x01\x01\xff\xff\xff")   # opener +1, closer -1 (signed bytes)


def _nests_within(form: FormSyntax, data: bytes, start: int, end: int, levels: int) -> bool:
    """Do the brackets of error-free data[start:end] nest at most `levels` deep? (C-speed: the
    depth is the largest running sum of +1 per opener and -1 per closer outside strings and
    comments; an error-free value's brackets match, so that is how deep they nest.)"""
    if form.opaque is None:
        return False
    if data.count(b"(", start, end) + data.count(b"[", start, end) + data.count(b"{", start, end) <= levels:
        return True     # nothing can nest deeper than the number of openers (most bodies: no copy made)
    steps = form.opaque.sub(b"", data[start:end]).translate(_STEPS, _NOT_BRACKETS)
    return max(accumulate(memoryview(steps).cast("b")), default=0) <= levels


class Reuse:
    """What an edit left of a previous parse of the same document: `dirty`
    (analysis.source.Dirty) says which bytes changed since that parse's text (`Dirty.leaves`
    checks it is that text), so a previous parse of some other text is not used. A declaration
    wholly before the change keeps its value (the same object, filled or not); one wholly after
    it keeps its header (module.read_module), its value is new (its spans moved). Declarations
    are matched by their place in the `decls` list: before the change at the same index, after it
    at the same distance from the end."""

    def __init__(self, previous, dirty, data: bytes):
        self.ok = False
        if previous is None or dirty is None or previous.module is None or previous.module.root is None \
                or previous.module.root.kind != "map":
            return
        if not dirty.leaves(previous.data, data):
            return
        dv = previous.module.root.get("decls")
        self._values = dv.items if dv is not None and dv.kind == "list" else []
        self.decls = previous.module.decls
        if len(self.decls) != len(self._values):
            return
        self.ok = True
        self.lo, self.hi, self.delta = dirty.start, dirty.new_end, dirty.delta
        self.count = None                    # the new list's length, once known

    def _old(self, i: int, s: int, e: int) -> int | None:
        """The previous index of the i-th declaration spanning [s, e) now, or None."""
        if e < self.lo:
            j, at = i, s
        elif s > self.hi and self.count is not None:
            j, at = i - (self.count - len(self._values)), s - self.delta
        else:
            return None
        if 0 <= j < len(self._values):
            sp = self._values[j].span
            if sp.start == at and sp.end - at == e - s:
                return j
        return None

    def value_before(self, i: int, node) -> Value | None:
        """The previous value of the i-th declaration node, when it lies wholly before the change."""
        if node.end_byte >= self.lo:
            return None
        j = self._old(i, node.start_byte, node.end_byte)
        v = self._values[j] if j is not None else None
        return v if v is not None and not v.has_error else None

    def decl_of(self, i: int, dv: Value):
        """(previous declaration, bytes it moved) for the i-th declaration, when the change left
        its text alone, or None."""
        j = self._old(i, dv.span.start, dv.span.end)
        if j is None:
            return None
        d = self.decls[j]
        return (d, dv.span.start - d.value.span.start) if d.digest is not None else None


def parse_tree(form: FormSyntax, parser, data: bytes, old_tree=None, reuse: Reuse | None = None) -> ParseResult:
    tree = parser.parse(data, old_tree) if old_tree is not None else parser.parse(data)
    too_deep: list[Finding] = []
    values = [c for c in tree.root_node.named_children if c.type != "comment"]
    root = _convert(form, values[0], data, 0, too_deep, reuse if reuse is not None and reuse.ok else None) \
        if values else None
    return ParseResult(root=root, tree=tree, findings=syntax_findings(tree, data) + too_deep, deep=too_deep)


def _deferred(form: FormSyntax, node, data: bytes, depth: int, shared: list[Finding]) -> Value:
    t = node.type
    if t == form.list_node or t == form.map_node:
        kind = "list" if t == form.list_node else "map"
        return Value.deferred(kind, Span(node.start_byte, node.end_byte), node.has_error,
                              partial(_fill_deferred, form, node, data, depth, shared))
    return _convert(form, node, data, depth, shared)


def _fill_deferred(form: FormSyntax, node, data: bytes, depth: int, shared: list[Finding], v: Value) -> None:
    if not node.has_error:
        if v.kind == "map" and depth == 2 and _fill_decl(form, node, data, depth, shared, v):
            return
        if form.fast is not None:
            built = form.fast(data, node.start_byte, node.end_byte, depth)
            if built is not None:
                v.items, v.entries = built
                return
    own: list[Finding] = []       # nesting is reported once per deferred value, into the shared list
    _fill(form, node, data, v, depth, own, False)
    shared.extend(own)


def _pairs(form: FormSyntax, node, data: bytes):
    """(key text, key node, value node) of each complete `:key value` pair of a map node."""
    for child in node.named_children:
        if child.type != "pair":
            continue
        k = child.child_by_field_name("key")
        val = child.child_by_field_name("value")
        key = form.key_text(k, data) if k is not None else None
        if key is not None and val is not None:
            yield key, k, val


def _fill_decl(form: FormSyntax, node, data: bytes, depth: int, shared: list[Finding], v: Value) -> bool:
    """An error-free declaration map: its `body` is deferred in turn (converted when the analysis
    reaches it, released after, see `Value.release`), the rest converted now. Only when the body
    nests shallowly enough that converting it cannot find nesting to report (which must be known
    when the declaration is read); otherwise False and the caller converts all of it.

    A form whose fast converter `skips` scans the declaration's own tokens around the body in
    one go (the body's place comes from the tree: the one `body` pair's value); otherwise, or
    when that does not apply, each pair's value is converted from its node."""
    if form.skips:
        bodies = [c for c in node.named_children if c.type == "pair" and _key_of(form, c, data) == "body"]
        if len(bodies) == 1:
            body = bodies[0].child_by_field_name("value")
            if body is not None and body.type in (form.list_node, form.map_node):
                if not _nests_within(form, data, body.start_byte, body.end_byte, MAX_NESTING - depth - 1):
                    return False
                value = _deferred(form, body, data, depth + 1, shared)
                built = form.fast(data, node.start_byte, node.end_byte, depth,
                                  (body.start_byte, body.end_byte, value))
                if built is not None:
                    v.items, v.entries = built
                    return True
    pairs = list(_pairs(form, node, data))
    body = next((val for key, _, val in pairs if key == "body"), None)
    if body is None or body.type not in (form.list_node, form.map_node) \
            or not _nests_within(form, data, body.start_byte, body.end_byte, MAX_NESTING - depth - 1):
        return False
    entries = []
    for key, k, val in pairs:
        if val.type in (form.list_node, form.map_node) and key == "body":
            value = _deferred(form, val, data, depth + 1, shared)
        else:
            value = _convert_fast(form, val, data, depth + 1, shared)
        entries.append(Entry(key, Span(k.start_byte, k.end_byte), value))
    v.items, v.entries = [], entries
    return True


def _key_of(form: FormSyntax, pair, data: bytes) -> str | None:
    k = pair.child_by_field_name("key")
    return form.key_text(k, data) if k is not None else None


def _convert_fast(form: FormSyntax, node, data: bytes, depth: int, too_deep: list[Finding]) -> Value:
    """`_convert`, through the form's fast converter where it applies."""
    t = node.type
    if form.fast is not None and not node.has_error and (t == form.list_node or t == form.map_node):
        built = form.fast(data, node.start_byte, node.end_byte, depth)
        if built is not None:
            v = Value("list" if t == form.list_node else "map", Span(node.start_byte, node.end_byte))
            v.items, v.entries = built
            return v
    return _convert(form, node, data, depth, too_deep)


def _convert(form: FormSyntax, node, data: bytes, depth: int, too_deep: list[Finding], reuse: Reuse | None = None) -> Value:
    span = Span(node.start_byte, node.end_byte)
    if depth > MAX_NESTING:
        if not too_deep:
            too_deep.append(Finding(NESTING, "error", span,
                                    f"nested more than {MAX_NESTING} levels deep; custody does not analyse this part"))
        return Value("error", span)
    t = node.type
    if t == form.list_node:
        v = Value("list", span, has_error=node.has_error)
        _fill(form, node, data, v, depth, too_deep, False)
        return v
    if t == form.map_node:
        v = Value("map", span, has_error=node.has_error)
        _fill(form, node, data, v, depth, too_deep, depth == 0, reuse)
        return v
    if node.has_error:
        return Value("error", span)
    return form.scalar(node, data, span)


def _fill(form: FormSyntax, node, data: bytes, v: Value, depth: int, too_deep: list[Finding],
          is_root: bool, reuse: Reuse | None = None) -> None:
    """Set the children of list or map `v` from its node. `is_root`: `v` is the document's root
    map, whose `decls` elements are deferred."""
    if v.kind == "list":
        for child in node.named_children:
            if child.type != "comment":
                v.items.append(_convert(form, child, data, depth + 1, too_deep))
        if node.has_error and any(c.is_missing for c in node.children):
            v.items.append(Value("error", v.span, SPOILED_MARK))   # marks the list (and its decl) as spoiled
    else:
        for key, k, val in _pairs(form, node, data):
            if is_root and key == "decls" and val.type == form.list_node:
                value = Value("list", Span(val.start_byte, val.end_byte), has_error=val.has_error)
                items = [c for c in val.named_children if c.type != "comment"]
                if reuse is not None:
                    reuse.count = len(items) + (1 if val.has_error and any(c.is_missing for c in val.children) else 0)
                for i, c in enumerate(items):
                    old = reuse.value_before(i, c) if reuse is not None else None
                    if old is not None and old.refill is not None:
                        # kept, but filled (again) from this tree and text: a filler of the
                        # old ones would keep every earlier text of the document alive
                        old.refill = partial(_fill_deferred, form, c, data, depth + 2, too_deep)
                        if old.fill is not None:
                            old.fill = old.refill
                        else:
                            old.release()           # its children (a deferred body) hold them too
                    elif old is not None:
                        old = None                  # converted in full: convert it again
                    value.items.append(old if old is not None else _deferred(form, c, data, depth + 2, too_deep))
                if val.has_error and any(c.is_missing for c in val.children):
                    value.items.append(Value("error", value.span, SPOILED_MARK))
            else:
                value = _convert(form, val, data, depth + 1, too_deep)
            v.entries.append(Entry(key, Span(k.start_byte, k.end_byte), value))
