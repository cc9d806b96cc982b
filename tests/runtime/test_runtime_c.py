"""The C runtime (runtime_c/src): its C unit tests under sanitizers and valgrind, a pedantic
warnings build, and the solver ABI end to end through a small program run as a subprocess."""
from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from custody.runtime.compile import BuildError, find_compiler

ROOT = Path(__file__).resolve().parents[2]
RT = ROOT / "runtime_c"
INCLUDE = RT / "include"
CDIR = Path(__file__).resolve().parent / "c"
CORE = [RT / "src" / n for n in ("rt_heap.c", "rt_borrow.c", "rt_core.c", "rt_sandbox.c")]
SANITIZE = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-fsanitize=address,undefined",
            "-fno-sanitize-recover=all", "-g"]
PEDANTIC = ["-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror"]
UNIT_TESTS = ["test_heap", "test_borrow"]
METRIC_KEYS = {"fuel_used", "mem_stats", "leak_free", "debug_stats", "violations", "trap"}
MEM_KEYS = {"alloc_calls", "realloc_calls", "free_calls", "bytes_alloc_total",
            "bytes_freed_total", "live_bytes", "peak_live_bytes", "live_allocs",
            "peak_live_allocs", "memcpy_bytes"}


def _cc() -> list[str]:
    try:
        return list(find_compiler().argv)
    except BuildError as e:
        pytest.skip(str(e))


