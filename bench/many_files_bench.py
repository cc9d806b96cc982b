"""Many files: `custody check` over a generated tree of 200 `.x07t` modules of about 1,900 lines
each (381k lines), in fresh processes, serial (-j 1) and on two worker processes (-j 2).

    .venv/bin/python bench/many_files_bench.py [--files 200] [--lines 1900] [--jobs 1,2]
                                               [--repeat 3] [--out bench/out/many_files]

Target (issue 13, deliverable 3): 381k lines in 200 files within 8 s and 300 MB on 2 cores.

Per run: the wall time; the peak resident set of the largest process (os.wait4's ru_maxrss
covers the process and every descendant it waited for, so a worker counts too); and the peak
of the whole process tree, sampled from /proc every 50 ms, as the sum of resident sets (pages a
forked worker still shares with its parent count twice) and as the sum of proportional set
sizes (shared pages split between the processes sharing them: what the tree costs the
machine). Best of --repeat runs each; the output of every run is compared with the first run's
(it must be the same at every -j). Prints the machine and its load. Nothing here asserts a
timing; the numbers go into the README by hand.

The modules are analysis_bench's builder/view function (make_function) under each module's
name, rendered by parse_bench's layout (to_x07t); module app.mK imports app.m(K+1) and
app.m(K+2) and calls into both, and every 10th module holds one use after move, so the check has
findings to report and imports to resolve.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from analysis_bench import machine  # noqa: E402
from analysis_bench import make_function  # noqa: E402
from parse_bench import to_x07t  # noqa: E402

CUSTODY = [sys.executable, "-c", "import sys; from custody.cli import main; sys.argv[0] = 'custody'; sys.exit(main())"]


# --------------------------------------------------------------------------
# The tree.

def module_text(k: int, n: int, lines: int) -> str:
    """Module app.mK of a tree of n: about `lines` lines of x07text."""
    mid = f"app.m{k}"
    deps = [j for j in (k + 1, k + 2) if j < n]
    decls = []
    if deps:
        decls.append(f"{{:kind defn :name {mid}.use :params ({{:name b :ty bytes}}) :result bytes\n"
                     f"   :body (begin (let a ({mid}.f0 (bytes.view b) 1))\n"
                     f"                (let c (app.m{deps[0]}.f0 (bytes.view a) 3))\n"
                     f"                (let d (app.m{deps[-1]}.f1 (bytes.view c) 4)) d)}}")
    if k % 10 == 0:
        decls.append(f"{{:kind defn :name {mid}.oops :params ({{:name b :ty bytes}}) :result i32\n"
                     f"   :body (begin (let c b) (bytes.len b))}}")
    head = ["{", ":kind module", f":module_id {mid}", ":schema_version x07.x07ast@0.8.0",
            f":imports ({' '.join(f'app.m{j}' for j in deps)})", ":decls ("]
    count = len(head) + 2 + sum(d.count("\n") + 1 for d in decls)
    i = 0
    while count < lines:
        d = make_function(i)
        d["name"] = f"{mid}.f{i}"
        text = to_x07t(d, 2)
        decls.append(text)
        count += text.count("\n") + 1
        i += 1
    return "\n".join(head + decls + [")", "}"]) + "\n"


def make_tree(root: Path, n: int, lines: int) -> int:
    """n modules under root/app (root holds x07.json, so root is their module root); the lines."""
    (root / "app").mkdir(parents=True, exist_ok=True)
    (root / "x07.json").write_text('{"name": "many-files-bench"}\n')
    total = 0
    for k in range(n):
        text = module_text(k, n, lines)
        (root / "app" / f"m{k}.x07t").write_text(text)
        total += text.count("\n")
    return total


# --------------------------------------------------------------------------
# Measuring.

def _tree_pids(root_pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root_pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def _rss_pss_kib(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


def run_check(cmd: list[str]) -> dict:
    """`cmd` (a `custody check ...`) in a fresh process: wall s, CPU s (the tree's), peak RSS
    (largest process; tree sum of RSS and of PSS, sampled), exit status, stdout."""
    peak = {"rss": 0, "pss": 0}
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample():
        while not done.is_set():
            rss = pss = 0
            for pid in _tree_pids(p.pid):
                r, s = _rss_pss_kib(pid)
                rss, pss = rss + r, pss + s
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_mb": usage.ru_maxrss / 1024, "tree_rss_mb": peak["rss"] / 1024,
            "tree_pss_mb": peak["pss"] / 1024, "status": p.returncode, "stdout": out, "stderr": err}


def load() -> str:
    try:
        return ", ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--lines", type=int, default=1900, help="lines per module (about)")
    ap.add_argument("--jobs", default="1,2",
                    help="comma-separated -j values to run; 'default' runs without -j (the CLI's default)")
    ap.add_argument("--before", metavar="CLI_PY",
                    help="also run this copy of an older server/cli.py (no -j), e.g. from "
                         "`git show 6f56825:server/cli.py > /tmp/cli_before.py`")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--format", choices=("text", "json"), default="text")
    ap.add_argument("--out", default=str(HERE / "out" / "many_files"), help="where the tree is generated")
    a = ap.parse_args()
    root = Path(a.out)
    total = make_tree(root, a.files, a.lines)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    print(f"machine: {machine()}; {cpus} usable CPU(s); load average before: {load()}")
    print(f"tree: {a.files} files, {total} lines, {sum(f.stat().st_size for f in (root / 'app').iterdir()) / 2**20:.1f} MiB "
          f"({root})")
    target = ["--format", a.format, str(root / "app")]
    configs = [("before", [sys.executable, a.before, "check"] + target)] if a.before else []
    configs += [(f"-j {j}", CUSTODY + ["check"] + ([] if j == "default" else ["-j", j]) + target)
                for j in a.jobs.split(",")]
    runs: dict[str, list[dict]] = {name: [] for name, _ in configs}
    reference = None
    for round_ in range(a.repeat):          # round-robin: each configuration sees the same load
        for name, cmd in configs:
            r = run_check(cmd)
            if reference is None:
                reference = (r["stdout"], r["status"])
            same = (r["stdout"], r["status"]) == reference
            runs[name].append(r)
            print(f"  {name}: {r['wall']:.2f} s (CPU {r['cpu']:.2f} s), largest process {r['maxrss_mb']:.0f} MB, "
                  f"tree RSS {r['tree_rss_mb']:.0f} MB, tree PSS {r['tree_pss_mb']:.0f} MB, exit {r['status']}, "
                  f"output {'same as the first run' if same else 'DIFFERS from the first run'}; load {load()}")
            if r["stderr"].strip():
                print("    stderr: " + r["stderr"].decode(errors="replace").strip()[-500:])
    for name, rs in runs.items():
        good = [r for r in rs if (r["stdout"], r["status"]) == reference]    # a broken run is no timing
        if not good:
            print(f"{name}: no run gave the first run's output")
            continue
        best = min(good, key=lambda r: r["wall"])
        print(f"{name}: best of {len(good)}: {best['wall']:.2f} s (CPU {best['cpu']:.2f} s); peak: largest process "
              f"{max(r['maxrss_mb'] for r in good):.0f} MB, tree RSS {max(r['tree_rss_mb'] for r in good):.0f} MB, "
              f"tree PSS {max(r['tree_pss_mb'] for r in good):.0f} MB")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
