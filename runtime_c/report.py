"""What a `custody run` saw, mapped back to the user's source.

The runtime names every event by a node id; the emitter's node table maps an id to (file, byte
span); `SourceMap` turns that into the same `range` shape `custody check --format json` prints
(0-based lines, UTF-16 characters). `RunReport` keeps the run's results as attributes for Python
callers and renders them as the JSON report:

    {ok, output_hex, output_text (only when the output is UTF-8),
     trap: null | {code, message, range}, mem_stats: {10 counters} | null, leak_free,
     borrow_violations: [{range, message}], fuel_used, diagnostics: [custody check's shape]}

`mem_stats`, `leak_free` and `fuel_used` are null when the program did not run (it could not be
built, or uses a construct custody run does not support); `diagnostics` says why.
"""
from __future__ import annotations

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
