"""Huge valid input: `custody check` on a 16 MiB `.x07t`, a large `.x07.json` and a 16 MiB `.x07t`
with a 5,000-level nesting inside one function, each in a fresh subprocess (wall time and peak
RSS of that process), plus where the time goes in-process (tree-sitter parse / values / lower /
check), measured against tree-sitter's raw parse of the same file in the same run so that the
ratios stay meaningful on a shared, loaded machine.

    .venv/bin/python bench/large_file_bench.py [--repeat 3] [--out bench/out] [--mib 16]

Target (issue 11, deliverable 7): a valid 16 MiB `.x07t` checked within 5 s and 600 MB. The
generated files go to --out (bench/out/ is not committed). Nothing here asserts a timing; the
numbers go into the README by hand.

The programs come from parse_bench's ProgramGenerator (many `defn`s of varied shape: lets, begins,
ifs, loops, vec_u8 builders, bytes views, calls between the functions), mixed with analysis_bench's
builder/view function, so the file is one a real module could be, only longer.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from analysis_bench import machine  # noqa: E402
from analysis_bench import make_function as builder_function  # noqa: E402
from parse_bench import MODULE, ProgramGenerator, module_header, to_x07t  # noqa: E402

from custody.analysis.x07.check import PARALLEL_MIN_FUNCTIONS  # noqa: E402

MIB = 1024 * 1024
NL = b"\n"
CUSTODY = [sys.executable, "-c", "import sys; from custody.cli import main; sys.argv[0] = 'custody'; sys.exit(main())"]


# --------------------------------------------------------------------------
# Generating the inputs.

def _decls(gen: ProgramGenerator, i: int) -> dict:
    """Declaration i: mostly generated functions, every 7th one the builder/view function (named
    apart: the generated functions call each other as (bytes_view, i32) -> i32)."""
    if i % 7 == 3:
        d = builder_function(i)
        d["name"] = f"{MODULE}.build{i}"
        return d
    return gen.defn()


def _deep_function(name: str, levels: int) -> str:
    """A valid function whose body nests `levels` begin/if levels deep (x07text)."""
    opening = "".join(f"(begin (let d{k} {k % 100}) (if (< d{k} p0) " for k in range(levels))
    closing = " 0))" * levels
    return (f"  {{:kind defn :name {name} :params ({{:name p0 :ty i32}}) :result i32\n"
            f"   :body {opening}p0{closing}}}")


def make_x07t(limit: int, seed: int = 11, deep: int = 0) -> tuple[bytes, list[dict]]:
    """A valid module of at most `limit` bytes of x07text, and its declarations as values.
    deep > 0: one function in the middle nests that many levels (it is not in the values)."""
    gen = ProgramGenerator(seed)
    head = "\n".join(module_header()) + "\n"
    tail = " )}\n"
    parts, decls = [], []
    size = len(head) + len(tail)
    deep_text = _deep_function(f"{MODULE}.deep", deep) + "\n" if deep else ""
    size += len(deep_text)
    while True:
        d = _decls(gen, len(decls))
        text = "  " + to_x07t(d, 2) + "\n"
        if size + len(text) > limit:
            break
        parts.append(text)
        decls.append(d)
        size += len(text)
    if deep:
        parts.insert(len(parts) // 2, deep_text)
    data = (head + "".join(parts) + tail).encode()
    assert len(data) <= limit, len(data)
    return data, decls


def make_json(decls: list[dict], limit: int) -> bytes:
    """The longest prefix of `decls` as pretty-printed x07AST JSON of at most `limit` bytes."""
    mod = {"schema_version": "x07.x07ast@0.8.0", "kind": "module", "module_id": MODULE,
           "imports": ["std.vec", "std.bytes"], "decls": []}
    budget = limit - len(json.dumps(mod, indent=2)) - 2
    n = 0
    for d in decls:
        text = json.dumps(d, indent=2)
        cost = len(text) + 4 * (text.count("\n") + 1) + 2    # indented two levels, ",\n"
        if cost > budget:
            break
        budget -= cost
        n += 1
    while True:
        mod["decls"] = decls[:n]
        data = (json.dumps(mod, indent=2) + "\n").encode()
        if len(data) <= limit:
            return data
        n -= 1


# --------------------------------------------------------------------------
# Measuring.

def run_check(path: Path) -> tuple[float, int, int, str]:
    """`custody check path` in a fresh process: (wall s, peak RSS bytes, exit code, last line).
    wait4's ru_maxrss is the largest resident set of the process and of every descendant it waited
    for, so a check split among forked workers reports its largest process."""
    t0 = time.perf_counter()
    p = subprocess.Popen(CUSTODY + ["check", str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    lines = out.decode(errors="replace").strip().splitlines()
    return wall, usage.ru_maxrss * 1024, p.returncode, (lines[-1] if lines else "")


def own_rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def raw_parse_seconds(data: bytes, form: str) -> float:
    """tree-sitter's own parse of the bytes, best of 2 (the floor for everything else)."""
    if form == "x07text":
        from custody.analysis.x07.text_form import new_parser
    else:
        from custody.analysis.x07.json_form import new_parser
    parser = new_parser()
    best = float("inf")
    for _ in range(2):
        t0 = time.perf_counter()
        tree = parser.parse(data)
        best = min(best, time.perf_counter() - t0)
        del tree
    return best


