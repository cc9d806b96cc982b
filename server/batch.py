"""`custody check` over many files: one file's check as a self-contained report, the serial loop,
the worker processes of `-j N`, and the progress line.

Same output at every -j: a file's report (its text lines or JSON records, its stderr messages,
its counts) is made by `check_file` in whichever process checks it, and the parent writes the
reports in file order (`Writer`), so the serial path and the workers produce the same bytes.

Bounded memory: after each file, `forget_file` drops what the engine kept for checking that file
again (per-unit results, X07's declaration headers, C's previous-check summaries). A batch
check reads every file once, so none of it would be read again, and X07's headers hold the
file's value tree: kept, 200 files of 1,900 lines grew the process to 380 MB, dropped it stays
near 40 MB. What is shared across files stays: X07's module signatures (read once per imported
module file, by path and stamp) and C's workspace index and summaries of the directories' files.

Workers (`run_parallel`): N forked processes, each with one Engine for every file it is given
(so the cross-file caches help within a worker). Each worker starts with a contiguous share of
the file list and is sent its files one at a time; one that runs out takes half of what the
busiest has left (`run_parallel`). A worker sends each file's report as soon as it has it. A worker that dies (a crash in a C extension, the OOM killer, a
signal) costs only its current file: that file is reported as an error naming it, the rest of
its share goes to a new worker. A file that hangs holds up only its worker; interrupting the run
(Ctrl-C, SIGTERM) still writes every report received, in order, and names the files left
unchecked.
"""
from __future__ import annotations

import bisect
import gc
import io
import json
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from custody.analysis.engine import Engine, is_source
from custody.analysis.fix_all import fix_all
from custody.analysis.forked import usable_cpus
from custody.analysis.optimistic import Retry, allowed
from custody.analysis.source import LineIndex, Position


@dataclass
class Options:
    """What a check of one file needs from the command line (picklable, for the workers)."""

    format: str = "text"
    fix: bool = False
    module_roots: tuple = ()
    stdlib: str | None = None


@dataclass
class FileReport:
    """One file's part of `custody check`'s output."""

    path: str
    text: str = ""                                  # --format text: its lines, as printed
    records: list = field(default_factory=list)     # --format json: its diagnostics
    messages: list = field(default_factory=list)    # lines for stderr, in order
    errors: int = 0                                 # findings of severity error / warning
    warnings: int = 0
    failed: bool = False            # not checked (unreadable, internal error, worker died)


def new_engine(opts: Options) -> Engine:
    return Engine(module_roots=opts.module_roots, stdlib_root=opts.stdlib, batch=True)


def print_text(path, index, findings, out) -> None:
    for f in findings:
        line, col = index.line_col(f.span.start)
        out.write(f"{path}:{line}:{col}: {f.severity}[{f.code}]: {f.message}\n")
        for r, idx in f.related_indexes(path, index):     # a note in another file: its own lines
            rl, rc = idx.line_col(r.span.start)
            out.write(f"  {r.path or path}:{rl}:{rc}: note: {r.message}\n")
        for fx in f.fixes:
            out.write(f"  fix{' (safe)' if fx.safe else ''}: {fx.title}\n")


def collect(paths: list[str]) -> tuple[list[str], list[str]]:
    """The source files `custody check PATH...` checks, in order (a directory: the sources under
    it, hidden folders and node_modules left out), and a message for each path that is neither."""
    files, errors = [], []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                files.extend(os.path.join(root, n) for n in sorted(names) if is_source(n))
        elif os.path.isfile(p):
            files.append(p)
        else:
            errors.append(f"custody: {p}: no such file or directory")
    return files, errors


def json_records(path: str, index: LineIndex, findings) -> list[dict]:
    """`custody check --format json`'s records of one file's findings (the MCP `check` tool
    answers with the same)."""
    return [f.to_json(path, index) for f in findings]


