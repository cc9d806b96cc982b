"""Inlay hints and the semantic tokens of a range read only the functions the range touches: on
a big file, whose maps are made when first read (analysis/x07/check.py), a request for the
visible lines makes those functions' maps, not every function's. The answers are the ones read
from every map."""
from __future__ import annotations

import sys
from pathlib import Path

from lsprotocol import types

from custody.analysis.x07 import check
from custody.lsp import inlay_hints, semantic_tokens
from custody.lsp.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from analysis_bench import make_module  # noqa: E402

KINDS = {"drops": True, "moves": True, "borrows": True}


def _open(monkeypatch, lazy_min: int, text: str):
    monkeypatch.setattr(check, "LAZY_MIN_FUNCTIONS", lazy_min)
    svc = Service()
    uri = "file:///tmp/custody-range-requests/big.x07t"
    svc.open(uri, 1, text)
    return svc.snapshot(uri)


def test_a_range_reads_only_its_functions_and_answers_the_same(monkeypatch):
    text = make_module(1500, "x07text").decode()
    lines = text.count("\n")
    ranges = [types.Range(types.Position(a, 0), types.Position(b, 0))
              for a, b in ((0, 40), (lines // 2, lines // 2 + 25), (lines - 30, lines + 1))]
    eager = _open(monkeypatch, 10 ** 9, text)
    want = [(inlay_hints.inlay_hints(eager, r, KINDS), semantic_tokens.semantic_tokens_range(eager, r).data)
            for r in ranges]
    lazy = _open(monkeypatch, 8, text)
    units = lazy.result.analysis.functions
    assert all(u.map_pending for u in units)
    got = [(inlay_hints.inlay_hints(lazy, r, KINDS), semantic_tokens.semantic_tokens_range(lazy, r).data)
           for r in ranges]
    assert got == want
    assert any(h for h, _ in got) and all(t for _, t in got)
    made = sum(1 for u in units if not u.map_pending)
    assert 0 < made <= 3 * 4           # a few functions per range, not the file's
    assert len(units) > 60
