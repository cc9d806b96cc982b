"""Outline, go-to-definition, references and rename, for every language.

Pure: a `Snapshot` (and, for imports, the engine's cross-file summary source) in, `lsprotocol`
objects out. Local bindings are answered from the ownership map (its binding keys tell
occurrences of one binding apart from a same-named one elsewhere); declarations, calls and
imports from the front-end's navigation records (analysis/frontend.py: Symbol, Location).
"""
from __future__ import annotations

import os
from pathlib import Path

from lsprotocol import types

from custody.analysis.frontend import Location, Symbol
from custody.analysis.source import LineIndex, Span

from .cursor import binding_at
from .service import Snapshot

_SYMBOL_KIND = {"module": types.SymbolKind.Module, "function": types.SymbolKind.Function,
                "record": types.SymbolKind.Struct, "enum": types.SymbolKind.Enum,
                "field": types.SymbolKind.Field, "variant": types.SymbolKind.EnumMember,
                "object": types.SymbolKind.Object}


def _range(index: LineIndex, span: Span) -> types.Range:
    r = index.range(span)
    return types.Range(start=types.Position(line=r.start.line, character=r.start.character),
                       end=types.Position(line=r.end.line, character=r.end.character))


def _here(snap: Snapshot, span: Span) -> types.Location:
    return types.Location(uri=snap.uri, range=_range(snap.index, span))


def _uri(path: str) -> str:
    return Path(os.path.abspath(path)).as_uri()


def _location(snap: Snapshot, loc: Location) -> types.Location:
    """A front-end's Location as LSP's."""
    if loc.path is None:
        return _here(snap, loc.span)
    return types.Location(uri=_uri(loc.path), range=_range(loc.index or LineIndex(b""), loc.span))


# ---- outline ----------------------------------------------------------------------------------

def _symbol(name, kind, index, span, sel, detail=None, children=None) -> types.DocumentSymbol:
    return types.DocumentSymbol(name=name or "?", kind=kind, range=_range(index, span),
                                selection_range=_range(index, sel), detail=detail, children=children or None)


def _bindings(snap: Snapshot, fname: str, within: Span) -> list[types.DocumentSymbol]:
    """The parameters and local bindings a function declares, in source order."""
    for f in snap.model.functions:
        if f.name == fname and f.span.covers(within):
            return [_symbol(p.name, types.SymbolKind.Variable, snap.index, p.span, p.span, f"{p.ty} ({p.cls})")
                    for p in f.all_points() if p.is_definition]
    return []


def _outline_symbol(snap: Snapshot, s: Symbol) -> types.DocumentSymbol:
    children = [_outline_symbol(snap, c) for c in s.children]
    if s.bindings_of is not None:
        children += _bindings(snap, s.bindings_of, s.span)
    return _symbol(s.name, _SYMBOL_KIND.get(s.kind, types.SymbolKind.Object), snap.index, s.span, s.name_span,
                   s.detail, children)


def document_symbols(snap: Snapshot) -> list[types.DocumentSymbol]:
    """The outline, as the front-end gives it, with each function's parameters and locals."""
    return [_outline_symbol(snap, s) for s in snap.language.outline(snap.result)]


# ---- definition / references ----------------------------------------------------------------------

def definition(snap: Snapshot, offset: int, resolver=None) -> list[types.Location]:
    """Where the thing under `offset` is declared: a binding's definition (from the ownership
    map); else what the front-end says (a called function, a declaration, an imported file).
    `resolver`: the engine's cross-file summary source for this document."""
    found = binding_at(snap, offset)
    if found is not None:
        f, p = found
        d = next((q for q in f.all_points() if q.binding == p.binding and q.is_definition), None)
        return [_here(snap, d.span)] if d is not None else []
    return [_location(snap, loc) for loc in snap.language.definition(snap.result, offset, resolver)]


def references(snap: Snapshot, offset: int, include_declaration: bool, resolver=None) -> list[types.Location]:
    """Every occurrence of the binding under `offset` in its function, or every call of the
    function under `offset` in this file (plus its declaration when asked)."""
    found = binding_at(snap, offset)
    if found is not None:
        f, p = found
        spans = sorted({q.span for q in f.all_points()
                        if q.binding == p.binding and (include_declaration or not q.is_definition)})
        return [_here(snap, s) for s in spans]
    return [_location(snap, loc)
            for loc in snap.language.references(snap.result, offset, include_declaration, resolver)]


# ---- rename ---------------------------------------------------------------------------------------

def prepare_rename(snap: Snapshot, offset: int) -> types.Range | None:
    """The identifier a rename at `offset` would change (a local binding's name), else None."""
    found = binding_at(snap, offset)
    if found is None:
        return None
    return _range(snap.index, snap.language.name_span(snap.data, found[1].span))


def rename(snap: Snapshot, offset: int, new_name: str) -> types.WorkspaceEdit | None:
    """Rename the local binding under `offset` (let, parameter, loop or match name) everywhere
    it occurs; None when the cursor is on no binding. Raises ValueError when `new_name` is not
    a local name of the document's language or another binding of the same function already
    has that name."""
    found = binding_at(snap, offset)
    if found is None:
        return None
    f, p = found
    words = snap.language.vocabulary
    if not words.local_name.match(new_name) or new_name in words.reserved_names:
        reserved = f' (and not {", ".join(sorted(words.reserved_names))})' if words.reserved_names else ""
        raise ValueError(f'"{new_name}" is not a valid {snap.language.title} local name: '
                         f'{words.local_name_rule}{reserved}')
    points = f.all_points()
    if any(q.name == new_name and q.binding != p.binding for q in points):
        raise ValueError(f'cannot rename "{p.name}" to "{new_name}": "{new_name}" is already a binding '
                         f'in {f.name}, and the two would be confused')
    spans = sorted({q.span for q in points if q.binding == p.binding})
    edits = [types.TextEdit(range=_range(snap.index, snap.language.name_span(snap.data, s)), new_text=new_name) for s in spans]
    return types.WorkspaceEdit(changes={snap.uri: edits})
