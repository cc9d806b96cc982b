"""The language front-end contract: what one language supplies so the engine, the server and
the CLI can serve it without knowing which language it is.

Why a contract: custody is meant to check four memory models (X07, AgeRun's C, Kea, Janus) with
one engine and one server. Everything above this line (analysis/engine.py, server/) reads only
the records defined here, the findings (analysis/findings.py) and the ownership map
(analysis/ownership/model.py); everything language-specific stays behind a `FrontEnd`. A new
language is a new folder under analysis/ with a class implementing `FrontEnd`, registered in
analysis/languages.py. If it needs a change in server/ or analysis/ownership/, this contract is
missing something: add it here.

The contract is deliberately only as large as what the server and CLI read today. Parsed
documents, per-language analysis results and summary sources are opaque to the callers: they
are handed back to the front-end that made them, never looked into.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Hashable, Iterable, Mapping, Protocol

from .catalog import CodeInfo
from .findings import Finding
from .ownership.model import OwnershipMap
from .source import LineIndex, Span


@dataclass(frozen=True)
class Unit:
    """A top-level unit of a document (a function, a declaration): what the engine caches and
    invalidates by. `key` identifies its text (a digest), so a unit that only moved keeps its
    results."""

    name: str
    kind: str
    span: Span
    name_span: Span
    key: Hashable
    spoiled: bool = False       # holds a syntax error: not analysed, other units keep theirs


@dataclass(frozen=True)
class Symbol:
    """One entry of the document outline. `kind` is one of SYMBOL_KINDS. `bindings_of`: the
    function whose parameters and locals (read from the ownership map) the outline lists under
    this symbol, None for none."""

    name: str
    kind: str
    span: Span
    name_span: Span
    detail: str | None = None
    children: tuple["Symbol", ...] = ()
    bindings_of: str | None = None


SYMBOL_KINDS = ("module", "function", "record", "enum", "field", "variant", "object")


@dataclass(frozen=True)
class Location:
    """A span in a file; path None means the document asked about. For another file, `index`
    is that file's line index as the front-end read it (to turn the span into lines)."""

    path: str | None
    span: Span
    index: LineIndex | None = field(default=None, compare=False)


@dataclass(frozen=True)
class CallSummary:
    """What a hover tells about a call: the callee's signature as the language writes it (None
    when unknown), how each argument is passed (label, key of `Vocabulary.passing`) and where the
    signature comes from, in words."""

    signature: str | None
    arguments: tuple[tuple[str, str], ...]
    origin: str


@dataclass(frozen=True)
class Runnable:
    """Something the code lens can run: `entry` None is the document's default entry."""

    entry: str | None
    span: Span


@dataclass(frozen=True)
class Vocabulary:
    """The words hovers and rename use for this language."""

    code_language: str                   # fence name of code blocks in hovers ("x07", "c")
    states: Mapping[str, str]            # ownership-map state -> hover words ("moved", "transferred")
    passing: Mapping[str, str]           # how a call passes an argument -> words ("moves", "consumes")
    local_name: re.Pattern               # what a local name may be (rename)
    reserved_names: frozenset[str] = frozenset()
    local_name_rule: str = "use letters, digits and _, not starting with a digit"


class Call(Protocol):
    """A call the analysis saw; front-ends' call facts have at least these."""

    callee: str
    head_span: Span


@dataclass
class Checked:
    """One check of one document: the engine's answer, and everything the server reads.

    `parsed` and `analysis` are the front-end's own objects (opaque to callers; tests of a
    language may look inside). `findings` and `model` are the language-neutral results."""

    language: "FrontEnd"
    parsed: Any
    analysis: Any
    findings: list[Finding]
    model: OwnershipMap | None
    tree: Any                           # the syntax tree to edit and reuse on the next parse

    @property
    def index(self) -> LineIndex:
        """The document's line index (built on first use: a check alone never needs it)."""
        return self.language.line_index(self.parsed)


