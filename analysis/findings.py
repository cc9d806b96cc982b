"""Findings are plain data: what is wrong, where, why, and how to fix it.

Front-ends and checkers produce them with byte spans; `to_json` turns them into the CLI/LSP
shape once a `LineIndex` is at hand.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .source import FileIndexes, LineIndex, Span

Severity = Literal["error", "warning", "information", "hint"]


@dataclass(frozen=True)
class Related:
    span: Span
    message: str
    path: str | None = None  # None: same file as the finding


@dataclass(frozen=True)
class Edit:
    span: Span
    new_text: str


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    safe: bool = False       # `custody check --fix` applies only safe fixes
    preferred: bool = False


@dataclass
class Finding:
    code: str
    severity: Severity
    span: Span
    message: str
    related: list[Related] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    tags: tuple[str, ...] = ()          # "unnecessary" | "deprecated"
    provenance: dict | None = None       # graph of roles/edges behind an ownership finding
    fix_requests: list = field(default_factory=list)  # ownership.fixes.FixRequest, rendered by a front-end

    def sort_key(self):
        return (self.span.start, self.span.end, self.code, self.message)

    def to_json(self, path: str, index: LineIndex, indexes: "FileIndexes | None" = None) -> dict:
        """indexes: where the line indexes of other files come from (a related location in a
        header); by default their text on disk. A related location in a file that cannot be
        read is left out rather than given this file's lines."""
        return {
            "path": path,
            "range": index.range(self.span).to_json(),
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "related": [
                {"path": r.path or path, "range": idx.range(r.span).to_json(), "message": r.message}
                for r, idx in self.related_indexes(path, index, indexes)
            ],
            "fixes": [
                {
                    "title": f.title,
                    "safe": f.safe,
                    "edits": [{"range": index.range(e.span).to_json(), "newText": e.new_text} for e in f.edits],
                }
                for f in self.fixes
            ],
        }

    def related_indexes(self, path: str, index: LineIndex, indexes: "FileIndexes | None" = None):
        """(related location, the line index of its file) for each related location whose file's
        text custody can read."""
        out = []
        for r in self.related:
            if r.path is None or r.path == path:
                out.append((r, index))
                continue
            idx = (indexes or _DISK).get(r.path)
            if idx is not None:
                out.append((r, idx))
        return out


_DISK = FileIndexes()


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    """Apply non-overlapping edits (byte spans) to a buffer; overlapping later edits are skipped."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.span.start, e.span.end)):
        if e.span.start < pos:
            continue
        out.append(data[pos:e.span.start])
        out.append(e.new_text.encode("utf-8"))
        pos = e.span.end
    out.append(data[pos:])
    return b"".join(out)
