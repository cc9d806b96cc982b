"""What a `custody run` saw, mapped back to the user's source.

The runtime names every event by a node id; the emitter's node table maps an id to (file, byte
span); `SourceMap` turns that into the same `range` shape `custody check --format json` prints
(0-based lines, UTF-16 characters). `RunReport` keeps the run's results as attributes for Python
callers and renders them as the JSON report:

    {ok, output_hex, output_text (only when the output is UTF-8),
     trap: null | {code, message, range}, mem_stats: {10 counters} | null, leak_free,
     borrow_violations: [{range, message}], fuel_used, diagnostics: [custody check's shape]}

`mem_stats`, `leak_free` and `fuel_used` are null when the program did not run (it could not be
built, or uses a construct custody run does not support); `diagnostics` says why. `leak_free` is
also null after a trap or crash: the program never reached its drops, so what was live is no leak.
Borrow violations get their messages here (`describe_violation`), from the violation's kind and
the nodes the borrow table records, in the user's binding names and lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from custody.analysis.findings import Finding
from custody.analysis.source import LineIndex, Span

UNSUPPORTED, TRAPPED, LEAKED, BORROW, BUILD = (
    "CUS-RUN-0001", "CUS-RUN-0002", "CUS-RUN-0003", "CUS-RUN-0004", "CUS-RUN-0005")
SANDBOX = "CUS-RUN-0006"   # a sandbox violation (trap "sandbox"), or no sandbox to run in

MEM_COUNTERS = ("alloc_calls", "realloc_calls", "free_calls", "bytes_alloc_total",
                "bytes_freed_total", "live_bytes", "peak_live_bytes", "live_allocs",
                "peak_live_allocs", "memcpy_bytes")

REPORT_KEYS = ("ok", "output_hex", "output_text", "trap", "mem_stats", "leak_free",
               "borrow_violations", "fuel_used", "diagnostics")


@dataclass
class RunFinding(Finding):
    """A finding of the run (CUS-RUN-*), with the file it lies in (None: the file that was run)."""
    path: str | None = None


@dataclass
class Location:
    path: str | None
    span: Span


class SourceMap:
    """Node ids -> locations -> ranges, reading other files (imported modules) only when needed."""

    def __init__(self, path: str | None, data: bytes, nodes=(), entry: Location | None = None):
        self.path = path
        self.data = data
        self.nodes = list(nodes or ())
        self.entry = entry or Location(path, Span(0, 0))
        self._indexes: dict = {}

    def node(self, n: int | None) -> Location | None:
        """The location of node n, None for 0 / unknown ids."""
        if not isinstance(n, int) or n <= 0 or n >= len(self.nodes):
            return None
        entry = self.nodes[n]
        if not entry:
            return None
        p, span = entry
        return Location(p, span)

    def locate(self, n: int | None) -> Location:
        """Node n, or the entry when the event has no node of its own."""
        return self.node(n) or self.entry

    def index(self, path: str | None) -> LineIndex:
        if path is None or self._same(path):
            key, data = None, self.data
        else:
            key = path
            data = None
        idx = self._indexes.get(key)
        if idx is None:
            if data is None:
                try:
                    data = Path(path).read_bytes()
                except OSError:
                    data = b""
            idx = self._indexes[key] = LineIndex(data)
        return idx

    def _same(self, path: str) -> bool:
        if self.path is None:
            return False
        if path == self.path:
            return True
        try:
            return Path(path).resolve() == Path(self.path).resolve()
        except OSError:
            return False

    def display_path(self, loc: Location) -> str | None:
        return self.path if loc.path is None or self._same(loc.path) else loc.path

    def range_json(self, loc: Location) -> dict:
        return self.index(loc.path).range(loc.span).to_json()

    def line_col(self, loc: Location) -> tuple[int, int]:
        return self.index(loc.path).line_col(loc.span.start)

    # -- the source text behind node ids, for messages in the user's names and lines
    def text(self, n: int | None) -> str:
        loc = self.node(n)
        if loc is None:
            return ""
        data = self.data if loc.path is None or self._same(loc.path) else self._file(loc.path)
        return data[loc.span.start:loc.span.end].decode("utf-8", errors="replace")

    def _file(self, path: str) -> bytes:
        try:
            return Path(path).read_bytes()
        except OSError:
            return b""

    def line(self, n: int | None, end: bool = False) -> int | None:
        """1-based line of node n's start (or of its last character), None when unknown."""
        loc = self.node(n)
        if loc is None:
            return None
        offset = max(loc.span.start, loc.span.end - 1) if end else loc.span.start
        return self.index(loc.path).line_col(offset)[0]

    def name(self, n: int | None) -> str | None:
        """The identifier node n spells (`who`, or `"who"` in the JSON form), else None."""
        m = _NAME.match(self.text(n))
        return m.group(1) if m else None

    def enclosing_call(self, n: int | None) -> tuple[str, str | None] | None:
        """(head, first argument if it is a name) of the smallest call node around node n."""
        loc = self.node(n)
        if loc is None:
            return None
        best = None
        for i, entry in enumerate(self.nodes):
            if not entry or i == n or entry[0] != loc.path:
                continue
            span = entry[1]
            if span.start <= loc.span.start and loc.span.end <= span.end and span != loc.span \
                    and (best is None or span.end - span.start < best[1].end - best[1].start):
                best = (i, span)
        if best is None:
            return None
        m = _CALL.match(self.text(best[0]))
        return (m.group(1), m.group(2)) if m else None


