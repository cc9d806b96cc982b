"""Analysing one parsed X07 module: every function (and `solve`) is lowered to the ownership
IR, run through the checkers and X07's lints; fix requests become edits in the file's form.

The engine keeps the per-declaration results (analysis/incremental.py); this module says what
X07 needs for that: a result stands while every callee keeps the signature it was analysed
against, and a declaration that only moved (an edit above it) gets its result moved.
"""
from __future__ import annotations

import hashlib
import os
from functools import partial
from itertools import repeat
from dataclasses import dataclass, field

from ..findings import Finding
from ..forked import fork_map, usable_cpus
from ..incremental import LazyMap, UnitCache, UnitResult, check_units
from ..ownership.escapes import check_escapes
from ..ownership.flow import run_flow
from ..ownership.model import OwnershipMap, UnitsOwnershipMap, build_model
from ..source import Span
from .document import ParsedSource
from .fix_edits import FixRenderer
from .lints import lint
from .lower import lower_function
from .module import FUNCTION_KINDS, Decl
from .signatures import ModuleResolver, SignatureTable


FunctionResult = UnitResult     # one function's (or solve's) result (analysis/incremental.py)


@dataclass
class ModuleAnalysis:
    findings: list[Finding] = field(default_factory=list)
    model: OwnershipMap = field(default_factory=OwnershipMap)
    functions: list[FunctionResult] = field(default_factory=list)
    sig_key: object = None   # the declarations' headers and imports its signature table is for
    reused: int = 0          # functions taken from the cache
    analysed: int = 0        # functions analysed afresh


def _sig_key(sig):
    if sig is None:
        return None
    return (sig.params, sig.result, sig.view_of, sig.needs_ident_owner, sig.mutates, sig.literal_args, sig.reads, sig.origin)


# the per-declaration results are kept by the engine's cache (analysis/incremental.py)
FunctionCache = UnitCache


_UNSEEN = object()


class _KeyedSignatures:
    """A module's SignatureTable plus the comparable key of each head's signature (memoised:
    validating a cached function compares its callees' keys)."""

    def __init__(self, sigs: SignatureTable):
        self.sigs = sigs
        self._keys: dict[str, object] = {}

    def key(self, head: str):
        try:
            return self._keys[head]
        except KeyError:
            k = self._keys[head] = _sig_key(self.sigs.lookup(head))
            return k

    def unchanged(self, heads: tuple, keys: tuple) -> bool:
        """Do these heads still have these signature keys? (the hot path of every cache hit)"""
        now = tuple(map(self._keys.get, heads, repeat(_UNSEEN, len(heads))))
        if now == keys:
            return True
        if _UNSEEN not in now:
            return False
        return tuple(map(self.key, heads)) == keys


class _RecordingSignatures:
    """A SignatureTable that remembers every head looked up: the function's dependencies."""

    def __init__(self, keyed: _KeyedSignatures):
        self._keyed = keyed
        self.seen: dict[str, object] = {}

    def lookup(self, name: str):
        self.seen[name] = self._keyed.key(name)
        return self._keyed.sigs.lookup(name)


def analyse_function(parsed: ParsedSource, sigs, name, span, name_span, params, result, body,
                     lean: bool = False) -> FunctionResult:
    """lean: findings only (batch mode): no ownership map, no occurrences, no call facts kept."""
    low = lower_function(name, span, name_span, params, result, body, sigs, lean)
    flow = run_flow(low.fn, record=not lean)
    findings = list(low.findings) + flow.findings
    findings += check_escapes(low.fn)
    reported = {f.span for f in findings if f.code == "X07-MOVE-0001"}
    findings += lint(low, reported)
    if findings:
        renderer = FixRenderer(parsed.form, body, low.fn)
        for f in findings:
            renderer.render(f)
    if lean:
        return FunctionResult(name, findings, None, [])   # type: ignore[arg-type]
    return FunctionResult(name, findings, build_model(low.fn, flow), low.calls)


def made_map(sigs, name, span, name_span, unit) -> tuple:
    """(ownership map, call facts) of one function (or solve) as `analyse_function` makes them in
    a full check: for a result whose map is made when first read (LazyMap). `sigs`: the signature
    table the function was analysed with (its callees' signatures as they were then)."""
    body, params, result = _parts(unit)
    low = lower_function(name, span, name_span, params, result, body, sigs, False)
    model = build_model(low.fn, run_flow(low.fn, record=True))
    if body is not None:
        body.release()
    return model, low.calls


def _parts(unit) -> tuple:
    """(body, params, result type) of a declaration, or of solve's value (which is its body)."""
    if isinstance(unit, Decl):
        return unit.body, unit.params, unit.result
    return unit, [], "bytes"


