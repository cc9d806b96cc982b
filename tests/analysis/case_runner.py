"""Case files with inline expectations, in both source forms.

A case is an `.x07t` file under tests/cases/. Under the line holding an offending token, a comment
line marks the token and names the code:

    (bytes.len b)
    ;          ^ X07-MOVE-0901

The carets give the finding's primary range on the line above (first caret = start column,
last caret + 1 = end column, in characters). Every finding must be expected and every
expectation found. A file with no expectation lines is an accept case: it must stay silent.

The same program is converted to `.x07.json` and checked again: it must give the same codes at
the same JSON Pointers.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from custody.analysis.engine import Engine
from custody.analysis.source import Span

CASES = Path(__file__).resolve().parent.parent / "cases"
_EXPECT = re.compile(r"^\s*;(\s*)(\^+)\s+([A-Z0-9-]+(?:\s+[A-Z0-9-]+)*)\s*$")


@dataclass(frozen=True)
class Expectation:
    line: int       # 0-based
    start: int      # character column
    end: int
    code: str


def expectations(text: str) -> list[Expectation]:
    out = []
    lines = text.split("\n")
    last_src = None
    for i, line in enumerate(lines):
        m = _EXPECT.match(line)
        if m and last_src is not None:
            col = line.index("^")
            for code in m.group(3).split():
                out.append(Expectation(last_src, col, col + len(m.group(2)), code))
        else:
            last_src = i
    return out


def found(result) -> list[Expectation]:
    idx = result.parsed.index
    out = []
    for f in result.analysis.findings:
        r = idx.range(f.span)
        out.append(Expectation(r.start.line, r.start.character,
                               r.end.character if r.end.line == r.start.line else -1, f.code))
    return out


def to_json_text(result) -> str:
    return json.dumps(result.parsed.parse.root.to_python(), indent=1, ensure_ascii=False) + "\n"


def pointer_codes(result) -> list[tuple[str, str]]:
    """(code, JSON Pointer of the primary span) for every finding."""
    by_span: dict[Span, str] = {}
    for ptr, v in result.parsed.pointers.by_pointer.items():
        by_span.setdefault(v.span, ptr)
    for e in (e for v in result.parsed.pointers.by_pointer.values() for e in v.entries):
        by_span.setdefault(e.key_span, e.value.pointer + "#key")
    # a scope-end finding (drop while borrowed) sits on the closing bracket of its block
    by_end = {}
    for v in result.parsed.pointers.by_pointer.values():
        if v.kind in ("list", "map"):
            by_end[Span(v.span.end - 1, v.span.end)] = v.pointer + "#end"
    return sorted((f.code, by_span.get(f.span) or by_end.get(f.span, f"?{f.span}"))
                  for f in result.analysis.findings)


def case_files() -> list[Path]:
    return sorted(CASES.glob("**/*.x07t"))


def check_case(path: Path, engine: Engine | None = None):
    engine = engine or Engine()
    data = path.read_bytes()
    result = engine.check(str(path), data)
    return result
