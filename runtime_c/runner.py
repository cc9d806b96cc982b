"""`custody run`: translate an X07 program to C, build it, run it in a sandboxed subprocess and
report what happened in terms of the user's source.

User code runs only here, only on request, and only in a confined child process: a throwaway
uid with no groups, new network/IPC/mount namespaces with every mount read-only, no_new_privs and
resource limits (confine.py, before exec); a seccomp allow-list the runtime enters before it calls
the program (src/rt_sandbox.c; a forbidden system call is trap "sandbox", CUS-RUN-0006); a fresh
working directory, a minimal environment, a wall-time limit, and a kill of every process of the
run's uid at the end. Where the kernel cannot confine, the run is refused unless `unconfined`.
Whatever the child does (crash, hang, write garbage), the caller gets a `RunReport`, never an
exception.

    run_file(path, data=None, *, input=b"", debug_borrows=False, ...) -> RunReport
    run_c(c_source, ...) -> RunReport       # the same, for a ready C translation unit
"""
from __future__ import annotations

import errno
import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from custody.analysis.source import Span

from . import confine
from .compile import BuildError, Toolchain
from .report import (BORROW, BUILD, LEAKED, MEM_COUNTERS, SANDBOX, TRAPPED,
                     BorrowViolation, Location, RunReport, SourceMap, Trap, describe_violation)

DEFAULT_FUEL = 1_000_000_000
DEFAULT_MEM_CAP = 64 * 1024 * 1024
DEFAULT_TIMEOUT_S = 10.0
AS_MARGIN = 256 * 1024 * 1024     # address space above the heap cap: code, stack, libc, tables
FSIZE_LIMIT = 1024 * 1024         # the program has no business writing files
STDERR_CAP = 1024 * 1024
STDOUT_SLACK = 1024 * 1024        # output beyond mem_cap + this is a runaway writer
SPAWN_ATTEMPTS = 12               # exec retries on ETXTBSY (about 2 s in all)
EXIT_GRACE_S = 0.5                # after the program exits, how long its pipes may stay open

EXIT_RAN, EXIT_TRAPPED, EXIT_BAD_INPUT = 0, 3, 2
MAX_DESCRIBED = 100               # violations given messages in the user's names (each scans the nodes)


# ------------------------------------------------------------------------------- the subprocess

@dataclass
class RawRun:
    status: int | None          # returncode (negative: killed by that signal)
    stdout: bytes
    stderr: bytes
    timed_out: bool = False
    overflow: str | None = None  # "stdout" / "stderr" when the child wrote past its cap
    start_error: str | None = None


def _limits(mem_cap: int, timeout_s: float) -> list[tuple[int, int, int]]:
    """(RLIMIT_*, soft, hard) for the child; confine.preexec applies them after the uid drop
    (RLIMIT_NPROC 0 holds only for a uid that is not root)."""
    cpu = max(1, int(timeout_s + 0.999)) + 1
    as_limit = mem_cap + AS_MARGIN
    return [(resource.RLIMIT_AS, as_limit, as_limit), (resource.RLIMIT_CPU, cpu, cpu + 1),
            (resource.RLIMIT_FSIZE, FSIZE_LIMIT, FSIZE_LIMIT), (resource.RLIMIT_CORE, 0, 0),
            (resource.RLIMIT_NPROC, 0, 0)]


