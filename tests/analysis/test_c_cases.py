"""C case files with inline expectations: the contract of docs/c.md (AgeRun's MMM rules), case by case.

A case is a `.c` file under tests/cases/c/<group>/ (any depth: a case that needs its own
custody.toml sits in its own subdirectory; a case that needs a header has `<name>.h` next to it).
Under the line holding an offending token, a comment line marks the token and names the code(s):

        ar_data__destroy(own_value);
    //                   ^^^^^^^^^ MMM-D1

First caret = start column, last caret + 1 = end column, in characters, on the nearest line above
that is not itself an expectation line (several expectation lines may follow one source line).
A token in column 0 or 1 (a function's closing brace) cannot have carets under it after `//`, so
it is written with explicit columns, start inclusive, end exclusive:

    }
    //@0-1 MMM-L1

(tests/analysis/commented_cases.py reads them for C, Kea and Janus.) Every finding must be
expected and every expectation found; a file without expectation lines must stay silent. Next to a case, `<name>.fixed.c` is the exact text after applying the fixes its
findings offer (each finding's preferred fix, else its first); checking that text again must not
report those codes. `*.fixed.c` files are not cases themselves.

The cases were written from docs/c.md and the AgeRun reference alone; a case's leading comment
says which reading it takes where docs/c.md leaves room.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from custody.analysis.engine import Engine

from commented_cases import CaseSuite, Expectation, found


ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "tests" / "cases" / "c"
SUITE = CaseSuite("c", CASES_DIR, ".c", "//")

# docs/c.md, the Rules table
SEVERITY = {
    "MMM-T1": "error", "MMM-T2": "warning", "MMM-T3": "error",
    "MMM-D1": "error", "MMM-D2": "error",
    "MMM-L1": "warning", "MMM-L2": "warning", "MMM-L3": "warning", "MMM-L4": "warning",
    "MMM-R1": "error", "MMM-R2": "error",
    "MMM-P3": "warning", "MMM-P4": "warning",
    "MMM-A1": "error", "MMM-H1": "warning",
    "MMM-P1": "hint", "MMM-P2": "hint", "MMM-P5": "hint", "MMM-P6": "hint", "MMM-L4b": "hint",
    "CUS-SYNTAX-0001": "information",     # a function custody cannot parse is not checked (X16)
}


CASES = SUITE.case_files()
FIX_CASES = [p for p in CASES if SUITE.fixed_file(p).exists()]


def check(path: Path, data: bytes | None = None, engine: Engine | None = None):
    return SUITE.check(path, data, engine)


@pytest.mark.parametrize("path", CASES, ids=SUITE.ids(CASES))
def test_c_case(path):
    SUITE.assert_expected(path, check(path))


@pytest.mark.parametrize("path", CASES, ids=SUITE.ids(CASES))
def test_c_case_severities(path):
    """Each rule's severity is the one in docs/c.md's table."""
    result = check(path)
    wrong = [(f.code, f.severity, SEVERITY[f.code]) for f in result.findings
             if f.code in SEVERITY and f.severity != SEVERITY[f.code]]
    assert not wrong, wrong


@pytest.mark.parametrize("path", FIX_CASES, ids=SUITE.ids(FIX_CASES))
def test_c_case_fix_round_trip(path):
    SUITE.assert_fix_round_trip(path)


def test_c_cases_cover_the_rules():
    """The suite's own shape: every default rule fires in at least two cases, every hint rule in
    one (with its custody.toml) and stays silent in another; at least a third of the cases are
    silent."""
    firing, silent = SUITE.firing(CASES)
    defaults = [c for c, s in SEVERITY.items() if s in ("error", "warning")]
    assert all(len(firing.get(c, ())) >= 2 for c in defaults), {c: len(firing.get(c, ())) for c in defaults}
    hints = [c for c, s in SEVERITY.items() if s == "hint"]
    assert all(firing.get(c) for c in hints)
    assert silent * 3 >= len(CASES), (silent, len(CASES))
    assert len(CASES) >= 70


# ---- the same findings through the CLI and through the language server -----------------------

CLI_CASES = [CASES_DIR / p for p in (
    "transfer/t1_use_after_destroy.c",
    "leak/l1_leak_at_function_end.c",
    "prefix/p3_ref_vs_mut.c",
    "hints/p1_on/p1_missing_prefix_on.c",
    "exceptions/x03_destroy_on_failure.c",
)]


def _run_cli(*args):
    return subprocess.run([sys.executable, "-m", "custody.cli", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


@pytest.mark.parametrize("path", CLI_CASES, ids=SUITE.ids(CLI_CASES))
def test_c_case_cli_matches_engine(path):
    r = _run_cli("check", "--format", "json", str(path))
    assert r.returncode in (0, 1), r.stderr
    records = json.loads(r.stdout) if r.stdout.strip() else []
    cli = sorted(Expectation(d["range"]["start"]["line"], d["range"]["start"]["character"],
                             d["range"]["end"]["character"], d["code"]) for d in records)
    engine = found(check(path))
    assert cli == engine
    assert cli == SUITE.expectations(path.read_text(encoding="utf-8"))
    # exit status 1 when an error-severity finding is reported (warnings and hints alone: 0)
    assert r.returncode == (1 if any(SEVERITY.get(e.code) == "error" for e in cli) else 0)


LSP_CASES = [CASES_DIR / p for p in (
    "destroy/d1_double_destroy.c",
    "prefix/p3_missing_prefix_in_definition.c",
    "hints/l4b_on/l4b_unchecked_conditional_transfer_on.c",
    "control_flow/cf_goto_retry.c",
)]


@pytest.mark.parametrize("path", LSP_CASES, ids=SUITE.ids(LSP_CASES))
def test_c_case_language_server_publishes_the_same(path):
    """The server's diagnostics for the case opened as a document (Service, as the protocol layer
    uses it) are the expectations."""
    from custody.lsp.diagnostics import diagnostics
    from custody.lsp.service import Service

    svc = Service(workspace_roots=[str(path.parent)])
    uri = path.as_uri()
    svc.open(uri, 1, path.read_text(encoding="utf-8"), language_id="c")
    snap = svc.snapshot(uri)
    got = sorted(Expectation(d.range.start.line, d.range.start.character, d.range.end.character, str(d.code))
                 for d in diagnostics(snap, svc.settings))
    assert got == SUITE.expectations(path.read_text(encoding="utf-8"))
