"""Janus case files with inline expectations (tests/cases/janus/**, written from the rules of docs/janus.md).

A case is a `.jan` file (a directory may hold a `custody.toml`, which applies to its cases: J3 is
off unless `[janus] borrows = true`). Expectations are `//` comments under the offending line
(tests/analysis/commented_cases.py):

    print(data.len)
    //    ^^^^ JAN-S6003
"""

from __future__ import annotations

from pathlib import Path

import pytest

from commented_cases import CaseSuite

ROOT = Path(__file__).resolve().parents[3]
SUITE = CaseSuite("janus", ROOT / "tests" / "cases" / "janus", ".jan", "//")
CASES = SUITE.case_files()
FIX_CASES = [p for p in CASES if SUITE.fixed_file(p).exists()]


@pytest.mark.parametrize("path", CASES, ids=SUITE.ids(CASES))
def test_janus_case(path):
    SUITE.assert_expected(path, SUITE.check(path))


def parses(data: bytes) -> bool:
    """No syntax error in Janus's grammar (grammar/janus)."""
    import tree_sitter

    from custody.grammar import language

    return not tree_sitter.Parser(language("janus")).parse(data).root_node.has_error


@pytest.mark.parametrize("path", FIX_CASES, ids=SUITE.ids(FIX_CASES))
def test_janus_case_fix_round_trip(path):
    SUITE.assert_fix_round_trip(path, strict=True, parses=parses)


def test_janus_cases_cover_the_rules():
    firing, silent = SUITE.firing(CASES)
    rules = ["JAN-S6003", "JAN-MOVE-0001", "JAN-MOVE-0002", "JAN-E3001", "JAN-S6002", "JAN-UNSAFE-0001",
             "JAN-PROFILE-0001", "JAN-S6001"]
    assert all(firing.get(c) for c in rules), {c: len(firing.get(c, ())) for c in rules}
    assert silent * 3 >= len(CASES), (silent, len(CASES))
    assert len(CASES) >= 50
