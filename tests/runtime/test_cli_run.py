"""`custody run`: exit codes, input options, text and JSON output, failures that are not the program's.

The in-process tests stand a fixed translation in for the emitter (so they test the command, not the
translation); the tests at the end run real .x07t programs through the real emitter and runtime.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from custody import cli, quantities
from custody.analysis.source import Span
from custody.runtime import compile as build
from custody.runtime.report import REPORT_KEYS

from test_runner import metrics, protocol_program

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = b"{\n:kind entry\n:module_id main\n:schema_version x07.x07ast@0.8.0\n:imports ()\n:decls ()\n:solve (view.to_bytes input)\n}\n"


def _have_emitter() -> bool:
    try:
        import custody.runtime.emit_c  # noqa: F401
    except ImportError:
        return False
    return (build.RUNTIME_SRC / "rt_core.c").exists()


needs_emitter = pytest.mark.skipif(not _have_emitter(), reason="the emitter or the runtime has not landed")


@pytest.fixture
def prog(tmp_path) -> Path:
    p = tmp_path / "prog.x07t"
    p.write_bytes(PROGRAM)
    return p


@pytest.fixture
def translate(monkeypatch, tmp_path):
    """Replace the emitter by one returning `translate.c` (a protocol-speaking C program) and the
    runtime by an empty stand-in; the cache lives in tmp_path."""
    rt_dir = tmp_path / "rt"
    rt_dir.mkdir()
    (rt_dir / "rt_stand_in.c").write_text("int custody_stand_in_runtime;\n")
    stand_in = build.Runtime.load(rt_dir)
    monkeypatch.setattr(build.Runtime, "load", classmethod(lambda cls, *a, **k: stand_in))
    monkeypatch.setenv("CUSTODY_CACHE_DIR", str(tmp_path / "cache"))
    state = types.SimpleNamespace(c=protocol_program(metrics()), unsupported=[], calls=[])
    solve = PROGRAM.index(b"(view.to_bytes")
    nodes = [None, (None, Span(solve, solve + len(b"(view.to_bytes input)")))]

    def emit_program(path, data, *, entry=None, resolver=None, unchecked=False):
        state.calls.append((path, entry))
        nodes[1] = (path, nodes[1][1])
        return types.SimpleNamespace(c_source=None if state.unsupported else state.c, nodes=nodes,
                                     unsupported=state.unsupported, entry=entry or "solve")

    monkeypatch.setitem(sys.modules, "custody.runtime.emit_c",
                        types.SimpleNamespace(emit_program=emit_program))
    return state


def main(capsys, *argv):
    code = cli.main(["run", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_run_exits_0_with_output_and_summary(translate, prog, capsys):
    code, out, err = main(capsys, prog, "--input-text", "hello")
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0] == "HELLO"
    assert "fuel used 7" in out and "leak-free" in out and lines[-1] == "custody run: ok"


def test_input_file_and_hex_output(translate, prog, tmp_path, capsys):
    inp = tmp_path / "in.bin"
    inp.write_bytes(b"\xff\xfeab")
    translate.c = protocol_program(metrics(), upper=False)
    code, out, _ = main(capsys, prog, "--input", inp)
    assert code == 0 and "fffe6162" in out.splitlines()[0]
    code, out, _ = main(capsys, prog, "--input", inp, "--format", "json")
    j = json.loads(out)
    assert code == 0 and j["output_hex"] == "fffe6162" and "output_text" not in j


def test_json_report_has_exactly_the_keys(translate, prog, capsys):
    code, out, _ = main(capsys, prog, "--input-text", "hi", "--format", "json", "--entry", "main.f")
    j = json.loads(out)
    assert code == 0 and list(j) == list(REPORT_KEYS)
    assert j["ok"] is True and j["output_text"] == "HI" and j["leak_free"] is True
    assert translate.calls[-1] == (str(prog), "main.f")


def test_leak_or_violation_exits_1_with_locations(translate, prog, capsys):
    translate.c = protocol_program(metrics(
        leak_free=False, violations=[{"kind": "use_after_move", "node": 1, "message": "x used after move"}]))
    code, out, _ = main(capsys, prog, "--debug-borrows")
    assert code == 1
    assert f"{prog}:7:8: borrow violation (use_after_move): x used after move" in out
    assert "LEAKED" in out
    code, out, _ = main(capsys, prog, "--format", "json")
    codes = [d["code"] for d in json.loads(out)["diagnostics"]]
    assert code == 1 and "CUS-RUN-0003" in codes and "CUS-RUN-0004" in codes


def test_trap_exits_1_with_its_location(translate, prog, capsys):
    translate.c = protocol_program(metrics(trap={"code": "fuel", "node": 1, "message": "fuel exhausted"}), status=3)
    code, out, _ = main(capsys, prog, "--fuel", "10")
    assert code == 1 and f"{prog}:7:8: trap (fuel): fuel exhausted" in out


@pytest.mark.parametrize("trap, status", [({"code": "bounds", "node": 1, "message": "index 9 out of range"}, 3),
                                          (None, -11)])
def test_no_leak_report_after_a_trap_or_crash(translate, prog, capsys, trap, status):
    """What is live when a program traps or crashes was never dropped: that is not a leak."""
    m = metrics(leak_free=False, trap=trap,
                mem_stats={**metrics()["mem_stats"], "live_bytes": 40, "live_allocs": 2})
    translate.c = protocol_program(m, status=max(status, 0))
    if status < 0:   # the metrics line is written, then the program crashes (SIGSEGV)
        translate.c = translate.c.replace("return 0;", "fflush(stderr); *(volatile int *)0 = 1; return 0;")
    code, out, _ = main(capsys, prog)
    assert code == 1 and "trap (" in out
    assert "LEAKED" not in out and "leak-free" not in out
    code, out, _ = main(capsys, prog, "--format", "json")
    j = json.loads(out)
    assert j["leak_free"] is None and "CUS-RUN-0003" not in [d["code"] for d in j["diagnostics"]]


def test_timeout_says_the_program_was_still_running_and_suggests_timeout(translate, prog, capsys):
    translate.c = protocol_program(metrics(), extra="for (;;) {}")
    code, out, _ = main(capsys, prog, "--timeout", "300ms")
    assert code == 1 and "trap (timeout)" in out
    assert "still running" in out and "fuel left" in out and "out of fuel" not in out
    hint = [ln for ln in out.splitlines() if ln.startswith("custody run: hint:")]
    assert len(hint) == 1 and "--timeout" in hint[0] and "raise --fuel" not in hint[0]
    assert "fuel used ?" not in out     # nothing reported: no made-up summary line


def test_fuel_trap_hint_says_fuel(translate, prog, capsys):
    translate.c = protocol_program(metrics(trap={"code": "fuel", "node": 1, "message": "out of fuel"}), status=3)
    code, out, _ = main(capsys, prog)
    (hint,) = [ln for ln in out.splitlines() if ln.startswith("custody run: hint:")]
    assert code == 1 and "raise --fuel" in hint and "--timeout" not in hint


def test_unsupported_construct_exits_2(translate, prog, capsys):
    from custody.analysis.findings import Finding
    translate.unsupported = [Finding("CUS-RUN-0001", "error", Span(PROGRAM.index(b"(view"), PROGRAM.index(b"(view") + 5),
                                     "custody run does not support `view.to_bytes` yet")]
    code, out, _ = main(capsys, prog)
    assert code == 2 and f"{prog}:7:8: error[CUS-RUN-0001]" in out
    code, out, _ = main(capsys, prog, "--format", "json")
    j = json.loads(out)
    assert code == 2 and j["ok"] is False and j["leak_free"] is None
    assert [d["code"] for d in j["diagnostics"]] == ["CUS-RUN-0001"]


def test_compile_failure_exits_2(translate, prog, capsys):
    translate.c = "this is not C\n"
    code, out, _ = main(capsys, prog)
    assert code == 2 and "CUS-RUN-0005" in out and "rejected" in out


@pytest.mark.parametrize("cc", ["/nonexistent", None])
def test_missing_compiler_exits_2(translate, prog, capsys, monkeypatch, tmp_path, cc):
    if cc:
        monkeypatch.setenv("CC", cc)
    else:
        monkeypatch.delenv("CC", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    code, out, _ = main(capsys, prog, "--format", "json")
    (d,) = json.loads(out)["diagnostics"]
    assert code == 2 and d["code"] == "CUS-RUN-0005" and "compiler" in d["message"]


def test_usage_errors_exit_2(prog, tmp_path, capsys):
    assert main(capsys, tmp_path / "missing.x07t")[0] == 2
    assert main(capsys, prog, "--input", tmp_path / "missing.bin")[0] == 2
    assert main(capsys, prog, "--input", prog, "--input-text", "x")[0] == 2
    assert main(capsys, prog, "--mem-cap", "lots")[0] == 2
    assert main(capsys, prog, "--fuel", "-3")[0] == 2
    assert main(capsys, prog, "--timeout", "0")[0] == 2


@pytest.mark.parametrize("text, value", [("64M", 64 << 20), ("1k", 1024), ("4096", 4096), ("64MiB", 64 << 20),
                                         ("64mb", 64 << 20), ("1.5G", 3 << 29), ("1e6", 10 ** 6),
                                         (" 2_048 ", 2048), ("0.5K", 512)])
def test_size_spellings(text, value):
    assert quantities.parse_size(text, limit=1 << 40) == value


@pytest.mark.parametrize("text, value", [("1e9", 10 ** 9), ("10M", 10 ** 7), ("250000", 250000), ("2.5e6", 2500000),
                                         ("1_000", 1000), ("10k", 10 ** 4), ("inf", quantities.MAX_FUEL)])
def test_count_spellings(text, value):
    assert quantities.parse_count(text) == value


@pytest.mark.parametrize("text, value", [("10", 10.0), ("2.5", 2.5), ("500ms", 0.5), ("30s", 30.0), ("2m", 120.0),
                                         ("1h", 3600.0), ("inf", quantities.FOREVER_S)])
def test_duration_spellings(text, value):
    assert quantities.parse_duration(text) == value


@pytest.mark.parametrize("parse, text, says", [
    (quantities.parse_count, "0", "at least 1"), (quantities.parse_count, "-3", "at least 1"),
    (quantities.parse_count, "1.5", "whole number"), (quantities.parse_count, "nan", "not a count"),
    (quantities.parse_count, "1e30", "at most"), (quantities.parse_count, "lots", "1e9"),
    (quantities.parse_size, "0", "at least 1 byte"), (quantities.parse_size, "-1M", "at least 1 byte"),
    (quantities.parse_size, "inf", "reserves the whole cap"), (quantities.parse_size, "lots", "64M"),
    (quantities.parse_size, "2T", "at most"), (quantities.parse_size, "nanM", "not a size"),
    (quantities.parse_duration, "0", "positive"), (quantities.parse_duration, "-1", "positive"),
    (quantities.parse_duration, "nan", "not a duration"), (quantities.parse_duration, "1e300", "inf for no limit"),
])
def test_impossible_quantities_are_rejected_with_what_is_allowed(parse, text, says):
    kwargs = {"limit": 1 << 40} if parse is quantities.parse_size else {}
    with pytest.raises(argparse.ArgumentTypeError) as e:
        parse(text, **kwargs)
    assert says in str(e.value)


def test_mem_cap_limit_is_the_machines_memory():
    limit = quantities.max_mem_cap()
    physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    assert 0 < limit <= physical
    assert quantities.parse_size(str(limit)) == limit
    with pytest.raises(argparse.ArgumentTypeError):
        quantities.parse_size(str(limit + 1))


def test_help_defaults_are_accepted_and_reach_the_runner(prog, capsys, monkeypatch):
    """What `--help` prints as defaults and examples parses, and arrives at run_file as numbers."""
    seen = {}

    def fake_run_file(path, data, **kw):
        seen.update(kw)
        raise SystemExit(0)     # stop before building: only the parsed options matter here

    monkeypatch.setattr("custody.runtime.runner.run_file", fake_run_file)
    with pytest.raises(SystemExit):
        cli.cmd_run(cli.build_parser().parse_args(
            ["run", str(prog), "--fuel", "1e9", "--mem-cap", "1.5G", "--timeout", "inf"]))
    assert seen["fuel"] == 10 ** 9 and seen["mem_cap"] == 3 << 29 and seen["timeout_s"] == quantities.FOREVER_S
    help_text = cli.build_parser()._subparsers._group_actions[0].choices["run"].format_help()
    assert "default 1e9" in help_text and "default 64M" in help_text and "default 10" in help_text


@pytest.mark.parametrize("option, value, names", [("--fuel", "0", "--fuel"), ("--fuel", "1.5", "--fuel"),
                                                  ("--mem-cap", "99999G", "--mem-cap"), ("--mem-cap", "0", "--mem-cap"),
                                                  ("--timeout", "-1", "--timeout"), ("--timeout", "nan", "--timeout")])
def test_impossible_options_are_usage_errors_before_building(prog, capsys, monkeypatch, option, value, names):
    def must_not_build(*a, **k):
        raise AssertionError("built despite a usage error")

    monkeypatch.setattr("custody.runtime.runner.run_file", must_not_build)
    code, out, err = main(capsys, prog, option, value)
    assert code == 2 and out == ""
    assert f"argument {names}:" in err and repr(value) in err


def test_subprocess_never_prints_a_traceback(tmp_path):
    bad = tmp_path / "bad.x07t"
    bad.write_bytes(b"\xff\xfe not utf-8 (")
    r = subprocess.run([sys.executable, "-m", "custody.cli", "run", str(bad)], capture_output=True,
                       text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "CUSTODY_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode in (1, 2) and "Traceback" not in r.stdout + r.stderr


# ------------------------------------------------------------------------------- real programs

def cli_run(*args, cache: Path):
    return subprocess.run([sys.executable, "-m", "custody.cli", "run", *map(str, args)], capture_output=True,
                          text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "CUSTODY_CACHE_DIR": str(cache)})


def module(solve: str) -> bytes:
    return (b"{\n:kind entry\n:module_id main\n:schema_version x07.x07ast@0.8.0\n:imports ()\n:decls ()\n"
            b":solve " + solve.encode() + b"\n}\n")


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    """One cache for the real-program tests: the runtime is compiled once for all of them."""
    return tmp_path_factory.mktemp("real_cache")


@needs_emitter
def test_real_program_runs_clean(tmp_path, shared_cache):
    p = tmp_path / "echo.x07t"
    p.write_bytes(PROGRAM)
    r = cli_run(p, "--input-text", "héllo", "--format", "json", cache=shared_cache)
    j = json.loads(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    assert j["ok"] and j["leak_free"] is True and j["output_text"] == "héllo" and j["trap"] is None
    assert j["borrow_violations"] == [] and j["fuel_used"] > 0 and j["mem_stats"]["live_bytes"] == 0
    assert j["diagnostics"] == []


@needs_emitter
def test_real_program_from_the_corpus_with_input_file(shared_cache):
    prog = ROOT / "tests" / "runtime" / "programs" / "csv_column_sums"
    r = cli_run(prog.with_suffix(".x07t"), "--input", prog.with_suffix(".in"), cache=shared_cache)
    expected = prog.with_suffix(".out").read_bytes().decode()
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.startswith(expected) and r.stdout.rstrip().endswith("custody run: ok")


@needs_emitter
def test_real_unsupported_construct_exits_2_at_its_head(tmp_path, shared_cache):
    p = tmp_path / "unsup.x07t"
    p.write_bytes(module("(begin\n  (let data (os.fs.read_file (view.to_bytes input)))\n  data)"))
    r = cli_run(p, "--format", "json", cache=shared_cache)
    j = json.loads(r.stdout)
    assert r.returncode == 2 and j["ok"] is False and j["mem_stats"] is None
    (d,) = [d for d in j["diagnostics"] if d["code"] == "CUS-RUN-0001"]
    assert "os.fs.read_file" in d["message"]
    assert d["range"] == {"start": {"line": 7, "character": 13}, "end": {"line": 7, "character": 28}}
    r = cli_run(p, cache=shared_cache)
    assert r.returncode == 2 and f"{p}:8:14: error[CUS-RUN-0001]" in r.stdout


@needs_emitter
def test_real_runaway_loop_traps_at_the_fuel_limit(tmp_path, shared_cache):
    p = tmp_path / "spin.x07t"
    p.write_bytes(module("(begin\n  (let k 0)\n  (while 1 (set0 k (+ k 1)))\n  (view.to_bytes input))"))
    r = cli_run(p, "--fuel", "5000", "--format", "json", cache=shared_cache)
    j = json.loads(r.stdout)
    assert r.returncode == 1 and j["trap"]["code"] == "fuel" and j["fuel_used"] >= 5000
    start = j["trap"]["range"]["start"]
    assert start["line"] == 8   # inside the while loop
    assert [d["code"] for d in j["diagnostics"]] == ["CUS-RUN-0002"]


@needs_emitter
def test_real_use_after_move_is_caught_where_the_static_check_says(tmp_path, shared_cache):
    example = ROOT / "examples" / "use_after_move.x07t"
    r = cli_run(example, "--input-text", "bob", "--debug-borrows", "--format", "json", cache=shared_cache)
    j = json.loads(r.stdout)
    assert r.returncode == 1 and not j["ok"]
    static = [d for d in j["diagnostics"] if d["code"] == "X07-MOVE-0901"]
    runtime = [d for d in j["diagnostics"] if d["code"] == "CUS-RUN-0004"]
    assert static and runtime and runtime[0]["range"] == static[0]["range"]
    assert j["borrow_violations"][0]["range"] == static[0]["range"]
    # without the borrow table the same program runs clean
    r = cli_run(example, "--input-text", "bob", cache=shared_cache)
    assert r.returncode == 0 and r.stdout.startswith("hello bob")
    # ... but the text summary does not let the static error pass unsaid
    assert "custody check reports 1 error(s)" in r.stdout and "--debug-borrows shows where" in r.stdout


@needs_emitter
def test_run_file_in_process_second_run_is_a_cache_hit(shared_cache):
    from custody.runtime.runner import run_file
    prog = ROOT / "tests" / "runtime" / "programs" / "collatz.x07t"
    first = run_file(str(prog), input=b"", cache_dir=shared_cache)
    before = dict(build.STATS)
    second = run_file(str(prog), input=b"", cache_dir=shared_cache)
    assert build.STATS == before
    assert first.ok and second.output == first.output == (prog.with_suffix(".out")).read_bytes()
