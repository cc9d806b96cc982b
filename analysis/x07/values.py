"""The value tree both X07 source forms parse into.

x07AST is JSON, and x07text is a lossless projection of the same JSON, so one tree of JSON-like
values serves both: every node knows its exact byte span in its own file and its JSON Pointer.
Everything after parsing (module structure, lowering, fixes) reads only this tree.

A file has millions of values, so a value carries only what the analysis reads: a scalar has no
`items`/`entries` of its own (reading them gives an empty tuple), and a value's JSON Pointer is
worked out by `PointerMap` when something asks for pointers, not stored by the parser.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

from ..source import Span

Kind = Literal["list", "map", "str", "int", "num", "bool", "null", "error"]


@dataclass(eq=False, slots=True)
class Value:
    kind: Kind
    span: Span
    pointer: str | None = None      # set by PointerMap (see there)
    value: Union[str, int, float, bool, None] = None   # scalars
    items: list["Value"] = field(default_factory=list)  # list elements
    entries: list["Entry"] = field(default_factory=list)  # map entries, in source order
    has_error: bool = False                               # this value or one inside it did not parse
    fill: object = field(default=None, repr=False)        # a deferred value's filler (see `deferred`)
    refill: object = field(default=None, repr=False)      # ... kept, so that `release` can undo it

    @classmethod
    def deferred(cls, kind: Kind, span: Span, has_error: bool, fill) -> "Value":
        """A list or map whose children are built on first access: `fill(value)` sets them.

        Declarations are read this way, so an edit converts only the declarations it touched.
        """
        v = object.__new__(cls)
        v.kind, v.span, v.value, v.has_error, v.fill, v.refill = kind, span, None, has_error, fill, fill
        return v

    def release(self) -> None:
        """Forget the children of a deferred value that has been filled; the next look inside
        builds them again. The analysis releases each function body once it is analysed, so a
        huge file never holds all of its values at once. No-op for other values."""
        if self.refill is None or self.fill is not None:
            return
        for name in ("items", "entries"):
            try:
                delattr(self, name)
            except AttributeError:
                pass
        self.fill = self.refill

    def __getattr__(self, name: str):
        # only reached for a slot never set: `items` / `entries` of a deferred value not yet
        # filled or of a scalar built by a fast converter, `has_error` / `fill` of such a
        # scalar, or `pointer` before PointerMap ran
        if name in ("items", "entries"):
            fill = self.fill
            if fill is not None:
                self.fill = None
                self.items, self.entries = [], []
                fill(self)
                return getattr(self, name)
            return ()
        if name in ("pointer", "refill", "fill"):
            return None
        if name == "has_error":
            return False
        raise AttributeError(name)

    # --- conveniences used by the module reader and lowering ---
    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def head(self) -> str | None:
        """The head atom of an s-expression `["head", ...]`, else None."""
        if self.kind == "list" and self.items and self.items[0].kind == "str":
            return self.items[0].value  # type: ignore[return-value]
        return None

    @property
    def args(self) -> list["Value"]:
        return self.items[1:] if self.kind == "list" else []

    def get(self, key: str) -> "Value | None":
        for e in self.entries:
            if e.key == key:
                return e.value
        return None

    def entry(self, key: str) -> "Entry | None":
        for e in self.entries:
            if e.key == key:
                return e
        return None

    def to_python(self):
        """Plain JSON value (for rendering and comparisons in tests)."""
        if self.kind == "list":
            return [v.to_python() for v in self.items]
        if self.kind == "map":
            return {e.key: e.value.to_python() for e in self.entries}
        return self.value


@dataclass(eq=False, slots=True)
class Entry:
    key: str
    key_span: Span
    value: Value


def escape_pointer_token(token: str) -> str:
    if "~" not in token and "/" not in token:
        return token
    return token.replace("~", "~0").replace("/", "~1")


def child_pointer(parent: str, token: str | int) -> str:
    return f"{parent}/{escape_pointer_token(str(token))}"


# The pointer of the error value appended to a list that lacks a closer: it stands for the list
# itself (and so replaces the list in `by_pointer`).
SPOILED_MARK = "<the list>"


class PointerMap:
    """JSON Pointer <-> span for one parsed document (serves both source forms)."""

    def __init__(self, root: Value | None):
        self.by_pointer: dict[str, Value] = {}
        self._ordered: list[Value] = []
        if root is not None:
            stack = [("", root)]
            while stack:
                ptr, v = stack.pop()
                v.pointer = ptr           # values do not store it otherwise (see the module doc)
                self.by_pointer[ptr] = v
                self._ordered.append(v)
                if v.kind == "list":
                    stack.extend(reversed([(ptr if it.pointer == SPOILED_MARK else f"{ptr}/{i}", it)
                                           for i, it in enumerate(v.items)]))
                elif v.kind == "map":
                    stack.extend(reversed([(child_pointer(ptr, e.key), e.value) for e in v.entries]))

    def span(self, pointer: str) -> Span | None:
        v = self.by_pointer.get(pointer)
        return v.span if v else None

    def pointer_at(self, offset: int) -> str | None:
        """The pointer of the innermost value whose span contains the byte offset."""
        best: Value | None = None
        for v in self._ordered:
            if v.span.start <= offset < v.span.end:
                if best is None or (v.span.end - v.span.start) <= (best.span.end - best.span.start):
                    best = v
        return best.pointer if best else None
