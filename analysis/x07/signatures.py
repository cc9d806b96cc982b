"""Function signatures: X07 builtins, the module's own decls, imported workspace modules and an
installed X07 stdlib root. An unknown callee gets no signature, and lowering then treats its
arguments as opaque (precision first: no ownership error comes from a guess)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..source import Span, file_stamp
from .module import FUNCTION_KINDS, Decl, X07Module
from .types import own_class


@dataclass(frozen=True)
class FnSig:
    name: str
    params: tuple[str, ...]
    result: str
    view_of: tuple[int, ...] = ()
    needs_ident_owner: tuple[int, ...] = ()
    mutates: int | None = None
    literal_args: tuple[int, ...] = ()
    reads: tuple[int, ...] = ()          # owned-typed args an identifier is read in place for (no move)
    param_names: tuple[str, ...] = ()
    origin: str = "builtin"            # "builtin" | "module" | "import" | "stdlib"
    path: str | None = None            # file that declares it (module/import/stdlib)
    span: Span | None = None           # its name in that file
    is_async: bool = False

    def param_type(self, i: int) -> str | None:
        if not self.params:
            return None
        if self.params[-1] == "...":
            fixed = self.params[:-1]
            if i < len(fixed):
                return fixed[i]
            return fixed[-1] if fixed else None
        return self.params[i] if i < len(self.params) else None


def _builtin_table() -> dict[str, FnSig]:
    from . import builtins as b  # the researched table of X07 builtins (plain data)

    out = {}
    for name, s in b.BUILTINS.items():
        out[name] = FnSig(name, tuple(s.params), s.result, tuple(s.view_of), tuple(s.needs_ident_owner),
                          s.mutates, tuple(s.literal_args), tuple(getattr(s, "reads", ())))
    return out


_BUILTINS: dict[str, FnSig] | None = None


def builtins() -> dict[str, FnSig]:
    global _BUILTINS
    if _BUILTINS is None:
        _BUILTINS = _builtin_table()
    return _BUILTINS


def decl_names(d: Decl) -> list[str]:
    """The call heads a declaration introduces."""
    if d.name is None:
        return []
    if d.kind in FUNCTION_KINDS or d.kind == "extern":
        return [d.name]
    if d.kind == "defrecord":
        return [f"{d.name}.make"] + [f"{d.name}.{f}" for f, _ in d.fields]
    if d.kind == "defenum":
        return [f"{d.name}.{v}" for v, _ in d.variants]
    return []


def decl_signature_entries(d: Decl, origin: str, path: str | None) -> dict[str, FnSig]:
    """Signatures one declaration introduces: a function, record constructor/accessors, enum constructors."""
    out: dict[str, FnSig] = {}
    if d.name is None:
        return out
    if d.kind in FUNCTION_KINDS or d.kind == "extern":
        params = tuple(p.full_ty or "unknown" for p in d.params)
        result = d.result or "unknown"
        view_of = tuple(i for i, t in enumerate(params) if own_class(t) == "view") if own_class(result) == "view" else ()
        out[d.name] = FnSig(d.name, params, result, view_of, param_names=tuple(p.name for p in d.params),
                            origin=origin, path=path, span=d.name_span, is_async=(d.kind == "defasync"))
    elif d.kind == "defrecord":
        out[f"{d.name}.make"] = FnSig(f"{d.name}.make", tuple("i32" for _ in d.fields), f"bytes@{d.name}",
                                      param_names=tuple(f for f, _ in d.fields), origin=origin, path=path,
                                      span=d.name_span)
        for fname, fty in d.fields:
            out[f"{d.name}.{fname}"] = FnSig(f"{d.name}.{fname}", (f"bytes_view@{d.name}",),
                                             "i32" if fty in ("i32", "u32") else fty,
                                             origin=origin, path=path, span=d.name_span)
    elif d.kind == "defenum":
        for vname, payload in d.variants:
            out[f"{d.name}.{vname}"] = FnSig(f"{d.name}.{vname}", ("i32",) if payload else (),
                                             f"bytes@{d.name}", origin=origin, path=path, span=d.name_span)
    return out


def decl_signatures(decls: list[Decl], origin: str, path: str | None) -> dict[str, FnSig]:
    """Signatures a module's decls introduce (the last declaration of a name wins)."""
    out: dict[str, FnSig] = {}
    for d in decls:
        out.update(decl_signature_entries(d, origin, path))
    return out