def execute(exe: Path, input: bytes, *, fuel: int, mem_cap: int, debug_borrows: bool,
            timeout_s: float, unconfined: bool = False) -> RawRun:
    """Run the solver executable once: framed input on stdin, confined (confine.py: throwaway
    uid, namespaces, no_new_privs, limits; the runtime adds seccomp), wall-time kill, and every
    process of the run's uid killed afterwards. `unconfined` lets the runtime run the program
    where it cannot enter its seccomp sandbox (it still enters it where it can)."""
    env = {"CUSTODY_FUEL": str(int(fuel)), "CUSTODY_MEM_CAP": str(int(mem_cap)),
           "CUSTODY_DEBUG_BORROWS": "1" if debug_borrows else "0", "LC_ALL": "C"}
    if unconfined:
        env["CUSTODY_UNCONFINED"] = "1"
    stdin = len(input).to_bytes(4, "little") + input
    out_cap = int(mem_cap) + STDOUT_SLACK
    try:
        identity = confine.pick_identity()
    except confine.ConfinementError as e:
        return RawRun(None, b"", b"", start_error=str(e))
    with tempfile.TemporaryDirectory(prefix="custody-run-") as cwd:
        program = str(exe)
        try:
            with confine.SPAWN_LOCK:
                if identity is not None:
                    # The new uid may enter and read the run directory, not write it, and runs a
                    # copy of the executable (the cache may lie in a directory only root can
                    # read) that it may execute but not read, so the kernel makes the process
                    # non-dumpable.
                    os.chmod(cwd, 0o755)
                    program = os.path.join(cwd, "program")
                    shutil.copyfile(exe, program)
                    os.chmod(program, 0o511)
            proc = _spawn(program, cwd, env, confine.preexec(identity,
                                                             _limits(int(mem_cap), timeout_s)))
        except subprocess.SubprocessError as e:
            # Popen reports a failure in preexec_fn only as "Exception occurred in preexec_fn"
            why = ("its sandbox could not be set up (changing to the run's own user, or "
                   "setting no_new_privs, failed), and custody run does not run a program it "
                   "cannot confine" if "preexec" in str(e) else str(e))
            return RawRun(None, b"", b"", start_error=why)
        except OSError as e:
            return RawRun(None, b"", b"", start_error=e.strerror or str(e))
        try:
            return _communicate(proc, stdin, timeout_s, out_cap)
        finally:
            _kill_group(proc, identity)
            proc.wait()


def _spawn(program: str, cwd: str, env: dict, preexec) -> subprocess.Popen:
    """Popen the program, retrying while exec says ETXTBSY ("text file busy").

    The copy of the executable was just written by this process; a child another thread (or
    a build) forked while the copy's write descriptor was open holds that descriptor until its
    own exec, and until then the kernel refuses to execute the file. SPAWN_LOCK keeps custody's
    own runs out of that window; other forks in the process (a compiler started by a build, a
    language-server thread) can still be in it for a moment, so the exec is retried briefly."""
    delay = 0.005
    for attempt in range(SPAWN_ATTEMPTS):
        try:
            with confine.SPAWN_LOCK:
                return subprocess.Popen([program], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, cwd=cwd, env=env, close_fds=True,
                                        start_new_session=True, preexec_fn=preexec)
        except OSError as e:
            if e.errno != errno.ETXTBSY or attempt == SPAWN_ATTEMPTS - 1:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.25)
    raise AssertionError("unreachable")


