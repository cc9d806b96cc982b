"""Janus: incremental reparses after random edits give the tree of a fresh parse.

Janus's grammar has no external scanner and declares no GLR conflicts (every
choice is settled by precedence in the parse table), so an incremental reparse
has no state to restore and no alternative to pick differently.  This drives
random edit sequences (block words, `do`/`end`, braces, operators, the planned
ownership words, CRLF, bytes that are not UTF-8) over Janus texts written for
these tests, as test_kea_edits.py does for Kea, and checks the incremental
tree against a fresh parse: exactly when the edited text parses without
error; when it has a syntax error, that both trees have one and cover the
text.  Undoing the edits must give back exactly the original tree.
"""

from __future__ import annotations

import os

import pytest

tree_sitter = pytest.importorskip("tree_sitter")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from grammars import built_grammar_names, language, point_at  # noqa: E402
from janus_samples import PIECES, SAMPLES  # noqa: E402

EXAMPLES = int(os.environ.get("CUSTODY_PROPERTY_EXAMPLES", "500"))


def _parser():
    if "janus" not in built_grammar_names():
        pytest.skip("the janus parser is not built")
    return tree_sitter.Parser(language("janus"))


def _dump(node) -> list[tuple]:
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


@st.composite
def _edit(draw, length: int):
    start = draw(st.integers(0, length))
    span = draw(st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 40)))
    pieces = draw(st.lists(st.sampled_from(PIECES), max_size=4))
    return start, min(length, start + span), b"".join(pieces)


def test_samples_parse_cleanly() -> None:
    parser = _parser()
    for text in SAMPLES:
        assert not parser.parse(text).root_node.has_error, text[:60]


def test_empty_edits_everywhere_keep_the_tree() -> None:
    parser = _parser()
    for text in SAMPLES:
        expected = _dump(parser.parse(text).root_node)
        for at in range(0, len(text) + 1, 3):
            tree, _ = _apply(parser, parser.parse(text), text, at, at, b"")
            assert _dump(tree.root_node) == expected, at


def test_deep_nesting_reparses_exactly() -> None:
    parser = _parser()
    depth = 600
    text = b"func f() do\n" + b"if c do\n" * depth + b"x\n" + b"end\n" * depth + b"end\n"
    tree = parser.parse(text)
    assert not tree.root_node.has_error
    at = text.index(b"if c", len(text) // 4)
    tree, new = _apply(parser, tree, text, at, at + 4, b"if d")
    assert _dump(tree.root_node) == _dump(parser.parse(new).root_node)


def test_grammar_declares_no_conflicts() -> None:
    # An incremental reparse may only differ from a fresh one where GLR picks
    # between alternatives; this grammar leaves it nothing to pick.
    import json

    from corpus_runner import GRAMMAR_DIR

    grammar = json.loads((GRAMMAR_DIR / "janus" / "src" / "grammar.json").read_text())
    assert grammar.get("conflicts", []) == []
    assert grammar.get("externals", []) == []


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_edits_reparse_like_a_fresh_parse(data) -> None:
    parser = _parser()
    original = data.draw(st.sampled_from(SAMPLES), label="document")
    tree = parser.parse(original)
    text = original
    undo: list[tuple[int, int, bytes]] = []
    for _ in range(data.draw(st.integers(1, 5), label="edit count")):
        start, old_end, inserted = data.draw(_edit(len(text)), label="edit")
        undo.append((start, start + len(inserted), text[start:old_end]))
        tree, text = _apply(parser, tree, text, start, old_end, inserted)

    fresh = parser.parse(text)
    if fresh.root_node.has_error:
        # A text with a syntax error: error recovery may reuse subtrees differently from a
        # fresh parse, so only require that both see the error and cover the text; undoing
        # the edits (below) must give back the original tree exactly.
        assert tree.root_node.has_error
        assert tree.root_node.end_byte == fresh.root_node.end_byte
    else:
        assert str(tree.root_node) == str(fresh.root_node)
        assert _dump(tree.root_node) == _dump(fresh.root_node)

    for start, end, removed in reversed(undo):
        tree, text = _apply(parser, tree, text, start, end, removed)
    assert text == original
    assert str(tree.root_node) == str(parser.parse(original).root_node)