def _spare_cpus() -> int:
    """The usable CPUs that other processes leave free, by the load average (at least 1): a
    split costs ~7% more CPU in all (the fork, the children's copy-on-write faults), which pays
    only when another core is idle. (The load counts this process when it is busy too.)"""
    cpus = usable_cpus()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        return 1
    return max(1, min(cpus, int(cpus - load + 1.5)))     # 2 CPUs: split while the load is below 1.5


# A full (non-batch) check that analyses at least this many functions at once (opening a big
# file) analyses them for their findings only and makes each one's ownership map and call facts
# when something first reads them (a hover, inlay hints; or `UnitsOwnershipMap.make_pending` in
# idle time): the diagnostics need only the findings, and the maps of every function of a big
# file are most of its memory. The price: the first read of a function's map makes it (lowering
# and flow again, about 1 ms for a 25-line function). Until then each result holds its
# declaration (and through it the text of that version). A check of fewer (a keystroke, a small
# file) makes them at once: the cache keeps every keystroke's result of the edited function, and
# those must not each hold a version of the whole text.
LAZY_MIN_FUNCTIONS = 600

# ... and when it analyses at least this many, they are split among the CPUs other processes
# leave free (`_spare_cpus`), as in batch mode (`forked.fork_map`: only the findings travel back;
# the maps are made here when read). The fork is done by the thread that runs the check (the
# language server's event loop), and each child leaves by `os._exit` without returning to it.
LAZY_PARALLEL_MIN_FUNCTIONS = 600


# Batch mode forks workers for a file with at least this many functions to analyse: below it a
# fork (and pickling results back) costs more than the second core saves.
PARALLEL_MIN_FUNCTIONS = 2000
# ... and cuts them into this many pieces per worker, handed out as the workers become free
# (forked.fork_map): a worker slowed down by other jobs on its core takes fewer.
SHARED_PIECES = 32


@dataclass
class X07Context:
    """One check of one X07 document (what analysis/incremental.py hands back)."""

    parsed: ParsedSource
    keyed: "_KeyedSignatures | None"
    lean: bool
    parallel_min: int
    units: list                        # analysis.frontend.Unit per analysable function
    by_span: dict                      # unit span -> (name, span, name span, Decl or solve's value)
    sig_key: object = None             # what the signature table is for (headers, imports)
    lazy_min: int = LAZY_MIN_FUNCTIONS  # analysing this many functions or more: maps made when read
    lazy_parallel_min: int = LAZY_PARALLEL_MIN_FUNCTIONS   # ... and split among the CPUs


def begin(parsed: ParsedSource, resolver: ModuleResolver | None, lean: bool, make_unit,
          parallel_min: int = PARALLEL_MIN_FUNCTIONS, carry: dict | None = None) -> X07Context:
    """carry: path -> the signature table of the document's previous check, taken over while every
    declaration's header and every import's signatures are what they were (typing inside a body:
    the callees' signature keys memoised last time still hold, so cached results validate by one
    tuple comparison each)."""
    ctx = X07Context(parsed, None, lean, parallel_min, [], {}, lazy_min=LAZY_MIN_FUNCTIONS,
                     lazy_parallel_min=LAZY_PARALLEL_MIN_FUNCTIONS)
    if parsed.module is None:
        return ctx
    module = parsed.module
    imported = [(mid, resolver.signatures(mid)) for mid, _span in module.imports] if resolver is not None else []
    key = (tuple(d.header for d in module.decls), tuple((mid, id(sigs) if sigs else None) for mid, sigs in imported))
    ctx.sig_key = key
    prev = carry.get(parsed.path) if carry is not None else None
    if prev is not None and prev[0] == key:
        ctx.keyed = prev[1]
    else:
        ctx.keyed = _KeyedSignatures(SignatureTable(module, parsed.path, resolver, imported))
        if carry is not None:
            carry.pop(parsed.path, None)
            carry[parsed.path] = (key, ctx.keyed, imported)      # (the dicts held: their ids stay theirs)
            if len(carry) > 64:
                carry.pop(next(iter(carry)))
    for d in module.decls:
        # (params and the like are read when the function is analysed: a declaration moved by a
        # keystroke moves them only then)
        if d.kind in FUNCTION_KINDS and d.name and d.has_body and not d.spoiled:
            span = d.value.span
            digest = d.digest if d.digest is not None \
                else hashlib.blake2b(parsed.data[span.start:span.end], digest_size=16).digest()
            name_span = d.name_span or span
            ctx.units.append(make_unit(d.name, d.kind, span, name_span, (parsed.form, d.name, digest)))
            ctx.by_span[span] = (d.name, span, name_span, d)
    if module.solve is not None and not module.solve_spoiled:
        entry = module.root.entry("solve") if module.root is not None else None
        span = Span(entry.key_span.start, module.solve.span.end) if entry else module.solve.span
        name_span = entry.key_span if entry else module.solve.span
        digest = hashlib.blake2b(parsed.data[span.start:span.end], digest_size=16).digest()
        ctx.units.append(make_unit("solve", "solve", span, name_span, (parsed.form, "solve", digest)))
        ctx.by_span[span] = ("solve", span, name_span, module.solve)
    return ctx


