"""Findings -> LSP diagnostics: exact ranges, catalog links, related locations, tags, and the
per-code severity overrides from the settings."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from custody.analysis.catalog import lookup
from custody.analysis.findings import Finding
from custody.analysis.source import FileIndexes, LineIndex, Range

from .service import Snapshot
from .settings import Settings

SOURCE = "custody"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "info": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}
_TAGS = {"unnecessary": types.DiagnosticTag.Unnecessary, "deprecated": types.DiagnosticTag.Deprecated}


def lsp_range(r: Range) -> types.Range:
    return types.Range(types.Position(r.start.line, r.start.character),
                       types.Position(r.end.line, r.end.character))


def span_range(index: LineIndex, span) -> types.Range:
    return lsp_range(index.range(span))


def to_diagnostic(f: Finding, snap: Snapshot, severity: str | None = None,
                  indexes: FileIndexes | None = None) -> types.Diagnostic:
    """indexes: the line indexes of other files (a related location in a header or an imported
    module), the editor's text where open; without them such locations are left out."""
    info = lookup(f.code)
    related = [
        types.DiagnosticRelatedInformation(
            types.Location(snap.uri if r.path is None or r.path == snap.path else Path(r.path).as_uri(),
                           span_range(idx, r.span)),
            r.message)
        for r, idx in (f.related_indexes(snap.path, snap.index, indexes) if indexes is not None
                       else [(r, snap.index) for r in f.related if r.path is None])
    ]
    return types.Diagnostic(
        range=span_range(snap.index, f.span),
        message=f.message,
        severity=_SEVERITY.get(severity or f.severity, types.DiagnosticSeverity.Error),
        code=f.code,
        code_description=types.CodeDescription(href=info.url) if info else None,
        source=SOURCE,
        related_information=related or None,
        tags=[_TAGS[t] for t in f.tags if t in _TAGS] or None,
    )


def diagnostics(snap: Snapshot, settings: Settings, indexes: FileIndexes | None = None) -> list[types.Diagnostic]:
    out = []
    for f in snap.findings:
        sev = settings.severity.get(f.code)
        if sev == "off":
            continue
        out.append(to_diagnostic(f, snap, sev, indexes))
    return out
