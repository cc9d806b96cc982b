"""The runtime's own sandbox (runtime_c/src/rt_sandbox.c), without the runner's defences.

C programs linked with the runtime (tests/security/c/) run directly as subprocesses: rt_main
enters the seccomp sandbox after reading stdin, then the solver tries one forbidden thing. Each
attempt must end as the runtime's "sandbox" trap with its own message -- not a silent kill, not
a crash, and not success (which the program would report as "escaped:<what>").
"""
from __future__ import annotations

import json
import os
import platform
import re
import signal
import struct
import subprocess
from pathlib import Path

import pytest

from custody.runtime import confine
from custody.runtime.compile import BuildError, Toolchain

CDIR = Path(__file__).resolve().parent / "c"

if confine.seccomp_unavailable():
    pytest.skip(f"this machine cannot run the seccomp sandbox: {confine.seccomp_unavailable()}",
                allow_module_level=True)


@pytest.fixture(scope="module")
def toolchain(tmp_path_factory):
    try:
        return Toolchain.create(tmp_path_factory.mktemp("sandbox-cache"))
    except BuildError as e:
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def hostile(toolchain):
    return toolchain.build((CDIR / "hostile.c").read_text(encoding="utf-8"))


def run(exe: Path, data: bytes, **env: str) -> tuple[int, bytes | None, dict]:
    """(exit status, the framed output or None, the metrics line)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CUSTODY_")}
    full_env.update(env)
    r = subprocess.run([str(exe)], input=struct.pack("<I", len(data)) + data,
                       capture_output=True, timeout=60, env=full_env)
    lines = r.stderr.decode("utf-8", "replace").splitlines()
    assert lines, f"no metrics line (status {r.returncode})"
    metrics = json.loads(lines[-1])
    out = None
    if len(r.stdout) >= 4:
        (n,) = struct.unpack("<I", r.stdout[:4])
        out = r.stdout[4:4 + n]
    return r.returncode, out, metrics


ATTEMPTS = [
    ("open", "sandbox violation: the program tried to open a file"),
    ("socket", "sandbox violation: the program tried to open a network socket"),
    ("fork", "sandbox violation: the program tried to start a process"),
    ("execve", "sandbox violation: the program tried to run another program"),
    ("kill", "sandbox violation: the program tried to signal a process"),
    ("ptrace", "sandbox violation: the program tried to trace a process"),
    ("mmap_exec", "sandbox violation: the program tried to map executable memory"),
    ("mprotect_exec", "sandbox violation: the program tried to map executable memory"),
]


@pytest.mark.parametrize("attempt, message", ATTEMPTS, ids=[a for a, _ in ATTEMPTS])
def test_forbidden_system_call_is_the_sandbox_trap(hostile, attempt, message):
    status, out, m = run(hostile, attempt.encode())
    assert m["trap"] == {"code": "sandbox", "node": 0, "message": message}, (status, out)
    assert status == 3 and out is None


def test_other_system_calls_are_named(hostile):
    status, out, m = run(hostile, b"getpid")
    assert status == 3 and m["trap"]["code"] == "sandbox"
    assert re.fullmatch(r"sandbox violation: the program tried to make system call \d+ \(getpid\)",
                        m["trap"]["message"]), m["trap"]
    if platform.machine() == "x86_64":
        assert "system call 39 " in m["trap"]["message"]


def test_write_is_allowed_only_to_stdout_and_stderr(hostile):
    status, out, m = run(hostile, b"write_stdin")
    assert status == 3 and m["trap"]["code"] == "sandbox"
    assert m["trap"]["message"].endswith("(write)")


def test_what_a_solver_needs_still_works(hostile):
    """Large malloc / realloc / free (mmap, mremap, munmap, brk), the arena, output, metrics."""
    status, out, m = run(hostile, b"memory")
    assert (status, out, m["trap"]) == (0, b"ok:memory", None)
    assert m["leak_free"] is True and m["mem_stats"]["alloc_calls"] == 1
    status, out, m = run(hostile, b"anything else")
    assert (status, out, m["trap"]) == (0, b"ok", None)


def test_crash_inside_the_sandbox_is_still_reported(toolchain):
    exe = toolchain.build("""
#include "custody_rt.h"
static volatile int *volatile nowhere = 0;
static rt_bytes solve(rt_view in) { (void)in; *nowhere = 1; return rt_view_to_bytes(in, 1); }
int main(void) { return rt_main(solve); }
""")
    status, out, m = run(exe, b"x")
    assert status == 3 and m["trap"]["code"] == "crash" and m["trap"]["message"].startswith("SIGSEGV")


def test_seccomp_state_before_and_inside_solve(toolchain):
    """The filter is in force when solve runs (and the runtime read stdin before it)."""
    exe = toolchain.build("""
#include "custody_rt.h"
#include <string.h>
static rt_bytes solve(rt_view in) {
    rt_bytes b; const char *s = in.len == 5 ? "ok" : "bad";
    b.len = (uint32_t)strlen(s); b.ptr = (uint8_t *)rt_alloc(b.len, 1, 0); memcpy(b.ptr, s, b.len); b.oid = 0;
    return b;
}
int main(void) { return rt_main(solve); }
""")
    status, out, m = run(exe, b"12345")
    assert (status, out) == (0, b"ok")


def test_kernel_without_seccomp_refuses_the_run(toolchain):
    """rt_main cannot enter the sandbox: it traps instead of calling solve, unless unconfined."""
    exe = toolchain.build((CDIR / "no_seccomp.c").read_text(encoding="utf-8"))
    status, out, m = run(exe, b"hello")
    assert status == 3 and out is None
    assert m["trap"]["code"] == "sandbox"
    assert m["trap"]["message"].startswith("custody run refused to run the program")
    assert "--unconfined" in m["trap"]["message"] and "seccomp" in m["trap"]["message"]
    status, out, m = run(exe, b"hello", CUSTODY_UNCONFINED="1")
    assert (status, out, m["trap"]) == (0, b"hello", None)


def test_unconfined_does_not_switch_the_sandbox_off(hostile):
    """CUSTODY_UNCONFINED only permits running where there is no sandbox: a program (or a
    constructor that sets the variable) cannot use it to escape one that is available."""
    status, out, m = run(hostile, b"open", CUSTODY_UNCONFINED="1")
    assert status == 3 and m["trap"]["code"] == "sandbox"


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the i386 system call ABI is x86 only")
def test_a_foreign_system_call_abi_kills_the_process(hostile):
    """`int $0x80` (the i386 ABI, another numbering) cannot be matched against the allow-list:
    the filter kills the process outright (SIGSYS), which the runner reports as a sandbox trap."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CUSTODY_")}
    r = subprocess.run([str(hostile)], input=struct.pack("<I", 5) + b"int80", capture_output=True,
                       timeout=60, env=full_env)
    assert r.returncode == -signal.SIGSYS, (r.returncode, r.stdout, r.stderr)
    assert r.stdout == b""
