"""Checking one Kea document: its imports found and read, auto-borrow inferred for every module
involved (K9), each function lowered and run through the ownership flow, the declaration checks
(K10, K11) and the `@fip` flow check (K12), Kea's help lines attached.

Auto-borrow (Kea's `infer_auto_borrow_param_positions`, compiler.rs l.3074-3206): starting from
the written `borrow` parameters of the module and the final positions of the modules it imports,
an undeclared `Unique` parameter becomes `borrow` when checking its function's body with it lent
consumes it nowhere (no K4 for it); repeated over the module until nothing changes. Imported
modules are inferred first, each with its own imports.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from ..findings import Finding, Related
from ..ownership.flow import run_flow
from ..ownership.ir import Move
from ..ownership.model import OwnershipMap, build_model
from ..source import Span
from ..syntax_errors import syntax_findings
from . import codes as C
from .module import KeaModule, module_rel_path, read_module, span, text
from .lower import Env, lower_function

MAX_BYTES = 16 * 1024 * 1024


class Workspace:
    """Where imported modules come from: the importing file's directory, the module roots, the
    stdlib root; an open document's text (the overlay) wins over the disk. Parsed modules and
    inferred borrow positions are cached by content."""

    def __init__(self, roots, stdlib_root, overlay: dict):
        self.roots = list(roots)
        self.stdlib_root = stdlib_root
        self.overlay = overlay
        self.parsed: dict = {}           # digest -> KeaModule
        self.borrow: dict = {}           # ModuleInfo.key -> {name: frozenset}

    def read(self, path: str) -> bytes | None:
        got = self.overlay.get(path) or self.overlay.get(os.path.abspath(path))
        if got is not None:
            return got[1]
        try:
            with open(path, "rb") as fh:
                return fh.read()
        except OSError:
            return None

    def find(self, module: str, from_path: str | None) -> str | None:
        rel = module_rel_path(module)
        dirs = ([os.path.dirname(os.path.abspath(from_path))] if from_path else []) + self.roots
        if self.stdlib_root:
            dirs.append(self.stdlib_root)
        for d in dirs:
            p = os.path.join(d, rel)
            if p in self.overlay or os.path.abspath(p) in self.overlay or os.path.isfile(p):
                return os.path.abspath(p)
        return None

    def module(self, path: str) -> KeaModule | None:
        data = self.read(path)
        if data is None:
            return None
        digest = hashlib.sha1(data).hexdigest()
        m = self.parsed.get(digest)
        if m is None or m.path != path:
            m = read_module(path, data)
            if len(self.parsed) > 256:
                self.parsed.clear()
            self.parsed[digest] = m
        return m


@dataclass
class ModuleInfo:
    module: KeaModule
    imports: dict                    # module path -> ModuleInfo | None
    key: tuple
    own_borrow: dict = field(default_factory=dict)   # function name -> frozenset of positions

    def env(self, own: dict | None = None) -> Env:
        borrow = {("", n): p for n, p in (self.own_borrow if own is None else own).items()}
        for mp, info in self.imports.items():
            if info is not None:
                for n, p in info.own_borrow.items():
                    borrow[(mp, n)] = p
        return Env(self.module, {mp: (i.module if i else None) for mp, i in self.imports.items()}, borrow)


def module_info(ws: Workspace, module: KeaModule, stack: tuple = ()) -> ModuleInfo:
    imports = {}
    for u in module.uses:
        if u.module in imports:
            continue
        p = ws.find(u.module, module.path)
        if p is None or p in stack or (module.path and os.path.abspath(module.path) == p):
            imports[u.module] = None
            continue
        m = ws.module(p)
        imports[u.module] = module_info(ws, m, stack + (p,)) if m is not None else None
    key = (module.digest, tuple(sorted((mp, i.key if i else None) for mp, i in imports.items())))
    info = ModuleInfo(module, imports, key)
    got = ws.borrow.get(key)
    if got is None:
        got = infer_borrow(info)
        if len(ws.borrow) > 1024:
            ws.borrow.clear()
        ws.borrow[key] = got
    info.own_borrow = got
    return info


def infer_borrow(info: ModuleInfo) -> dict:
    """K9: the module's borrow positions, written and inferred, to a fixpoint."""
    m = info.module
    inferred = {f.name: frozenset(i for i, p in enumerate(f.params) if p.borrow) for f in m.functions}
    inferred = {n: p for n, p in inferred.items() if p}
    changed = True
    rounds = 0
    while changed and rounds < 50:
        changed = False
        rounds += 1
        for f in m.functions:
            if f.body is None or f.node.has_error:
                continue
            pos = set(inferred.get(f.name, ()))
            for i, p in enumerate(f.params):
                if i in pos or not p.unique or p.name is None:
                    continue
                trial = dict(inferred)
                trial[f.name] = frozenset(pos | {i})
                low = lower_function(f, info.env(trial), frozenset(pos | {i}))
                lid = low.params.get(i)
                if not any(type(ev) is Move and ev.local == lid for b in low.fn.blocks for ev in b.events):
                    pos.add(i)
                    changed = True
            if pos:
                inferred[f.name] = frozenset(pos)
    return inferred


