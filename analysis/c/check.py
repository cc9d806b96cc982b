"""Checking one C document: each function definition lowered and checked by the explicit-release
checker (analysis/ownership/release.py), the syntactic rules run, fixes rendered, per-unit results
cached.

Why a cache per unit: the server checks on every keystroke; a function whose text did not change,
whose callees' summaries did not change, and whose configuration did not change keeps its
findings (moved by the bytes it shifted). The key is the unit's digest; a hit is re-validated by
looking up again every summary the unit read (analysis/c/summaries.py memoises those lookups).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..findings import Edit, Finding, Fix, Related
from ..ownership.model import FunctionModel, OwnershipMap
from ..ownership.release import check_release
from ..source import Span
from ..syntax_errors import syntax_findings
from .fixes import render
from .lints import HINTS, function_lints, struct_lints, suppressed
from .lower import CallFact, lower_function
from .strict_null import strict_null_findings
from .syntax import ParsedC

CACHE_LIMIT = 20000


@dataclass
class UnitResult:
    name: str
    findings: list[Finding]
    model: FunctionModel | None
    calls: list[CallFact]

    def moved_by(self, d: int) -> "UnitResult":
        if d == 0:
            return self
        return UnitResult(self.name, [_shift_finding(f, d) for f in self.findings],
                          self.model.moved_by(d) if self.model is not None else None,
                          [replace(c, head_span=_sh(c.head_span, d), span=_sh(c.span, d)) for c in self.calls])


@dataclass
class CAnalysis:
    findings: list[Finding] = field(default_factory=list)
    model: OwnershipMap = field(default_factory=OwnershipMap)
    units: list[UnitResult] = field(default_factory=list)
    analysed: int = 0
    reused: int = 0

    @property
    def calls(self) -> list[CallFact]:
        return [c for u in self.units for c in u.calls]


def _sh(sp: Span, d: int) -> Span:
    return Span(sp.start + d, sp.end + d)


def _shift_finding(f: Finding, d: int) -> Finding:
    return Finding(f.code, f.severity, _sh(f.span, d), f.message,
                   [Related(_sh(r.span, d) if r.path is None else r.span, r.message, r.path) for r in f.related],
                   [Fix(x.title, tuple(Edit(_sh(e.span, d), e.new_text) for e in x.edits), x.safe, x.preferred)
                    for x in f.fixes], f.tags, f.provenance, list(f.fix_requests))


class UnitCache:
    def __init__(self, limit: int = CACHE_LIMIT):
        self.items: dict = {}
        self.limit = limit

    def get(self, key):
        return self.items.get(key)

    def put(self, key, value) -> None:
        if len(self.items) >= self.limit:
            self.items.pop(next(iter(self.items)))
        self.items[key] = value


class _Recording:
    """A lookup that remembers what it was asked (the summaries a unit read)."""

    def __init__(self, summaries):
        self.summaries = summaries
        self.read: dict = {}

    def __call__(self, name: str):
        s = self.summaries.lookup(name)
        self.read[name] = s
        return s


def analyse(parsed: ParsedC, summaries, cache: UnitCache | None, lean: bool) -> CAnalysis:
    out = CAnalysis()
    if parsed.too_large:
        out.findings.append(Finding("CUS-INPUT-0002", "error", Span(0, 0),
                                    f"file too large: custody analyses C files up to 16 MiB"))
        return out
    data = parsed.data
    # Information, not an error: tree-sitter parses C before preprocessing, so an ERROR node is
    # as often valid code it cannot place (a macro used as a statement, X16) as a real mistake,
    # which the compiler and clangd report anyway. What custody owes the user is that the
    # function holding it was not checked.
    for f in syntax_findings(parsed.tree, data):
        f.severity = "information"
        f.message += " (custody does not check the function holding it; the compiler reports real syntax errors)"
        out.findings.append(f)
    config = summaries.config
    cfg_key = (config.hints, config.raw_allocator_files, config.functions, parsed.path,
               getattr(config, "strict_null_after_transfer", False))
    hints_on = config.hints & HINTS
    key_of = {u[2]: u[4] for u in parsed.units}
    for fn in parsed.functions:
        if fn.spoiled:
            continue
        if fn.body is None and not hints_on:
            continue
        key = None
        if cache is not None:
            unit_key = key_of.get(fn.span)
            key = (unit_key, lean, cfg_key)
            hit = cache.get(key)
            if hit is not None:
                start, res, reads = hit
                if all(summaries.lookup(n) == s for n, s in reads):
                    out.units.append(res.moved_by(fn.span.start - start))
                    out.reused += 1
                    continue
        rec = _Recording(summaries)
        try:
            res = _analyse_function(fn, parsed, summaries, rec, lean)
        except RecursionError:
            res = UnitResult(fn.name, [Finding("CUS-SYNTAX-0002", "error", fn.name_span,
                                               "this function nests deeper than custody analyses")], None, [])
        out.analysed += 1
        if cache is not None:
            cache.put(key, (fn.span.start, res, tuple(rec.read.items())))
        out.units.append(res)
    for st in parsed.structs:
        out.findings.extend(struct_lints(st, config))
    for u in out.units:
        out.findings.extend(u.findings)
        if u.model is not None:
            out.model.functions.append(u.model)
    out.findings = suppressed(data, out.findings, None)
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