class FrontEnd(ABC):
    """One language. Methods take the front-end's own `session` (its caches and cross-file
    summary source, one per engine) or a `Checked` it produced."""

    name: str                            # registry key ("x07", "c")
    title: str                           # how messages name the language ("X07", "C")
    suffixes: tuple[str, ...]            # file names ending so are this language's sources
    language_ids: tuple[str, ...]        # LSP languageIds
    vocabulary: Vocabulary
    codes: tuple[CodeInfo, ...]          # its catalog: an entry for every code it can emit (its own,
                                         # and the shared ones of analysis/catalog.py it reports), in
                                         # the order docs/codes.md lists them
    watch_globs: tuple[str, ...] = ()    # files whose change on disk may change summaries

    def suffix_for(self, data: bytes) -> str:
        """The suffix for a text that comes without a file name (an agent's `check` of a text):
        the form it is written in, for a language with several source forms. Default: the
        first suffix."""
        return self.suffixes[0]

    # ---- engine --------------------------------------------------------------------------
    @abstractmethod
    def session(self, module_roots: list[str], stdlib_root: str | None, overlay: dict) -> Any:
        """Per-engine state: unit caches and the summary source. `overlay` maps path ->
        (version, bytes) of documents open in an editor (they win over the disk)."""

    @abstractmethod
    def configure(self, session: Any, module_roots: list[str], stdlib_root: str | None) -> None:
        """New roots: cross-file resolution starts over (cached units stay, re-validated)."""

    @abstractmethod
    def summaries(self, session: Any, path: str | None) -> Any:
        """The cross-file summary source for a file (X07: its module resolver; C: headers)."""

    @abstractmethod
    def parse(self, session: Any, path: str | None, data: bytes, old_tree=None, dirty=None) -> Any:
        """Incremental and error-tolerant: `old_tree` is this document's previous tree, already
        edited to match `data`; `dirty` (analysis.source.Dirty, or None when unknown) says which
        bytes changed since that tree's parse, so units wholly outside it may keep their previous
        objects (C does); a syntax error spoils only the unit holding it."""

    @abstractmethod
    def line_index(self, parsed: Any) -> LineIndex:
        """The parsed document's line index (spans -> lines and UTF-16 columns), made once."""

    @abstractmethod
    def analyse(self, session: Any, parsed: Any, lean: bool, workers: int) -> Checked:
        """Lower each unit to the ownership IR (analysis/ownership/ir.py), run the shared
        checkers and the language's own lints, render fix requests as edits in this language,
        reusing nothing from earlier checks (the engine's reuse goes through `begin`, below; a
        front-end without `begin` may cache here itself). lean: findings only (no ownership
        map)."""

    # ---- incremental (optional): the engine drives per-unit reuse (analysis/incremental.py) --
    # A front-end that implements `begin` is checked unit by unit by the engine: it says which
    # units to analyse and how to tell a cached result still stands; the engine keeps the cache,
    # reuses, moves and stores results. `analyse` then serves only callers that want the whole
    # document analysed without the cache.
    def begin(self, session: Any, parsed: Any, lean: bool) -> Any:
        """A per-check context (the document's summary source, its configuration, the
        document-level findings); None: this front-end does its own caching in `analyse`."""
        return None

    def work_units(self, ctx: Any) -> list[Unit]:
        """The units to analyse, in file order (spoiled units left out)."""
        raise NotImplementedError

    def context_key(self, ctx: Any) -> Hashable:
        """What besides a unit's text its result depends on (configuration)."""
        raise NotImplementedError

    def still_valid(self, ctx: Any, deps: Any) -> bool:
        """Do the summaries a cached result read still say what they said?"""
        raise NotImplementedError

    def analyse_units(self, ctx: Any, units: list[Unit], workers: int) -> list:
        """(result, deps) per unit, in order; None for a unit with nothing to analyse. A result
        is an `analysis.incremental.UnitResult` (the engine moves it when its unit moves)."""
        raise NotImplementedError

    def finish(self, ctx: Any, results: list, counts: Any) -> Checked:
        """The document's answer from its units' results (file order) and the context."""
        raise NotImplementedError

    def patch(self, session: Any, previous: Checked, data: bytes, old_tree, dirty, cache, lean: bool):
        """The fast path of an editor's keystroke: `previous` is this document's last check,
        `dirty` what changed since (analysis.source.Dirty), `old_tree` its tree edited to match.
        A Checked equal to a full check's, in time proportional to the edit (units outside it keep
        their results, moved lazily: analysis.incremental.Segs), or None for the full check."""
        return None

    def unit_counts(self, checked: Checked) -> tuple[int, int] | None:
        """(units whose earlier result this check reused, units it analysed afresh), or None when
        the front-end does not say. Read by the MCP server's `check` (an agent can see its
        repeated checks are incremental). The front-ends checked through `begin` keep the counts
        `finish` (and `patch`) were given on their analysis as `reused` and `analysed`."""
        reused = getattr(checked.analysis, "reused", None)
        analysed = getattr(checked.analysis, "analysed", None)
        if isinstance(reused, int) and isinstance(analysed, int):
            return reused, analysed
        return None

    # ---- across files --------------------------------------------------------------------
    @abstractmethod
    def provides(self, checked: Checked) -> str | None:
        """The name other documents import this one by (None: not importable)."""

    @abstractmethod
    def requires(self, checked: Checked) -> tuple[str, ...]:
        """The names of what this document imports."""

    @abstractmethod
    def exported(self, checked: Checked) -> Hashable:
        """What importers see of the document: when it is unchanged, importers stay valid."""

    @abstractmethod
    def index_file(self, session: Any, path: str) -> None:
        """Read one workspace file's summaries ahead of need (background indexing)."""

    # ---- navigation ----------------------------------------------------------------------
    @abstractmethod
    def calls(self, checked: Checked) -> Iterable[Call]:
        """Every call of the analysed units, in file order."""

    @abstractmethod
    def call_summary(self, call: Call) -> CallSummary:
        ...

    @abstractmethod
    def outline(self, checked: Checked) -> list[Symbol]:
        ...

    def name_span(self, data: bytes, span: Span) -> Span:
        """The identifier inside a name token (what rename replaces and tokens colour): the
        token itself unless the language spells names inside something, such as quotes."""
        return span

    @abstractmethod
    def function_names(self, checked: Checked) -> list[Span]:
        """The name spans of the functions the document declares."""

    @abstractmethod
    def parameters(self, checked: Checked) -> set[Span]:
        """The spans of the functions' parameter names."""

    @abstractmethod
    def definition(self, checked: Checked, offset: int, summaries: Any) -> list[Location]:
        """Where the call, declaration or import under `offset` is declared (local bindings are
        answered from the ownership map by the caller)."""

    @abstractmethod
    def references(self, checked: Checked, offset: int, include_declaration: bool,
                   summaries: Any) -> list[Location]:
        """Every call of the function under `offset` (its call or its declaration)."""

    # ---- running (optional) ----------------------------------------------------------------
    can_run: bool = False                # does `run` run this language's programs?

    def runnables(self, checked: Checked) -> list[Runnable]:
        """What the run code lens offers; none unless the language can run."""
        return []

    def run(self, path: str | None, data: bytes, **options):
        """Run the document (see the language's runner for the options and the report)."""
        raise NotImplementedError(f"custody cannot run {self.name} programs")
