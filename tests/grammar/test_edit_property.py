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

import pytest

tree_sitter = pytest.importorskip("tree_sitter")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from edit_sessions import (  # noqa: E402
    check_documents_parse_cleanly,
    check_empty_edits_keep_the_tree,
    edit_sequence,
    property_settings,
)
from grammars import PIECES, built_parser, long_repetition_texts, sample_texts  # noqa: E402

# Grammars the property runs on when built (x07text always; json when ours is).
EDIT_GRAMMARS = ["x07text", "json"]


# Empty edits over documents with long repetitions: the runtime rebalances
# long repeat subtrees after each parse (`ts_subtree_balance`), and the
# reparse must take those subtrees back as they are (tsgen encodes repeats
# as tree-sitter does, `aux -> aux aux | x`, so the tables accept them).
MAX_EMPTY_EDITS_PER_DOCUMENT = 300


def _offsets(length: int) -> range:
    return range(0, length + 1, max(1, (length + 1) // MAX_EMPTY_EDITS_PER_DOCUMENT))


@pytest.mark.parametrize("name", EDIT_GRAMMARS)
def test_empty_edit_reuses_long_repetitions(name: str) -> None:
    parser = built_parser(name)
    texts = long_repetition_texts(name)
    assert texts
    check_documents_parse_cleanly(parser, texts)
    check_empty_edits_keep_the_tree(parser, texts, _offsets)


@pytest.mark.parametrize("name", EDIT_GRAMMARS)
def test_random_edits_reparse_like_a_fresh_parse(name: str) -> None:
    _check_random_edits(built_parser(name), sample_texts(name))


@pytest.mark.parametrize("name", EDIT_GRAMMARS)
def test_random_edits_in_long_repetitions(name: str) -> None:
    _check_random_edits(built_parser(name), long_repetition_texts(name))


@property_settings()
@given(data=st.data())
def _check_random_edits(parser, documents: tuple[bytes, ...], data) -> None:
    edit_sequence(data, parser, documents, PIECES, max_span=60)
