"""Outline, go-to-definition, references and rename for X07 modules.

Pure: a `Snapshot` (and, for imports, the engine's module resolver) in, `lsprotocol` objects
out. Local bindings are answered from the ownership map (its binding keys tell occurrences of
one binding apart from a same-named one elsewhere); functions from the module's declarations
and the call facts of every analysed function.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from lsprotocol import types

from custody.analysis.source import LineIndex, Span
from custody.analysis.x07.document import parse_source
from custody.analysis.x07.module import FUNCTION_KINDS, Decl
from custody.analysis.x07.signatures import ModuleResolver, decl_names

from .cursor import binding_at
from .semantic_tokens import name_span
from .service import Snapshot

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
RESERVED = {"input", "true", "false", "null"}     # `input` is the entry's runtime view


def _range(index: LineIndex, span: Span) -> types.Range:
    r = index.range(span)
    return types.Range(start=types.Position(line=r.start.line, character=r.start.character),
                       end=types.Position(line=r.end.line, character=r.end.character))


def _here(snap: Snapshot, span: Span) -> types.Location:
    return types.Location(uri=snap.uri, range=_range(snap.index, span))


def _uri(path: str) -> str:
    return Path(os.path.abspath(path)).as_uri()


def _within(span: Span, offset: int) -> bool:
    return span.start <= offset <= span.end


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


def _members(snap: Snapshot, d: Decl, key: str, kind) -> list[types.DocumentSymbol]:
    out = []
    items = d.value.get(key)
    for it in (items.items if items is not None and items.kind == "list" else []):
        nv = it.get("name") if it.kind == "map" else None
        if nv is not None and nv.kind == "str":
            ty = it.get("ty") or it.get("payload")
            out.append(_symbol(nv.value, kind, snap.index, it.span, nv.span,
                               ty.value if ty is not None and ty.kind == "str" else None))
    return out


def _decl_symbol(snap: Snapshot, d: Decl) -> types.DocumentSymbol | None:
    if d.name is None or d.name_span is None:
        return None
    K = types.SymbolKind
    if d.kind in FUNCTION_KINDS or d.kind == "extern":
        sig = "(" + ", ".join(f"{p.name}: {p.full_ty}" for p in d.params) + f") -> {d.result}"
        return _symbol(d.name, K.Function, snap.index, d.value.span, d.name_span, f"{d.kind} {sig}",
                       _bindings(snap, d.name, d.value.span) if d.has_body else None)
    if d.kind == "defrecord":
        return _symbol(d.name, K.Struct, snap.index, d.value.span, d.name_span, "record",
                       _members(snap, d, "fields", K.Field))
    if d.kind == "defenum":
        return _symbol(d.name, K.Enum, snap.index, d.value.span, d.name_span, "enum",
                       _members(snap, d, "variants", K.EnumMember))
    return _symbol(d.name, K.Object, snap.index, d.value.span, d.name_span, d.kind)


def document_symbols(snap: Snapshot) -> list[types.DocumentSymbol]:
    """The outline: one Module symbol (named by module_id) holding each declaration (functions
    with their parameters and lets, records with fields, enums with variants) and `solve`."""
    m = snap.module
    if m is None or m.root is None:
        return []
    children = [s for s in (_decl_symbol(snap, d) for d in m.decls) if s is not None]
    entry = m.root.entry("solve")
    if entry is not None:
        span = Span(entry.key_span.start, entry.value.span.end)
        children.append(_symbol("solve", types.SymbolKind.Function, snap.index, span, entry.key_span,
                                "entry", _bindings(snap, "solve", entry.value.span)))
    idv = m.root.get("module_id")
    if idv is None or idv.kind != "str":
        return children
    return [_symbol(m.module_id, types.SymbolKind.Module, snap.index, m.root.span, idv.span, m.kind, children)]


# ---- what is under the cursor -------------------------------------------------------------------

def _call_at(snap: Snapshot, offset: int):
    for fr in snap.result.analysis.functions:
        for c in fr.calls:
            if _within(c.head_span, offset):
                return c
    return None


def _decl_of(decls: list[Decl], callee: str) -> Decl | None:
    """The declaration that introduces a call head (the last one, as signature lookup does)."""
    found = None
    for d in decls:
        if callee in decl_names(d):
            found = d
    return found


def _decl_at(snap: Snapshot, offset: int) -> Decl | None:
    m = snap.module
    return next((d for d in m.decls if d.name_span is not None and _within(d.name_span, offset)), None) if m else None


def _read(path: str, resolver: ModuleResolver | None) -> bytes | None:
    opened = resolver.overlay.get(str(path)) if resolver is not None else None
    if opened is not None:
        return opened[1]
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _elsewhere(path: str, callee: str, resolver: ModuleResolver | None) -> types.Location | None:
    """Where another module file declares `callee` (read now: a cached signature's span may be stale)."""
    data = _read(path, resolver)
    if data is None:
        return None
    parsed = parse_source(path, data)
    d = _decl_of(parsed.module.decls, callee) if parsed.module else None
    if d is None or d.name_span is None:
        return None
    return types.Location(uri=_uri(path), range=_range(LineIndex(data), d.name_span))


def _callee_location(snap: Snapshot, call, resolver: ModuleResolver | None) -> types.Location | None:
    m = snap.module
    d = _decl_of(m.decls, call.callee) if m else None
    if d is not None and d.name_span is not None:       # the module's own declarations come first
        return _here(snap, d.name_span)
    sig = call.sig
    if sig is not None and sig.origin in ("import", "stdlib") and sig.path:
        return _elsewhere(sig.path, call.callee, resolver)
    return None


def _module_location(snap: Snapshot, module_id: str, resolver: ModuleResolver | None) -> types.Location | None:
    resolver = resolver or ModuleResolver.for_file(snap.path)
    found = resolver.find(module_id)
    if found is None:
        return None
    path = str(found[0])
    data = _read(path, resolver) or b""
    parsed = parse_source(path, data)
    idv = parsed.module.root.get("module_id") if parsed.module and parsed.module.root is not None \
        and parsed.module.root.kind == "map" else None
    span = idv.span if idv is not None else Span(0, 0)
    return types.Location(uri=_uri(path), range=_range(LineIndex(data), span))


# ---- definition / references ----------------------------------------------------------------------

def definition(snap: Snapshot, offset: int, resolver: ModuleResolver | None = None) -> list[types.Location]:
    """Where the thing under `offset` is declared: a binding's let/param/loop name, a called
    function's name (in this module or an imported one), an imported module's file."""
    found = binding_at(snap, offset)
    if found is not None:
        f, p = found
        d = next((q for q in f.all_points() if q.binding == p.binding and q.is_definition), None)
        return [_here(snap, d.span)] if d is not None else []
    call = _call_at(snap, offset)
    if call is not None:
        loc = _callee_location(snap, call, resolver)
        return [loc] if loc is not None else []
    d = _decl_at(snap, offset)
    if d is not None:
        return [_here(snap, d.name_span)]
    m = snap.module
    for mid, span in (m.imports if m else []):
        if _within(span, offset):
            loc = _module_location(snap, mid, resolver)
            return [loc] if loc is not None else []
    return []


def references(snap: Snapshot, offset: int, include_declaration: bool,
               resolver: ModuleResolver | None = None) -> list[types.Location]:
    """Every occurrence of the binding under `offset` in its function, or every call of the
    function under `offset` in this file (plus its declaration when asked)."""
    found = binding_at(snap, offset)
    if found is not None:
        f, p = found
        spans = sorted({q.span for q in f.all_points()
                        if q.binding == p.binding and (include_declaration or not q.is_definition)})
        return [_here(snap, s) for s in spans]
    call = _call_at(snap, offset)
    decl = _decl_at(snap, offset)
    if call is not None:
        names = {call.callee}
    elif decl is not None:
        names = set(decl_names(decl))
    else:
        return []
    spans = sorted({c.head_span for fr in snap.result.analysis.functions for c in fr.calls if c.callee in names})
    out = [_here(snap, s) for s in spans]
    if include_declaration:
        where = _here(snap, decl.name_span) if decl is not None else _callee_location(snap, call, resolver)
        if where is not None:
            out.insert(0, where)
    return out


# ---- rename ---------------------------------------------------------------------------------------

def prepare_rename(snap: Snapshot, offset: int) -> types.Range | None:
    """The identifier a rename at `offset` would change (a local binding's name), else None."""
    found = binding_at(snap, offset)
    if found is None:
        return None
    return _range(snap.index, name_span(snap.data, found[1].span))


def rename(snap: Snapshot, offset: int, new_name: str) -> types.WorkspaceEdit | None:
    """Rename the local binding under `offset` (let, parameter, loop or match name) everywhere
    it occurs; None when the cursor is on no binding. Raises ValueError when `new_name` is not
    an X07 identifier or another binding of the same function already has that name."""
    found = binding_at(snap, offset)
    if found is None:
        return None
    f, p = found
    if not IDENTIFIER.match(new_name) or new_name in RESERVED:
        raise ValueError(f'"{new_name}" is not a valid X07 local name: use letters, digits and _, '
                         f'not starting with a digit (and not {", ".join(sorted(RESERVED))})')
    points = f.all_points()
    if any(q.name == new_name and q.binding != p.binding for q in points):
        raise ValueError(f'cannot rename "{p.name}" to "{new_name}": "{new_name}" is already a binding '
                         f'in {f.name}, and the two would be confused')
    spans = sorted({q.span for q in points if q.binding == p.binding})
    edits = [types.TextEdit(range=_range(snap.index, name_span(snap.data, s)), new_text=new_name) for s in spans]
    return types.WorkspaceEdit(changes={snap.uri: edits})
