"""Runs every case file in tests/cases in both source forms (see case_runner for the format)."""
from __future__ import annotations

from collections import Counter

import pytest

from case_runner import case_files, check_case, expectations, found, pointer_codes, to_json_text
from custody.analysis.engine import Engine
from custody.analysis.findings import apply_edits
from custody.analysis.fix_all import fix_all

def _x07text_parser_missing() -> str | None:
    try:
        from custody.grammar import language

        language("x07text")
        return None
    except Exception as e:  # not generated/built yet: say so instead of failing every case
        return f"x07text parser not available ({type(e).__name__}: {e})"


_MISSING = _x07text_parser_missing()
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")

CASES = case_files()


def _ids(paths):
    return [p.relative_to(p.parents[1]).as_posix() for p in paths]


@pytest.mark.parametrize("path", CASES, ids=_ids(CASES))
def test_case_x07text(path):
    text = path.read_text(encoding="utf-8")
    result = check_case(path)
    expected = sorted(expectations(text), key=lambda e: (e.line, e.start, e.code))
    got = sorted(found(result), key=lambda e: (e.line, e.start, e.code))
    details = "\n".join(f"  {f.code} {result.parsed.index.line_col(f.span.start)}: {f.message}"
                        for f in result.analysis.findings)
    assert got == expected, f"findings differ from expectations in {path.name}:\n{details}"


@pytest.mark.parametrize("path", CASES, ids=_ids(CASES))
def test_case_same_findings_in_json_form(path, tmp_path):
    text_result = check_case(path)
    json_path = tmp_path / (path.name[: -len(".x07t")] + ".x07.json")
    json_path.write_text(to_json_text(text_result), encoding="utf-8")
    json_result = Engine().check(str(json_path), json_path.read_bytes())
    assert pointer_codes(json_result) == pointer_codes(text_result)


REJECT = [p for p in CASES if expectations(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", REJECT, ids=_ids(REJECT))
def test_case_fixes_apply_and_recheck(path, tmp_path):
    """Each offered fix, applied alone, removes its finding and adds no new problem (both forms)."""
    engine = Engine()
    for form_path in (path, None):
        if form_path is None:
            jp = tmp_path / (path.name[: -len(".x07t")] + ".x07.json")
            jp.write_text(to_json_text(check_case(path)), encoding="utf-8")
            form_path = jp
        data = form_path.read_bytes()
        before = engine.check(str(form_path), data).analysis.findings
        for f in before:
            for fix in f.fixes:
                new = apply_edits(data, list(fix.edits))
                after = engine.check(str(form_path), new).analysis.findings
                assert not any(a.code.startswith("CUS-SYNTAX") for a in after), (fix.title, new.decode())
                assert len([a for a in after if a.severity == "error"]) < len(
                    [b for b in before if b.severity == "error"]), (f.code, fix.title, new.decode())


FIXABLE = [p for p in REJECT if any(f.fixes for f in check_case(p).analysis.findings)]


@pytest.mark.parametrize("path", FIXABLE, ids=_ids(FIXABLE))
def test_case_fix_all_leaves_only_unfixable_findings(path, tmp_path):
    """Fix-all (the server's "fix all" and `check --fix`) ends with no fixable finding left and
    nothing new; a case whose every finding offers a fix ends clean. Both forms."""
    engine = Engine()
    jp = tmp_path / (path.name[: -len(".x07t")] + ".x07.json")
    jp.write_text(to_json_text(check_case(path)), encoding="utf-8")
    for form_path in (path, jp):
        data = form_path.read_bytes()
        before = engine.check(str(form_path), data).analysis.findings

        def check(d):
            return engine.check(str(form_path), d).analysis.findings

        fixed, applied = fix_all(check, data)
        after = check(fixed)
        assert applied, form_path
        assert not [f for f in after if f.fixes], [(f.code, f.message) for f in after]
        # what is left was there before and had no fix (a fix may also clear some of those)
        left_over = Counter(f.code for f in after) - Counter(f.code for f in before if not f.fixes)
        assert not left_over, (form_path.name, [(f.code, f.message) for f in after])
        if all(f.fixes for f in before):
            assert after == [], (form_path.name, fixed.decode())
