"""`--fix` applies only safe fixes: setting a pointer to NULL after a transfer is not safe when a
later test reads it (MMM-T2, scoped form): the test then takes the other branch, which changes
what the program does (AgeRun's tests use such a stale test as a success flag)."""
from __future__ import annotations

from pathlib import Path

from custody.analysis.engine import Engine

CASE = Path(__file__).resolve().parents[2] / "cases" / "c" / "transfer" / "t2_null_test_after_destroy.c"


def test_nulling_before_a_stale_test_is_offered_but_not_safe():
    result = Engine(batch=True).check(str(CASE), CASE.read_bytes())
    t2 = [f for f in result.findings if f.code == "MMM-T2"]
    assert t2 and all(f.fixes for f in t2)
    assert not any(fx.safe for f in t2 for fx in f.fixes)
