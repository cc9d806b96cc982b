"""A check that analyses many functions at once (opening a file) makes each function's ownership
map and call facts only when something first reads them (analysis/x07/check.py,
LAZY_MIN_FUNCTIONS; analysis/incremental.py, LazyMap). What it answers must be exactly what a
check that made them at once answers: the same findings, the same map (every binding point with
its notes, drops, borrows), the same call facts, the same dependencies recorded for the cache,
for every case file in both forms, for generated modules with mistakes, and after edits that
move the functions (a reused lazy result moves with its unit)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from case_runner import case_files, to_json_text
from custody.analysis.engine import Engine
from custody.analysis.incremental import LazyMap
from custody.analysis.x07.check import FunctionCache, _sig_key, analyse
from custody.analysis.x07.document import parse_source

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_batch_mode import findings_of, generated_module  # noqa: E402

CASES = case_files()
EAGER = 10 ** 9


def maps_of(analysis):
    points = [(f.name, f.span, tuple((p.span, p.binding, p.name, p.ty, p.cls, p.state, p.is_definition, p.action,
                                      tuple((n.span, n.label) for n in p.notes), p.hint) for p in f.all_points()),
               tuple((d.span, d.binding, d.name, d.reason) for d in f.all_drops()), tuple(f.borrows))
              for f in analysis.model.functions]
    calls = [(c.span, c.head_span, c.callee, _sig_key(c.sig), getattr(c.sig, 'param_names', None), tuple(c.modes))
             for fr in analysis.functions for c in fr.calls]
    return points, calls


def deps_of(cache):
    return {k: v[2] for k, v in cache.items.items()}


def both(path: str, data: bytes):
    eager_cache, lazy_cache = FunctionCache(), FunctionCache()
    eager = analyse(parse_source(path, data), None, eager_cache, lazy_min=EAGER)
    lazy = analyse(parse_source(path, data), None, lazy_cache, lazy_min=1)
    return eager, eager_cache, lazy, lazy_cache


def assert_same(path: str, data: bytes):
    eager, eager_cache, lazy, lazy_cache = both(path, data)
    if lazy.functions:
        assert all(type(fr._made) is LazyMap for fr in lazy.functions)
    assert findings_of(lazy) == findings_of(eager)
    assert deps_of(lazy_cache) == deps_of(eager_cache)
    # the map of the unit at an offset, read before any other map is made
    rng = random.Random(len(data))
    for off in sorted(rng.randrange(len(data) + 1) for _ in range(10)):
        a, b = eager.model.point_at(off), lazy.model.point_at(off)
        assert (a is None) == (b is None)
        if a is not None:
            assert (a.span, a.binding, a.state, a.action, [(n.span, n.label) for n in a.notes]) == \
                   (b.span, b.binding, b.state, b.action, [(n.span, n.label) for n in b.notes])
        assert [u.name for u in eager.model.units_at(off)] == [u.name for u in lazy.model.units_at(off)]
    assert maps_of(lazy) == maps_of(eager)
    if lazy.functions:
        assert all(fr._made.make is None for fr in lazy.functions)    # made once, then let go


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(c.parents[1])) for c in CASES])
def test_case_files_lazy_equals_eager(case):
    text = case.read_bytes()
    json_data = to_json_text(Engine().check(str(case), text)).encode()
    for path, data in ((str(case), text), (str(case).replace(".x07t", ".x07.json"), json_data)):
        assert_same(path, data)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_modules_lazy_equals_eager(seed):
    assert_same("gen.x07t", generated_module(60, seed))


def test_engine_opens_lazily_and_moved_results_follow(monkeypatch):
    """The engine's cold check of a big file makes no map; a re-check after an edit above every
    function reuses the lazy results, moved, and their maps equal a fresh eager check's."""
    from custody.analysis.x07 import check
    monkeypatch.setattr(check, "LAZY_MIN_FUNCTIONS", 8)
    data = generated_module(40, 7)
    e = Engine()
    first = e.check("gen.x07t", data)
    assert first.analysis.analysed >= 8
    assert all(type(fr._made) is LazyMap and fr._made.got is None for fr in first.analysis.functions)
    moved = b"\n\n  " + data
    again = e.check("gen.x07t", moved)
    assert again.analysis.reused == len(again.analysis.functions)
    eager = analyse(parse_source("gen.x07t", moved), None, FunctionCache(), lazy_min=EAGER)
    assert findings_of(again.analysis) == findings_of(eager)
    assert maps_of(again.analysis) == maps_of(eager)
    # and the first check's own results, read after the second check made them, are unmoved
    f_points, _ = maps_of(first.analysis)
    cold = analyse(parse_source("gen.x07t", data), None, FunctionCache(), lazy_min=EAGER)
    assert f_points == maps_of(cold)[0]


