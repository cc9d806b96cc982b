"""The value tree of an x07AST document -> its module structure (decls, params, bodies).

A declaration's header (kind, name, params, result, fields...) is remembered by its text in a
`DeclCache`; a declaration whose text is unchanged since the last read is rebuilt from that,
its spans moved to where it now stands, without converting its syntax tree.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..findings import Finding
from ..source import Span
from .names import decl_findings
from .values import Value
from ..incremental import shift

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
    has_body: bool = False
    spoiled: bool = False            # holds a syntax error: not analysed
    fields: list[tuple[str, str]] = field(default_factory=list)    # defrecord
    variants: list[tuple[str, str | None]] = field(default_factory=list)  # defenum (name, payload)
    names: list[str] = field(default_factory=list)                 # export
    findings: list[Finding] = field(default_factory=list)          # nesting too deep inside it
    digest: bytes | None = None      # of the declaration's text (DeclCache's key; the unit's key)
    _header: tuple | None = None

    @property
    def header(self) -> tuple:
        """What other declarations see of this one (kind, name, params, result, fields,
        variants): equal headers give equal signatures. Made once per text (a moved copy shares
        it), so comparing two modules' headers is mostly identity checks."""
        h = self._header
        if h is None:
            h = self._header = (self.kind, self.name, tuple((p.name, p.full_ty) for p in self.params),
                                self.result, tuple(self.fields), tuple(self.variants))
        return h

    @property
    def body(self) -> Value | None:
        """The body (converted on first access when the declaration was deferred)."""
        return self.value.get("body") if self.has_body else None

    def moved(self, value: Value, delta: int) -> "Decl":
        """This header for the same text standing `delta` bytes further on, as `value` (its spans
        move when they are read: a keystroke moves every declaration after it, and few of them
        are looked at before the next one)."""
        if not delta:
            d = object.__new__(type(self))     # a field-by-field copy; `replace` costs 4x more here
            d.__dict__.update(self.__dict__)
            d.value = value
            return d
        base, total = (self._base, self._delta + delta) if isinstance(self, _MovedDecl) else (self, delta)
        d = object.__new__(_MovedDecl)
        d.__dict__.update(base.__dict__)
        d.value = value
        d._base, d._delta = base, total
        return d


def _lazy(name: str, move):
    """A property of _MovedDecl: the base declaration's `name`, moved, made on first read."""
    key = "_moved_" + name

    def get(self):
        v = self.__dict__.get(key, _UNSET)
        if v is _UNSET:
            v = self.__dict__[key] = move(getattr(self._base, name), self._delta)
        return v

    def put(self, v):
        self.__dict__[key] = v

    return property(get, put)


_UNSET = object()


class _MovedDecl(Decl):
    """A declaration read at another offset (Decl.moved): name span, params and findings are the
    base's, moved by `_delta` bytes when first read."""

    name_span = _lazy("name_span", lambda sp, d: _moved(sp, d))
    params = _lazy("params", lambda ps, d: [Param(p.name, _moved(p.span, d), p.ty, p.brand) for p in ps])
    findings = _lazy("findings", lambda fs, d: [shift(f, d) for f in fs])   # related spans and fixes too


def _moved(span: Span | None, delta: int) -> Span | None:
    return Span(span.start + delta, span.end + delta) if span is not None and delta else span


class DeclCache:
    """Declaration headers by their text, with the offset they were read at (a header holds
    spans only, so inserting a declaration above does not invalidate the ones after it)."""

    def __init__(self, limit: int = 50000):
        self._items: dict = {}
        self.limit = limit
        self.hits = 0

    def header_of(self, digest: bytes) -> Decl | None:
        """The declaration read from the text with this digest, if it is still cached."""
        hit = self._items.get(digest)
        return hit[1] if hit is not None else None

    def forget(self, digest: bytes) -> None:
        """Drop one text's declaration: a cached declaration's values keep the whole document
        they were read from (to convert its body when asked), so the keystroke fast path drops
        the version an edit replaced instead of keeping one document per keystroke."""
        self._items.pop(digest, None)

    def read(self, dv: Value, data: bytes, deep: list[Finding]) -> Decl | None:
        key = hashlib.blake2b(data[dv.span.start:dv.span.end], digest_size=16).digest()
        hit = self._items.get(key)
        if hit is not None:
            start, decl = hit
            self.hits += 1
            return decl.moved(dv, dv.span.start - start)
        d = read_decl(dv, deep)
        if d is not None:
            d.digest = key
            if len(self._items) >= self.limit:
                self._items.pop(next(iter(self._items)))
            self._items[key] = (dv.span.start, d)
        return d


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


def read_module(root: Value | None, data: bytes = b"", deep: list[Finding] | None = None,
                cache: DeclCache | None = None, reuse=None) -> X07Module:
    """`deep` is the parse's nesting-finding list (filled further as deferred decls are read).
    `reuse` (cst_values.Reuse): a declaration whose text an edit left alone is the previous
    one (the same object before the edit, moved after it), without hashing its text again."""
    deep = deep if deep is not None else []
    m = X07Module(root)
    if root is None:   # nothing but blanks and comments: not a module either
        what = "is empty" if not data.strip() else "holds only comments"
        m.findings.append(Finding(STRUCTURE, "error", Span(0, 0), f"the file {what}; an X07 module "
                                  "is a map with kind, module_id, imports and decls"))
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
        reuse = reuse if reuse is not None and reuse.ok else None
        for i, dv in enumerate(decls.items):
            old = reuse.decl_of(i, dv) if reuse is not None else None
            if old is not None:
                d = old[0] if old[0].value is dv else old[0].moved(dv, old[1])
            else:
                d = cache.read(dv, data, deep) if cache is not None else read_decl(dv, deep)
            if d is not None:
                m.decls.append(d)
                m.findings.extend(d.findings)
    solve = root.get("solve")
    if solve is not None:
        m.solve = solve
        m.solve_spoiled = _has_error(solve)
    return m


def read_decl(dv: Value, deep: list[Finding] | None = None) -> Decl | None:
    early = getattr(dv.fill, "decl", None)      # a batch check's scan reads some from their text
    if early is not None:                       # (text_scan._DeclFill), without building values
        d = early(dv)
        if d is not None:
            return d
    seen = len(deep) if deep is not None else 0
    d = _read_decl(dv)
    if deep is not None and d is not None and dv.fill is None:
        # reading a deferred decl converts all of it: nesting found there is its own
        d.findings = [f for f in deep[seen:] if dv.span.covers(f.span)]
    if d is not None and not d.spoiled:
        d.findings += decl_findings(d)     # names X07 would refuse (names.py)
    return d


def _read_decl(dv: Value) -> Decl | None:
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
        d.has_body = dv.entry("body") is not None
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
