"""Janus case files with inline expectations (tests/cases/janus/**, written from the rules of docs/janus.md).

A case is a `.jan` file (a directory may hold a `custody.toml`, which applies to its cases: J3 is
off unless `[janus] borrows = true`). Under the line holding an offending token, a `//` comment
marks the token and names the code(s):

    print(data.len)
    //    ^^^^ JAN-S6003

First caret = start column, last caret + 1 = end column, in characters, on the nearest line above
that is not an expectation line. A token in column 0 or 1 is written `//@0-3 JAN-PROFILE-0001`. Every
finding must be expected and every expectation found; a file without expectation lines must stay
silent. `<name>.fixed.jan` next to a case is the exact text after applying its findings' fixes
(preferred, else first); checking it again must not report those codes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from custody.analysis.engine import Engine
from custody.analysis.findings import apply_edits

ROOT = Path(__file__).resolve().parents[3]
CASES_DIR = ROOT / "tests" / "cases" / "janus"

_CODES = r"([A-Za-z0-9-]+(?:\s+[A-Za-z0-9-]+)*)"
_CARETS = re.compile(r"^\s*//(\s*)(\^+)\s+" + _CODES + r"\s*$")
_EXPLICIT = re.compile(r"^\s*//@(\d+)-(\d+)\s+" + _CODES + r"\s*$")


@dataclass(frozen=True, order=True)
class Expectation:
    line: int
    start: int
    end: int
    code: str

    def __str__(self):
        return f"{self.code} at {self.line + 1}:{self.start}-{self.end}"


def expectations(text: str) -> list[Expectation]:
    out, last = [], None
    for i, line in enumerate(text.split("\n")):
        m, e = _CARETS.match(line), _EXPLICIT.match(line)
        if m and last is not None:
            col = line.index("^")
            out += [Expectation(last, col, col + len(m.group(2)), c) for c in m.group(3).split()]
        elif e and last is not None:
            out += [Expectation(last, int(e.group(1)), int(e.group(2)), c) for c in e.group(3).split()]
        else:
            last = i
    return sorted(out)


def case_files() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("**/*.jan") if not p.name.endswith(".fixed.jan"))


def fixed_file(path: Path) -> Path:
    return path.with_name(path.name[: -len(".jan")] + ".fixed.jan")


def check(path: Path, data: bytes | None = None):
    engine = Engine(module_roots=[str(path.parent)])
    assert engine.language(str(path)).name == "janus"
    return engine.check(str(path), path.read_bytes() if data is None else data)


def found(result) -> list[Expectation]:
    out = []
    for f in result.findings:
        r = result.index.range(f.span)
        out.append(Expectation(r.start.line, r.start.character,
                               r.end.character if r.end.line == r.start.line else -1, f.code))
    return sorted(out)


def details(result) -> str:
    return "\n".join(f"  {f.code} {result.index.range(f.span).start.line + 1}: {f.message}"
                     for f in result.findings) or "  (no findings)"


CASES = case_files()
FIX_CASES = [p for p in CASES if fixed_file(p).exists()]


def _ids(paths):
    return [p.relative_to(CASES_DIR).as_posix() for p in paths]


@pytest.mark.parametrize("path", CASES, ids=_ids(CASES))
def test_janus_case(path):
    result = check(path)
    expected, got = expectations(path.read_text(encoding="utf-8")), found(result)
    assert got == expected, (f"missing {[str(e) for e in expected if e not in got]}, "
                             f"unexpected {[str(g) for g in got if g not in expected]}\n{details(result)}")


@pytest.mark.parametrize("path", FIX_CASES, ids=_ids(FIX_CASES))
def test_janus_case_fix_round_trip(path):
    data = path.read_bytes()
    result = check(path, data)
    fixable = [f for f in result.findings if f.fixes]
    assert fixable, details(result)
    edits = []
    for f in fixable:
        fix = next((x for x in f.fixes if x.preferred), f.fixes[0])
        edits += list(fix.edits)
    new = apply_edits(data, edits)
    assert new.decode("utf-8") == fixed_file(path).read_text(encoding="utf-8")
    codes = {f.code for f in fixable}
    again = check(path, new)
    assert not [f for f in again.findings if f.code in codes], details(again)


def test_janus_cases_cover_the_rules():
    firing: dict = {}
    silent = 0
    for p in CASES:
        exp = expectations(p.read_text(encoding="utf-8"))
        silent += not exp
        for e in exp:
            firing.setdefault(e.code, set()).add(p)
    rules = ["JAN-S6003", "JAN-MOVE-0001", "JAN-MOVE-0002", "JAN-E3001", "JAN-S6002", "JAN-UNSAFE-0001",
             "JAN-PROFILE-0001", "JAN-S6001"]
    assert all(firing.get(c) for c in rules), {c: len(firing.get(c, ())) for c in rules}
    assert silent * 3 >= len(CASES), (silent, len(CASES))
    assert len(CASES) >= 50
