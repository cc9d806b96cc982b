"""The value tree of an x07AST document -> its module structure (decls, params, bodies)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding
from ..source import Span
from .values import Value

STRUCTURE = "CUS-AST-0001"
FUNCTION_KINDS = ("defn", "defasync")


@dataclass
class Param:
    name: str
    span: Span
    ty: str | None
    brand: str | None = None

    @property
    def full_ty(self) -> str | None:
        if self.ty and self.brand and "@" not in self.ty:
            return f"{self.ty}@{self.brand}"
        return self.ty


@dataclass
class Decl:
    kind: str
    value: Value
    name: str | None = None
    name_span: Span | None = None
    params: list[Param] = field(default_factory=list)
    result: str | None = None
    body: Value | None = None
    spoiled: bool = False            # holds a syntax error: not analysed
    fields: list[tuple[str, str]] = field(default_factory=list)    # defrecord
    variants: list[tuple[str, str | None]] = field(default_factory=list)  # defenum (name, payload)
    names: list[str] = field(default_factory=list)                 # export


@dataclass
class X07Module:
    root: Value | None
    kind: str | None = None
    module_id: str | None = None
    imports: list[tuple[str, Span]] = field(default_factory=list)
    decls: list[Decl] = field(default_factory=list)
    solve: Value | None = None
    solve_spoiled: bool = False
    findings: list[Finding] = field(default_factory=list)


def _has_error(v: Value) -> bool:
    return v.kind == "error" or v.has_error


def _str(v: Value | None) -> str | None:
    return v.value if v is not None and v.kind == "str" else None  # type: ignore[return-value]


def read_module(root: Value | None) -> X07Module:
    m = X07Module(root)
    if root is None:
        return m
    if root.kind != "map":
        if root.kind != "error":
            m.findings.append(Finding(STRUCTURE, "error", root.span,
                                      "an X07 module is a map with kind, module_id, imports and decls"))
        return m
    m.kind = _str(root.get("kind"))
    m.module_id = _str(root.get("module_id"))
    seen: dict[str, Span] = {}
    for e in root.entries:
        if e.key in seen:
            m.findings.append(Finding(STRUCTURE, "error", e.key_span, f'duplicate key "{e.key}"'))
        seen[e.key] = e.key_span
    imports = root.get("imports")
    if imports is not None and imports.kind == "list":
        for it in imports.items:
            if it.kind == "str":
                m.imports.append((it.value, it.span))  # type: ignore[arg-type]
    decls = root.get("decls")
    if decls is not None and decls.kind == "list":
        for dv in decls.items:
            d = read_decl(dv)
            if d is not None:
                m.decls.append(d)
    solve = root.get("solve")
    if solve is not None:
        m.solve = solve
        m.solve_spoiled = _has_error(solve)
    return m


def read_decl(dv: Value) -> Decl | None:
    if dv.kind != "map":
        return Decl(kind="?", value=dv, spoiled=True)
    kind = _str(dv.get("kind")) or "?"
    d = Decl(kind=kind, value=dv, spoiled=_has_error(dv))
    nv = dv.get("name")
    if nv is not None and nv.kind == "str":
        d.name, d.name_span = nv.value, nv.span  # type: ignore[assignment]
    if kind in FUNCTION_KINDS or kind == "extern":
        pv = dv.get("params")
        if pv is not None and pv.kind == "list":
            for p in pv.items:
                if p.kind != "map":
                    continue
                pn = p.get("name")
                if pn is None or pn.kind != "str":
                    continue
                d.params.append(Param(pn.value, pn.span, _str(p.get("ty")), _str(p.get("brand"))))  # type: ignore[arg-type]
        d.result = _str(dv.get("result"))
        rb = _str(dv.get("result_brand"))
        if d.result and rb and "@" not in d.result:
            d.result = f"{d.result}@{rb}"
        d.body = dv.get("body")
    elif kind == "defrecord":
        fv = dv.get("fields")
        if fv is not None and fv.kind == "list":
            for f in fv.items:
                if f.kind == "map" and _str(f.get("name")):
                    d.fields.append((_str(f.get("name")), _str(f.get("ty")) or "i32"))  # type: ignore[arg-type]
    elif kind == "defenum":
        vv = dv.get("variants")
        if vv is not None and vv.kind == "list":
            for f in vv.items:
                if f.kind == "map" and _str(f.get("name")):
                    d.variants.append((_str(f.get("name")), _str(f.get("payload"))))  # type: ignore[arg-type]
    elif kind == "export":
        nv2 = dv.get("names")
        if nv2 is not None and nv2.kind == "list":
            d.names = [x.value for x in nv2.items if x.kind == "str"]  # type: ignore[misc]
    return d