@dataclass
class KeaAnalysis:
    findings: list = field(default_factory=list)
    model: OwnershipMap | None = None
    calls: list = field(default_factory=list)
    info: ModuleInfo | None = None
    lowered: dict = field(default_factory=dict)     # function name -> Lowered


def check_module(ws: Workspace, module: KeaModule, lean: bool) -> KeaAnalysis:
    out = KeaAnalysis()
    if len(module.data) > MAX_BYTES:
        out.findings.append(Finding("CUS-INPUT-0002", "error", Span(0, 0),
                                    "file too large: custody analyses Kea files up to 16 MiB"))
        return out
    out.findings += syntax_findings(module.tree, module.data)
    info = module_info(ws, module, (os.path.abspath(module.path),) if module.path else ())
    out.info = info
    env = info.env()
    models = []
    for f in module.functions:
        if f.body is None or f.node.has_error:
            continue
        try:
            low = lower_function(f, env)
        except RecursionError:
            out.findings.append(Finding("CUS-SYNTAX-0002", "error", f.name_span,
                                        "this function nests deeper than custody analyses"))
            continue
        out.lowered[f.name] = low
        res = run_flow(low.fn, record=not lean)
        out.findings += [_kea_finding(x, low) for x in res.findings]
        out.calls += low.calls
        if not lean:
            models.append(build_model(low.fn, res))
    out.findings += declaration_findings(module)
    from .fip import fip_findings
    out.findings += fip_findings(info)
    out.model = OwnershipMap(models) if not lean else None
    out.findings.sort(key=Finding.sort_key)
    return out


def _kea_finding(f: Finding, low) -> Finding:
    if f.code == C.K2:
        if f.span in low.captures:
            f.code = C.K7
        elif any(c.covers(f.span) for c in low.clauses):
            f.code = C.K8
    help_ = C.HELP.get({C.K7: C.K2, C.K8: C.K2}.get(f.code, f.code))
    if help_:
        f.related.insert(0, Related(f.span, "help: " + help_))
    return f


def declaration_findings(m: KeaModule) -> list[Finding]:
    """K10 (State payloads) and K11 (@fip's place and arguments)."""
    out = []
    for f in m.functions:
        for a in f.annotations:
            n = a.child_by_field_name("name")
            if n is not None and text(n) == "fip" and a.child_by_field_name("arguments") is not None:
                out.append(Finding(C.K11, "error", span(a), "`@fip` does not accept arguments"))
        row = f.effects
        if row is None:
            continue
        for t in row.named_children:
            if t.type != "applied_type":
                continue
            c = t.child_by_field_name("constructor")
            args = t.children_by_field_name("argument")
            if c is None or text(c) != "State" or not args:
                continue
            if any(m.contains_unique(a) for a in args):
                payload = " ".join(m.resolved_text(a) for a in args)
                # the effect annotation `-[..]>`, arrow included
                s0, e0 = row.start_byte, row.end_byte
                s0 -= m.data[s0 - 1:s0] == b"-"
                e0 += m.data[e0:e0 + 1] == b">"
                out.append(Finding(C.K10, "error", Span(s0, e0), C.MESSAGES[C.K10].format(
                    payload=payload, context="function effect row"),
                    related=[Related(Span(s0, e0), "help: " + C.HELP[C.K10])]))
    for a, label in m.annotated:
        n = a.child_by_field_name("name")
        if n is None or text(n) != "fip":
            continue
        out.append(Finding(C.K11, "error", span(a), f"`@fip` is not valid on {label}"))
        if a.child_by_field_name("arguments") is not None:
            out.append(Finding(C.K11, "error", span(a), "`@fip` does not accept arguments"))
    return out