def check_file(engine: Engine, path: str, opts: Options) -> FileReport:
    """Check (and with --fix, fix) one file: its report. Never raises for the file's sake: an
    internal error is reported as this file's."""
    _KEPT.clear()       # the previous file's check: freed now, before this file is read
    rep = FileReport(path)
    try:
        data = open(path, "rb").read()
    except OSError as e:
        rep.messages.append(f"custody: {path}: {e.strerror}")
        rep.failed = True
        return rep
    try:
        result = checked(engine, path, data)
        findings = result.findings
        if opts.fix:
            new, applied = fix_all(lambda d: checked(engine, path, d).findings, data, lambda fx: fx.safe)
            if applied:
                with open(path, "wb") as fh:
                    fh.write(new)
                rep.messages.append(f"custody: {path}: applied {len(applied)} fix(es): {'; '.join(applied)}")
                result = checked(engine, path, new)
                findings = result.findings
        _KEPT.append(result)
        for f in findings:
            if f.severity == "error":
                rep.errors += 1
            elif f.severity == "warning":
                rep.warnings += 1
        if findings:
            index = CountingLines(data) if getattr(result.parsed, "data", None) is data else result.index
            if opts.format == "json":
                rep.records = json_records(path, index, findings)
            else:
                out = io.StringIO()
                print_text(path, index, findings, out)
                rep.text = out.getvalue()
    except Exception as e:   # noqa: BLE001 - a bug in custody, reported as this file's
        rep = FileReport(path, failed=True, messages=rep.messages + [
            f"custody: {path}: internal error ({type(e).__name__}: {e}); please report it"])
    finally:
        forget_file(engine)
    return rep


