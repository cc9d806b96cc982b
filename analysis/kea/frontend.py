"""Kea behind the front-end contract (analysis/frontend.py): `.kea` files, languageId `kea`.

Checked unit by unit (a function each, analysis/incremental.py): auto-borrow (K9) is a
module-wide fixpoint, so a function's result is keyed on its text and on the context key —
the module's declarations without bodies and every borrow position it can call. A keystroke in
a body that leaves every borrow position as it was re-analyses that function alone; one that
changes a position re-analyses the module. The fixpoint's trials are remembered by what they
read (check.Workspace.trials), so re-running it after a keystroke lowers only the edited
function.
"""
from __future__ import annotations

import os
import re

from ..frontend import CallSummary, Checked, FrontEnd, Location, Symbol, Vocabulary
from ..source import LineIndex, Span
from ..frontend import Unit
from ..incremental import UnitCache, check_units
from . import check
from .check import KeaAnalysis, Workspace
from .codes import CODES
from .module import module_path_of, parser, read_module, span, text

_STATES = {
    "owned": "owned (a `Unique` value)",
    "moved": "moved",
    "maybe-moved": "moved on some paths",
    "view": "borrowed: read-only here (a `borrow` parameter)",
    "unknown": "not tracked by custody",
    "dropped": "out of scope",
    "copy": "not tracked (not `Unique`)",
}
_PASSING = {
    "moves": "moves it (the callee consumes it)",
    "borrows": "borrowed: read-only here",
    "reads": "passes a value that is not `Unique` (not tracked)",
    "unknown": "passed to a callee custody cannot resolve (a `Unique` argument is moved)",
}
KEA_KEYWORDS = frozenset("""fn pub let if else case cond use as with handle then resume borrow effect enum
struct type alias opaque trait impl where for in true false not and or unsafe fail catch test expr
return""".split())


class KeaSession:
    def __init__(self, module_roots, stdlib_root, overlay):
        self.workspace = Workspace(module_roots, stdlib_root, overlay)
        self.alone_parser = None     # the keystroke patch's one-function parses (patch.py)
        self.whole_parser = None     # its postponed whole-document reparses


