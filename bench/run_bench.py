"""Latency of `custody run` on a small program: cold (empty build cache: compiles the runtime and
the program) and warm (cached executable), as the CLI subprocess and via run_file in-process.

    .venv/bin/python bench/run_bench.py [--repeat N] [--cold-repeat N]

Prints the machine and the median (and min / max) of each. Target: warm round trip under 100 ms.
Until the emitter has landed, the in-process numbers use a hand-written C translation (run_c),
which measures the runner and the cache without the translation step.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from analysis_bench import machine  # noqa: E402

from custody.analysis.engine import Engine  # noqa: E402
from custody.runtime import compile as build  # noqa: E402
from custody.runtime import runner  # noqa: E402

PROGRAM = b"""{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ()
:solve (view.to_bytes input)
}
"""

HAND_WRITTEN_C = """
#include "custody_rt.h"
static rt_bytes custody_entry(rt_view input) { RT_TICK(1); return rt_view_to_bytes(input, 1); }
int main(void) { return rt_main(custody_entry); }
"""


def emitter_available() -> bool:
    try:
        import custody.runtime.emit_c  # noqa: F401
    except ImportError:
        return False
    return True


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def line(label: str, ms: list[float]) -> str:
    return (f"  {label:<44} median {statistics.median(ms):8.1f} ms   min {min(ms):8.1f}   "
            f"max {max(ms):8.1f}   (n={len(ms)})")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20, help="warm runs per measurement")
    ap.add_argument("--cold-repeat", type=int, default=5, help="cold runs per measurement")
    ap.add_argument("--runtime-src", metavar="DIR", help="runtime sources to use instead of runtime_c/src "
                    "(in-process hand-written C only)")
    a = ap.parse_args()
    rt = build.Runtime.load(Path(a.runtime_src)) if a.runtime_src else None

    print(f"machine: {machine()}; {os.cpu_count()} CPUs")
    try:
        cc = build.find_compiler()
        print(f"compiler: {' '.join(cc.argv)} ({os.path.realpath(cc.argv[0])})")
    except build.BuildError as e:
        print(f"no compiler: {e}")
        return 1
    full = emitter_available() and rt is None
    print("pipeline: " + ("check + emit + build + run (the real emitter)" if full else
                          "hand-written C (the emitter has not landed): build + run only"))

    with tempfile.TemporaryDirectory(prefix="custody-run-bench-") as tmp:
        tmp = Path(tmp)
        prog = tmp / "echo.x07t"
        prog.write_bytes(PROGRAM)
        warm_cache = tmp / "warm"
        counter = iter(range(10 ** 6))

        def fresh() -> Path:
            return tmp / f"cold-{next(counter)}"

        engine = Engine()

        def in_process(cache: Path):
            if full:
                r = runner.run_file(str(prog), PROGRAM, input=b"hello", engine=engine, cache_dir=cache)
            else:
                r = runner.run_c(HAND_WRITTEN_C, input=b"hello", cache_dir=cache, runtime=rt)
            if not r.ok:
                raise SystemExit(f"the benchmark program did not run clean: {r.to_json()}")
            return r

        def cli(cache: Path):
            env = {**os.environ, "CUSTODY_CACHE_DIR": str(cache)}
            r = subprocess.run([sys.executable, "-m", "custody.cli", "run", str(prog), "--input-text", "hello"],
                               capture_output=True, env=env)
            if r.returncode != 0:
                raise SystemExit(f"custody run exited {r.returncode}: {r.stdout!r} {r.stderr!r}")

        print(f"results (ms):")
        print(line("in-process cold (compile runtime + program)", timed(lambda: in_process(fresh()), a.cold_repeat)))
        in_process(warm_cache)
        print(line("in-process warm (cached executable)", timed(lambda: in_process(warm_cache), a.repeat)))
        # the warm path's parts
        exe = build.Toolchain.create(warm_cache, runtime=rt).build(HAND_WRITTEN_C)
        print(line("  of which: load runtime + hash + stat",
                   timed(lambda: build.Toolchain.create(warm_cache, runtime=rt).build(HAND_WRITTEN_C), a.repeat)))
        print(line("  of which: sandboxed subprocess",
                   timed(lambda: runner.execute(exe, b"hello", fuel=runner.DEFAULT_FUEL,
                                                mem_cap=runner.DEFAULT_MEM_CAP, debug_borrows=False,
                                                timeout_s=10), a.repeat)))
        if full:
            print(line("  of which: custody check of the file", timed(lambda: engine.check(str(prog), PROGRAM), a.repeat)))
            from custody.runtime.emit_c import emit_program
            print(line("  of which: emit C", timed(lambda: emit_program(str(prog), PROGRAM), a.repeat)))
            print(line("CLI cold (new process, empty cache)", timed(lambda: cli(fresh()), a.cold_repeat)))
            cli(warm_cache)
            print(line("CLI warm (new process, cached)", timed(lambda: cli(warm_cache), a.repeat)))
            print(line("  for scale: python -c pass",
                       timed(lambda: subprocess.run([sys.executable, "-c", "pass"]), a.repeat)))
        else:
            print("  (CLI numbers need the emitter: custody run translates an X07 file)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
