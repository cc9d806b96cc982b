"""Analysis benchmark: cold throughput on a generated 25,000-line X07 module, and re-analysis
after an edit inside one function with the per-declaration cache versus without it.

    .venv/bin/python bench/analysis_bench.py [--lines 25000] [--form json|x07text]

Prints a table and the machine. Numbers go into the README by hand; no test asserts them.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import time

from custody.analysis.engine import Engine, collector_paused
from custody.analysis.x07.check import analyse
from custody.analysis.x07.document import parse_source
from custody.analysis.x07.render import render_text


def make_function(i: int) -> dict:
    """A realistic ~25-line function: builder loop, views, an if, a helper call."""
    n = f"main.f{i}"
    return {
        "kind": "defn", "name": n,
        "params": [{"name": "src", "ty": "bytes_view"}, {"name": "k", "ty": "i32"}],
        "result": "bytes",
        "body": ["begin",
                 ["let", "out", ["vec_u8.with_capacity", ["+", "k", 8]]],
                 ["let", "tmp", ["view.to_bytes", "src"]],
                 ["let", "v", ["bytes.view", "tmp"]],
                 ["for", "j", 0, ["view.len", "v"],
                  ["begin",
                   ["let", "c", ["view.get_u8", "v", "j"]],
                   ["if", ["<", "c", 48],
                    ["set", "out", ["vec_u8.push", "out", "c"]],
                    ["set", "out", ["vec_u8.push", "out", ["+", "c", 1]]]]]],
                 ["let", "head", ["view.slice", "v", 0, ["if", ["<", ["view.len", "v"], 4], ["view.len", "v"], 4]]],
                 ["set", "out", ["vec_u8.extend_bytes", "out", "head"]],
                 ["vec_u8.into_bytes", "out"]],
    }


def make_module(lines: int, form: str) -> bytes:
    decls = []
    text = ""
    i = 0
    while True:
        decls.append(make_function(i))
        i += 1
        if i % 50 == 0:
            text = render(decls, form)
            if text.count("\n") >= lines:
                break
    return render(decls, form).encode()


def render(decls, form: str) -> str:
    mod = {"schema_version": "x07.x07ast@0.8.0", "kind": "module", "module_id": "main", "imports": [],
           "decls": decls}
    if form == "json":
        return json.dumps(mod, indent=1) + "\n"
    # x07text, one decl field per line (the shape `x07 ast to-text` produces)
    out = ["{", ":kind module", ":module_id main", ":schema_version x07.x07ast@0.8.0", ":imports ()", ":decls ("]
    for d in decls:
        out.append("{")
        for k, v in d.items():
            if k == "body":
                out.append(":body " + render_text(v).replace(" (begin", "\n  (begin").replace(" (let", "\n   (let")
                           .replace(" (set", "\n   (set").replace(" (for", "\n   (for").replace(" (if", "\n    (if"))
            else:
                out.append(f":{k} {render_text(v)}")
        out.append("}")
    out += [")", "}"]
    return "\n".join(out) + "\n"


def timed(fn, repeat: int):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times), r


def cpu_model() -> str:
    """The CPU's model name (Linux), for the machine line every benchmark prints."""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def machine() -> str:
    return f"{platform.machine()}, {cpu_model()}, Python {platform.python_version()}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=25000)
    ap.add_argument("--form", choices=("json", "x07text"), default="json")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    path = "bench.x07.json" if a.form == "json" else "bench.x07t"
    data = make_module(a.lines, a.form)
    nlines = data.count(b"\n")
    best, med, res = timed(lambda: Engine().check(path, data), a.repeat)
    assert not [f for f in res.analysis.findings if f.severity == "error"], res.analysis.findings[:3]
    nfun = res.analysis.analysed
    # an edit inside one function in the middle: its `48` becomes a fresh 4-digit number each round
    mid = data.find(b'"main.f%d"' % (nfun // 2)) if a.form == "json" else data.find(b":name main.f%d\n" % (nfun // 2))
    at = data.find(b"48", mid)

    def edit(r: int) -> bytes:
        return data[:at] + b"4%03d" % r + data[at + 2:]

    warm = Engine()
    first = warm.check(path, data)
    inc_times, phases = [], []
    old_tree, old_data = first.parsed.parse.tree, data
    for r in range(a.repeat):
        new = edit(r)
        # as the server does: edit the previous tree, reparse incrementally, re-analyse
        tree = old_tree.copy()
        tree.edit(start_byte=at, old_end_byte=at + len(old_data) - len(data) + 2, new_end_byte=at + 4,
                  start_point=(0, 0), old_end_point=(0, 0), new_end_point=(0, 0))
        t0 = time.perf_counter()
        r2 = warm.check(path, new, old_tree=tree)
        inc_times.append(time.perf_counter() - t0)
        with collector_paused():
            t0 = time.perf_counter()
            parsed = parse_source(path, new, old=tree, decls=warm.decls)
            t1 = time.perf_counter()
            analyse(parsed, warm.resolver(path), warm.cache)
            t2 = time.perf_counter()
        phases.append((t1 - t0, t2 - t1))
        old_tree, old_data = r2.parsed.parse.tree, new
    edited = edit(999)
    full_edit_best, full_edit_med, _ = timed(lambda: Engine().check(path, edited), a.repeat)
    print(f"machine: {machine()}")
    print(f"module: {nlines} lines, {len(data)} bytes, {nfun} functions, form {a.form}")
    print(f"cold analysis (parse + analyse): best {best*1000:.0f} ms, median {med*1000:.0f} ms, "
          f"{nlines/best:,.0f} lines/s")
    print(f"after a one-function edit, incremental reparse + cached analysis: best {min(inc_times)*1000:.1f} ms, "
          f"median {statistics.median(inc_times)*1000:.1f} ms (re-analysed {r2.analysis.analysed}, reused {r2.analysis.reused})")
    print(f"  of which reparse + reading declarations: median {statistics.median(p for p, _ in phases)*1000:.1f} ms; "
          f"analysis proper: median {statistics.median(an for _, an in phases)*1000:.1f} ms")
    print(f"after a one-function edit, whole file again: best {full_edit_best*1000:.0f} ms, median {full_edit_med*1000:.0f} ms")


if __name__ == "__main__":
    main()
