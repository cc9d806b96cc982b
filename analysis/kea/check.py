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

import copy
import hashlib
import os
import re
from dataclasses import dataclass, field

from ..findings import Finding, Related
from ..incremental import UnitResult, too_deep
from ..ownership.flow import run_flow
from ..ownership.ir import Move
from ..ownership.model import OwnershipMap, UnitsOwnershipMap, build_model
from ..source import Span
from ..syntax_errors import syntax_findings
from . import codes as C
from . import fixes
from .module import KeaModule, module_rel_path, read_module, span, text
from .lower import CallFact, Callee, Env, lower_function

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
        # auto-borrow trials (does a body consume parameter i when lent?) by what they read: the
        # function's text, its module's declarations, the lent positions and the borrow
        # positions of the names it mentions; a keystroke then re-runs only the edited
        # function's trials, not the whole module's fixpoint
        self.trials: dict = {}

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
        got = infer_borrow(info, ws.trials)
        if len(ws.borrow) > 1024:
            ws.borrow.clear()
        ws.borrow[key] = got
    info.own_borrow = got
    return info


_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")


def declarations_digest(m: KeaModule) -> str:
    """A digest of the module without its function bodies: what one function's lowering reads
    of the rest of its file (signatures, aliases, effects, imports), besides borrow positions."""
    h = hashlib.sha1(m.name.encode())
    at = 0
    for f in sorted((f for f in m.functions if f.body is not None), key=lambda f: f.body.start_byte):
        b0, b1 = f.body.start_byte, f.body.end_byte
        if b0 < at:
            continue
        h.update(m.data[at:b0])
        h.update(b"\0")
        at = b1
    h.update(m.data[at:])
    return h.hexdigest()


def written_borrow(functions) -> dict:
    """The parameter positions written `borrow`, by function name (functions with none left out)."""
    out = {}
    for f in functions:
        pos = frozenset(i for i, p in enumerate(f.params) if p.borrow)
        if pos:
            out[f.name] = pos
    return out


def names_of(f, memo: dict) -> list:
    """The names a function's text mentions, sorted (kept in the trials' memo by its digest)."""
    key = ("names", f.digest)
    got = memo.get(key)
    if got is None:
        got = memo[key] = sorted({n.decode() for n in _NAME.findall(f.node.text)})
    return got


def infer_borrow(info: ModuleInfo, memo: dict | None = None, decls: str | None = None,
                 within: set | None = None, fixed: dict | None = None) -> dict:
    """K9: the module's borrow positions, written and inferred, to a fixpoint. `memo` keeps the
    trials across checks (see Workspace.trials); `decls`: the module's declarations digest when
    the caller knows it (a keystroke's patch: the module's records are not all at their place).
    `within`, `fixed`: only the functions named in `within` are inferred, the others' positions
    are `fixed` (a patch: the functions that mention none of `within`, even through others,
    cannot depend on them)."""
    m = info.module
    if within is None:
        pool = m.functions
        inferred = written_borrow(m.functions)
    else:
        pool = [f for f in m.functions if f.name in within]
        inferred = dict(fixed)
        for n in within:
            inferred.pop(n, None)
        inferred.update(written_borrow(pool))
    imported = {}
    for mp, sub in info.imports.items():
        if sub is not None:
            for n, p in sub.own_borrow.items():
                imported[(mp, n)] = p
    # the module's declarations and the imported modules' texts: what a trial reads besides
    # the function's own text and the borrow positions of the names it mentions
    decls = ((decls or declarations_digest(m)), info.key[1]) if memo is not None else ""
    imported_by_name: dict = {}
    for k, v in imported.items():
        imported_by_name.setdefault(k[1], []).append((k, tuple(sorted(v))))
    texts: dict = {}
    changed = True
    rounds = 0
    while changed and rounds < 50:
        changed = False
        rounds += 1
        for f in pool:
            if f.body is None or f.node.has_error:
                continue
            pos = set(inferred.get(f.name, ()))
            for i, p in enumerate(f.params):
                if i in pos or not p.unique or p.name is None:
                    continue
                lent = frozenset(pos | {i})
                key = None
                if memo is not None:
                    got = texts.get(id(f))
                    if got is None:
                        names = names_of(f, memo)
                        got = texts[id(f)] = (f.digest, names,
                                              tuple(x for n in names for x in imported_by_name.get(n, ())))
                    digest, names, seen_imported = got
                    seen = tuple((n, tuple(sorted(lent if n == f.name else inferred[n]))) for n in names
                                 if n == f.name or n in inferred)
                    key = (digest, decls, i, lent, seen, seen_imported)
                    consumed = memo.get(key)
                else:
                    consumed = None
                if consumed is None:
                    trial = dict(inferred)
                    trial[f.name] = lent
                    low = lower_function(f, info.env(trial), lent)
                    lid = low.params.get(i)
                    consumed = any(type(ev) is Move and ev.local == lid for b in low.fn.blocks for ev in b.events)
                    if key is not None:
                        if len(memo) > 200_000:
                            memo.clear()
                        memo[key] = consumed
                if not consumed:
                    pos.add(i)
                    changed = True
            if pos:
                inferred[f.name] = frozenset(pos)
    return inferred


