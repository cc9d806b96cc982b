"""X07 navigation data from a module's declarations: the outline, where a call head or an
import is declared, and every call of a function, as the contract's language-neutral records
(`Symbol`, `Location`).

Local bindings are not here: the server answers them from the ownership map for every language.
"""
from __future__ import annotations

from pathlib import Path

from ..frontend import Location, Symbol
from ..source import LineIndex, Span
from .document import parse_source
from .module import FUNCTION_KINDS, Decl
from .signatures import ModuleResolver, decl_names


def _within(span: Span, offset: int) -> bool:
    return span.start <= offset <= span.end


# ---- outline ----------------------------------------------------------------------------------

def _members(d: Decl, key: str, kind: str) -> tuple[Symbol, ...]:
    out = []
    items = d.value.get(key)
    for it in (items.items if items is not None and items.kind == "list" else []):
        nv = it.get("name") if it.kind == "map" else None
        if nv is not None and nv.kind == "str":
            ty = it.get("ty") or it.get("payload")
            out.append(Symbol(nv.value, kind, it.span, nv.span,
                              ty.value if ty is not None and ty.kind == "str" else None))
    return tuple(out)


def _decl_symbol(d: Decl) -> Symbol | None:
    if d.name is None or d.name_span is None:
        return None
    if d.kind in FUNCTION_KINDS or d.kind == "extern":
        sig = "(" + ", ".join(f"{p.name}: {p.full_ty}" for p in d.params) + f") -> {d.result}"
        return Symbol(d.name, "function", d.value.span, d.name_span, f"{d.kind} {sig}",
                      bindings_of=d.name if d.has_body else None)
    if d.kind == "defrecord":
        return Symbol(d.name, "record", d.value.span, d.name_span, "record", _members(d, "fields", "field"))
    if d.kind == "defenum":
        return Symbol(d.name, "enum", d.value.span, d.name_span, "enum", _members(d, "variants", "variant"))
    return Symbol(d.name, "object", d.value.span, d.name_span, d.kind)


def outline(module) -> list[Symbol]:
    """One module symbol (named by module_id) holding each declaration and `solve`."""
    m = module
    if m is None or m.root is None:
        return []
    children = [s for s in (_decl_symbol(d) for d in m.decls) if s is not None]
    entry = m.root.entry("solve")
    if entry is not None:
        span = Span(entry.key_span.start, entry.value.span.end)
        children.append(Symbol("solve", "function", span, entry.key_span, "entry", bindings_of="solve"))
    idv = m.root.get("module_id")
    if idv is None or idv.kind != "str":
        return children
    return [Symbol(m.module_id, "module", m.root.span, idv.span, m.kind, tuple(children))]


# ---- definition / references --------------------------------------------------------------------

def call_at(calls, offset: int):
    return next((c for c in calls if _within(c.head_span, offset)), None)


def decl_of(decls: list[Decl], callee: str) -> Decl | None:
    """The declaration that introduces a call head (the last one, as signature lookup does)."""
    found = None
    for d in decls:
        if callee in decl_names(d):
            found = d
    return found


def decl_at(module, offset: int) -> Decl | None:
    m = module
    return next((d for d in m.decls if d.name_span is not None and _within(d.name_span, offset)), None) if m else None


def _read(path: str, resolver: ModuleResolver | None) -> bytes | None:
    opened = resolver.overlay.get(str(path)) if resolver is not None else None
    if opened is not None:
        return opened[1]
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _elsewhere(path: str, callee: str, resolver: ModuleResolver | None) -> Location | None:
    """Where another module file declares `callee` (read now: a cached signature's span may be stale)."""
    data = _read(path, resolver)
    if data is None:
        return None
    parsed = parse_source(path, data)
    d = decl_of(parsed.module.decls, callee) if parsed.module else None
    if d is None or d.name_span is None:
        return None
    return Location(path, d.name_span, LineIndex(data))


def callee_location(module, call, resolver: ModuleResolver | None) -> Location | None:
    d = decl_of(module.decls, call.callee) if module else None
    if d is not None and d.name_span is not None:       # the module's own declarations come first
        return Location(None, d.name_span)
    sig = call.sig
    if sig is not None and sig.origin in ("import", "stdlib") and sig.path:
        return _elsewhere(sig.path, call.callee, resolver)
    return None


def module_location(path: str | None, module_id: str, resolver: ModuleResolver | None) -> Location | None:
    resolver = resolver or ModuleResolver.for_file(path)
    found = resolver.find(module_id)
    if found is None:
        return None
    where = str(found[0])
    data = _read(where, resolver) or b""
    parsed = parse_source(where, data)
    idv = parsed.module.root.get("module_id") if parsed.module and parsed.module.root is not None \
        and parsed.module.root.kind == "map" else None
    return Location(where, idv.span if idv is not None else Span(0, 0), LineIndex(data))


def definition(module, path: str | None, calls, offset: int, resolver: ModuleResolver | None) -> list[Location]:
    """A called function's name (in this module or an imported one), a declaration's own name,
    an imported module's file."""
    call = call_at(calls, offset)
    if call is not None:
        loc = callee_location(module, call, resolver)
        return [loc] if loc is not None else []
    d = decl_at(module, offset)
    if d is not None:
        return [Location(None, d.name_span)]
    for mid, span in (module.imports if module else []):
        if _within(span, offset):
            loc = module_location(path, mid, resolver)
            return [loc] if loc is not None else []
    return []


def references(module, calls: list, offset: int, include_declaration: bool,
               resolver: ModuleResolver | None) -> list[Location]:
    """Every call of the function under `offset` in this file (plus its declaration when asked)."""
    call = call_at(calls, offset)
    decl = decl_at(module, offset)
    if call is not None:
        names = {call.callee}
    elif decl is not None:
        names = set(decl_names(decl))
    else:
        return []
    spans = sorted({c.head_span for c in calls if c.callee in names})
    out = [Location(None, s) for s in spans]
    if include_declaration:
        where = Location(None, decl.name_span) if decl is not None else callee_location(module, call, resolver)
        if where is not None:
            out.insert(0, where)
    return out