_NAME = re.compile(r'\s*"?([A-Za-z_][A-Za-z0-9_.\-]*)"?\s*\Z')
_CALL = re.compile(r'[\[(]\s*"?([^\s"()\[\],]+)"?(?:\s*,?\s*"?([A-Za-z_][A-Za-z0-9_.\-]*)"?)?')
_OP = re.compile(r"(\S+) while borrowed")


def describe_violation(sm: SourceMap, kind: str, fallback: str, node: int = 0, owner_node: int = 0,
                       event_node: int = 0, view_node: int = 0) -> str:
    """The message for a run-time violation, in the user's binding names and lines, in the
    spirit of custody check's: "use after move: `who` was moved at line 11 (into `main.greet`)
    and is used here". `node` is where it happened (the range it is reported at); the other
    nodes come from the borrow table (see rt_borrow.c). Falls back to the runtime's own text
    when the nodes do not say enough."""
    if not (owner_node or event_node or view_node):
        return fallback             # a runtime that names nothing more: keep its words
    who = sm.name(node) or sm.name(owner_node)
    subject = f"`{who}`" if who else "the value"
    view_name, view_line = sm.name(view_node), sm.line(view_node)
    if view_name:
        view = f"the view `{view_name}` (line {view_line})"
    elif view_line:
        view = f"a view taken at line {view_line}"
    else:
        view = "a view"
    if kind == "use_after_move" and "drop of" not in fallback:
        line = sm.line(event_node)
        if line is None:
            return f"use after move: {subject} was moved before it is used here"
        how = ""
        call = sm.enclosing_call(event_node) if sm.name(event_node) else None
        if call is not None:
            head, first = call
            how = f" (into `{first}`)" if head == "let" and first else f" (into `{head}`)"
        else:
            m = _CALL.match(sm.text(event_node))
            if m:
                how = f" (by `{m.group(1)}`)"
        return f"use after move: {subject} was moved at line {line}{how} and is used here"
    if kind == "move_while_borrowed":
        return f"move while borrowed: {subject} is moved here while {view} still borrows it"
    if kind == "conflicting_borrow":
        m = _OP.match(fallback)
        op = m.group(1) if m else "mutation"
        return f"{op} while borrowed: {subject} is changed here while {view} still borrows it"
    if kind == "drop_while_borrowed":
        return f"drop while borrowed: {subject} is dropped here while {view} still borrows it"
    if kind == "use_after_free":
        owner = sm.name(owner_node)
        declared = sm.line(owner_node)
        ended = sm.line(event_node, end=True)
        if owner and ended:
            return (f"use after free: this view of `{owner}` (declared at line {declared}) "
                    f"outlives it: `{owner}` was dropped when its block ended at line {ended}")
        if ended:
            return f"use after free: the value a view here borrows was dropped at line {ended}"
        return fallback
    if kind == "released_borrow":
        return f"access through {view} after its borrow ended"
    return fallback


@dataclass
class RunEvent:
    """Something the run reported at a source node: `code` is the trap name ("fuel", "oom", ...,
    crash / timeout / protocol) for a trap, the violation kind for a borrow violation."""
    code: str
    message: str
    node: int = 0
    location: Location | None = None

    @property
    def span(self) -> Span | None:
        return self.location.span if self.location else None


class Trap(RunEvent):
    pass


class BorrowViolation(RunEvent):
    @property
    def kind(self) -> str:
        return self.code


@dataclass
class RunReport:
    path: str | None
    source_map: SourceMap
    ran: bool = False                 # the executable was started
    output: bytes = b""
    trap: Trap | None = None
    mem_stats: dict | None = None
    leak_free: bool | None = None
    borrow_violations: list[BorrowViolation] = field(default_factory=list)
    fuel_used: int | None = None
    findings: list[Finding] = field(default_factory=list)   # static, then CUS-RUN-*
    exit_status: int | None = None    # the program's process status (negative: a signal)
    stderr: bytes = b""               # what the program wrote to stderr besides the metrics line

    @property
    def ok(self) -> bool:
        return (self.ran and self.trap is None and self.leak_free is True
                and not self.borrow_violations)

    @property
    def built(self) -> bool:
        return not any(f.code in (UNSUPPORTED, BUILD) for f in self.findings)

    def add_finding(self, code: str, loc: Location, message: str, severity="error") -> RunFinding:
        f = RunFinding(code, severity, loc.span, message, path=self.source_map.display_path(loc))
        self.findings.append(f)
        return f

    def finding_path(self, f: Finding) -> str | None:
        return getattr(f, "path", None) or self.path

    def to_json(self) -> dict:
        sm = self.source_map
        out: dict = {"ok": self.ok, "output_hex": self.output.hex()}
        try:
            out["output_text"] = self.output.decode("utf-8")
        except UnicodeDecodeError:
            pass
        out["trap"] = None if self.trap is None else {
            "code": self.trap.code, "message": self.trap.message,
            "range": sm.range_json(self.trap.location) if self.trap.location else None}
        out["mem_stats"] = None if self.mem_stats is None else dict(self.mem_stats)
        out["leak_free"] = self.leak_free
        out["borrow_violations"] = [
            {"range": sm.range_json(v.location) if v.location else None, "message": v.message}
            for v in self.borrow_violations]
        out["fuel_used"] = self.fuel_used
        diags = []
        for f in self.findings:
            p = self.finding_path(f)
            diags.append(f.to_json(p or "", sm.index(p)))
        out["diagnostics"] = diags
        return out
