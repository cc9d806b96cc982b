"""Kea case files with inline expectations (tests/cases/kea/**, written from Kea's rules, docs/kea.md).

A case is a `.kea` file (a multi-module case is a directory: the file importing the others is the
case, the modules it imports sit next to it and carry no expectations of their own unless they are
cases too). Expectations are `--` comments under the offending line (tests/analysis/commented_cases.py):

      let b = take(u)
    --             ^ KEA-K2
"""

from __future__ import annotations

from pathlib import Path

import pytest

from commented_cases import CaseSuite

ROOT = Path(__file__).resolve().parents[3]
SUITE = CaseSuite("kea", ROOT / "tests" / "cases" / "kea", ".kea", "--", skip_parent_suffix="_modules")
CASES = SUITE.case_files()
FIX_CASES = [p for p in CASES if SUITE.fixed_file(p).exists()]


@pytest.mark.parametrize("path", CASES, ids=SUITE.ids(CASES))
def test_kea_case(path):
    SUITE.assert_expected(path, SUITE.check(path))


@pytest.mark.parametrize("path", FIX_CASES, ids=SUITE.ids(FIX_CASES))
def test_kea_case_fix_round_trip(path):
    SUITE.assert_fix_round_trip(path)


def test_kea_cases_cover_the_rules():
    firing, silent = SUITE.firing(CASES)
    rules = ["KEA-K2", "KEA-K3", "KEA-K4", "KEA-K5", "KEA-K6", "KEA-K7", "KEA-K8", "KEA-K10", "KEA-K11",
             "KEA-K12"]
    assert all(firing.get(c) for c in rules), {c: len(firing.get(c, ())) for c in rules}
    assert silent * 3 >= len(CASES), (silent, len(CASES))
    assert len(CASES) >= 60
