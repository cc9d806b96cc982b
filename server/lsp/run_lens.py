"""Run with ownership checks, from the editor.

A code lens sits on everything the document's front-end says can run (X07: `solve` and every
`defn` that can be an entry point). Its command, `custody.run`, runs the document's current text
(unsaved edits included) with the front-end's runner (X07: the bundled runtime) with the debug
borrow table on; nothing runs
unless the user asks. What the run saw becomes diagnostics of source `custody-run` (traps, leaks,
borrow violations, constructs the runner does not support), kept until the document is edited,
plus a one-line summary: output, peak memory, leak verdict.
"""
from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types

from custody.analysis.findings import Finding
from custody.run_request import run_program

from .diagnostics import to_diagnostic
from .service import Snapshot

RUN_COMMAND = "custody.run"
RUN_SOURCE = "custody-run"
TITLE = "▶ Run with ownership checks"


def code_lenses(snap: Snapshot) -> list[types.CodeLens]:
    return [_lens(snap, r.span, r.entry) for r in snap.language.runnables(snap.result)]


def _lens(snap: Snapshot, span, entry: str | None) -> types.CodeLens:
    rng = snap.index.range(span)
    r = types.Range(types.Position(rng.start.line, rng.start.character),
                    types.Position(rng.end.line, rng.end.character))
    return types.CodeLens(range=r, command=types.Command(
        title=TITLE if entry is None else f"{TITLE}: {entry}", command=RUN_COMMAND,
        arguments=[snap.uri, entry]))


@dataclass
class RunOutcome:
    version: int
    diagnostics: list[types.Diagnostic]
    summary: str
    report: dict


def run_snapshot(snap: Snapshot, entry: str | None, resolver, input_bytes: bytes = b"") -> RunOutcome:
    """Runs in a worker thread: everything it reads is the immutable snapshot."""
    report = run_program(snap.language, snap.path, snap.data, input=input_bytes, debug_borrows=True,
                         entry=entry, resolver=resolver)
    diags = [_run_diagnostic(f, snap) for f in report.findings if _is_run_finding(f, snap)]
    return RunOutcome(snap.version, diags, summary(report, entry), report.to_json())


def _is_run_finding(f: Finding, snap: Snapshot) -> bool:
    return f.code.startswith("CUS-RUN-") and getattr(f, "path", None) in (None, snap.path)


def _run_diagnostic(f: Finding, snap: Snapshot) -> types.Diagnostic:
    d = to_diagnostic(f, snap)
    d.source = RUN_SOURCE
    return d


def summary(report, entry: str | None) -> str:
    what = entry or "solve"
    trap = report.trap
    if trap is not None:
        return f"custody run {what}: stopped: {trap.message}"
    out = report.output or b""
    try:
        shown = out.decode("utf-8")
        shown = repr(shown if len(shown) <= 80 else shown[:77] + "...")
    except UnicodeDecodeError:
        shown = out[:40].hex() + ("..." if len(out) > 40 else "") + " (hex)"
    stats = report.mem_stats or {}
    peak = stats.get("peak_live_bytes", 0)
    leak = "leak-free" if report.leak_free else f"LEAKED {stats.get('live_bytes', 0)} bytes"
    nviol = len(report.borrow_violations)
    viol = "no borrow violations" if nviol == 0 else f"{nviol} borrow violation{'s' if nviol > 1 else ''}"
    return (f"custody run {what}: output {shown} ({len(out)} bytes); peak memory {peak} bytes; "
            f"{leak}; {viol}; fuel used {report.fuel_used}")
