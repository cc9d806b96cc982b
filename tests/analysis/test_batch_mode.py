"""The CLI's batch mode (no ownership map; a big file's functions split among forked workers)
must report exactly what the language server's full check reports: the same findings, with the
same related spans and fix edits, in the same order, for every case file in both forms and for
generated modules with mistakes spread through them. The split is forced on small inputs here
(parallel_min=1), and a worker that dies must cost nothing but time."""
from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

from case_runner import case_files, to_json_text
from custody.analysis.engine import Engine
from custody.analysis.forked import fork_map
from custody.analysis.x07.check import FunctionCache, analyse
from custody.analysis.x07.document import parse_source

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from parse_bench import MODULE, ProgramGenerator, module_header, to_x07t  # noqa: E402

CASES = case_files()


def findings_of(analysis):
    return [(f.code, f.severity, f.span, f.message, tuple((r.span, r.message) for r in f.related),
             tuple((x.title, x.safe, tuple((e.span, e.new_text) for e in x.edits)) for x in f.fixes))
            for f in analysis.findings]


def both_ways(path: str, data: bytes, workers: int = 3):
    full = analyse(parse_source(path, data), None, FunctionCache())
    batch = analyse(parse_source(path, data), None, FunctionCache(), lean=True, workers=workers, parallel_min=1)
    return full, batch


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(c.parents[1])) for c in CASES])
def test_case_files_same_findings(case):
    text = case.read_bytes()
    json_data = to_json_text(Engine().check(str(case), text)).encode()
    for path, data in ((str(case), text), (str(case).replace(".x07t", ".x07.json"), json_data)):
        full, batch = both_ways(path, data)
        assert findings_of(batch) == findings_of(full)
        assert batch.model.functions == []          # nothing built that batch callers never read
        assert batch.analysed == full.analysed


# Functions with mistakes (each a template over a unique suffix), mixed into generated code.
MISTAKES = [
    "{{:kind defn :name {m}.uam{i} :params ({{:name b :ty bytes}}) :result i32\n"
    "   :body (begin (let c b) (bytes.len b))}}",
    "{{:kind defn :name {m}.mwb{i} :params () :result bytes\n"
    "   :body (begin (let b (bytes.alloc 4)) (let v (bytes.view b)) (let c b) (view.len v) c)}}",
    "{{:kind defn :name {m}.branch{i} :params ({{:name b :ty bytes}} {{:name k :ty i32}}) :result i32\n"
    "   :body (begin (if (< k 0) (let x b) 0) (bytes.len b))}}",
    "{{:kind defn :name {m}.temp{i} :params () :result i32\n"
    "   :body (begin (let v (bytes.view (bytes.alloc 3))) (view.len v))}}",
    "{{:kind defn :name {m}.loop{i} :params ({{:name b :ty bytes}}) :result i32\n"
    "   :body (begin (for j 0 3 (let c b)) 0)}}",
    "{{:kind defn :name {m}.concat{i} :params () :result bytes\n"
    "   :body (begin (let a (bytes.alloc 2)) (bytes.concat a a))}}",
]


def generated_module(n: int, seed: int) -> bytes:
    gen = ProgramGenerator(seed)
    rng = random.Random(seed)
    parts = []
    for i in range(n):
        if rng.random() < 0.3:
            parts.append("  " + rng.choice(MISTAKES).format(m=MODULE, i=i))
        else:
            parts.append("  " + to_x07t(gen.defn(), 2))
    return ("\n".join(module_header()) + "\n" + "\n".join(parts) + " )}\n").encode()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_modules_same_findings(seed):
    data = generated_module(60, seed)
    for workers in (2, 3, 7):
        full, batch = both_ways("gen.x07t", data, workers)
        assert len(full.findings) >= 8 and len({f.code for f in full.findings}) >= 3
        assert findings_of(batch) == findings_of(full)


def test_batch_engine_cache_same_after_edit():
    """The batch engine's cache (filled from workers' results) serves a re-check exactly."""
    data = generated_module(40, 5)
    e = Engine(batch=True)
    e.workers = 2
    first = e.check("gen.x07t", data)
    again = e.check("gen.x07t", b"\n\n" + data)
    cold = Engine().check("gen.x07t", b"\n\n" + data)
    assert again.analysis.reused == again.analysis.analysed + again.analysis.reused
    assert findings_of(again.analysis) == findings_of(cold.analysis)
    assert len(first.analysis.findings) == len(again.analysis.findings)


def _dies_in_child(parent: int):
    def work(piece):
        if os.getpid() != parent and piece[0] == 2:
            os._exit(3)
        if os.getpid() != parent and piece[0] == 3:
            raise RuntimeError("worker failed")
        return [x * 10 for x in piece]
    return work


def test_failed_worker_piece_is_redone_in_parent():
    got = fork_map(_dies_in_child(os.getpid()), [[0, 1], [2], [3, 4], [5]])
    assert got == [[0, 10], [20], [30, 40], [50]]