class LocalSignatures:
    """The module's own signatures, built per name on first lookup: an edit re-reads the
    module, and most names are never looked up again."""

    def __init__(self, decls: list[Decl], path: str | None):
        self.path = path
        self._decl_of: dict[str, Decl] = {}
        for d in decls:
            for n in decl_names(d):
                self._decl_of[n] = d
        self._sigs: dict[str, FnSig | None] = {}

    def get(self, name: str) -> FnSig | None:
        try:
            return self._sigs[name]
        except KeyError:
            d = self._decl_of.get(name)
            sig = decl_signature_entries(d, "module", self.path).get(name) if d is not None else None
            self._sigs[name] = sig
            return sig


@dataclass
class ModuleResolver:
    """Finds imported modules under module roots (workspace) and an X07 stdlib root."""

    module_roots: list[Path] = field(default_factory=list)
    stdlib_root: Path | None = None
    # path -> (version, bytes) of modules open in an editor: their unsaved text wins over the disk
    overlay: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict)     # path -> (stamp, signatures)

    @classmethod
    def for_file(cls, path: str | None, module_roots=(), stdlib_root=None, overlay=None,
                 cache=None) -> "ModuleResolver":
        """`overlay` and `cache` may be shared by every resolver of one engine."""
        roots = [Path(r) for r in module_roots]
        if path:
            here = Path(path).resolve().parent
            roots.append(here)
            for anc in [here, *here.parents][:6]:
                if (anc / "x07.json").exists() or (anc / "x07.toml").exists():
                    roots.extend([anc, anc / "src"])
                    break
        std = stdlib_root or os.environ.get("X07_STDLIB")
        return cls(roots, Path(std) if std else None, overlay if overlay is not None else {},
                   cache if cache is not None else {})

    def find(self, module_id: str) -> tuple[Path, str] | None:
        rel = Path(*module_id.split("."))
        candidates = [(r, "import") for r in self.module_roots]
        if self.stdlib_root is not None:
            candidates.append((self.stdlib_root, "stdlib"))
            candidates.append((self.stdlib_root / "modules", "stdlib"))
        for root, origin in candidates:
            for ext in (".x07.json", ".x07t"):
                p = root / rel.parent / (rel.name + ext)
                if str(p) in self.overlay or p.is_file():
                    return p, origin
        return None

    def signatures(self, module_id: str) -> dict[str, FnSig]:
        found = self.find(module_id)
        if found is None:
            return {}
        return self.file_signatures(*found)

    def file_signatures(self, path: Path, origin: str = "import") -> dict[str, FnSig]:
        """One module file's signatures (its open text if it is open), cached by stamp."""
        opened = self.overlay.get(str(path))
        stamp = file_stamp(self.overlay, str(path))
        if stamp is None:
            return {}
        hit = self._cache.get(str(path))
        if hit is not None and hit[0] == stamp:
            return hit[1]
        from .document import parse_source  # late: document imports this module

        if opened is not None:
            data = opened[1]
        else:
            try:
                data = path.read_bytes()
            except OSError:
                return {}
        parsed = parse_source(str(path), data)
        sigs = decl_signatures(parsed.module.decls, origin, str(path)) if parsed.module else {}
        self._cache[str(path)] = (stamp, sigs)
        return sigs


class SignatureTable:
    """What a call head means inside one module."""

    def __init__(self, module: X07Module, path: str | None, resolver: ModuleResolver | None = None,
                 imported: list | None = None):
        """imported: (module id, its signatures) of each import, when the caller has them."""
        self.local = LocalSignatures(module.decls, path)
        self.imported: dict[str, FnSig] = {}
        if imported is None and resolver is not None:
            imported = [(mid, resolver.signatures(mid)) for mid, _span in module.imports]
        for _mid, sigs in imported or ():
            self.imported.update(sigs)

    def lookup(self, name: str) -> FnSig | None:
        return self.local.get(name) or builtins().get(name) or self.imported.get(name)
