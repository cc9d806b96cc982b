"""One X07 source file, parsed: bytes -> (form, value tree, module, syntax findings).

Input that is not X07 at all (not UTF-8, too large) becomes a finding here, never an exception.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding
from ..source import LineIndex, Span
from .cst_values import Reuse
from .module import DeclCache, X07Module, read_module
from .parse_result import ParseResult
from .values import PointerMap

ENCODING = "CUS-INPUT-0001"
TOO_LARGE = "CUS-INPUT-0002"
MAX_BYTES = 16 * 1024 * 1024


def form_of(path: str | None) -> str:
    return "x07text" if path and path.endswith(".x07t") else "json"


@dataclass
class ParsedSource:
    path: str | None
    data: bytes
    form: str
    parse: ParseResult
    module: X07Module | None
    findings: list[Finding] = field(default_factory=list)
    _pointers: PointerMap | None = None
    _index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.data)
        return self._index

    @property
    def pointers(self) -> PointerMap:
        if self._pointers is None:
            self._pointers = PointerMap(self.parse.root)
        return self._pointers


def _utf8_error(data: bytes) -> Finding | None:
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as e:
        return Finding(ENCODING, "error", Span(e.start, min(e.end, len(data))),
                       f"file is not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); "
                       "X07 sources are UTF-8: re-save the file as UTF-8")


def parse_source(path: str | None, data: bytes, form: str | None = None, old=None, parser=None,
                 decls: DeclCache | None = None, previous: "ParsedSource | None" = None,
                 dirty=None) -> ParsedSource:
    """`old` is the previous tree of this document, already `edit`ed to match `data`;
    `previous` an earlier parse of it and `dirty` (analysis.source.Dirty) what changed since:
    the declarations outside the change are kept (cst_values.Reuse)."""
    form = form or form_of(path)
    if len(data) > MAX_BYTES:
        f = Finding(TOO_LARGE, "error", Span(0, 0),
                    f"file is {len(data) // (1024 * 1024)} MiB; custody analyses files up to "
                    f"{MAX_BYTES // (1024 * 1024)} MiB")
        return ParsedSource(path, data, form, ParseResult(None), None, [f])
    bad = _utf8_error(data)
    if bad is not None:
        return ParsedSource(path, data, form, ParseResult(None), None, [bad])
    if form == "x07text":
        from . import text_form as frontend
    else:
        from . import json_form as frontend  # type: ignore[no-redef]
    reuse = Reuse(previous, dirty, data) if previous is not None and previous.form == form else None
    result = frontend.parse(data, old, parser, reuse)
    module = read_module(result.root, data, result.deep, decls, reuse)
    return ParsedSource(path, data, form, result, module, list(result.findings) + module.findings)
