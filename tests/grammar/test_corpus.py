"""Every corpus case of every grammar that has one, as its own test."""

from __future__ import annotations

import pytest

from corpus_runner import CorpusCase, collect_cases, compare, load_language

tree_sitter = pytest.importorskip("tree_sitter")

CASES = collect_cases()
_PARSERS: dict[str, object] = {}


def _parser(name: str):
    if name not in _PARSERS:
        language = load_language(name)
        _PARSERS[name] = tree_sitter.Parser(language) if language is not None else None
    parser = _PARSERS[name]
    if parser is None:
        pytest.skip(f"the {name} parser is not built (custody.grammar.language({name!r}))")
    return parser


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_corpus_case(case: CorpusCase) -> None:
    if "skip" in case.attributes:
        pytest.skip("marked :skip")
    tree = _parser(case.language_name).parse(case.source)
    root = tree.root_node
    assert root.end_byte <= len(case.source)
    if case.expects_error:
        assert root.has_error, f"expected an error, got {root}"
        return
    expected, actual = compare(case, str(root))
    assert actual == expected
