"""X07 behind the front-end contract (analysis/frontend.py): an adapter over the X07 parser,
checker, module resolver and runner, so the engine and the server never import analysis.x07.

Nothing is computed here that the X07 modules do not already compute; this module only says
which of their objects answer which question of the contract.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..frontend import CallSummary, Checked, FrontEnd, Runnable, Unit, Vocabulary
from ..source import Span
from . import navigation
from .codes import CODES
from . import check
from .check import Units, analyse
from .document import parse_source
from .module import FUNCTION_KINDS, DeclCache
from .signatures import ModuleResolver

_STATES = {
    "owned": "owned",
    "borrowed": "owned, borrowed",
    "view": "a view (borrowed bytes)",
    "copy": "a plain value (copied)",
    "moved": "moved",
    "maybe-moved": "maybe moved",
    "unknown": "state unknown to custody",
    "dropped": "dropped",
}
_PASSING = {"moves": "moves", "borrows": "borrows", "copies": "copies", "literal": "literal",
            "unknown": "unknown"}
_ORIGINS = {"builtin": "X07 builtin", "module": "declared in this module", "import": "imported module",
            "stdlib": "X07 stdlib"}


class X07Session:
    """One engine's X07 state: the declaration cache and the module resolvers (one per
    directory), sharing the signatures read from each module file. (Per-function results are
    the engine's: analysis/incremental.py.)"""

    def __init__(self, module_roots, stdlib_root, overlay: dict):
        self.module_roots = list(module_roots)
        self.stdlib_root = stdlib_root
        self.overlay = overlay
        self.decls = DeclCache()
        self.resolvers: dict = {}
        self.module_signatures: dict = {}   # path -> (stamp, signatures), shared by all resolvers
        self.signature_carry: dict = {}     # path -> its last check's signature table (check.begin)
        self.parsed: dict = {}              # path -> its last parse, for documents parsed incrementally
        self.patch_parsers: dict = {}       # form -> the parser of the keystroke fast path (patch.py)


class X07FrontEnd(FrontEnd):
    name = "x07"
    can_run = True
    title = "X07"
    suffixes = (".x07.json", ".x07t")
    language_ids = ("x07", "x07t", "x07json", "x07-json")
    vocabulary = Vocabulary("x07", _STATES, _PASSING, re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z"),
                            frozenset({"input", "true", "false", "null"}))   # `input`: the entry's runtime view
    codes = CODES                        # analysis/x07/codes.py
    watch_globs = ("**/*.x07t", "**/*.x07.json")

    def suffix_for(self, data: bytes) -> str:
        """x07AST JSON is the .x07.json form; any other text is the .x07t form."""
        try:
            json.loads(data)
        except (ValueError, RecursionError):
            return ".x07t"
        return ".x07.json"

    # ---- engine --------------------------------------------------------------------------
    def session(self, module_roots, stdlib_root, overlay) -> X07Session:
        return X07Session(module_roots, stdlib_root, overlay)

    def configure(self, session: X07Session, module_roots, stdlib_root) -> None:
        session.module_roots = list(module_roots)
        session.stdlib_root = stdlib_root
        session.resolvers.clear()

    def summaries(self, session: X07Session, path: str | None) -> ModuleResolver:
        key = os.path.dirname(os.path.abspath(path)) if path else ""
        r = session.resolvers.get(key)
        if r is None:
            r = ModuleResolver.for_file(path, session.module_roots, session.stdlib_root, session.overlay,
                                        session.module_signatures)
            session.resolvers[key] = r
        return r

    def parse(self, session: X07Session, path, data: bytes, old_tree=None, dirty=None):
        previous = session.parsed.pop(path, None) if path else None
        parsed = parse_source(path, data, old=old_tree, decls=session.decls, previous=previous, dirty=dirty)
        if path and old_tree is not None:    # an editor's document (a batch check keeps nothing)
            session.parsed[path] = parsed
            if len(session.parsed) > 64:
                session.parsed.pop(next(iter(session.parsed)))
        return parsed

    def line_index(self, parsed):
        return parsed.index

    def analyse(self, session: X07Session, parsed, lean: bool, workers: int) -> Checked:
        """The whole document, without reusing earlier results (the engine checks through
        `begin` and keeps the per-unit results itself)."""
        result = analyse(parsed, self.summaries(session, parsed.path), None, lean=lean, workers=workers)
        return Checked(self, parsed, result, result.findings, result.model, parsed.parse.tree)

    # ---- incremental (analysis/incremental.py drives these; check.Units answers) ------------
    def begin(self, session: X07Session, parsed, lean: bool):
        return check.begin(parsed, self.summaries(session, parsed.path), lean, Unit,
                           carry=None if lean else session.signature_carry)

    work_units = staticmethod(Units.work_units)
    context_key = staticmethod(Units.context_key)
    still_valid = staticmethod(Units.still_valid)
    analyse_units = staticmethod(Units.analyse_units)

    def patch(self, session: X07Session, previous, data, old_tree, dirty, cache, lean):
        from .patch import patch
        return patch(self, session, previous, data, old_tree, dirty, cache, lean)

    def finish(self, ctx, results, counts) -> Checked:
        result = Units.finish(ctx, results, counts)
        parsed = ctx.parsed
        return Checked(self, parsed, result, result.findings, result.model, parsed.parse.tree)

    # ---- across files --------------------------------------------------------------------
    def provides(self, checked: Checked) -> str | None:
        from .patch import module_head
        mid = module_head(checked.parsed)[0]
        return mid or None

    def requires(self, checked: Checked) -> tuple[str, ...]:
        from .patch import module_head
        return tuple(mid for mid, _ in module_head(checked.parsed)[1])

    def exported(self, checked: Checked):
        """Each declaration's header."""
        m = checked.parsed.module
        return tuple(d.header for d in m.decls) if m else ()

    def index_file(self, session: X07Session, path: str) -> None:
        self.summaries(session, path).file_signatures(Path(path))

    # ---- navigation ----------------------------------------------------------------------
    def calls(self, checked: Checked):
        return [c for fr in checked.analysis.functions for c in fr.calls]

    def call_summary(self, call) -> CallSummary:
        sig = call.sig
        if sig is None:
            return CallSummary(None, (), "")
        names = list(sig.param_names) or [f"arg{i + 1}" for i in range(len(call.modes))]
        params = []
        for i, ty in enumerate(sig.params):
            params.append("..." if ty == "..." else f"{names[i] if i < len(names) else f'arg{i + 1}'}: {ty}")
        args = tuple((names[i] if i < len(names) else sig.param_type(i) or "arg", m)
                     for i, m in enumerate(call.modes))
        return CallSummary(f"{call.callee}({', '.join(params)}) -> {sig.result}", args,
                           _ORIGINS.get(sig.origin, sig.origin))

    def outline(self, checked: Checked):
        return navigation.outline(checked.parsed.module)

    def function_names(self, checked: Checked) -> list[Span]:
        m = checked.parsed.module
        return [d.name_span for d in m.decls if d.kind in FUNCTION_KINDS and d.name_span is not None] if m else []

    def parameters(self, checked: Checked) -> set[Span]:
        m = checked.parsed.module
        return {p.span for d in m.decls if d.kind in FUNCTION_KINDS for p in d.params} if m else set()

    def definition(self, checked: Checked, offset: int, summaries):
        return navigation.definition(checked.parsed.module, checked.parsed.path, self.calls(checked),
                                     offset, summaries)

    def references(self, checked: Checked, offset: int, include_declaration: bool, summaries):
        return navigation.references(checked.parsed.module, self.calls(checked), offset,
                                     include_declaration, summaries)

    # ---- running ---------------------------------------------------------------------------
    def runnables(self, checked: Checked) -> list[Runnable]:
        """`solve`, and every `defn` that can be an entry point (no parameters, or one
        `bytes_view`, and a `bytes` result)."""
        from custody.runtime.emit_c import can_be_entry

        m = checked.parsed.module
        if m is None:
            return []
        out = []
        if m.solve is not None and m.root is not None:
            entry = m.root.entry("solve")
            out.append(Runnable(None, entry.key_span if entry is not None else m.solve.span))
        for d in m.decls:
            if (d.kind == "defn" and bool(d.name) and d.has_body and not d.spoiled
                    and can_be_entry([p.ty for p in d.params], d.result)):
                out.append(Runnable(d.name, d.name_span or d.value.span))
        return out

    def name_span(self, data: bytes, span: Span) -> Span:
        """x07AST JSON spells a name as a string token: the name is inside the quotes."""
        if span.end - span.start >= 2 and data[span.start:span.start + 1] == b'"' \
                and data[span.end - 1:span.end] == b'"':
            return Span(span.start + 1, span.end - 1)
        return span

    def run(self, path, data, **options):
        """custody.runtime.runner.run_file: check, translate to C, build and run; a RunReport."""
        from custody.runtime.runner import run_file

        return run_file(path, data, **options)
