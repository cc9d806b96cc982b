"""Checking one C document: each function definition lowered and checked by the explicit-release
checker (analysis/ownership/release.py), the syntactic rules run, fixes rendered, per-unit results
cached.

The engine keeps the per-unit results (analysis/incremental.py): a function whose text, callees'
summaries and configuration did not change keeps its findings, moved by the bytes it shifted.
This module says what that needs for C: the units to analyse (`begin`), the configuration they
depend on (`context_key`), how to tell a cached result stands (`still_valid`: every summary the
unit read is looked up again; analysis/c/summaries.py memoises those lookups), the analysis of a
unit (`analyse_units`) and the document's answer (`finish`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding
from ..incremental import UnitResult, too_deep
from ..ownership.model import OwnershipMap, UnitsOwnershipMap
from ..ownership.release import check_release
from ..source import Span
from ..syntax_errors import syntax_findings
from .fixes import render
from .lints import HINTS, function_lints, struct_lints, suppressed
from .lower import CallFact, lower_function
from .strict_null import strict_null_findings
from .summaries import Recording, still_read
from .syntax import ParsedC

@dataclass
class CAnalysis:
    findings: list[Finding] = field(default_factory=list)
    model: OwnershipMap = field(default_factory=OwnershipMap)
    units: list[UnitResult] = field(default_factory=list)
    analysed: int = 0
    reused: int = 0
    # the document's own findings (size, syntax), also in `findings`: their messages may name lines
    document: list[Finding] = field(default_factory=list)

    @property
    def calls(self) -> list[CallFact]:
        return [c for u in self.units for c in u.calls]


@dataclass
class CheckContext:
    """One check of one document (what analysis/incremental.py hands back to the front-end)."""

    parsed: ParsedC
    summaries: object
    lean: bool
    findings: list[Finding]                  # the document's own: size, syntax
    functions: dict                          # function span -> CFunction
    units: list                              # the units to analyse (analysis.frontend.Unit)
    stood_before: dict = field(default_factory=dict)   # reads known to still hold (summaries.carry_summaries)
    stood: dict = field(default_factory=dict)          # the reads that hold in this check


def begin(parsed: ParsedC, summaries, lean: bool, make_unit) -> CheckContext:
    ctx = CheckContext(parsed, summaries, lean, [], {}, [])
    if parsed.too_large:
        ctx.findings.append(Finding("CUS-INPUT-0002", "error", Span(0, 0),
                                    f"file too large: custody analyses C files up to 16 MiB"))
        return ctx
    # Information, not an error: tree-sitter parses C before preprocessing, so an ERROR node is
    # as often valid code it cannot place (a macro used as a statement, X16) as a real mistake,
    # which the compiler and clangd report anyway. What custody owes the user is that the
    # function holding it was not checked.
    for f in syntax_findings(parsed.tree, parsed.data):
        f.severity = "information"
        f.message += " (custody does not check the function holding it; the compiler reports real syntax errors)"
        ctx.findings.append(f)
    hints_on = summaries.config.hints & HINTS
    by_span = {u[2]: u for u in parsed.units}
    for fn in parsed.functions:
        if fn.spoiled or (fn.body is None and not hints_on):
            continue
        u = by_span.get(fn.span)
        if u is None:
            continue
        ctx.functions[fn.span] = fn
        ctx.units.append(make_unit(u))
    return ctx


def context_key(ctx: CheckContext):
    config = ctx.summaries.config
    return (config.hints, config.raw_allocator_files, config.functions, ctx.parsed.path,
            getattr(config, "strict_null_after_transfer", False), ctx.lean)


def still_valid(ctx: CheckContext, reads) -> bool:
    if ctx.stood_before.get(id(reads)) is reads or still_read(ctx.summaries, reads):
        ctx.stood[id(reads)] = reads
        return True
    return False


def analyse_units(ctx: CheckContext, units) -> list:
    out = []
    for u in units:
        fn = ctx.functions[u.span]
        rec = Recording(ctx.summaries)
        try:
            res = _analyse_function(fn, ctx.parsed, ctx.summaries, rec, ctx.lean)
        except RecursionError:
            res = too_deep(fn.name, fn.name_span)
        reads = tuple(rec.read.items())
        ctx.stood[id(reads)] = reads
        out.append((res, reads))
    return out


def finish(ctx: CheckContext, results: list, counts) -> CAnalysis:
    out = CAnalysis(findings=list(ctx.findings), units=list(results), document=list(ctx.findings))
    out.reused, out.analysed = counts.reused, counts.analysed
    if ctx.parsed.too_large:
        return out
    for st in ctx.parsed.structs:
        out.findings.extend(struct_lints(st, ctx.summaries.config))
    for u in out.units:
        out.findings.extend(u.findings)
    out.model = UnitsOwnershipMap(out.units)
    out.findings = suppressed(ctx.parsed.data, out.findings, None)
    out.findings.sort(key=Finding.sort_key)
    return out


def _analyse_function(fn, parsed: ParsedC, summaries, lookup, lean: bool) -> UnitResult:
    data = parsed.data
    findings = function_lints(fn, data, parsed.path, lookup, summaries, summaries.config)
    findings = [f for f in findings if f.severity != "hint" or f.code in summaries.config.hints]
    if fn.body is None:
        return UnitResult(fn.name, findings, None, [])
    low = lower_function(fn, data, lookup, lean=lean, self_summary=lookup(fn.name))
    rel = check_release(low.fn, record=not lean)
    render(rel.findings, parsed.tree, data, low.fn, lookup)
    findings += rel.findings
    if getattr(summaries.config, "strict_null_after_transfer", False):
        findings += strict_null_findings(low.fn, parsed.tree, data)
    return UnitResult(fn.name, findings, rel.model, low.calls)
