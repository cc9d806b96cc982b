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
    assert text_at(data, r.borrow_violations[0].location) == "(bytes.len a)"
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
    assert text_at(data, loc) == "(bytes.set_u8 b 0 65)"
    assert "bytes.set_u8 while borrowed" in r.borrow_violations[0].message
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
    assert text_at(data, r.trap.location).startswith("(let w")


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
