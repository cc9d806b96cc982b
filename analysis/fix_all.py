"""Applying fixes until none is left: one fix at a time, re-checking after each.

Fixes are computed against one text; applying several at once could apply half of one whose
edits overlap another's. So: take the first finding that offers an acceptable fix, apply its
preferred fix (else its first), re-check, repeat. A fix that would break the syntax is not
applied, and a fix that changes nothing ends the loop.
"""
from __future__ import annotations

from typing import Callable

from .findings import Finding, Fix, apply_edits

MAX_ROUNDS = 100


def chosen_fix(f: Finding, accept: Callable[[Fix], bool]) -> Fix | None:
    candidates = [x for x in f.fixes if accept(x)]
    if not candidates:
        return None
    return next((x for x in candidates if x.preferred), candidates[0])


def fix_all(check: Callable[[bytes], list[Finding]], data: bytes,
            accept: Callable[[Fix], bool] = lambda fix: True) -> tuple[bytes, list[str]]:
    """-> (the fixed text, titles of the fixes applied in order)."""
    applied: list[str] = []
    refused: set[tuple] = set()
    for _ in range(MAX_ROUNDS):
        findings = check(data)
        pick = None
        for f in findings:
            fix = chosen_fix(f, accept)
            if fix is not None and (f.code, fix.title, fix.edits) not in refused:
                pick = (f, fix)
                break
        if pick is None:
            break
        f, fix = pick
        new = apply_edits(data, list(fix.edits))
        if new == data:
            break
        if any(x.code.startswith("CUS-SYNTAX") for x in check(new)):
            refused.add((f.code, fix.title, fix.edits))
            continue
        data = new
        applied.append(fix.title)
    return data, applied
