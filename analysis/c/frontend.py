"""C (AgeRun's ownership conventions, docs/c.md) behind the front-end contract
(analysis/frontend.py): an adapter over analysis/c's parser, summaries, lowering and lints, so
the engine, the server and the CLI serve `.c`/`.h` files without knowing C.
"""
from __future__ import annotations

import os
import re

from ..frontend import CallSummary, Checked, FrontEnd, Location, Symbol, Unit, Vocabulary
from ..source import LineIndex, Span
from ..incremental import UnitCache, check_units
from . import check
from .check import CAnalysis
from . import navigation
from .codes import CODES
from .summaries import carry_summaries, Summaries, Workspace
from .syntax import new_parser, parse

_STATES = {
    "owned": "owned",
    "maybe-owned": "owned on some paths",
    "transferred": "transferred",
    "destroyed": "destroyed",
    "null": "NULL (holds nothing)",
    "unknown": "state unknown to custody",
    "borrowed": "borrowed (ref_/mut_)",
    "copy": "a plain value",
    "view": "borrowed",
}
_PASSING = {
    "transfers": "transfers (always)",
    "transfers_on_success": "transfers on success",
    "destroys": "destroys",
    "lends": "lends",
    "reads": "reads",
    "unknown": "passed to something custody cannot see",
}
C_KEYWORDS = frozenset("""auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void
volatile while _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert
_Thread_local bool true false NULL""".split())


class CSession:
    def __init__(self, module_roots, overlay: dict):
        self.module_roots = list(module_roots)
        self.overlay = overlay
        self.workspace = Workspace(overlay, module_roots)
        self.last: dict = {}          # path -> SummaryCarry of its previous check
        self.parser = new_parser()    # the documents' (indexing has its own: it may run apart)
        self.parsed: dict = {}        # path -> its last ParsedC, for documents parsed incrementally
        self.alone_parser = new_parser()   # the keystroke fast path's one-function parses (patch.py)
        self.whole_parser = new_parser()   # its postponed whole-document reparses

    def refreshed(self, path: str | None) -> Workspace:
        """The workspace as a check of `path` must see it: its directory and the module roots
        indexed, the editor's other open files read (a change moves `workspace.generation`)."""
        ws = self.workspace
        if path:
            ws.index_dir(os.path.dirname(os.path.abspath(path)))
        for r in self.module_roots:
            ws.index_dir(r, recursive=True)
        ws.refresh_overlay(skip=os.path.abspath(path) if path else None)
        return ws


