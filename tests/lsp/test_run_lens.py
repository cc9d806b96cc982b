"""Run with ownership checks: the code lenses (on solve and on the defns that can be run alone)
and the summary line; the command over the wire is in test_server_e2e.py."""
from __future__ import annotations

from types import SimpleNamespace

from custody.lsp.run_lens import RUN_COMMAND, code_lenses, summary
from lsp_client import snapshot as open_snapshot

PROGRAM = """{
:kind entry
:module_id main
:imports ()
:decls ({:kind defn :name main.shout :params ({:name s :ty bytes_view}) :result bytes
         :body (view.to_bytes s)}
        {:kind defn :name main.hello :params () :result bytes :body (bytes.lit hello)}
        {:kind defn :name main.add :params ({:name a :ty i32} {:name b :ty i32}) :result i32
         :body (+ a b)}
        {:kind defn :name main.keep :params ({:name b :ty bytes}) :result bytes :body b})
:solve (main.shout input)
}
"""


def snapshot(text: str):
    return open_snapshot(text, "lens.x07t")


def test_lenses_on_solve_and_runnable_defns_only():
    snap = snapshot(PROGRAM)
    lenses = code_lenses(snap)
    got = [(l.range.start.line, l.range.start.character, l.command.arguments[1]) for l in lenses]
    lines = PROGRAM.split("\n")
    solve_line = next(i for i, t in enumerate(lines) if t.startswith(":solve"))
    shout_line = next(i for i, t in enumerate(lines) if "main.shout" in t)
    hello_line = next(i for i, t in enumerate(lines) if "main.hello" in t)
    assert got == [(solve_line, 0, None),
                   (shout_line, lines[shout_line].index("main.shout"), "main.shout"),
                   (hello_line, lines[hello_line].index("main.hello"), "main.hello")]
    # main.add (i32 params) and main.keep (owned bytes param) cannot be fed the input: no lens
    assert all(l.command.command == RUN_COMMAND and l.command.arguments[0] == snap.uri for l in lenses)
    assert "Run with ownership checks" in lenses[0].command.title


def test_no_lens_on_a_spoiled_declaration_or_a_broken_file():
    broken = PROGRAM.replace(":body (bytes.lit hello)", ":body (bytes.lit hello")
    names = [l.command.arguments[1] for l in code_lenses(snapshot(broken))]
    assert "main.hello" not in names
    assert code_lenses(snapshot("{:kind entry ((((")) == []


def test_summary_says_output_peak_and_leak_verdict():
    ok = SimpleNamespace(trap=None, output=b"HELLO", mem_stats={"peak_live_bytes": 64, "live_bytes": 0},
                         leak_free=True, borrow_violations=[], fuel_used=42)
    line = summary(ok, None)
    assert "'HELLO'" in line and "peak memory 64 bytes" in line and "leak-free" in line and "fuel used 42" in line
    leaky = SimpleNamespace(trap=None, output=b"\xff\x00", mem_stats={"peak_live_bytes": 9, "live_bytes": 9},
                            leak_free=False, borrow_violations=[object()], fuel_used=1)
    line = summary(leaky, "main.hello")
    assert "main.hello" in line and "ff00 (hex)" in line and "LEAKED 9 bytes" in line and "1 borrow violation" in line
    trapped = SimpleNamespace(trap=SimpleNamespace(message="out of fuel"))
    assert summary(trapped, None) == "custody run solve: stopped: out of fuel"
