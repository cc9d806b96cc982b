"""End to end: every corpus program translated, built on the bundled runtime and run with debug
borrows; and programs that break the rules (unchecked builds, unsafe) caught by the runtime at
the right source range."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from custody.runtime.runner import run_file

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ROOT / "tests" / "runtime" / "programs"
CORPUS = sorted(PROGRAMS.glob("*.x07t"))


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("custody-run-cache")


def _run(path: Path, cache_dir):
    inp = path.with_suffix(".in")
    return run_file(str(path), input=inp.read_bytes() if inp.exists() else b"",
                    debug_borrows=True, cache_dir=cache_dir)


@pytest.fixture(scope="session")
def corpus_reports(cache_dir):
    """All corpus programs, built and run once per session, several at a time."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        reports = list(pool.map(lambda p: _run(p, cache_dir), CORPUS))
    return dict(zip(CORPUS, reports))


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_corpus_program(path, corpus_reports):
    r = corpus_reports[path]
    errors = [f for f in r.findings if f.severity == "error"]
    assert not errors, [(f.code, f.message) for f in errors]
    assert r.trap is None
    assert r.output == path.with_suffix(".out").read_bytes()
    assert r.leak_free is True, r.mem_stats
    assert r.borrow_violations == []
    assert r.mem_stats["live_bytes"] == 0 and r.mem_stats["live_allocs"] == 0
    assert r.fuel_used and r.fuel_used > 0


# ---------------------------------------------------------------- broken on purpose

def program(tmp_path: Path, name: str, solve: str, decls: str = "") -> tuple[Path, bytes]:
    data = (f"{{\n:kind entry\n:module_id main\n:schema_version x07.x07ast@0.8.0\n:imports ()\n"
            f":decls ({decls})\n:solve {solve}\n}}\n").encode()
    path = tmp_path / f"{name}.x07t"
    path.write_bytes(data)
    return path, data


def text_at(data: bytes, loc) -> str:
    return data[loc.span.start:loc.span.end].decode()


def test_use_after_move_is_caught_at_the_use(tmp_path, cache_dir):
    path, data = program(tmp_path, "uam", """(begin
  (let a (bytes.lit "abc"))
  (let b a)
  (let n (bytes.len a))
  (bytes.concat b (fmt.u32_to_dec n)))""")
    r = run_file(str(path), debug_borrows=True, unchecked=True, cache_dir=cache_dir)
    assert [v.kind for v in r.borrow_violations] == ["use_after_move"]
    assert text_at(data, r.borrow_violations[0].location) == "a"      # the use, where custody check puts it
    assert r.borrow_violations[0].message == "use after move: `a` was moved at line 9 (into `b`) and is used here"
    assert r.output == b"abc0"             # the moved-out variable reads as empty, as in X07
    assert r.leak_free is True


def test_mutation_while_borrowed_is_caught_at_the_mutator(tmp_path, cache_dir):
    path, data = program(tmp_path, "mwb", """(begin
  (let b (bytes.lit "abc"))
  (let v (bytes.view b))
  (set b (bytes.set_u8 b 0 65))
  (view.to_bytes v))""")
    r = run_file(str(path), debug_borrows=True, unchecked=True, cache_dir=cache_dir)
    assert [v.kind for v in r.borrow_violations] == ["conflicting_borrow"]
    loc = r.borrow_violations[0].location
    assert text_at(data, loc) == "b" and data[:loc.span.start].endswith(b"(set ")   # the set target, as custody check
    assert r.borrow_violations[0].message == ("bytes.set_u8 while borrowed: `b` is changed here while "
                                              "the view `v` (line 9) still borrows it")
    assert r.output == b"Abc" and r.leak_free is True


def test_move_while_borrowed_is_caught(tmp_path, cache_dir):
    path, data = program(tmp_path, "mvb", """(begin
  (let b (bytes.lit "xy"))
  (let v (bytes.view b))
  (let c (bytes.concat b (bytes.lit "!")))
  (let n (view.len v))
  c)""")
    r = run_file(str(path), debug_borrows=True, unchecked=True, cache_dir=cache_dir)
    kinds = [v.kind for v in r.borrow_violations]
    assert kinds[0] == "move_while_borrowed"
    assert text_at(data, r.borrow_violations[0].location) == "b"
    assert r.output == b"xy!"


def test_view_outliving_its_owner_is_use_after_free(tmp_path, cache_dir):
    path, data = program(tmp_path, "uaf", """(begin
  (let w (begin (let inner (bytes.lit "gone")) (bytes.view inner)))
  (view.to_bytes w))""")
    r = run_file(str(path), debug_borrows=True, unchecked=True, cache_dir=cache_dir)
    assert r.trap is not None and r.trap.code == "use_after_free"
    assert text_at(data, r.trap.location) == "(bytes.view inner)"   # the view that escapes its block
    assert "`inner`" in r.trap.message and "dropped when its block ended" in r.trap.message


def test_leak_through_unsafe_pointer_escape(tmp_path, cache_dir):
    path, data = program(tmp_path, "leak", """(begin
  (unsafe (let p (bytes.as_ptr (bytes.lit "leaked!"))))
  (bytes.lit "done"))""")
    r = run_file(str(path), debug_borrows=True, cache_dir=cache_dir)
    assert r.output == b"done"
    assert r.leak_free is False
    assert r.mem_stats["live_bytes"] == 7 and r.mem_stats["live_allocs"] == 1
    assert any(f.code == "CUS-RUN-0003" for f in r.findings)


def test_bounds_trap_points_at_the_call(tmp_path, cache_dir):
    path, data = program(tmp_path, "oob", "(begin (let n (view.get_u8 input 5)) (bytes.alloc n))")
    r = run_file(str(path), input=b"abc", debug_borrows=True, cache_dir=cache_dir)
    assert r.trap is not None and r.trap.code == "bounds"
    assert text_at(data, r.trap.location) == "(view.get_u8 input 5)"