class Units:
    """X07's answers to analysis/incremental.py: a cached result stands while every callee still
    has the signature it was analysed against; results move with their declaration."""

    @staticmethod
    def work_units(ctx: X07Context) -> list:
        return ctx.units

    @staticmethod
    def context_key(ctx: X07Context):
        return ctx.lean

    @staticmethod
    def still_valid(ctx: X07Context, deps) -> bool:
        return ctx.keyed.unchanged(*deps)

    @staticmethod
    def analyse_units(ctx: X07Context, units: list, workers: int) -> list:
        """workers > 1 (lean only): a file with at least `parallel_min` functions to analyse is
        split among that many processes (`forked.fork_map`); same results, same order. A full
        check of at least `lazy_parallel_min` functions (maps made when read) is split among the
        usable CPUs."""
        todo = [(i, None, ctx.by_span[u.span]) for i, u in enumerate(units)]
        lazy = not ctx.lean and len(todo) >= ctx.lazy_min
        lean = ctx.lean or lazy
        if lazy and len(todo) >= ctx.lazy_parallel_min:
            workers = max(workers, _spare_cpus())
        if lean and workers > 1 and len(todo) >= (ctx.parallel_min if ctx.lean else ctx.lazy_parallel_min):
            # batch mode: many smaller pieces, each taken by whichever process is free
            pieces, shared = (_split(todo, workers * SHARED_PIECES), workers) if ctx.lean else (_split(todo, workers), None)
            done = [r for piece in fork_map(partial(_analyse_units, ctx.parsed, ctx.keyed, lean), pieces, shared)
                    for r in piece]
        else:
            done = _analyse_units(ctx.parsed, ctx.keyed, lean, todo)
        keyed = ctx.keyed
        if lazy:
            sigs = keyed.sigs
            for (_, _, unit), got in zip(todo, done):
                if got is not None:
                    got[0].make_lazily(LazyMap(partial(made_map, sigs, *unit), unit[1]))
        return [None if got is None else (got[0], (got[1], got[2])) for got in done]

    @staticmethod
    def finish(ctx: X07Context, results: list, counts) -> ModuleAnalysis:
        out = ModuleAnalysis(findings=list(ctx.parsed.findings), sig_key=ctx.sig_key)
        out.functions = list(results)
        out.reused, out.analysed = counts.reused, counts.analysed
        for res in out.functions:
            out.findings.extend(res.findings)
        out.model = UnitsOwnershipMap(out.functions)
        out.findings.sort(key=Finding.sort_key)
        return out


def analyse(parsed: ParsedSource, resolver: ModuleResolver | None = None, cache: UnitCache | None = None,
            lean: bool = False, workers: int = 1, parallel_min: int = PARALLEL_MIN_FUNCTIONS,
            lazy_min: int = LAZY_MIN_FUNCTIONS,
            lazy_parallel_min: int = LAZY_PARALLEL_MIN_FUNCTIONS) -> ModuleAnalysis:
    """The whole module through the engine's per-unit machinery (analysis/incremental.py), with
    `cache` (or none). lean: findings only (see `analyse_function`). lazy_min: see
    LAZY_MIN_FUNCTIONS."""
    from ..frontend import Unit
    ctx = begin(parsed, resolver, lean, Unit, parallel_min)
    ctx.lazy_min, ctx.lazy_parallel_min = lazy_min, lazy_parallel_min
    return check_units(Units, ctx, cache if cache is not None else UnitCache(), workers)


def _analyse_units(parsed: ParsedSource, keyed: _KeyedSignatures, lean: bool, todo: list) -> list:
    """(result, heads of the signatures it read, their keys) per function of `todo`; None for one
    without a body. (The keys are computed where the function was analysed: a forked worker's
    come back with its results, instead of each being looked up again after the merge.)"""
    done = []
    for _, _, (name, span, name_span, unit) in todo:
        body, params, result = _parts(unit)
        if body is None:
            done.append(None)
            continue
        recording = _RecordingSignatures(keyed)
        res = analyse_function(parsed, recording, name, span, name_span, params, result, body, lean)
        body.release()   # a deferred body is built again if anything looks inside it later
        seen = recording.seen
        done.append((res, tuple(seen), tuple(seen.values())))
    return done


def _split(todo: list, n: int) -> list[list]:
    """`todo` cut into n consecutive pieces of about the same number of source bytes."""
    total = sum(u[1].end - u[1].start for _, _, u in todo) or 1
    pieces: list[list] = [[] for _ in range(n)]
    seen = 0
    for item in todo:
        span = item[2][1]
        pieces[min(n - 1, seen * n // total)].append(item)
        seen += span.end - span.start
    return [p for p in pieces if p]