class CountingLines(LineIndex):
    """The line index `check_file` needs: lines and columns of the few offsets findings name,
    each counted from the nearest offset asked before (C: `bytes.count`), instead of every line
    start of the file first (a Python loop over 650,000 lines of a 16 MiB file). Answers as
    LineIndex does; only `position` (and what is built on it) is meant to be used."""

    def __init__(self, data: bytes):
        self.data = data
        self._at = [0]          # offsets asked so far, sorted,
        self._line = [0]        # and the line each is on

    def position(self, offset: int) -> Position:
        data = self.data
        offset = max(0, min(offset, len(data)))
        i = bisect.bisect_right(self._at, offset) - 1
        line = self._line[i] + data.count(b"\n", self._at[i], offset)
        if self._at[i] != offset:
            self._at.insert(i + 1, offset)
            self._line.insert(i + 1, line)
        prefix = data[data.rfind(b"\n", 0, offset) + 1:offset]
        if prefix.isascii():
            return Position(line, len(prefix))
        text = prefix.decode("utf-8", errors="replace")
        return Position(line, len(text.encode("utf-16-le")) // 2)


def checked(engine: Engine, path: str, data: bytes):
    """`engine.check(path, data)`, taking the shortcuts a batch check may take (analysis/optimistic.py:
    X07 reads a well-formed .x07t without tree-sitter's parse); when one of them turns out not to
    hold, the file is checked again without them.

    The cyclic collector stays off until the check's results are frozen (`gc.freeze`) when the
    check left many of them: the engine pauses it during a check, but below its own freezing
    threshold the first collection after the check walked every young object the check left (a
    16 MiB .x07t read by the scan leaves ~600,000: 0.3-0.4 s). The results hold no cycles
    (see engine.collector_paused) and are freed by reference counting (`forget_file`)."""
    was = gc.isenabled()
    gc.disable()
    try:
        with allowed():
            try:
                return engine.check(path, data)
            except Retry:
                pass
        forget_file(engine)
        return engine.check(path, data)
    finally:
        if gc.get_count()[0] > FREEZE_AFTER:
            gc.freeze()
        if was:
            gc.enable()


FREEZE_AFTER = 100_000      # young objects a check leaves before `checked` freezes them


# The last file's check, kept until the next file's starts: freeing a big file's values and
# results took ~0.07 s (16 MiB .x07t), and after the last file the CLI ends without freeing
# anything (cli._leave).
_KEPT: list = []


def forget_file(engine: Engine) -> None:
    """Drop what the engine keeps only to check the same document again (see the module doc)."""
    engine.unit_caches.clear()
    for session in engine.sessions.values():
        decls = getattr(session, "decls", None)        # X07: declaration headers by their text
        if decls is not None:
            session.decls = type(decls)()
        last = getattr(session, "last", None)          # C: each document's previous summaries
        if isinstance(last, dict):
            last.clear()


# --------------------------------------------------------------------------------- progress

PROGRESS_DELAY = 1.0        # seconds before the line first appears
PROGRESS_EVERY = 0.1        # at most this often after that


class Progress:
    """`custody: checked 120/200 files` on one updating stderr line, for runs over a second;
    erased before anything else is written (`clear`). Off when disabled or stderr is no TTY."""

    def __init__(self, total: int, enabled: bool, stream=None, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.clock = clock
        self.enabled = enabled and total > 1 and _isatty(self.stream)
        self.start = clock()
        self.shown = False
        self.last = 0.0
        self.done = 0
        self.drawn = -1         # the count on the line now

    def update(self, done: int | None = None) -> None:
        if done is not None:
            self.done = done
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < PROGRESS_DELAY or (self.shown and (now - self.last < PROGRESS_EVERY
                                                                 or self.done == self.drawn)):
            return
        self.stream.write(f"\r\x1b[Kcustody: checked {self.done}/{self.total} files")
        self.stream.flush()
        self.shown, self.last, self.drawn = True, now, self.done

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------------- output

class Writer:
    """Writes reports in file order as they become available, and adds them up."""

    def __init__(self, opts: Options, progress: Progress, out=None, err=None):
        self.opts = opts
        self.progress = progress
        self.out = out if out is not None else sys.stdout
        self.err = err if err is not None else sys.stderr
        self.records: list = []
        self.errors = self.warnings = 0
        self.failed = 0

    def write(self, rep: FileReport) -> None:
        if rep.messages or rep.text:
            self.progress.clear()
        for m in rep.messages:
            self.err.write(m + "\n")
        if rep.messages:
            self.err.flush()
        self.errors += rep.errors
        self.warnings += rep.warnings
        self.failed += rep.failed
        if self.opts.format == "json":
            self.records.extend(rep.records)
        elif rep.text:
            self.out.write(rep.text)

    def message(self, text: str) -> None:
        self.progress.clear()
        self.err.write(text + "\n")
        self.err.flush()


# --------------------------------------------------------------------------------- the runs

class Interrupted(Exception):
    """Ctrl-C or SIGTERM during a run: what was checked is written, the rest named."""


def run_serial(files: list[str], opts: Options, writer: Writer, engine: Engine | None = None) -> bool:
    """-j 1: every file here, one Engine. False when interrupted."""
    engine = engine if engine is not None else new_engine(opts)
    for i, path in enumerate(files):
        try:
            rep = check_file(engine, path, opts)
        except KeyboardInterrupt:
            writer.message(f"custody: {path}: not checked: interrupted while checking it")
            _report_unchecked(writer, len(files) - i, len(files) - i - 1)
            return False
        writer.write(rep)
        writer.progress.update(i + 1)
    return True


def shares(n: int, jobs: int) -> list[list[int]]:
    """range(n) in `jobs` contiguous shares as equal as can be, each as [start, end)."""
    out, start = [], 0
    for k in range(jobs):
        size = (n - start) // (jobs - k)
        out.append([start, start + size])
        start += size
    return out


def _worker(conn, opts: Options, engine_workers: int) -> None:
    """In a worker process: check each (index, path) the parent sends and send its report back;
    stop at None or when the parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)      # the parent decides what an interrupt means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    engine = new_engine(opts)
    engine.workers = engine_workers
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        conn.send((index, check_file(engine, path, opts)))


def _start_method() -> str:
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


class _Slot:
    """A worker process, the file it is checking and the files kept for it after that."""

    def __init__(self, ctx, opts: Options, engine_workers: int, plan: list[int]):
        for stream in (sys.stdout, sys.stderr):     # a forked child must not write the parent's buffers again
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker, args=(child, opts, engine_workers), daemon=True)
        self.proc.start()
        child.close()
        self.current: int | None = None      # the file sent and not yet reported
        self.plan = plan                     # [start, end): its next files, in order

    def left(self) -> int:
        return self.plan[1] - self.plan[0]


def _died(proc) -> str:
    proc.join(5)
    code = proc.exitcode
    if code is None:
        return "its worker process stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"its worker process was killed by {name}"
    return f"its worker process exited with status {code}"


def run_parallel(files: list[str], opts: Options, writer: Writer, jobs: int) -> bool:
    """-j N (N > 1): files checked by N worker processes, written in file order. False when
    interrupted.

    Scheduling: each worker starts with a contiguous share of the files (`shares`) and is sent
    them one at a time, the next when it reports the last; a worker whose share is done takes
    the second half of what the busiest worker has left. So files that sit together (and import
    each other) are mostly checked by one Engine, the workers finish together, and a file that
    hangs holds up only itself."""
    n = len(files)
    ctx = multiprocessing.get_context(_start_method())
    engine_workers = max(1, usable_cpus() // jobs)
    reports: dict[int, FileReport] = {}
    next_out = 0
    received = 0
    slots: list[_Slot] = []
    orphans: list[list[int]] = []       # what workers that died had left, for the others

    def steal(slot: _Slot) -> None:
        """An idle worker takes over part of another's plan (or a dead worker's)."""
        if orphans:
            slot.plan = orphans.pop()
            return
        victim = max((s for s in slots if s is not slot), key=_Slot.left, default=None)
        if victim is None or victim.left() == 0:
            return
        lo, hi = victim.plan
        mid = lo + (hi - lo) // 2
        victim.plan, slot.plan = [lo, mid], [mid, hi]

    def feed(slot: _Slot) -> bool:
        """Send `slot` its next file; False (and the worker is told to stop) when there is none."""
        if slot.left() == 0:
            steal(slot)
        if slot.left() == 0:
            try:
                slot.conn.send(None)
            except OSError:
                pass
            return False
        i = slot.plan[0]
        slot.plan[0] += 1
        slot.current = i        # if the worker is gone already, this file is reported as its
        try:                    # (so that a worker that cannot start costs one file, not a loop)
            slot.conn.send((i, files[i]))
        except OSError:
            pass
        return True

    def flush() -> None:
        nonlocal next_out
        while next_out in reports:
            writer.write(reports.pop(next_out))
            next_out += 1

    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum, frame):
        raise Interrupted()

    try:
        signal.signal(signal.SIGTERM, on_term)
    except ValueError:          # not the main thread: SIGTERM keeps its handler
        previous = None
    try:
        for plan in shares(n, jobs):
            slots.append(_Slot(ctx, opts, engine_workers, plan))
        for slot in slots:
            feed(slot)
        while slots:
            ready = wait([s.conn for s in slots] + [s.proc.sentinel for s in slots], timeout=PROGRESS_EVERY)
            for slot in list(slots):
                if slot.conn not in ready and slot.proc.sentinel not in ready:
                    continue
                gone = slot.proc.sentinel in ready
                try:
                    while slot.conn.poll():
                        index, rep = slot.conn.recv()
                        reports[index] = rep
                        received += 1
                        slot.current = None
                except (EOFError, OSError):
                    gone = True
                if not gone:
                    if slot.current is None and not feed(slot):
                        slot.proc.join()
                        slot.conn.close()
                        slots.remove(slot)
                    continue
                slots.remove(slot)
                slot.conn.close()
                if slot.current is not None:
                    culprit = slot.current
                    reports[culprit] = FileReport(files[culprit], failed=True, messages=[
                        f"custody: {files[culprit]}: not checked: {_died(slot.proc)} while checking it; "
                        "please report it"])
                    received += 1
                else:
                    slot.proc.join(5)
                if slot.left():
                    orphans.append(slot.plan)
                if orphans or any(s.left() > 1 for s in slots):
                    fresh = _Slot(ctx, opts, engine_workers, [0, 0])
                    slots.append(fresh)
                    feed(fresh)
            flush()
            writer.progress.update(received)
        flush()
        return True
    except (KeyboardInterrupt, Interrupted):
        for slot in slots:
            slot.proc.kill()
        for slot in slots:
            slot.proc.join()
        busy = {s.current for s in slots if s.current is not None}
        missed = []
        for i in range(next_out, n):
            rep = reports.get(i)
            if rep is not None:
                writer.write(rep)
            else:
                missed.append(i)
                if i in busy:
                    writer.message(f"custody: {files[i]}: not checked: interrupted while checking it")
        _report_unchecked(writer, len(missed), len(missed) - len(busy & set(missed)))
        return False
    finally:
        for slot in slots:
            if slot.proc.is_alive():
                slot.proc.kill()
                slot.proc.join()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _report_unchecked(writer: Writer, unchecked: int, unnamed: int) -> None:
    """After an interrupt: `unchecked` files were not, `unnamed` of them not named yet."""
    if unnamed > 0:
        writer.message(f"custody: interrupted: {unnamed} more file(s) not checked")
    writer.failed += unchecked


def check_files(files: list[str], opts: Options, jobs: int, progress: bool) -> tuple[Writer, bool]:
    """Check `files` on `jobs` processes (1: here). The writer holds the counts and, for JSON,
    the records; the flag is False when the run was interrupted."""
    bar = Progress(len(files), progress and opts.format != "json")
    writer = Writer(opts, bar)
    jobs = 1 if opts.fix else max(1, min(jobs, len(files)))     # --fix: one process writes the files
    try:
        if jobs == 1:
            done = run_serial(files, opts, writer)
        else:
            done = run_parallel(files, opts, writer, jobs)
    finally:
        bar.clear()
    return writer, done


def dump_json(records: list, compact: bool, out=None) -> None:
    out = out if out is not None else sys.stdout
    json.dump(records, out, indent=None if compact else 1, ensure_ascii=False)
    out.write("\n")

