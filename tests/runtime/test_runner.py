"""The runner of `custody run`: build cache, sandboxed subprocess, protocol parsing, the report.

Most tests run hand-written C against a stand-in runtime (one empty source file): the program
speaks the solver protocol itself, so each test controls exactly what the runner sees. The tests
marked `needs_runtime` use the bundled runtime (rt_main, fuel, the capped heap).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from custody.analysis.source import Span
from custody.runtime import compile as build
from custody.runtime.report import MEM_COUNTERS, REPORT_KEYS
from custody.runtime.runner import run_c

needs_runtime = pytest.mark.skipif(not (build.RUNTIME_SRC / "rt_core.c").exists(),
                                   reason="the bundled runtime (runtime_c/src) has not landed")

SOURCE = b"{\n:solve (begin\n  (let x (bytes.lit \"a\"))\n  (loop forever))\n}\n"
NODES = [None, ("prog.x07t", Span(SOURCE.index(b"(let"), SOURCE.index(b"))\n  (loop") + 1)),
         ("prog.x07t", Span(SOURCE.index(b"(loop"), SOURCE.index(b"(loop") + len(b"(loop forever)")))]
ENTRY = Span(SOURCE.index(b":solve"), SOURCE.index(b":solve") + 6)
RANGE_LET = {"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 24}}
RANGE_LOOP = {"start": {"line": 3, "character": 2}, "end": {"line": 3, "character": 16}}
RANGE_ENTRY = {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 6}}

STATS = {k: 0 for k in MEM_COUNTERS}


def c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def protocol_program(metrics: dict | str, status: int = 0, upper: bool = True, extra: str = "") -> str:
    """A C program that speaks the solver protocol without the runtime: framed input in, the
    input (upper-cased) framed out, the given metrics line on stderr, the given exit status."""
    line = metrics if isinstance(metrics, str) else json.dumps(metrics)
    return f"""
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
static unsigned char buf[1 << 16];
int main(void) {{
    unsigned char h[4];
    if (fread(h, 1, 4, stdin) != 4) return 2;
    uint32_t n = h[0] | h[1] << 8 | h[2] << 16 | (uint32_t)h[3] << 24;
    n = (uint32_t)fread(buf, 1, n, stdin);
    for (uint32_t i = 0; i < n; i++)
        if ({int(upper)} && buf[i] >= 'a' && buf[i] <= 'z') buf[i] -= 32;
    {extra}
    fwrite(h, 1, 4, stdout);
    fwrite(buf, 1, n, stdout);
    fputs({c_string(line)} "\\n", stderr);
    return {status};
}}
"""


def metrics(**over) -> dict:
    m = {"fuel_used": 7, "mem_stats": dict(STATS), "leak_free": True,
         "debug_stats": {"borrow_violations": 0}, "violations": [], "trap": None}
    m.update(over)
    return m


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory) -> build.Runtime:
    """A runtime of one empty source file, with the bundled headers."""
    d = tmp_path_factory.mktemp("stand_in_rt")
    (d / "rt_stand_in.c").write_text("int custody_stand_in_runtime;\n")
    return build.Runtime.load(d)


def run(src: str, cache: Path, runtime=None, **kw):
    kw.setdefault("path", "prog.x07t")
    kw.setdefault("data", SOURCE)
    kw.setdefault("nodes", NODES)
    kw.setdefault("entry_span", ENTRY)
    return run_c(src, cache_dir=cache, runtime=runtime, **kw)


# ------------------------------------------------------------------------------- the report

def test_output_and_exactly_the_report_keys(cache, stand_in):
    r = run(protocol_program(metrics()), cache, stand_in, input=b"hello")
    assert r.ok and r.ran and r.output == b"HELLO" and r.trap is None
    assert r.leak_free is True and r.fuel_used == 7 and r.borrow_violations == []
    j = r.to_json()
    assert tuple(j) == REPORT_KEYS
    assert j["output_hex"] == b"HELLO".hex() and j["output_text"] == "HELLO"
    assert set(j["mem_stats"]) == set(MEM_COUNTERS)
    assert j["diagnostics"] == []
    json.dumps(j)


def test_output_text_only_when_utf8(cache, stand_in):
    r = run(protocol_program(metrics(), upper=False), cache, stand_in, input=b"\xff\x00")
    j = r.to_json()
    assert r.ok and "output_text" not in j and j["output_hex"] == "ff00"
    assert set(j) == set(REPORT_KEYS) - {"output_text"}


def test_violations_and_leak_map_to_source_ranges(cache, stand_in):
    m = metrics(leak_free=False, mem_stats={**STATS, "live_bytes": 5, "live_allocs": 1},
                violations=[{"kind": "released_borrow", "node": 2, "message": "access through a released view"},
                            {"kind": "drop_while_borrowed", "node": 1, "message": "x dropped while borrowed"}])
    r = run(protocol_program(m), cache, stand_in)
    assert not r.ok and r.leak_free is False
    assert [v.kind for v in r.borrow_violations] == ["released_borrow", "drop_while_borrowed"]
    assert r.borrow_violations[0].span == NODES[2][1]
    j = r.to_json()
    assert j["borrow_violations"] == [
        {"range": RANGE_LOOP, "message": "access through a released view"},
        {"range": RANGE_LET, "message": "x dropped while borrowed"}]
    by_code = {}
    for d in j["diagnostics"]:
        by_code.setdefault(d["code"], []).append(d)
    assert [d["range"] for d in by_code["CUS-RUN-0004"]] == [RANGE_LOOP, RANGE_LET]
    assert by_code["CUS-RUN-0003"][0]["range"] == RANGE_ENTRY
    assert "5 bytes" in by_code["CUS-RUN-0003"][0]["message"]
    assert all(d["path"] == "prog.x07t" and d["severity"] == "error" for d in j["diagnostics"])


def test_trap_in_metrics_maps_to_its_node(cache, stand_in):
    m = metrics(trap={"code": "bounds", "node": 2, "message": "index 9 out of range 0..1"})
    r = run(protocol_program(m, status=3), cache, stand_in)
    assert r.trap.code == "bounds" and r.trap.span == NODES[2][1]
    j = r.to_json()
    assert j["trap"] == {"code": "bounds", "message": "index 9 out of range 0..1", "range": RANGE_LOOP}
    assert [d["code"] for d in j["diagnostics"]] == ["CUS-RUN-0002"]
    assert j["diagnostics"][0]["range"] == RANGE_LOOP


# ------------------------------------------------------------------------------- the build cache

def test_second_run_is_a_cache_hit(cache, stand_in):
    src = protocol_program(metrics())
    before = dict(build.STATS)
    first = run(src, cache, stand_in, input=b"a")
    assert build.STATS["executables"] == before["executables"] + 1
    assert build.STATS["runtime_objects"] == before["runtime_objects"] + 1
    exe = build.Toolchain.create(cache, runtime=stand_in).executable_path(src)
    stamp = exe.stat().st_mtime_ns
    second = run(src, cache, stand_in, input=b"b")
    assert build.STATS["executables"] == before["executables"] + 1   # nothing compiled
    assert build.STATS["runtime_objects"] == before["runtime_objects"] + 1
    assert exe.stat().st_mtime_ns == stamp
    assert (first.output, second.output) == (b"A", b"B")
    # another program reuses the runtime's objects; no temporary files are left behind
    run(protocol_program(metrics(fuel_used=8)), cache, stand_in)
    assert build.STATS["runtime_objects"] == before["runtime_objects"] + 1
    assert build.STATS["executables"] == before["executables"] + 2
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


def test_runtime_change_invalidates_the_executable(cache, stand_in, tmp_path):
    src = protocol_program(metrics())
    run(src, cache, stand_in)
    changed = build.Runtime(list(stand_in.sources) + [("rt_more.c", b"int custody_more;\n")],
                            stand_in.headers, stand_in.include_dirs)
    before = dict(build.STATS)
    assert run(src, cache, changed).ok
    assert build.STATS["executables"] == before["executables"] + 1


def test_concurrent_builds_share_the_cache(cache, stand_in):
    from concurrent.futures import ThreadPoolExecutor
    src = protocol_program(metrics(fuel_used=99))
    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda i: run(src, cache, stand_in, input=b"x%d" % i), range(4)))
    assert [r.output for r in reports] == [b"X%d" % i for i in range(4)]
    assert len(list((cache / "bin").iterdir())) == 1
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]


def test_cache_dir_comes_from_the_environment(tmp_path):
    assert build.default_cache_dir({"CUSTODY_CACHE_DIR": str(tmp_path / "a")}) == tmp_path / "a"
    assert build.default_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "custody"
    assert build.default_cache_dir({}) == Path.home() / ".cache" / "custody"


# ------------------------------------------------------------------------------- failures

def test_compiler_error_is_cus_run_0005_with_its_first_lines(cache, stand_in):
    r = run("int main(void) { return not_declared_anywhere; }\n", cache, stand_in)
    assert not r.ran and not r.ok and not r.built
    (f,) = r.findings
    assert f.code == "CUS-RUN-0005" and "not_declared_anywhere" in f.message
    j = r.to_json()
    assert j["trap"] is None and j["mem_stats"] is None and j["leak_free"] is None
    assert j["diagnostics"][0]["range"] == RANGE_ENTRY


@pytest.mark.parametrize("env", [{"CC": "/nonexistent", "PATH": "/usr/bin:/bin"},
                                 {"PATH": "{empty}"}], ids=["bad-CC", "no-compiler-on-PATH"])
def test_missing_compiler_is_cus_run_0005(cache, stand_in, tmp_path, env):
    env = {k: v.replace("{empty}", str(tmp_path)) for k, v in env.items()}
    r = run(protocol_program(metrics()), cache, stand_in, env=env)
    (f,) = r.findings
    assert f.code == "CUS-RUN-0005" and "compiler" in f.message and not r.ran


def test_segfault_is_a_crash_trap_and_the_caller_survives(cache, stand_in):
    r = run("int main(void) { *(volatile int *)0 = 1; return 0; }\n", cache, stand_in)
    assert r.ran and not r.ok
    assert r.trap.code == "crash" and "SIGSEGV" in r.trap.message
    j = r.to_json()
    assert j["trap"]["range"] == RANGE_ENTRY and j["diagnostics"][0]["code"] == "CUS-RUN-0002"


def test_sleeping_past_the_timeout_is_killed(cache, stand_in):
    src = ("#define _POSIX_C_SOURCE 200809L\n#include <unistd.h>\n"
           "int main(void) { if (fork() == 0) pause(); pause(); return 0; }\n")
    r = run(src, cache, stand_in, timeout_s=0.3)
    assert r.trap.code == "timeout" and "0.3 s" in r.trap.message and not r.ok


def test_garbage_on_stdout_and_stderr_is_reported(cache, stand_in):
    r = run('#include <stdio.h>\nint main(void) { puts("garbage"); fputs("not json\\n", stderr); return 0; }\n',
            cache, stand_in)
    assert r.trap.code == "protocol" and "metrics" in r.trap.message
    assert r.leak_free is None and r.mem_stats is None
    # a good metrics line but unframed stdout
    r = run(protocol_program(metrics(), extra='fputs("xx", stdout);'), cache, stand_in, input=b"abc")
    assert r.trap.code == "protocol" and "framed" in r.trap.message
    # nothing at all
    r = run("int main(void) { return 0; }\n", cache, stand_in)
    assert r.trap.code == "protocol" and "no metrics" in r.trap.message
    # a flood on stderr is cut off
    r = run('#include <stdio.h>\nint main(void) { for (;;) fputs("spam spam spam spam\\n", stderr); }\n',
            cache, stand_in)
    assert r.trap.code == "protocol" and "stderr" in r.trap.message


def test_exit_status_disagreeing_with_metrics_is_reported(cache, stand_in):
    r = run(protocol_program(metrics(), status=3), cache, stand_in)
    assert r.trap.code == "protocol" and "status 3" in r.trap.message
    r = run(protocol_program(metrics(), status=7), cache, stand_in)
    assert r.trap.code == "protocol" and "7" in r.trap.message


def test_child_sees_a_fresh_cwd_and_only_its_settings(cache, stand_in):
    extra = r"""
    { extern char **environ; FILE *f = fopen("scratch", "w"); if (f) { fputs("x", f); fclose(f); }
      n = 0; for (char **e = environ; *e; e++) n += (uint32_t)sprintf((char *)buf + n, "%s\n", *e);
      n += (uint32_t)sprintf((char *)buf + n, "files:"); 
      FILE *p = fopen("scratch", "r"); n += (uint32_t)sprintf((char *)buf + n, "%d", p != NULL); if (p) fclose(p);
      h[0] = n & 255; h[1] = n >> 8; h[2] = h[3] = 0; }
    """
    r = run("#define _POSIX_C_SOURCE 200809L\n" + protocol_program(metrics(), extra=extra), cache, stand_in,
            fuel=1234, mem_cap=1 << 20, debug_borrows=True)
    assert r.ok, r.trap
    lines = r.output.decode().splitlines()
    env = dict(line.split("=", 1) for line in lines[:-1])
    assert env["CUSTODY_FUEL"] == "1234" and env["CUSTODY_MEM_CAP"] == str(1 << 20)
    assert env["CUSTODY_DEBUG_BORROWS"] == "1"
    assert set(env) <= {"CUSTODY_FUEL", "CUSTODY_MEM_CAP", "CUSTODY_DEBUG_BORROWS", "LC_ALL"}
    # as root the run gets a throwaway uid and read-only mounts: it cannot write even its cwd
    assert lines[-1] == ("files:0" if os.geteuid() == 0 else "files:1")
    assert not (Path.cwd() / "scratch").exists()


def test_writing_a_big_file_is_stopped(cache, stand_in):
    extra = ('{ FILE *f = fopen("big", "w"); static char block[65536];'
             '  for (int i = 0; i < 64 && f; i++) fwrite(block, 1, sizeof block, f); if (f) fclose(f);'
             '  if (!f) { n = 7; for (int i = 0; i < 7; i++) buf[i] = (unsigned char)"no file"[i]; h[0] = 7; h[1] = h[2] = h[3] = 0; } }')
    r = run(protocol_program(metrics(), extra=extra), cache, stand_in)
    if os.geteuid() == 0:   # a throwaway uid on read-only mounts cannot create the file at all
        assert r.trap is None and r.output == b"no file"
    else:                   # the file size limit stops it
        assert r.trap.code == "crash" and "SIGXFSZ" in r.trap.message


def test_address_space_is_limited(cache, stand_in):
    extra = 'n = (uint32_t)sprintf((char *)buf, malloc((size_t)4 << 30) ? "got" : "refused"); h[0] = (unsigned char)n;'
    r = run(protocol_program(metrics(), upper=False, extra=extra), cache, stand_in, mem_cap=1 << 20)
    assert r.output == b"refused"


# ------------------------------------------------------------------------------- the real runtime

RT_PROGRAM = """
#include "custody_rt.h"
#include <string.h>
static rt_bytes custody_entry(rt_view input) {
%s
}
int main(void) { return rt_main(custody_entry); }
"""


@needs_runtime
def test_runtime_echo_is_leak_free(cache):
    body = """
    RT_TICK(1);
    rt_bytes out = rt_view_to_bytes(input, 1);
    for (uint32_t i = 0; i < out.len; i++) if (out.ptr[i] >= 'a' && out.ptr[i] <= 'z') out.ptr[i] -= 32;
    return out;"""
    r = run(RT_PROGRAM % body, cache, input=b"hello")
    assert r.ok, (r.trap, r.findings)
    assert r.output == b"HELLO" and r.leak_free is True and r.fuel_used >= 1
    assert r.mem_stats["alloc_calls"] >= 1 and r.mem_stats["live_bytes"] == 0


@needs_runtime
def test_runaway_loop_stops_at_the_fuel_limit(cache):
    r = run(RT_PROGRAM % "for (;;) RT_TICK(2);", cache, fuel=100_000)
    assert r.trap.code == "fuel" and r.trap.span == NODES[2][1]
    assert r.to_json()["trap"]["range"] == RANGE_LOOP
    assert r.fuel_used >= 100_000


@needs_runtime
def test_huge_allocation_stops_at_the_memory_cap(cache):
    body = "void *p = rt_alloc(0xF0000000u, 1, 1); rt_free(p, 0xF0000000u, 1); return rt_view_to_bytes(input, 1);"
    r = run(RT_PROGRAM % body, cache, mem_cap=1 << 20)
    assert r.trap.code == "oom" and r.to_json()["trap"]["range"] == RANGE_LET


@needs_runtime
def test_leak_is_reported(cache):
    r = run(RT_PROGRAM % "(void)rt_alloc(16, 1, 1); return rt_view_to_bytes(input, 1);", cache)
    assert r.trap is None and r.leak_free is False and not r.ok
    assert [f.code for f in r.findings] == ["CUS-RUN-0003"]


def test_exec_retried_while_another_fork_holds_the_copy_open(cache, stand_in, monkeypatch):
    """A child forked by another thread while the executable copy was open for writing keeps
    the descriptor until its own exec; the kernel refuses to exec the file (ETXTBSY) until
    then. The run waits that out instead of reporting "Text file busy"."""
    import errno
    import subprocess
    from custody.runtime import runner
    real, calls = subprocess.Popen, []

    def busy_twice(*a, **kw):
        if kw.get("preexec_fn") is None:      # the compiler, not the run
            return real(*a, **kw)
        calls.append(a[0])
        if len(calls) <= 2:
            raise OSError(errno.ETXTBSY, "Text file busy")
        return real(*a, **kw)

    monkeypatch.setattr(runner.subprocess, "Popen", busy_twice)
    r = run(protocol_program(metrics()), cache, stand_in, input=b"ok")
    assert len(calls) == 3 and r.ok and r.output == b"OK"


def test_exec_still_busy_after_the_retries_is_a_start_error(cache, stand_in, monkeypatch):
    import errno
    from custody.runtime import runner

    real = runner.subprocess.Popen

    def always_busy(*a, **kw):
        if kw.get("preexec_fn") is None:
            return real(*a, **kw)
        raise OSError(errno.ETXTBSY, "Text file busy")

    monkeypatch.setattr(runner.subprocess, "Popen", always_busy)
    monkeypatch.setattr(runner.time, "sleep", lambda s: None)
    r = run(protocol_program(metrics()), cache, stand_in)
    assert not r.ok and not r.ran and "Text file busy" in json.dumps(r.to_json())