def parse_parser(path: str):
    from custody.analysis.x07 import json_form, text_form
    return (text_form if path.endswith(".x07t") else json_form).new_parser()


def _time_parse(parser, data: bytes) -> float:
    t0 = time.perf_counter()
    tree = parser.parse(data)
    spent = time.perf_counter() - t0
    del tree
    return spent


def phase_split(path: str, data: bytes, lean: bool = False) -> dict[str, float]:
    """Seconds per phase of one in-process check, by timing the stages `analyse` calls, serial,
    so the phases add up. lean=False: the language server's full check (ownership map
    included); lean=True: the CLI's batch check (findings only, a well-formed .x07t read by
    analysis/x07/text_scan.py instead of tree-sitter), here in one process where the CLI splits
    lower/check among its workers. "tree-sitter parse" is measured apart (the batch check of a
    scanned file does not run it); "values+module" is what reading the file cost on top of it
    (the scan's own time for a scanned file)."""
    from contextlib import nullcontext

    from custody.analysis.engine import collector_paused
    from custody.analysis.optimistic import allowed
    from custody.analysis.x07 import check as check_mod
    from custody.analysis.x07 import cst_values, document, text_scan

    spent = {"lower": 0.0, "flow": 0.0, "escapes": 0.0, "lint": 0.0, "fixes": 0.0, "model": 0.0,
             "fill": 0.0}

    def timed(name, fn):
        def wrapper(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] += time.perf_counter() - t0
        return wrapper

    parse_s = _time_parse(parse_parser(path), data)
    saved = {n: getattr(check_mod, n) for n in ("lower_function", "run_flow", "check_escapes", "lint",
                                                 "build_model", "FixRenderer")}
    check_mod.lower_function = timed("lower", saved["lower_function"])
    check_mod.run_flow = timed("flow", saved["run_flow"])
    check_mod.check_escapes = timed("escapes", saved["check_escapes"])
    check_mod.lint = timed("lint", saved["lint"])
    check_mod.build_model = timed("model", saved["build_model"])
    check_mod.FixRenderer = timed("fixes", saved["FixRenderer"])
    # function bodies are converted when lowering first looks inside them: that time is values
    saved_fill = cst_values._fill_deferred
    cst_values._fill_deferred = timed("fill", saved_fill)
    saved_body = text_scan._fill_body
    text_scan._fill_body = timed("fill", saved_body)
    try:
        t0 = time.perf_counter()
        with collector_paused():
            t1 = time.perf_counter()
            with allowed() if lean else nullcontext():
                parsed = document.parse_source(path, data)
            scanned = parsed.parse.tree is None
            t2 = time.perf_counter()
            fill_in_parse = spent["fill"]
            analysis = check_mod.analyse(parsed, None, None if lean else check_mod.FunctionCache(), lean=lean)
            t3 = time.perf_counter()
        t4 = time.perf_counter()
    finally:
        for n, fn in saved.items():
            setattr(check_mod, n, fn)
        cst_values._fill_deferred = saved_fill
        text_scan._fill_body = saved_body
    errors = [f for f in analysis.findings if f.severity == "error"]
    del parsed, analysis
    gc.collect()
    checks = sum(spent[k] for k in ("flow", "escapes", "lint", "fixes", "model"))
    in_analysis = spent["fill"] - fill_in_parse
    read = (t2 - t1) - (0.0 if scanned else parse_s)
    return {"tree-sitter parse": parse_s, ("scan+module" if scanned else "values+module"): read + in_analysis,
            "lower": spent["lower"] - in_analysis, "check": checks,
            "other analyse": (t3 - t2) - spent["lower"] - checks, "collector on exit": (t4 - t3) + (t1 - t0),
            "total": t4 - t0, "errors": len(errors),
            **{f"  {k}": v for k, v in spent.items() if k not in ("lower", "fill")}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3, help="subprocess runs per file")
    ap.add_argument("--mib", type=float, default=16.0, help="size limit of each generated file")
    ap.add_argument("--deep", type=int, default=5000, help="nesting levels of the deep file")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--no-split", action="store_true", help="skip the in-process phase split")
    ap.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    limit = int(a.mib * MIB)
    a.out.mkdir(parents=True, exist_ok=True)
    files = [("x07t", a.out / "large.x07t", "x07text"),
             ("json", a.out / "large.x07.json", "json"),
             (f"x07t, {a.deep} levels", a.out / "large_deep.x07t", "x07text")]
    if a.generate_only:
        x07t, decls = make_x07t(limit)
        files[0][1].write_bytes(x07t)
        files[1][1].write_bytes(make_json(decls, limit))
        files[2][1].write_bytes(make_x07t(limit, deep=a.deep)[0])
        return 0
    # Generated in a child: a process started from this one reports at least this one's RSS at
    # the fork as its own peak (Linux copies it), so this process stays small while it measures.
    subprocess.run([sys.executable, __file__, "--generate-only", "--mib", str(a.mib), "--deep", str(a.deep),
                    "--out", str(a.out)], check=True)
    from custody.analysis.forked import usable_cpus
    print(f"machine: {machine()}, {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}; `custody check` "
          f"runs in batch mode (no ownership map; files of {PARALLEL_MIN_FUNCTIONS:,}+ functions split "
          f"among {usable_cpus()} forked workers; peak RSS below is the largest process of the tree)")
    results = []
    for label, path, form in files:
        runs = [run_check(path) for _ in range(a.repeat)]
        results.append(runs)
    print(f"(this process's own RSS while measuring: {own_rss() / 1e6:.0f} MB, a floor for the peaks below)")
    for (label, path, form), runs in zip(files, results):
        data = path.read_bytes()
        n_decls = data.count(b":kind defn") + data.count(b'"kind": "defn"')
        raw = raw_parse_seconds(data, form)
        walls = [r[0] for r in runs]
        rss = max(r[1] for r in runs)
        print(f"\n{label}: {path.name}, {len(data):,} bytes ({len(data) / MIB:.2f} MiB), "
              f"{data.count(NL):,} lines, {n_decls:,} functions")
        print(f"  custody check: wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s "
              f"(of {len(walls)}); peak RSS {rss / 1e6:.0f} MB; exit {runs[-1][2]}: {runs[-1][3][:100]}")
        print(f"  tree-sitter parse alone: {raw:.2f} s; check / parse = {min(walls) / raw:.1f}x")
        if not a.no_split:
            for lean, what in ((True, "batch (findings only), one process"), (False, "full (language server)")):
                split = phase_split(str(path), data, lean)
                print(f"  in-process split, {what} (s): " + ", ".join(
                    f"{k.strip()} {v:.2f}" for k, v in split.items() if not k.startswith("  ") and k != "errors")
                      + f"; errors found {split['errors']}")
                print("    check = " + ", ".join(f"{k.strip()} {v:.2f}" for k, v in split.items()
                                             if k.startswith("  ")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