def test_fuel_runs_out_in_an_endless_loop(tmp_path, cache_dir):
    path, data = program(tmp_path, "spin", "(begin (while 1 0) (bytes.alloc 0))")
    r = run_file(str(path), fuel=10_000, cache_dir=cache_dir)
    assert r.trap is not None and r.trap.code == "fuel"
    loop_start = data.index(b"(while 1 0)")
    span = r.trap.location.span
    assert loop_start <= span.start and span.end <= loop_start + len(b"(while 1 0)")


def test_without_debug_borrows_correct_programs_are_unchanged(cache_dir):
    path = PROGRAMS / "nested_views.x07t"
    r = run_file(str(path), input=path.with_suffix(".in").read_bytes(), debug_borrows=False,
                 cache_dir=cache_dir)
    assert r.output == path.with_suffix(".out").read_bytes() and r.leak_free is True


# ---------------------------------------------------------------- run time and custody check agree

CASES = ROOT / "tests" / "cases"
SAME_RANGE = [
    # use after move (also through a branch, and a read by a vec builtin)
    ("move/let_move_then_concat", "X07-MOVE-0901", "use_after_move"),
    ("move/len_after_move", "X07-MOVE-0901", "use_after_move"),
    ("move/if_moved_in_one_branch", "X07-MOVE-0901", "use_after_move"),
    ("move/builder_finished_in_both_branches", "X07-MOVE-0901", "use_after_move"),
    ("move/read_after_into_bytes", "X07-MOVE-0901", "use_after_move"),
    ("borrow/borrow_of_moved_view", "X07-MOVE-0902", "use_after_move"),
    ("borrow/borrow_of_moved_vec_view", "X07-MOVE-0902", "use_after_move"),
    # view escapes its block
    ("escape/begin_yields_view_of_local", "X07-BORROW-0002", "use_after_free"),
    ("escape/begin_yields_alias_of_local", "X07-BORROW-0002", "use_after_free"),
    ("escape/begin_yields_slice_of_local", "X07-BORROW-0002", "use_after_free"),
    # borrow conflicts
    ("borrow/move_while_borrowed", "X07-MOVE-0902", "move_while_borrowed"),
    ("borrow/clear_while_borrowed", "X07-MOVE-0902", "conflicting_borrow"),
    ("borrow/set_u8_while_borrowed", "X07-MOVE-0902", "conflicting_borrow"),
    ("borrow/set_while_borrowed", "X07-MOVE-0902", "conflicting_borrow"),
    ("alias/option_view_keeps_owner", "X07-MOVE-0902", "move_while_borrowed"),
]


@pytest.mark.parametrize("case, static_code, kind", SAME_RANGE, ids=[c for c, _, _ in SAME_RANGE])
def test_run_time_finding_sits_at_the_static_range(case, static_code, kind, cache_dir):
    path = CASES / f"{case}.x07t"
    r = run_file(str(path), debug_borrows=True, unchecked=True, cache_dir=cache_dir)
    j = r.to_json()
    static = [d for d in j["diagnostics"] if d["code"] == static_code]
    assert static, j["diagnostics"]
    first = r.borrow_violations[0]
    assert first.kind == kind, [(v.kind, v.message) for v in r.borrow_violations]
    assert j["borrow_violations"][0]["range"] == static[0]["range"]
    run_time = [d for d in j["diagnostics"] if d["code"] == "CUS-RUN-0004"]
    assert run_time[0]["range"] == static[0]["range"]
    # in the user's words: binding names and lines, no internal ids
    assert "`" in first.message and "#" not in first.message and "node" not in first.message
    if kind == "use_after_free":
        assert j["trap"]["range"] == static[0]["range"] and j["trap"]["message"] == first.message


@pytest.mark.parametrize("case", ["move/set_reinitialises", "move/reinit_in_both_branches",
                                  "move/set_after_let_move"])
def test_set_after_a_move_reinitialises_at_run_time_too(case, cache_dir):
    """custody check accepts these; the run must not call `set` of a moved variable a violation."""
    path = CASES / f"{case}.x07t"
    r = run_file(str(path), debug_borrows=True, unchecked=True, cache_dir=cache_dir)
    assert not [f for f in r.findings if f.severity == "error" and not f.code.startswith("CUS-RUN")]
    assert r.borrow_violations == [], [(v.kind, v.message) for v in r.borrow_violations]


def test_example_message_names_the_binding_the_line_and_the_callee(cache_dir):
    path = ROOT / "examples" / "use_after_move.x07t"
    r = run_file(str(path), input=b"bob", debug_borrows=True, cache_dir=cache_dir)
    (v,) = r.borrow_violations
    assert v.message == "use after move: `who` was moved at line 11 (into `main.greet`) and is used here"
    r = run_file(str(path.with_suffix("").with_suffix(".x07.json")), input=b"bob", debug_borrows=True,
                 cache_dir=cache_dir)
    (v,) = r.borrow_violations
    assert v.message.startswith("use after move: `who` was moved at line ") and "(into `main.greet`)" in v.message


def test_conflict_names_the_borrowing_view(tmp_path, cache_dir):
    path, data = program(tmp_path, "conflict", """(begin
  (let h (vec_u8.with_capacity 4))
  (let snapshot (vec_u8.as_view h))
  (set h (vec_u8.clear h))
  (vec_u8.into_bytes h))""")
    r = run_file(str(path), debug_borrows=True, unchecked=True, cache_dir=cache_dir)
    v = r.borrow_violations[0]
    assert v.kind == "conflicting_borrow" and "the view `snapshot` (line 9)" in v.message