@dataclass
class KeaAnalysis:
    findings: list = field(default_factory=list)
    model: OwnershipMap | None = None
    units: list = field(default_factory=list)       # UnitResult per analysed function, file order
    info: ModuleInfo | None = None
    reused: int = 0
    analysed: int = 0
    # what the next keystroke's patch (patch.py) starts from: the findings that are not a
    # function's, the module's records as last read (those of functions a patch re-read are
    # replaced, the others may lie where an earlier text had them), the context key and the
    # declarations digest
    document: list = field(default_factory=list)
    view: KeaModule | None = None
    key: tuple = ()
    decls: str = ""
    patch_base: object = None

    @property
    def calls(self) -> list:
        """Every call of the analysed functions at its current place, in file order."""
        return [c for u in self.units for c in u.calls]


@dataclass
class KeaContext:
    """One check of one document, unit by unit (analysis/incremental.py drives it): the
    module, its imports and borrow positions, the document-level findings (syntax, K10, K11,
    K12) and the units, one per function with a body and no syntax error."""

    module: KeaModule
    lean: bool
    findings: list
    units: list = field(default_factory=list)
    functions: dict = field(default_factory=dict)     # unit start -> Function
    info: ModuleInfo | None = None
    env: Env | None = None
    key: tuple = ()
    decls: str = ""            # declarations_digest(module)
    source: object = None      # what fixes read (path, data, tree, index, functions); None: module


def begin(ws: Workspace, module: KeaModule, lean: bool, make_unit) -> KeaContext:
    if len(module.data) > MAX_BYTES:
        return KeaContext(module, lean, [Finding("CUS-INPUT-0002", "error", Span(0, 0),
                                                 "file too large: custody analyses Kea files up to 16 MiB")])
    ctx = KeaContext(module, lean, syntax_findings(module.tree, module.data))
    info = module_info(ws, module, (os.path.abspath(module.path),) if module.path else ())
    ctx.info, ctx.env = info, info.env()
    for f in module.functions:
        if f.body is None or f.node.has_error:
            continue
        ctx.functions[f.span.start] = f
        ctx.units.append(make_unit((f.name, "function", f.span, f.name_span, f.digest)))
    ctx.findings += declaration_findings(module)
    from .fip import fip_findings
    ctx.findings += fip_findings(info)
    ctx.decls = declarations_digest(module)
    ctx.key = context_key_of(ctx.decls, info, ctx.env, lean)
    return ctx


def context_key_of(decls: str, info: ModuleInfo, env: Env, lean: bool) -> tuple:
    borrow = repr(sorted((k, sorted(v)) for k, v in env.borrow.items())).encode()
    return (decls, info.key[1], hashlib.sha1(borrow).hexdigest(), lean)


def context_key(ctx: KeaContext) -> tuple:
    """What a function's result reads besides its own text: the module's declarations and every
    borrow position it can call (own and imported), and whether the map is wanted."""
    return ctx.key


def analyse_units(ctx: KeaContext, units) -> list:
    out = []
    for u in units:
        f = ctx.functions[u.span.start]
        try:
            low = lower_function(f, ctx.env)
        except RecursionError:
            out.append((too_deep(f.name, f.name_span), None))
            continue
        res = run_flow(low.fn, record=not ctx.lean)
        findings = [_kea_finding(x, low) for x in res.findings]
        fixes.render(findings, ctx.source or ctx.module)
        model = build_model(low.fn, res) if not ctx.lean else None
        calls = [_slim(c) for c in low.calls]
        out.append((UnitResult(f.name, findings, model, calls), None))
    return out


def _slim(call: CallFact) -> CallFact:
    """A call fact without the callee's parsed module (a cached result must not keep old
    versions of the document alive)."""
    t = call.target
    if t is None:
        return call
    return CallFact(call.callee, call.head_span, call.span,
                    Callee(t.module, t.name, t.shown, _Signature(t.fn.signature), None), call.modes)


@dataclass(frozen=True)
class _Signature:
    """What a call's hover reads of its callee."""

    signature: str


def finish(ctx: KeaContext, results: list, counts) -> "KeaAnalysis":
    out = KeaAnalysis(findings=list(ctx.findings), units=list(results), info=ctx.info, document=list(ctx.findings),
                      view=ctx.module, key=ctx.key, decls=ctx.decls)
    out.reused, out.analysed = counts.reused, counts.analysed
    for r in out.units:
        out.findings.extend(r.findings)
    out.model = UnitsOwnershipMap(out.units) if not ctx.lean else None
    out.findings.sort(key=Finding.sort_key)
    if ctx.info is not None:
        out.findings = [_without_borrow_fix(f) for f in out.findings]
        fixes.pass_by_borrow(out.findings, ctx.module, ctx.info.own_borrow)
    return out


def _without_borrow_fix(f: Finding) -> Finding:
    """The finding without a "pass by `borrow`" fix a cached result may carry from an earlier
    check (its edit lies in another function, which may have moved since): copied, since the
    cached result keeps its own."""
    if not f.fixes:
        return f
    kept = [x for x in f.fixes if not fixes.is_borrow_fix(x)]
    if len(kept) == len(f.fixes):
        return f
    g = copy.copy(f)
    g.fixes = kept
    return g


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
