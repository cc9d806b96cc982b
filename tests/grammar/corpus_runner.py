"""Run tree-sitter corpus files (`test/corpus/*.txt`) with py-tree-sitter.

The file format is the official one of `tree-sitter test`:

    ==================
    Case title
    :error
    ==================

    source text

    ---

    (expected (s-expression))

A header is a line of three or more `=`, the title (one or more lines, then
optional attribute lines starting with `:`), and a closing line of `=`.  The
header lines may carry a suffix (`===|||`), which then also marks that case's
divider (`---|||`), so sources may contain `===`/`---` lines themselves.  The
divider is the longest line of dashes after the header.

Attributes understood here: `:error` (the tree must contain an error; the
expected text is not compared), `:skip`, `:language(NAME)` (parse with that
grammar instead of the one owning the corpus).  `:platform(...)`,
`:fail-fast` and `:cst` are accepted and ignored.

Comparison follows the official runner: whitespace is normalised, `;` comment
lines in the expected text are dropped, and field names (`head: `) are compared
only when the expected text shows at least one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GRAMMAR_DIR = REPO / "grammar"
# Corpora for grammars whose directory is not ours to write in: grammar name -> dir.
EXTRA_CORPORA = {"json": Path(__file__).resolve().parent / "json_corpus"}

_HEADER = re.compile(r"^(={3,})(?P<suffix>[^=\r\n]*)\r?$")
_ATTRIBUTE = re.compile(r"^:(?P<name>[a-z-]+)(?:\((?P<arg>[^)]*)\))?\s*$")
_FIELD = re.compile(r"(?<=[\s(])[a-z_][a-z0-9_]*: ")
_COMMENT_LINE = re.compile(r"^\s*;.*$", re.MULTILINE)


@dataclass
class CorpusCase:
    grammar: str
    path: Path
    line: int
    name: str
    source: bytes
    expected: str
    attributes: dict[str, str | None] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.grammar}/{self.path.stem}:{self.line}:{self.name}"

    @property
    def expects_error(self) -> bool:
        return "error" in self.attributes

    @property
    def language_name(self) -> str:
        return self.attributes.get("language") or self.grammar


class CorpusFormatError(ValueError):
    pass


def parse_corpus_text(text: str, grammar: str, path: Path) -> list[CorpusCase]:
    lines = text.split("\n")
    cases: list[CorpusCase] = []
    i = 0
    while i < len(lines):
        opening = _HEADER.match(lines[i])
        if not opening:
            if lines[i].strip() and not cases:
                raise CorpusFormatError(f"{path}:{i + 1}: text before the first header")
            i += 1
            continue
        suffix = opening.group("suffix").strip()
        header_line = i + 1
        title: list[str] = []
        attributes: dict[str, str | None] = {}
        i += 1
        while i < len(lines) and not _is_header(lines[i], suffix):
            attribute = _ATTRIBUTE.match(lines[i].strip())
            if attribute and title:
                attributes[attribute.group("name")] = attribute.group("arg")
            elif lines[i].strip():
                title.append(lines[i].strip())
            i += 1
        if i >= len(lines) or not title:
            raise CorpusFormatError(f"{path}:{header_line}: unterminated or empty header")
        i += 1  # past the closing `===` line
        body_start = i
        while i < len(lines) and not _opens_case(lines, i, suffix):
            i += 1
        body = lines[body_start:i]
        divider = _divider_index(body, suffix)
        if divider is None:
            raise CorpusFormatError(f"{path}:{header_line}: no `---` divider in {title[0]!r}")
        # Everything up to the divider but the newline that ends the last line
        # (the official runner drops that one newline, keeping blank lines).
        source = "\n".join(body[:divider]).removesuffix("\r")
        cases.append(
            CorpusCase(
                grammar=grammar,
                path=path,
                line=header_line,
                name=" ".join(title),
                source=source.encode("utf-8"),
                expected="\n".join(body[divider + 1 :]),
                attributes=attributes,
            )
        )
    return cases


def _is_header(line: str, suffix: str) -> bool:
    match = _HEADER.match(line)
    return bool(match) and match.group("suffix").strip() == suffix


def _opens_case(lines: list[str], i: int, suffix: str) -> bool:
    """A header line that opens the next case (not a closing one seen mid-body)."""
    if not _HEADER.match(lines[i]):
        return False
    next_suffix = _HEADER.match(lines[i]).group("suffix").strip()
    # A new case: a header, a title, and a closing header with the same suffix.
    j = i + 1
    while j < len(lines) and not _is_header(lines[j], next_suffix):
        if not lines[j].strip():
            return False
        j += 1
    return j < len(lines) and j > i + 1


def _divider_index(body: list[str], suffix: str) -> int | None:
    pattern = re.compile(r"^(-{3,})" + re.escape(suffix) + r"\s*$")
    best, best_len = None, 0
    for k, line in enumerate(body):
        match = pattern.match(line)
        if match and len(match.group(1)) > best_len:
            best, best_len = k, len(match.group(1))
    return best


def normalize_sexp(text: str, keep_fields: bool = True) -> str:
    text = _COMMENT_LINE.sub("", text)
    if not keep_fields:
        text = _FIELD.sub("", text)
    text = re.sub(r"\s+", " ", text.strip())
    text = re.sub(r"\(\s+", "(", text)
    return re.sub(r"\s+\)", ")", text)


def has_fields(sexp: str) -> bool:
    return bool(_FIELD.search(_COMMENT_LINE.sub("", sexp)))


def compare(case: CorpusCase, actual: str) -> tuple[str, str]:
    """The (expected, actual) pair to compare, both normalised."""
    keep = has_fields(case.expected)
    return normalize_sexp(case.expected), normalize_sexp(actual, keep_fields=keep)


def corpus_dirs() -> dict[str, list[Path]]:
    """Every grammar that has a corpus: name -> its corpus directories."""
    found: dict[str, list[Path]] = {}
    for corpus in sorted(GRAMMAR_DIR.glob("*/test/corpus")):
        if corpus.is_dir():
            found.setdefault(corpus.parent.parent.name, []).append(corpus)
    for name, corpus in EXTRA_CORPORA.items():
        if corpus.is_dir() and (GRAMMAR_DIR / name).is_dir():
            found.setdefault(name, []).append(corpus)
    return found


def collect_cases() -> list[CorpusCase]:
    cases: list[CorpusCase] = []
    for grammar, dirs in corpus_dirs().items():
        for directory in dirs:
            for path in sorted(directory.glob("*.txt")):
                cases.extend(parse_corpus_text(path.read_text(encoding="utf-8"), grammar, path))
    return cases


def load_language(name: str):
    """`custody.grammar.language(name)`, or None when that parser is not built."""
    try:
        from custody.grammar import language
    except ImportError:
        return None
    try:
        return language(name)
    except Exception:  # not generated / not compiled yet
        return None
