"""Case files with inline expectations in comments, for the front-ends whose cases are plain
source files (C, Kea, Janus): one reader of the expectation lines, one way to compare findings
with them, one fix round trip. Each language's test module builds a `CaseSuite` and keeps only
what is its own (its rules, its severities, its CLI and LSP checks).

Under the line holding an offending token, a comment line marks the token and names the code(s):

      let b = take(u)
    --             ^ KEA-K2

First caret = start column, last caret + 1 = end column, in characters, on the nearest line above
that is not an expectation line. A token in column 0 or 1 cannot have carets under it after the
comment marker, so it is written `--@0-3 KEA-K12` (`//@0-1 MMM-L1`). Every finding must be
expected and every expectation found; a file without expectation lines must stay silent.
`<name>.fixed<suffix>` next to a case is the exact text after applying its findings' fixes
(preferred, else first; a line `// fix: <start of a title>` in the case picks, for each finding
offering it, the fix whose title starts so); checking it again must not report those codes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from custody.analysis.engine import Engine
from custody.analysis.findings import apply_edits

_CODES = r"([A-Za-z0-9-]+(?:\s+[A-Za-z0-9-]+)*)"


@dataclass(frozen=True, order=True)
class Expectation:
    line: int       # 0-based
    start: int      # character column
    end: int        # -1: the finding ends on a later line
    code: str

    def __str__(self):
        return f"{self.code} at {self.line + 1}:{self.start}-{self.end}"


@dataclass(frozen=True)
class CaseSuite:
    language: str            # the front-end's name (Engine.language(path).name)
    directory: Path
    suffix: str              # ".kea"
    comment: str             # the line-comment marker: "--", "//"
    skip_parent_suffix: str = ""   # files in folders ending so are modules of a case, not cases

    def _patterns(self):
        c = re.escape(self.comment)
        return (re.compile(r"^\s*" + c + r"(\s*)(\^+)\s+" + _CODES + r"\s*$"),
                re.compile(r"^\s*" + c + r"@(\d+)-(\d+)\s+" + _CODES + r"\s*$"))

    def expectations(self, text: str) -> list[Expectation]:
        carets, explicit = self._patterns()
        out, last = [], None
        for i, line in enumerate(text.split("\n")):
            m, e = carets.match(line), explicit.match(line)
            if m and last is not None:
                col = line.index("^")
                out += [Expectation(last, col, col + len(m.group(2)), c) for c in m.group(3).split()]
            elif e and last is not None:
                out += [Expectation(last, int(e.group(1)), int(e.group(2)), c) for c in e.group(3).split()]
            else:
                last = i
        return sorted(out)

    def case_files(self) -> list[Path]:
        fixed = ".fixed" + self.suffix
        return sorted(p for p in self.directory.glob("**/*" + self.suffix) if not p.name.endswith(fixed)
                      and not (self.skip_parent_suffix and p.parent.name.endswith(self.skip_parent_suffix)))

    def fixed_file(self, path: Path) -> Path:
        return path.with_name(path.name[: -len(self.suffix)] + ".fixed" + self.suffix)

    def ids(self, paths) -> list[str]:
        return [p.relative_to(self.directory).as_posix() for p in paths]

    def check(self, path: Path, data: bytes | None = None, engine: Engine | None = None):
        """A fresh engine per case unless one is given (no summaries carried over from other
        cases); the case's directory is a module root, so the modules and headers next to it are
        visible."""
        engine = engine or Engine(module_roots=[str(path.parent)])
        lang = engine.language(str(path))
        assert lang.name == self.language, f"{path.name}: picked the {lang.name!r} front-end, not {self.language}"
        return engine.check(str(path), path.read_bytes() if data is None else data)

    def assert_expected(self, path: Path, result) -> None:
        expected, got = self.expectations(path.read_text(encoding="utf-8")), found(result)
        missing = [str(e) for e in expected if e not in got]
        unexpected = [str(g) for g in got if g not in expected]
        assert got == expected, (f"{path.relative_to(self.directory)}: missing {missing}, "
                                 f"unexpected {unexpected}\nfindings:\n{details(result)}")

    def chosen_title(self, text: str) -> str | None:
        """The start of the title a case picks its fixes by (`// fix: make allocator explicit`)."""
        m = re.search(r"^\s*" + re.escape(self.comment) + r" fix: (.+?)\s*$", text, re.M)
        return m.group(1) if m else None

    def assert_fix_round_trip(self, path: Path, strict: bool = False, parses=None) -> None:
        """Applying the offered fixes gives exactly the `.fixed` file, and that text no longer
        has the fixed codes. strict: nor any finding the case did not have (same code and
        message); parses(bytes) -> bool: the fixed text is free of syntax errors."""
        data = path.read_bytes()
        result = self.check(path, data)
        chosen = self.chosen_title(data.decode("utf-8"))
        fixed, edits = [], []
        for f in result.findings:
            if chosen is not None:
                fix = next((x for x in f.fixes if x.title.startswith(chosen)), None)
            else:
                fix = next((x for x in f.fixes if x.preferred), f.fixes[0]) if f.fixes else None
            if fix is not None:
                fixed.append(f)
                edits += list(fix.edits)
        assert fixed, f"no fix offered{f' starting {chosen!r}' if chosen else ''}:\n{details(result)}"
        new = apply_edits(data, edits)
        assert new.decode("utf-8") == self.fixed_file(path).read_text(encoding="utf-8")
        if parses is not None:
            assert parses(new), "the fixed text has syntax errors"
        codes = {f.code for f in fixed}
        again = self.check(path, new)
        left = [f for f in again.findings if f.code in codes]
        assert not left, f"after the fix:\n{details(again)}"
        if strict:
            before = {(f.code, f.message) for f in result.findings if f not in fixed}
            new_ones = [f for f in again.findings if (f.code, f.message) not in before]
            assert not new_ones, f"new findings after the fix:\n{details(again)}"

    def firing(self, cases) -> tuple[dict, int]:
        """{code: the cases expecting it}, and how many cases expect nothing."""
        firing: dict[str, set[Path]] = {}
        silent = 0
        for p in cases:
            exp = self.expectations(p.read_text(encoding="utf-8"))
            silent += not exp
            for e in exp:
                firing.setdefault(e.code, set()).add(p)
        return firing, silent


def found(result) -> list[Expectation]:
    out = []
    for f in result.findings:
        r = result.index.range(f.span)
        out.append(Expectation(r.start.line, r.start.character,
                               r.end.character if r.end.line == r.start.line else -1, f.code))
    return sorted(out)


def details(result) -> str:
    lines = []
    for f in result.findings:
        r = result.index.range(f.span)
        lines.append(f"  {f.code} ({f.severity}) {r.start.line + 1}:{r.start.character}-"
                     f"{r.end.line + 1}:{r.end.character}: {f.message}")
    return "\n".join(lines) or "  (no findings)"
