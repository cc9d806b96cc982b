"""Checking one Janus document unit by unit (analysis/incremental.py): a function each. A
function's result depends on its own text and on the context key: the signatures of the file's
functions (which parameters are `owned`/`~T`, which return `~T`), the profile, whether the file
uses ownership syntax, and the configuration (J3 on or off). Document-level findings: syntax
errors (the tree's ERROR / MISSING nodes; a function holding one is not a unit, so it raises no
ownership finding), J6 on declarations (traits, impl blocks) and top-level statements.
"""
from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field

from ..findings import Finding, Related
from ..incremental import UnitResult, too_deep
from ..ownership.flow import run_flow
from ..ownership.model import OwnershipMap, UnitsOwnershipMap, build_model
from ..source import Span
from ..syntax_errors import syntax_findings
from . import codes as C
from . import fixes
from .lower import MAYBE_MARK, Settings, forbidden, lower_function
from .syntax import MAX_BYTES, Module


@dataclass
class JanusAnalysis:
    findings: list = field(default_factory=list)
    model: OwnershipMap | None = None
    units: list = field(default_factory=list)
    reused: int = 0
    analysed: int = 0
    # what the next keystroke's patch (patch.py) starts from: the document's own findings (syntax,
    # J6 outside functions) and the context key's parts
    document: list = field(default_factory=list)
    signatures: str = ""
    settings: Settings | None = None

    @property
    def calls(self) -> list:
        return [c for u in self.units for c in u.calls]


@dataclass
class JanusContext:
    module: Module
    lean: bool
    findings: list
    settings: Settings | None = None
    units: list = field(default_factory=list)
    functions: dict = field(default_factory=dict)     # unit start -> Function
    key: tuple = ()
    signatures: str = ""


def signatures_digest(m: Module) -> str:
    h = hashlib.sha1()
    for f in m.functions:
        h.update(repr(f.header).encode())
    return h.hexdigest()


def context_key(signatures: str, s: Settings, lean: bool) -> tuple:
    return (signatures, s.profile, s.ownership_syntax, s.borrows, lean)


def begin(module: Module, config, lean: bool, make_unit) -> JanusContext:
    if len(module.data) > MAX_BYTES:
        return JanusContext(module, lean, [Finding("CUS-INPUT-0002", "error", Span(0, 0),
                                                   "file too large: custody analyses Janus files up to 16 MiB")])
    s = Settings(module.profile, module.ownership_syntax, config.borrows)
    found = syntax_findings(module.tree, module.data) if module.tree is not None else []
    ctx = JanusContext(module, lean, found + document_findings(module), s)
    for f in module.functions:
        if not f.has_body or f.broken:
            continue
        ctx.functions[f.span.start] = f
        ctx.units.append(make_unit((f.name, "function", f.span, f.name_span, f.digest)))
    ctx.signatures = signatures_digest(module)
    ctx.key = context_key(ctx.signatures, s, lean)
    return ctx


def document_findings(m: Module) -> list:
    """J6 on what is not inside a function body: trait and impl declarations, top-level `using`,
    `unsafe` and `region` statements."""
    laws = forbidden(m.profile)
    if not laws:
        return []
    rel = [Related(m.profile_span, f"the file's profile is :{m.profile}")] if m.profile_span else []
    out = []
    for d in m.decls:
        if d.kind in laws:
            out.append(Finding(C.PROFILE, "error", d.keyword, laws[d.kind], related=list(rel),
                               fix_requests=[]))
    for st in m.toplevel:
        k = st.kind
        if k in laws and not st.get("scratchpad"):
            out.append(Finding(C.PROFILE, "error", st.keyword, laws[k], related=list(rel)))
    return out


def analyse_units(ctx: JanusContext, units) -> list:
    out = []
    for u in units:
        f = ctx.functions[u.span.start]
        try:
            if f.body is None:               # nested deeper than it is read
                raise RecursionError
            low = lower_function(f, ctx.module, ctx.settings)
        except RecursionError:
            out.append((too_deep(f.name, f.name_span), None))
            continue
        res = run_flow(low.fn, record=not ctx.lean)
        linear = {l.name for l in low.fn.locals if l.linear}
        findings = [_janus_finding(x, low) for x in res.findings] + low.findings
        fixes.render(findings, ctx.module, linear)
        findings.sort(key=Finding.sort_key)
        model = build_model(low.fn, res) if not ctx.lean else None
        out.append((UnitResult(f.name, findings, model, [_slim(c) for c in low.calls]), None))
    return out


@dataclass(frozen=True)
class Callee:
    """What a call fact keeps of the function it calls (its signature, for hovers; its name and
    container, to find the current declaration): not the record, which holds the tree it was
    parsed in (a cached result would keep every earlier parse of the document alive)."""

    name: str
    container: str | None
    signature: str


def _slim(call):
    t = call.target
    return call if t is None else dataclasses.replace(call, target=Callee(t.name, t.container, t.signature))


def _janus_finding(f: Finding, low) -> Finding:
    """The flow's findings in Janus's terms: a use (or a move) after a move on some paths only is
    J4 (maybe moved, reported on access), a second certain move is a double move, an unconsumed
    linear value is an error."""
    if f.code == C.USE_AFTER_MOVE:
        name = f.message.split("`")[1] if "`" in f.message else ""
        if f.message.endswith(MAYBE_MARK):
            # a move is an access too: moved on some paths before it is J4
            f.code = C.MAYBE_MOVED
            f.message = C.MESSAGES[C.MAYBE_MOVED].format(name=name)
        elif f.span in low.move_spans:
            f.code = C.DOUBLE_MOVE
            f.message = C.MESSAGES[C.DOUBLE_MOVE].format(name=name) + (
                " (moved in an earlier iteration of the loop)" if "earlier iteration" in f.message else "")
    elif f.code == C.LINEAR_LEAK:
        f.severity = "error"
        if "consumed on some paths only" in f.message:
            name = f.message.split('"')[1] if '"' in f.message else ""
            f.message = (f"LinearLeak: linear value `{name}` is consumed on some paths only; "
                         "consume it on every path")
    return f


def finish(ctx: JanusContext, results: list, counts) -> JanusAnalysis:
    out = JanusAnalysis(findings=list(ctx.findings), units=list(results), signatures=ctx.signatures,
                        settings=ctx.settings)
    out.reused, out.analysed = counts.reused, counts.analysed
    fixes.render(out.findings, ctx.module, set())
    out.document = list(out.findings)
    for r in out.units:
        out.findings.extend(r.findings)
    # fixes that edit other units than their finding's (callers): made from this document
    out.findings = fixes.with_allocators(out.findings, ctx.module)
    out.model = UnitsOwnershipMap(out.units) if not ctx.lean else None
    out.findings.sort(key=Finding.sort_key)
    return out