class KeaFrontEnd(FrontEnd):
    name = "kea"
    title = "Kea"
    suffixes = (".kea",)
    language_ids = ("kea",)
    vocabulary = Vocabulary("kea", _STATES, _PASSING, re.compile(r"[a-z_][A-Za-z0-9_]*\Z"), KEA_KEYWORDS,
                            "use a lower-case letter or _, then letters, digits and _")
    codes = CODES
    watch_globs = ("**/*.kea",)

    # ---- engine --------------------------------------------------------------------------
    def session(self, module_roots, stdlib_root, overlay) -> KeaSession:
        return KeaSession(module_roots, stdlib_root, overlay)

    def configure(self, session: KeaSession, module_roots, stdlib_root) -> None:
        session.workspace.roots = list(module_roots)
        session.workspace.stdlib_root = stdlib_root
        session.workspace.borrow.clear()

    def summaries(self, session: KeaSession, path):
        return session.workspace

    def parse(self, session: KeaSession, path, data: bytes, old_tree=None, dirty=None):
        tree = parser().parse(data, old_tree) if old_tree is not None else parser().parse(data)
        return read_module(os.path.abspath(path) if path else None, data, tree)

    def line_index(self, parsed) -> LineIndex:
        return parsed.index

    def analyse(self, session: KeaSession, parsed, lean: bool, workers: int) -> Checked:
        """The whole document, reusing nothing (the engine checks through `begin`)."""
        return check_units(self, self.begin(session, parsed, lean), UnitCache(), workers)

    # ---- incremental (analysis/incremental.py drives these) --------------------------------
    def begin(self, session: KeaSession, parsed, lean: bool):
        return check.begin(session.workspace, parsed, lean, lambda u: Unit(*u))

    def work_units(self, ctx) -> list[Unit]:
        return ctx.units

    def context_key(self, ctx):
        return check.context_key(ctx)

    def still_valid(self, ctx, deps) -> bool:
        return True          # everything a result reads is in its unit key and the context key

    def analyse_units(self, ctx, units, workers: int) -> list:
        return check.analyse_units(ctx, units)

    def patch(self, session: KeaSession, previous, data, old_tree, dirty, cache, lean):
        from .patch import patch
        return patch(self, session, previous, data, old_tree, dirty, cache, lean)

    def finish(self, ctx, results, counts) -> Checked:
        analysis = check.finish(ctx, results, counts)
        parsed = ctx.module
        return Checked(self, parsed, analysis, analysis.findings, analysis.model, parsed.tree)

    # ---- across files --------------------------------------------------------------------
    def provides(self, checked: Checked):
        p = checked.parsed.path
        return module_path_of(p, []) if p else None

    def requires(self, checked: Checked):
        return tuple(u.module for u in checked.parsed.uses)

    def exported(self, checked: Checked):
        a = checked.analysis
        borrow = a.info.own_borrow if isinstance(a, KeaAnalysis) and a.info else {}
        return tuple((f.name, f.signature, tuple(sorted(borrow.get(f.name, ()))))
                     for f in checked.parsed.functions)

    def index_file(self, session: KeaSession, path: str) -> None:
        session.workspace.module(os.path.abspath(path))

    # ---- navigation ----------------------------------------------------------------------
    def calls(self, checked: Checked):
        return checked.analysis.calls if isinstance(checked.analysis, KeaAnalysis) else []

    def call_summary(self, call) -> CallSummary:
        t = call.target
        if t is None:
            return CallSummary(None, tuple(call.modes), "")
        where = "declared in this file" if not t.module else f"declared in module {t.module}"
        return CallSummary(t.fn.signature, tuple(call.modes), where)

    def outline(self, checked: Checked) -> list[Symbol]:
        m = checked.parsed
        out = [Symbol(f.name, "function", f.span, f.name_span, f.signature,
                      bindings_of=f.name if f.body is not None else None) for f in m.functions]
        for d in m.tree.root_node.named_children:
            n = d.child_by_field_name("name")
            if n is None:
                continue
            if d.type == "struct_declaration":
                out.append(Symbol(text(n), "record", span(d), span(n)))
            elif d.type == "enum_declaration":
                body = d.child_by_field_name("body")
                kids = tuple(Symbol(text(v.child_by_field_name("name")), "variant", span(v),
                                    span(v.child_by_field_name("name")))
                             for v in (body.named_children if body is not None else [])
                             if v.type == "variant" and v.child_by_field_name("name") is not None)
                out.append(Symbol(text(n), "enum", span(d), span(n), None, kids))
            elif d.type == "effect_declaration":
                out.append(Symbol(text(n), "object", span(d), span(n), "effect"))
        out.sort(key=lambda s: s.span.start)
        return out

    def function_names(self, checked: Checked) -> list[Span]:
        return [f.name_span for f in checked.parsed.functions]

    def parameters(self, checked: Checked) -> set[Span]:
        return {p.span for f in checked.parsed.functions for p in f.params if p.span is not None}

    def _target_at(self, checked: Checked, offset: int):
        """(module, name) of the function whose call, declaration or import is under offset."""
        for c in self.calls(checked):
            if c.target is not None and c.head_span.start <= offset <= c.head_span.end:
                return c.target.module, c.target.name, c.target
        for f in checked.parsed.functions:
            if f.name_span.start <= offset <= f.name_span.end:
                return "", f.name, None
        for u in checked.parsed.uses:
            for name, sp in u.items:
                if sp.start <= offset <= sp.end:
                    return u.module, name, None
        return None

    def _location(self, checked: Checked, module: str, name: str, summaries) -> list[Location]:
        m = checked.parsed
        if module:
            a = checked.analysis
            info = a.info.imports.get(module) if isinstance(a, KeaAnalysis) and a.info else None
            if info is None:
                return []
            m = info.module
        f = m.function(name)
        if f is None:
            return []
        if m is checked.parsed:
            return [Location(None, f.name_span)]
        return [Location(m.path, f.name_span, m.index)]

    def definition(self, checked: Checked, offset: int, summaries) -> list[Location]:
        got = self._target_at(checked, offset)
        if got is None:
            return []
        return self._location(checked, got[0], got[1], summaries)

    def references(self, checked: Checked, offset: int, include_declaration: bool, summaries) -> list[Location]:
        got = self._target_at(checked, offset)
        if got is None:
            return []
        module, name = got[0], got[1]
        out = [Location(None, c.head_span) for c in self.calls(checked)
               if c.target is not None and (c.target.module, c.target.name) == (module, name)]
        if include_declaration:
            out = self._location(checked, module, name, summaries) + out
        return out
