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

from grammars import (  # noqa: E402
    PIECES,
    built_grammar_names,
    language,
    long_repetition_texts,
    point_at,
    sample_texts,
)

# Grammars the property runs on when built (x07text always; json when ours is).
EDIT_GRAMMARS = ["x07text", "json"]
EXAMPLES = int(os.environ.get("CUSTODY_PROPERTY_EXAMPLES", "500"))


def _tree_dump(node) -> list[tuple]:
    """Pre-order (type, start, end, is_missing) of every node, anonymous ones too."""
    out = []
    cursor = node.walk()
    while True:
        n = cursor.node
        out.append((n.type, n.start_byte, n.end_byte, n.is_missing))
        if cursor.goto_first_child():
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return out


def _apply(parser, tree, text: bytes, start: int, old_end: int, inserted: bytes):
    new = text[:start] + inserted + text[old_end:]
    tree.edit(
        start_byte=start,
        old_end_byte=old_end,
        new_end_byte=start + len(inserted),
        start_point=point_at(text, start),
        old_end_point=point_at(text, old_end),
        new_end_point=point_at(new, start + len(inserted)),
    )
    return parser.parse(new, tree), new


def _parser(name: str):
    if name not in built_grammar_names():
        pytest.skip(f"the {name} parser is not built")
    return tree_sitter.Parser(language(name))


@st.composite
def _edit(draw, length: int):
    start = draw(st.integers(0, length))
    span = draw(st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 60)))
    pieces = draw(st.lists(st.sampled_from(PIECES), max_size=4))
    return start, min(length, start + span), b"".join(pieces)


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
        expected = _tree_dump(parser.parse(text).root_node)
        for at in _offsets(len(text)):
            tree, _ = _apply(parser, parser.parse(text), text, at, at, b"")
            assert _tree_dump(tree.root_node) == expected, (text[:60], at)


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
    original = data.draw(st.sampled_from(documents), label="document")
    tree = parser.parse(original)
    text = original
    undo: list[tuple[int, int, bytes]] = []
    for _ in range(data.draw(st.integers(1, 5), label="edit count")):
        start, old_end, inserted = data.draw(_edit(len(text)), label="edit")
        undo.append((start, start + len(inserted), text[start:old_end]))
        tree, text = _apply(parser, tree, text, start, old_end, inserted)

    fresh = parser.parse(text)
    # (Hypothesis reports the document and the edits drawn.)
    assert str(tree.root_node) == str(fresh.root_node)
    assert _tree_dump(tree.root_node) == _tree_dump(fresh.root_node)

    for start, end, removed in reversed(undo):
        tree, text = _apply(parser, tree, text, start, end, removed)
    assert text == original
    assert str(tree.root_node) == str(parser.parse(original).root_node)