def test_a_few_functions_are_mapped_at_once():
    """A check of fewer functions than LAZY_MIN_FUNCTIONS (a keystroke's, a small file's) makes
    its maps then."""
    data = generated_module(40, 2)
    r = Engine().check("gen.x07t", data).analysis
    assert r.functions and all(type(fr._made) is tuple and fr._made[0] is not None for fr in r.functions)


def test_pending_maps_made_in_steps():
    """`make_pending` makes the maps still to be made, a few at a time, in file order, through
    moved results too; what it makes is what a hover would have made."""
    data = generated_module(30, 3)
    cache = FunctionCache()
    analyse(parse_source("gen.x07t", data), None, cache, lazy_min=1)
    moved = b"\n" + data
    lazy = analyse(parse_source("gen.x07t", moved), None, cache, lazy_min=1)
    assert lazy.reused == len(lazy.functions)
    pending = [fr for fr in lazy.functions if fr.map_pending]
    assert len(pending) == len(lazy.functions)
    steps = 0
    while lazy.model.make_pending(7):
        steps += 1
        assert steps < 10
    assert steps == (len(pending) - 1) // 7
    assert not any(fr.map_pending for fr in lazy.functions)
    eager = analyse(parse_source("gen.x07t", moved), None, FunctionCache(), lazy_min=EAGER)
    assert maps_of(lazy) == maps_of(eager)
    assert not lazy.model.make_pending(5)


@pytest.mark.parametrize("cpus", [2, 3])
def test_split_among_cpus_equals_eager(monkeypatch, cpus):
    """A full check of many functions splits their findings among forked workers (as batch mode
    does) and makes the maps here when read: the same answers as one process making them at once."""
    from custody.analysis.x07 import check
    monkeypatch.setattr(check, "_spare_cpus", lambda: cpus)
    for seed in (1, 4):
        data = generated_module(60, seed)
        eager_cache, split_cache = FunctionCache(), FunctionCache()
        eager = analyse(parse_source("gen.x07t", data), None, eager_cache, lazy_min=EAGER)
        split = analyse(parse_source("gen.x07t", data), None, split_cache, lazy_min=1, lazy_parallel_min=1)
        assert all(type(fr._made) is LazyMap for fr in split.functions)
        assert findings_of(split) == findings_of(eager)
        assert deps_of(split_cache) == deps_of(eager_cache)
        assert maps_of(split) == maps_of(eager)


@pytest.mark.parametrize("suffix", [".x07t", ".x07.json"])
def test_random_edits_with_lazy_maps(suffix, monkeypatch):
    """tests/analysis/test_keystroke_patch.py's random edit sessions (every snapshot against a
    fresh check: findings, point_at, functions_at, calls) with the maps of every open made when
    first read, and split among forked workers: the results an open made lazily are reused,
    moved, by the keystrokes after it, and their maps are made from the declarations of that
    first text after its tree was edited."""
    from custody.analysis.x07 import check
    from test_keystroke_patch import test_random_edits_equal_a_fresh_check as random_edits
    monkeypatch.setattr(check, "LAZY_MIN_FUNCTIONS", 8)
    monkeypatch.setattr(check, "LAZY_PARALLEL_MIN_FUNCTIONS", 40)
    monkeypatch.setattr(check, "_spare_cpus", lambda: 2)
    made = [0]
    real = check.made_map

    def counting(*a):
        made[0] += 1
        return real(*a)

    monkeypatch.setattr(check, "made_map", counting)
    random_edits(suffix, monkeypatch)
    assert made[0] > 20