def _compile(out: Path, sources: list[Path], flags: list[str]) -> Path:
    r = subprocess.run([*_cc(), *flags, f"-I{INCLUDE}", *map(str, sources), "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, f"compile failed:\n{r.stderr}"
    return out


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    return tmp_path_factory.mktemp("rt-c")


# ---------------------------------------------------------------- C unit tests
@pytest.mark.parametrize("name", UNIT_TESTS)
def test_c_unit_tests_pass_under_asan_and_ubsan(build, name):
    exe = _compile(build / f"{name}-san", [CDIR / f"{name}.c", *CORE], SANITIZE)
    r = subprocess.run([str(exe)], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=0"})
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ALL PASSED" in r.stdout
    assert "FAIL" not in r.stderr


@pytest.mark.parametrize("name", UNIT_TESTS)
def test_c_unit_tests_pass_under_valgrind(build, name):
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        pytest.skip("valgrind is not on PATH: the valgrind run of the C unit tests is skipped")
    exe = _compile(build / f"{name}-vg", [CDIR / f"{name}.c", *CORE],
                   ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O1", "-g"])
    r = subprocess.run([valgrind, "-q", "--error-exitcode=99", "--leak-check=full",
                        "--errors-for-leak-kinds=definite", "--child-silent-after-fork=yes",
                        str(exe)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ALL PASSED" in r.stdout


def _runtime_sources() -> list[Path]:
    return sorted((RT / "src").glob("*.c"))


@pytest.mark.parametrize("source", _runtime_sources(), ids=lambda p: p.name)
@pytest.mark.parametrize("opt", ["-O0", "-O2"])
def test_runtime_compiles_pedantic_warning_free(build, source, opt):
    _compile(build / f"{source.stem}{opt}.o", [source], [*PEDANTIC, opt, "-c"])


# ---------------------------------------------------------------- the solver ABI end to end
@pytest.fixture(scope="module")
def prog(build):
    return _compile(build / "abi_prog", [CDIR / "abi_prog.c", *CORE],
                    ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O2"])


def frame(data: bytes) -> bytes:
    return struct.pack("<I", len(data)) + data


def _bounded_stack() -> None:
    """An 8 MiB stack in the child, so the stack-overflow case overflows soon whatever the
    caller's limit (it may be unlimited)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    limit = 8 << 20 if hard == resource.RLIM_INFINITY else min(8 << 20, hard)
    resource.setrlimit(resource.RLIMIT_STACK, (limit, hard))


def run(prog: Path, data: bytes | None = None, raw: bytes | None = None, **env: str):
    """(exit status, output bytes or None when not framed, metrics dict)."""
    stdin = raw if raw is not None else frame(data or b"")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CUSTODY_")}
    full_env.update(env)
    r = subprocess.run([str(prog)], input=stdin, capture_output=True, timeout=60, env=full_env,
                       preexec_fn=_bounded_stack)
    lines = r.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1, r.stderr
    metrics = json.loads(lines[0])
    assert set(metrics) == METRIC_KEYS
    assert set(metrics["mem_stats"]) == MEM_KEYS
    out = None
    if len(r.stdout) >= 4:
        (n,) = struct.unpack("<I", r.stdout[:4])
        assert len(r.stdout) == 4 + n
        out = r.stdout[4:]
    else:
        assert r.stdout == b""
    return r.returncode, out, metrics


def test_solve_round_trip_with_metrics(prog):
    rc, out, m = run(prog, b"upper:hello, world")
    assert rc == 0
    assert out == b"UPPER:HELLO, WORLD"
    assert m["trap"] is None and m["violations"] == []
    assert m["leak_free"] is True
    s = m["mem_stats"]
    # the input buffer is not counted (epoch reset); the one copy is allocated and dropped
    assert s["alloc_calls"] == 1 and s["free_calls"] == 1
    assert s["bytes_alloc_total"] == s["bytes_freed_total"] == s["memcpy_bytes"] == 18
    assert s["live_bytes"] == s["live_allocs"] == 0
    assert s["peak_live_bytes"] == 18 and s["peak_live_allocs"] == 1
    assert m["debug_stats"] == {"borrow_violations": 0}
    assert m["fuel_used"] == 0


def test_empty_and_large_inputs_echo_exactly(prog):
    rc, out, m = run(prog, b"")
    assert (rc, out, m["leak_free"]) == (0, b"", True)
    blob = bytes((i * 7919) % 251 for i in range(1 << 20)) + b"\x00\xff"
    rc, out, m = run(prog, blob)
    assert rc == 0 and out == blob
    assert m["mem_stats"]["peak_live_bytes"] == len(blob)


def test_leak_is_reported(prog):
    rc, out, m = run(prog, b"leak:x")
    assert rc == 0 and out == b"leak:x"
    assert m["leak_free"] is False
    assert m["mem_stats"]["live_bytes"] == 10 and m["mem_stats"]["live_allocs"] == 1


def test_fuel_is_counted_and_exhaustion_traps(prog):
    rc, out, m = run(prog, b"count:1234")
    assert rc == 0 and m["fuel_used"] == 1234
    rc, out, m = run(prog, b"fuel:", CUSTODY_FUEL="5000")
    assert rc == 3 and out is None
    assert m["trap"]["code"] == "fuel" and m["trap"]["node"] == 4
    assert "5000" in m["trap"]["message"]
    assert m["fuel_used"] == 5000


def test_allocation_over_the_cap_traps_oom(prog):
    rc, out, m = run(prog, b"oom:")
    assert rc == 3 and out is None
    assert m["trap"]["code"] == "oom" and m["trap"]["node"] == 5
    # CUSTODY_MEM_CAP is honoured: the input and its copy fit 8 KiB at 3000 bytes, not at 5000
    rc, out, m = run(prog, b"upper:" + b"a" * 3000, CUSTODY_MEM_CAP="8192")
    assert rc == 0 and out == b"UPPER:" + b"A" * 3000
    rc, out, m = run(prog, b"upper:" + b"a" * 5000, CUSTODY_MEM_CAP="8192")
    assert rc == 3 and m["trap"]["code"] == "oom" and m["trap"]["node"] == 1
    assert "8192-byte cap" in m["trap"]["message"]


@pytest.mark.parametrize("mode, signal_name", [("null:", "SIGSEGV"), ("stack:", "SIGSEGV"),
                                                ("fpe:", "SIGFPE")])
def test_crash_reports_a_metrics_line(prog, mode, signal_name):
    if mode == "fpe:" and platform.machine().lower() not in ("x86_64", "amd64", "i386", "i686"):
        pytest.skip("integer division by zero raises SIGFPE only on x86")
    rc, out, m = run(prog, mode.encode())
    assert rc == 3 and out is None
    assert m["trap"]["code"] == "crash" and m["trap"]["node"] == 0
    assert m["trap"]["message"].startswith(signal_name)
    assert m["mem_stats"]["alloc_calls"] == 1        # the stats up to the crash are kept


def test_runtime_trap_code_and_node(prog):
    rc, out, m = run(prog, b"bounds:")
    assert rc == 3
    assert m["trap"] == {"code": "bounds", "node": 9,
                         "message": "get_u8: index 5 out of range for length 3"}


def test_debug_borrows_from_the_environment(prog):
    rc, out, m = run(prog, b"borrows:", CUSTODY_DEBUG_BORROWS="1")
    assert rc == 0 and out == b"borrows:" and m["leak_free"] is True
    assert m["debug_stats"]["borrow_violations"] == 2
    assert m["violations"] == [
        {"kind": "conflicting_borrow", "node": 12, "owner_node": 10, "event_node": 0, "view_node": 11,
         "message": "bytes.set_u8 while borrowed: the value is borrowed by a view"},
        {"kind": "released_borrow", "node": 13, "owner_node": 0, "event_node": 0, "view_node": 0,
         "message": 'quote " backslash \\ newline \n tab \t bell \x07 bad \ufffd\ufffd ok \u00e9'},
    ]
    rc, out, m = run(prog, b"borrows:", CUSTODY_DEBUG_BORROWS="0")
    assert rc == 0 and m["debug_stats"]["borrow_violations"] == 0 and m["violations"] == []


def test_use_after_free_traps_with_debug_borrows(prog):
    rc, out, m = run(prog, b"uaf:", CUSTODY_DEBUG_BORROWS="1")
    assert rc == 3 and out is None
    assert m["trap"]["code"] == "use_after_free" and m["trap"]["node"] == 23
    assert [v["kind"] for v in m["violations"]] == ["drop_while_borrowed", "use_after_free"]


@pytest.mark.parametrize("raw", [b"", b"ab", struct.pack("<I", 10) + b"abc",
                                 frame(b"abc") + b"trailing"],
                         ids=["empty", "short-prefix", "short-body", "trailing-bytes"])
def test_bad_framing_exits_2(prog, raw):
    rc, out, m = run(prog, raw=raw)
    assert rc == 2 and out is None
    assert m["trap"]["code"] == "bad_input"


def test_bad_environment_exits_2(prog):
    rc, out, m = run(prog, b"x", CUSTODY_FUEL="lots")
    assert rc == 2 and m["trap"]["code"] == "bad_input" and "CUSTODY_FUEL" in m["trap"]["message"]
