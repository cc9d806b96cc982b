"""Janus behind the front-end contract (analysis/frontend.py): `.jan` files, languageId `janus`.

Parsed with custody's tree-sitter grammar (`grammar/janus`, incrementally: the document's
previous tree comes back edited) and read into records by syntax.py. Checked unit by unit (a
function each, analysis/incremental.py): a function's result is keyed on its text and on the
context key (the file's signatures, profile, ownership syntax and J3 setting); a keystroke inside
one top-level body takes the fast path of patch.py (that function parsed alone).
"""
from __future__ import annotations

import os
import re

from ..frontend import CallSummary, Checked, FrontEnd, Location, Symbol, Unit, Vocabulary
from ..incremental import UnitCache, check_units
from ..source import LineIndex, Span
from . import check
from .check import JanusAnalysis
from .codes import CODES
from .config import ConfigCache
from .syntax import KEYWORDS, MAX_BYTES, new_parser, read_module

_STATES = {
    "owned": "owned (tracked: a `~T` linear value, an `owned` parameter or moved with `move`)",
    "moved": "moved",
    "maybe-moved": "moved on some paths (an access is an error)",
    "view": "borrowed",
    "unknown": "not tracked by custody",
    "dropped": "out of scope",
    "copy": "not tracked (no ownership syntax)",
}
_PASSING = {
    "moves": "moves it (`move`, an `owned`/`~T` parameter, or a linear value handed on)",
    "borrows": "lends it (`&`/`&mut` parameter)",
    "reads": "passes it by value: a logical copy (not tracked)",
    "unknown": "passed to a function custody cannot see (a linear `~T` argument is consumed)",
}


class JanusSession:
    def __init__(self, module_roots, stdlib_root, overlay):
        self.overlay = overlay
        self.config = ConfigCache(overlay)
        self._parsers: dict = {}

    def parser(self, role: str):
        """The session's parser for whole documents ("whole") or for one function on its own
        ("alone": patch.py gives it included ranges)."""
        p = self._parsers.get(role)
        if p is None:
            p = self._parsers[role] = new_parser()
        return p


class JanusFrontEnd(FrontEnd):
    name = "janus"
    title = "Janus"
    suffixes = (".jan",)
    language_ids = ("janus",)
    vocabulary = Vocabulary("janus", _STATES, _PASSING, re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z"), KEYWORDS)
    codes = CODES
    watch_globs = ("**/custody.toml",)

    # ---- engine --------------------------------------------------------------------------
    def session(self, module_roots, stdlib_root, overlay) -> JanusSession:
        return JanusSession(module_roots, stdlib_root, overlay)

    def configure(self, session, module_roots, stdlib_root) -> None:
        pass

    def summaries(self, session, path):
        return None

    def parse(self, session, path, data: bytes, old_tree=None, dirty=None):
        path = os.path.abspath(path) if path else None
        if len(data) > MAX_BYTES:
            return read_module(path, data)
        whole = session.parser("whole")
        tree = whole.parse(data, old_tree) if old_tree is not None else whole.parse(data)
        return read_module(path, data, tree)

    def line_index(self, parsed) -> LineIndex:
        return parsed.index

    def analyse(self, session, parsed, lean: bool, workers: int) -> Checked:
        return check_units(self, self.begin(session, parsed, lean), UnitCache(), workers)

    # ---- incremental ---------------------------------------------------------------------
    def begin(self, session: JanusSession, parsed, lean: bool):
        return check.begin(parsed, session.config.for_file(parsed.path), lean, lambda u: Unit(*u))

    def work_units(self, ctx) -> list[Unit]:
        return ctx.units

    def context_key(self, ctx):
        return ctx.key

    def still_valid(self, ctx, deps) -> bool:
        return True

    def analyse_units(self, ctx, units, workers: int) -> list:
        return check.analyse_units(ctx, units)

    def finish(self, ctx, results, counts) -> Checked:
        analysis = check.finish(ctx, results, counts)
        return Checked(self, ctx.module, analysis, analysis.findings, analysis.model, ctx.module.tree)

    def patch(self, session: JanusSession, previous, data, old_tree, dirty, cache, lean):
        from .patch import patch
        return patch(self, session, previous, data, old_tree, dirty, cache, lean)

    # ---- across files --------------------------------------------------------------------
    def provides(self, checked: Checked):
        return None

    def requires(self, checked: Checked):
        return ()

    def exported(self, checked: Checked):
        return ()

    def index_file(self, session, path: str) -> None:
        pass

    # ---- navigation ----------------------------------------------------------------------
    def calls(self, checked: Checked):
        return checked.analysis.calls if isinstance(checked.analysis, JanusAnalysis) else []

    def call_summary(self, call) -> CallSummary:
        if call.target is None:
            return CallSummary(None, tuple(call.modes), "")
        return CallSummary(call.target.signature, tuple(call.modes), "declared in this file")

    def outline(self, checked: Checked) -> list[Symbol]:
        m = checked.parsed
        kinds = {"struct": "record", "union": "record", "enum": "enum", "trait": "object", "impl": "object"}
        out = []
        members: dict = {}
        for f in m.functions:
            sym = Symbol(f.name, "function", f.span, f.name_span, f.signature,
                         bindings_of=f.name if f.has_body else None)
            if f.container is None:
                out.append(sym)
            else:
                members.setdefault(f.container, []).append(sym)
        for d in m.decls:
            if d.kind == "import_c":
                continue
            kids = tuple(s for s in members.pop(d.name, []) if d.span.covers(s.span))
            out.append(Symbol(d.name, kinds.get(d.kind, "object"), d.span, d.name_span, d.kind, kids))
        for rest in members.values():
            out.extend(rest)
        out.sort(key=lambda s: s.span.start)
        return out

    def function_names(self, checked: Checked) -> list[Span]:
        return [f.name_span for f in checked.parsed.functions]

    def parameters(self, checked: Checked) -> set[Span]:
        return {p.span for f in checked.parsed.functions for p in f.params}

    def _target_at(self, checked: Checked, offset: int):
        for c in self.calls(checked):
            if c.target is not None and c.head_span.start <= offset <= c.head_span.end:
                # the current declaration (a cached unit's call may hold an earlier parse's)
                return next((f for f in checked.parsed.functions
                             if (f.name, f.container) == (c.target.name, c.target.container)), None)
        for f in checked.parsed.functions:
            if f.name_span.start <= offset <= f.name_span.end:
                return f
        return None

    def definition(self, checked: Checked, offset: int, summaries) -> list[Location]:
        f = self._target_at(checked, offset)
        return [Location(None, f.name_span)] if f is not None else []

    def references(self, checked: Checked, offset: int, include_declaration: bool, summaries) -> list[Location]:
        f = self._target_at(checked, offset)
        if f is None:
            return []
        out = [Location(None, c.head_span) for c in self.calls(checked) if c.target is not None
               and (c.target.name, c.target.container) == (f.name, f.container)]
        if include_declaration:
            out = [Location(None, f.name_span)] + out
        return out