def _kill_group(proc: subprocess.Popen, identity: confine.Identity | None = None) -> None:
    """SIGKILL the child's process group and, when it ran as a throwaway uid, every process of
    that uid (a setsid() leaves the group, not the uid)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    confine.kill_all(identity)


def _communicate(proc: subprocess.Popen, stdin: bytes, timeout_s: float, out_cap: int) -> RawRun:
    """Like Popen.communicate, with caps on what is read and a kill of the group at the deadline."""
    deadline = time.monotonic() + timeout_s
    bufs = {proc.stdout: bytearray(), proc.stderr: bytearray()}
    caps = {proc.stdout: out_cap, proc.stderr: STDERR_CAP}
    names = {proc.stdout: "stdout", proc.stderr: "stderr"}
    sel = selectors.DefaultSelector()
    for f in (proc.stdout, proc.stderr):
        os.set_blocking(f.fileno(), False)
        sel.register(f, selectors.EVENT_READ)
    pending = memoryview(stdin)
    if pending:
        os.set_blocking(proc.stdin.fileno(), False)
        sel.register(proc.stdin, selectors.EVENT_WRITE)
    else:
        proc.stdin.close()
    timed_out, overflow = False, None
    try:
        exited_at = None
        while sel.get_map():
            now = time.monotonic()
            left = deadline - now
            if left <= 0:
                timed_out = exited_at is None
                break
            if exited_at is None and proc.poll() is not None:
                # the program is gone; a process it left behind may hold its pipes open
                exited_at = now
                deadline = min(deadline, now + EXIT_GRACE_S)
            for key, _ in sel.select(min(left, 1.0)):
                f = key.fileobj
                if f is proc.stdin:
                    try:
                        n = os.write(f.fileno(), pending[:65536])
                    except BlockingIOError:
                        continue
                    except (BrokenPipeError, OSError):
                        n = len(pending)
                    pending = pending[n:]
                    if not pending:
                        sel.unregister(f)
                        f.close()
                    continue
                try:
                    chunk = os.read(f.fileno(), 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    sel.unregister(f)
                    continue
                buf = bufs[f]
                buf += chunk
                if len(buf) > caps[f]:
                    overflow = names[f]
                    del buf[caps[f]:]
                    raise _Overflow
    except _Overflow:
        pass
    finally:
        sel.close()
        if not proc.stdin.closed:
            try:
                proc.stdin.close()
            except OSError:
                pass
    if timed_out or overflow:
        _kill_group(proc)
        status = proc.wait()
    else:
        try:
            status = proc.wait(timeout=max(0.0, deadline - time.monotonic()) + 0.5)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            status = proc.wait()
    for f in (proc.stdout, proc.stderr):
        f.close()
    return RawRun(status, bytes(bufs[proc.stdout]), bytes(bufs[proc.stderr]), timed_out, overflow)


class _Overflow(Exception):
    pass


# ------------------------------------------------------------------------------- interpreting it

def _metrics(stderr: bytes) -> tuple[dict | None, bytes, str | None]:
    """(the metrics object, the rest of stderr, why there is none)."""
    lines = stderr.split(b"\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return None, b"", "the program wrote no metrics line on stderr"
    last = lines[-1].strip()
    rest = b"\n".join(lines[:-1])
    try:
        m = json.loads(last.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None, stderr, "the last line on stderr is not the runtime's metrics JSON"
    if not isinstance(m, dict) or not isinstance(m.get("mem_stats"), dict) or "leak_free" not in m:
        return None, stderr, "the metrics line on stderr lacks mem_stats / leak_free"
    return m, rest, None


def _int(v, default=0) -> int:
    return v if isinstance(v, int) and not isinstance(v, bool) else default


def _describe_signal(sig: int) -> str:
    try:
        name = signal.Signals(sig).name
    except ValueError:
        name = f"signal {sig}"
    text = signal.strsignal(sig) or ""
    return f"{name} ({text.lower()})" if text else name


def interpret(raw: RawRun, report: RunReport, *, timeout_s: float, mem_cap: int) -> None:
    """Fill the report from what the process did."""
    sm = report.source_map
    report.exit_status = raw.status
    if raw.start_error is not None:
        report.trap = Trap("crash", f"the program could not be started: {raw.start_error}",
                           0, sm.entry)
        return
    report.ran = True
    metrics, rest, why = _metrics(raw.stderr)
    report.stderr = rest
    if metrics is not None:
        stats = metrics.get("mem_stats") or {}
        report.mem_stats = {k: _int(stats.get(k)) for k in MEM_COUNTERS}
        report.leak_free = metrics.get("leak_free") is True
        report.fuel_used = _int(metrics.get("fuel_used"))
        described: dict[tuple[str, int], str] = {}
        for i, v in enumerate(metrics.get("violations") or ()):
            if isinstance(v, dict):
                n = _int(v.get("node"))
                kind = str(v.get("kind") or "borrow")
                message = str(v.get("message") or "borrow violation")
                if i < MAX_DESCRIBED:   # the rest keep the runtime's terse text
                    message = describe_violation(sm, kind, message, n, _int(v.get("owner_node")),
                                                 _int(v.get("event_node")), _int(v.get("view_node")))
                    described.setdefault((kind, n), message)
                report.borrow_violations.append(BorrowViolation(kind, message, n, sm.locate(n)))
        t = metrics.get("trap")
        if isinstance(t, dict):
            n = _int(t.get("node"))
            code = str(t.get("code") or "trap")
            # a use-after-free trap is also the last violation recorded: same words for both
            message = described.get((code, n)) or str(t.get("message") or "trapped")
            report.trap = Trap(code, message, n, sm.locate(n))
    # The process, in the order that explains the most.
    if raw.timed_out:
        # Fuel exhaustion is a trap the runtime reports itself, so a program killed at the
        # deadline still had fuel: it was busy (long or quadratic work), not runaway.
        report.trap = Trap("timeout", f"the program was still running when the wall-time limit "
                           f"of {timeout_s:g} s ran out, with fuel left (long-running work, such "
                           "as a loop that is quadratic in its input); it was stopped", 0, sm.entry)
    elif raw.overflow:
        limit = "the output limit" if raw.overflow == "stdout" else "the 1 MiB stderr limit"
        report.trap = Trap("protocol", f"killed: the program wrote past {limit} on {raw.overflow}",
                           0, sm.entry)
    elif raw.status is not None and raw.status < 0:
        sig = -raw.status
        if sig == signal.SIGXCPU:
            msg = ("the program was still running when its CPU time limit (derived from the "
                   f"{timeout_s:g} s wall-time limit) ran out, with fuel left; it was stopped (SIGXCPU)")
        elif sig == signal.SIGXFSZ:
            msg = "killed: the program tried to write a file (SIGXFSZ)"
        elif sig == signal.SIGSYS:
            msg = ("sandbox violation: the program made a system call the sandbox forbids and "
                   "was killed (SIGSYS)")
        else:
            msg = f"the program crashed: killed by {_describe_signal(sig)}"
        code = {signal.SIGXCPU: "timeout", signal.SIGSYS: "sandbox"}.get(sig, "crash")
        report.trap = Trap(code, msg, 0, sm.entry)
    elif metrics is None:
        report.trap = Trap("protocol", f"{why} (exit status {raw.status})", 0, sm.entry)
    elif raw.status == EXIT_RAN:
        if report.trap is not None:
            report.trap = Trap("protocol", "the program exited with status 0 but its metrics "
                               f"report a trap: {report.trap.message}", 0, sm.entry)
        _read_output(raw.stdout, report)
    elif raw.status == EXIT_TRAPPED:
        if report.trap is None:
            report.trap = Trap("protocol", "the program exited with status 3 (trapped) but its "
                               "metrics line names no trap", 0, sm.entry)
    elif raw.status == EXIT_BAD_INPUT:
        if report.trap is None:
            report.trap = Trap("bad_input", "the runtime rejected its input framing", 0, sm.entry)
    else:
        report.trap = Trap("protocol", f"the program exited with unexpected status {raw.status}",
                           0, sm.entry)
    if report.trap is not None:
        # A program stopped by a trap never reached its drops: what was live then is no leak.
        report.leak_free = None


def _read_output(stdout: bytes, report: RunReport) -> None:
    sm = report.source_map
    if len(stdout) < 4:
        report.trap = Trap("protocol", f"the program's stdout is not framed output "
                           f"({len(stdout)} bytes, expected u32_le length + bytes)", 0, sm.entry)
        return
    n = int.from_bytes(stdout[:4], "little")
    if len(stdout) != 4 + n:
        report.trap = Trap("protocol", f"the program's stdout is not framed output (length prefix "
                           f"{n}, {len(stdout) - 4} bytes follow)", 0, sm.entry)
        return
    report.output = stdout[4:]


def _event_findings(report: RunReport) -> None:
    sm = report.source_map
    if report.trap is not None:
        t = report.trap
        if t.code == "sandbox":
            report.add_finding(SANDBOX, t.location or sm.entry, t.message)
        else:
            report.add_finding(TRAPPED, t.location or sm.entry, f"the program trapped ({t.code}): {t.message}")
    if report.leak_free is False and report.trap is None:
        stats = report.mem_stats or {}
        report.add_finding(LEAKED, sm.entry,
                           f"memory leaked: {stats.get('live_bytes', 0)} bytes in "
                           f"{stats.get('live_allocs', 0)} allocation(s) still live at exit")
    for v in report.borrow_violations:
        report.add_finding(BORROW, v.location or sm.entry, f"borrow broken at run time ({v.kind}): {v.message}")


# ------------------------------------------------------------------------------- entry points

def run_c(c_source: str, *, path: str | None = None, data: bytes = b"", nodes=(),
          entry_span: Span | None = None, input: bytes = b"", debug_borrows: bool = False,
          fuel: int = DEFAULT_FUEL, mem_cap: int = DEFAULT_MEM_CAP,
          timeout_s: float = DEFAULT_TIMEOUT_S, cache_dir=None, env: dict | None = None,
          runtime=None, report: RunReport | None = None, unconfined: bool = False) -> RunReport:
    """Build and run one C translation unit (calling rt_main) against the bundled runtime.

    `path` / `data` / `nodes` / `entry_span` describe the X07 source the C stands for, so events
    map back to it; `env` replaces os.environ for finding the compiler and the cache; `runtime`
    (a compile.Runtime) replaces the bundled runtime sources. Where the program cannot be
    confined (no seccomp) the run is refused (CUS-RUN-0006) unless `unconfined`."""
    if report is None:
        report = RunReport(path, SourceMap(path, data, nodes,
                                           Location(path, entry_span or Span(0, 0))))
    sm = report.source_map
    why = None if unconfined else confine.seccomp_unavailable()
    if why is not None:
        report.add_finding(SANDBOX, sm.entry, f"custody run refused to run the program: {why}, "
                           "so it cannot be confined; pass --unconfined to run it anyway")
        return report
    try:
        exe = Toolchain.create(cache_dir, env, runtime).build(c_source)
    except BuildError as e:
        report.add_finding(BUILD, sm.entry, str(e))
        return report
    raw = execute(exe, input, fuel=fuel, mem_cap=mem_cap, debug_borrows=debug_borrows,
                  timeout_s=timeout_s, unconfined=unconfined)
    interpret(raw, report, timeout_s=timeout_s, mem_cap=mem_cap)
    _event_findings(report)
    return report


def _entry_span(parsed, entry: str | None) -> Span:
    m = parsed.module if parsed is not None else None
    if m is not None:
        if entry:
            for d in m.decls:
                if d.name == entry:
                    return d.name_span or d.value.span
        if m.solve is not None:
            e = m.root.entry("solve") if m.root is not None and hasattr(m.root, "entry") else None
            return e.key_span if e is not None and getattr(e, "key_span", None) else m.solve.span
    return Span(0, 0)


def run_file(path: str | None, data: bytes | None = None, *, input: bytes = b"",
             debug_borrows: bool = False, fuel: int = DEFAULT_FUEL,
             mem_cap: int = DEFAULT_MEM_CAP, timeout_s: float = DEFAULT_TIMEOUT_S,
             entry: str | None = None, unchecked: bool = False, resolver=None, engine=None,
             cache_dir=None, env: dict | None = None, unconfined: bool = False) -> RunReport:
    """Check, translate, build and run an X07 file; never raises for anything the program does."""
    if data is None:
        data = Path(path).read_bytes()
    if engine is None:
        from custody.analysis.engine import Engine
        engine = Engine()
    result = engine.check(path, data)
    static = list(result.analysis.findings)
    entry_loc = Location(path, _entry_span(result.parsed, entry))
    try:
        from .emit_c import emit_program
    except ImportError as e:
        report = RunReport(path, SourceMap(path, data, (), entry_loc), findings=static)
        report.add_finding(BUILD, entry_loc, f"custody run's C emitter is not available ({e})")
        return report
    try:
        emitted = emit_program(path, data, entry=entry, resolver=resolver, unchecked=unchecked)
    except Exception as e:  # a bug in the emitter must not look like the user's fault
        report = RunReport(path, SourceMap(path, data, (), entry_loc), findings=static)
        report.add_finding(BUILD, entry_loc, f"internal error translating the program to C "
                           f"({type(e).__name__}: {e}); please report it")
        return report
    report = RunReport(path, SourceMap(path, data, emitted.nodes, entry_loc), findings=static)
    if emitted.unsupported or emitted.c_source is None:
        for f in emitted.unsupported:
            report.findings.append(f)
        if not emitted.unsupported:
            report.add_finding(BUILD, entry_loc, "the program could not be translated to C")
        return report
    return run_c(emitted.c_source, input=input, debug_borrows=debug_borrows, fuel=fuel,
                 mem_cap=mem_cap, timeout_s=timeout_s, cache_dir=cache_dir, env=env,
                 report=report, unconfined=unconfined)