class CFrontEnd(FrontEnd):
    name = "c"
    title = "C"
    suffixes = (".c", ".h")
    language_ids = ("c",)
    vocabulary = Vocabulary("c", _STATES, _PASSING, re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z"), C_KEYWORDS)
    codes = CODES
    watch_globs = ("**/*.h", "**/*.c", "**/custody.toml")

    # ---- engine --------------------------------------------------------------------------
    def session(self, module_roots, stdlib_root, overlay) -> CSession:
        return CSession(module_roots, overlay)

    def configure(self, session: CSession, module_roots, stdlib_root) -> None:
        session.module_roots = list(module_roots)
        session.workspace.module_roots = list(module_roots)
        for r in module_roots:
            session.workspace.index_dir(r, recursive=True)

    def summaries(self, session: CSession, path: str | None, parsed=None) -> Summaries:
        return Summaries(session.refreshed(path), path, parsed)

    def parse(self, session: CSession, path, data: bytes, old_tree=None, dirty=None):
        previous = session.parsed.pop(path, None) if path else None
        parsed = parse(path, data, old_tree, session.parser, previous, dirty)
        if path and old_tree is not None:    # an editor's document (a batch check keeps nothing)
            session.parsed[path] = parsed
            if len(session.parsed) > 64:
                session.parsed.pop(next(iter(session.parsed)))
        return parsed

    def patch(self, session: CSession, previous, data, old_tree, dirty, cache, lean):
        from .patch import patch
        return patch(self, session, previous, data, old_tree, dirty, cache, lean)

    def line_index(self, parsed) -> LineIndex:
        return parsed.index

    def analyse(self, session: CSession, parsed, lean: bool, workers: int) -> Checked:
        """The whole document, without reusing earlier results (the engine checks through
        `begin` and keeps the per-unit results itself)."""
        return check_units(self, self.begin(session, parsed, lean), UnitCache(), workers)

    # ---- incremental (analysis/incremental.py drives these) --------------------------------
    def begin(self, session: CSession, parsed, lean: bool):
        summaries = self.summaries(session, parsed.path, parsed)
        carry, stood = carry_summaries(session.last, parsed, summaries)
        ctx = check.begin(parsed, summaries, lean, lambda u: Unit(*u))
        ctx.stood_before, ctx.stood = stood, carry.stood
        return ctx

    def work_units(self, ctx) -> list[Unit]:
        return ctx.units

    def context_key(self, ctx):
        return check.context_key(ctx)

    def still_valid(self, ctx, deps) -> bool:
        return check.still_valid(ctx, deps)

    def analyse_units(self, ctx, units, workers: int) -> list:
        return check.analyse_units(ctx, units)

    def finish(self, ctx, results, counts) -> Checked:
        result = check.finish(ctx, results, counts)
        result.summaries = ctx.summaries
        parsed = ctx.parsed
        return Checked(self, parsed, result, result.findings, None if ctx.lean else result.model, parsed.tree)

    # ---- across files --------------------------------------------------------------------
    def provides(self, checked: Checked) -> str | None:
        p = checked.parsed.path
        return os.path.basename(p) if p and p.endswith(".h") else None

    def requires(self, checked: Checked) -> tuple[str, ...]:
        tree = checked.parsed.tree
        if tree is None:
            return ()
        out = []
        for n in tree.root_node.children:
            if n.type == "preproc_include":
                p = n.child_by_field_name("path")
                if p is not None:
                    out.append(os.path.basename(p.text.decode("utf-8", "replace").strip('"<>')))
        return tuple(out)

    def exported(self, checked: Checked):
        return tuple((f.name, f.signature, f.doc) for f in checked.parsed.functions if not f.is_static)

    def index_file(self, session: CSession, path: str) -> None:
        session.workspace.index_file(path)

    # ---- navigation ----------------------------------------------------------------------
    def calls(self, checked: Checked):
        return checked.analysis.calls if isinstance(checked.analysis, CAnalysis) else []

    def call_summary(self, call) -> CallSummary:
        s = call.summary
        if s is None:
            return CallSummary(None, (), "")
        args = tuple(call.modes)
        where = f"declared in {s.origin}" if s.origin not in ("builtin",) else "AgeRun heap macro / C library"
        facts = []
        if s.returns not in ("none",):
            facts.append(f"returns {s.returns} ({s.returns_origin})")
        for p in s.params:
            if p.consumes:
                facts.append(f"`{p.name}` {'destroyed' if p.destroys else 'consumed ' + p.consumes.replace('_', ' ')}"
                             f" ({p.origin})")
        return CallSummary(s.signature, args, where + ("; " + "; ".join(facts) if facts else ""))

    def outline(self, checked: Checked) -> list[Symbol]:
        p = checked.parsed
        out = []
        for f in p.functions:
            if f.body is None and any(g.name == f.name and g.body is not None for g in p.functions):
                continue
            out.append(Symbol(f.name, "function", f.span, f.name_span, f.signature,
                              bindings_of=f.name if f.body is not None else None))
        for st in p.structs:
            out.append(Symbol(st.name, "record", st.span, st.name_span, None,
                              tuple(Symbol(n, "field", sp, sp, ty) for n, sp, ty, _ in st.fields)))
        out.sort(key=lambda s: s.span.start)
        return out

    def function_names(self, checked: Checked) -> list[Span]:
        return [f.name_span for f in checked.parsed.functions]

    def parameters(self, checked: Checked) -> set[Span]:
        return {p.name_span for f in checked.parsed.functions for p in f.params if p.name_span is not None}

    def definition(self, checked: Checked, offset: int, summaries) -> list[Location]:
        return navigation.definition(checked, self.calls(checked), offset, summaries)

    def references(self, checked: Checked, offset: int, include_declaration: bool, summaries) -> list[Location]:
        return navigation.references(checked, self.calls(checked), offset, include_declaration, summaries)
