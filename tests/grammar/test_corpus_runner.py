"""The corpus-file reader itself: format details the official runner accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_runner import (
    CorpusCase,
    CorpusFormatError,
    collect_cases,
    compare,
    normalize_sexp,
    parse_corpus_text,
)

SAMPLE = """\
==================
First case
==================

(f x)

---

(document
  (list head: (atom) (atom)))

=====================
Second case
:error
:language(json)
=====================
{oops
-----------

===|||
Source with dividers inside
===|||
a
---
b
---|||
(document (atom) (atom))
"""


def _cases() -> list[CorpusCase]:
    return parse_corpus_text(SAMPLE, "x07text", Path("sample.txt"))


def test_cases_titles_sources_and_lines() -> None:
    first, second, third = _cases()
    assert [c.name for c in (first, second, third)] == [
        "First case", "Second case", "Source with dividers inside"]
    assert first.source == b"\n(f x)\n"
    assert first.line == 1 and second.line == 12
    assert normalize_sexp(first.expected) == "(document (list head: (atom) (atom)))"
    assert third.source == b"a\n---\nb"


def test_attributes() -> None:
    _, second, _ = _cases()
    assert second.expects_error and second.language_name == "json"
    assert second.source == b"{oops"


def test_fields_are_compared_only_when_the_expectation_shows_them() -> None:
    first = _cases()[0]
    assert compare(first, "(document (list head: (atom) (atom)))")[1] == \
        "(document (list head: (atom) (atom)))"
    bare = CorpusCase("x", Path("x"), 1, "n", b"", "(document (list (atom) (atom)))")
    expected, actual = compare(bare, "(document (list head: (atom) (atom)))")
    assert expected == actual


def test_whitespace_and_comments_are_normalised() -> None:
    assert normalize_sexp("(a\n  ; a note\n  (b )\n  (MISSING \")\"))") == '(a (b) (MISSING ")"))'


def test_malformed_files_are_reported() -> None:
    with pytest.raises(CorpusFormatError):
        parse_corpus_text("===\ntitle\n===\nsource without divider\n", "g", Path("bad.txt"))


def test_every_corpus_file_in_the_repository_reads() -> None:
    cases = collect_cases()
    assert any(case.grammar == "x07text" for case in cases)
    assert len({case.id for case in cases}) == len(cases)
