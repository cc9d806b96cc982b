"""Incremental reparsing after random edits gives the tree of a fresh parse.

Each example takes a real document, applies a random sequence of edits
(delete/insert/replace of random spans, favouring brackets, quotes, `:`,
`;` and newlines), telling tree-sitter about each with `tree.edit(...)` and
reparsing with the old tree, then compares with a fresh parse of the final
text.  Undoing the edits one by one, incrementally again, must give back the
original tree.  The documents include long repetitions (40 elements and
more, nested), and empty edits at every place in them must give back the
same tree.
"""

from __future__ import annotations

import os

import pytest

tree_sitter = pytest.importorskip("tree_sitter")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from edit_sessions import apply_edit, edit_sequence, tree_dump  # noqa: E402
from grammars import (  # noqa: E402
    PIECES,
    built_grammar_names,
    language,
    long_repetition_texts,
    sample_texts,
)

# Grammars the property runs on when built (x07text always; json when ours is).
EDIT_GRAMMARS = ["x07text", "json"]
EXAMPLES = int(os.environ.get("CUSTODY_PROPERTY_EXAMPLES", "500"))


def _parser(name: str):
    if name not in built_grammar_names():
        pytest.skip(f"the {name} parser is not built")
    return tree_sitter.Parser(language(name))


# Empty edits over documents with long repetitions: the runtime rebalances
# long repeat subtrees after each parse (`ts_subtree_balance`), and the
# reparse must take those subtrees back as they are (tsgen encodes repeats
# as tree-sitter does, `aux -> aux aux | x`, so the tables accept them).
MAX_EMPTY_EDITS_PER_DOCUMENT = 300


def _offsets(length: int) -> range:
    return range(0, length + 1, max(1, (length + 1) // MAX_EMPTY_EDITS_PER_DOCUMENT))


@pytest.mark.parametrize("name", EDIT_GRAMMARS)
def test_empty_edit_reuses_long_repetitions(name: str) -> None:
    parser = _parser(name)
    texts = long_repetition_texts(name)
    assert texts and all(not parser.parse(t).root_node.has_error for t in texts)
    for text in texts:
        expected = tree_dump(parser.parse(text).root_node)
        for at in _offsets(len(text)):
            tree, _ = apply_edit(parser, parser.parse(text), text, at, at, b"")
            assert tree_dump(tree.root_node) == expected, (text[:60], at)


@pytest.mark.parametrize("name", EDIT_GRAMMARS)
def test_random_edits_reparse_like_a_fresh_parse(name: str) -> None:
    _check_random_edits(_parser(name), sample_texts(name))


@pytest.mark.parametrize("name", EDIT_GRAMMARS)
def test_random_edits_in_long_repetitions(name: str) -> None:
    _check_random_edits(_parser(name), long_repetition_texts(name))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def _check_random_edits(parser, documents: tuple[bytes, ...], data) -> None:
    edit_sequence(data, parser, documents, PIECES, max_span=60)
