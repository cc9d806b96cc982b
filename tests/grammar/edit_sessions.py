"""Random edit sequences against a tree-sitter parser: the property every generated grammar must
keep (an incremental reparse gives the tree of a fresh parse; undoing the edits gives back the
original tree), written once for x07text, json, Kea, Janus and the indentation test grammar.

A test draws with Hypothesis (`st.data()`, under `property_settings()`) and calls
`edit_sequence`; what differs between grammars is the documents, the pieces edits are made of,
how long a replaced stretch may be, and whether a text with a syntax error must reparse exactly
too. The fixed checks around it (the documents parse cleanly, an empty edit anywhere keeps the
tree, one edit deep inside a text reparses exactly) are here as well.
"""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from grammars import point_at

# How many random edit sequences a property test draws (CUSTODY_PROPERTY_EXAMPLES; 500 by default).
EXAMPLES = int(os.environ.get("CUSTODY_PROPERTY_EXAMPLES", "500"))


def property_settings(examples: int = EXAMPLES, *also_suppressed: HealthCheck) -> settings:
    """The Hypothesis settings of the random edit tests: `examples` examples, derandomized (the
    same sequences every run), no deadline, and no health check about slow or large draws."""
    return settings(max_examples=examples, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, *also_suppressed])


def tree_dump(node) -> list[tuple]:
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


def apply_edit(parser, tree, text: bytes, start: int, old_end: int, inserted: bytes):
    """Edits `tree` as `text[start:old_end] = inserted` and reparses it: (new tree, new text)."""
    new = text[:start] + inserted + text[old_end:]
    tree.edit(start_byte=start, old_end_byte=old_end, new_end_byte=start + len(inserted),
              start_point=point_at(text, start), old_end_point=point_at(text, old_end),
              new_end_point=point_at(new, start + len(inserted)))
    return parser.parse(new, tree), new


@st.composite
def an_edit(draw, length: int, pieces, max_span: int, max_pieces: int = 4):
    """(start, old end, inserted): nothing, a few bytes or up to `max_span` bytes replaced by up
    to `max_pieces` of `pieces`."""
    start = draw(st.integers(0, length))
    span = draw(st.one_of(st.just(0), st.integers(0, 3), st.integers(0, max_span)))
    inserted = draw(st.lists(st.sampled_from(pieces), max_size=max_pieces))
    return start, min(length, start + span), b"".join(inserted)


def edit_sequence(data, parser, documents, pieces, *, max_span: int, max_pieces: int = 4,
                  exact_with_errors: bool = True) -> None:
    """One to five random edits of one of `documents`, reparsed incrementally after each; the
    result must be the fresh parse's tree, and undoing the edits must give back the original.

    `exact_with_errors=False`: on a text with a syntax error, only require that both trees see
    the error and cover the text (error recovery may reuse subtrees differently from a fresh
    parse; for a layout scanner, tree-sitter's runtime ignores a zero-width external token that
    leaves the scanner's state as it was while the stack has not advanced since an error)."""
    original = data.draw(st.sampled_from(documents), label="document")
    tree, text = parser.parse(original), original
    undo: list[tuple[int, int, bytes]] = []
    for _ in range(data.draw(st.integers(1, 5), label="edit count")):
        start, old_end, inserted = data.draw(an_edit(len(text), pieces, max_span, max_pieces), label="edit")
        undo.append((start, start + len(inserted), text[start:old_end]))
        tree, text = apply_edit(parser, tree, text, start, old_end, inserted)

    fresh = parser.parse(text)
    if fresh.root_node.has_error and not exact_with_errors:
        assert tree.root_node.has_error
        assert tree.root_node.end_byte == fresh.root_node.end_byte
    else:
        assert str(tree.root_node) == str(fresh.root_node)
        assert tree_dump(tree.root_node) == tree_dump(fresh.root_node)

    for start, end, removed in reversed(undo):
        tree, text = apply_edit(parser, tree, text, start, end, removed)
    assert text == original
    assert tree_dump(tree.root_node) == tree_dump(parser.parse(original).root_node)


def check_documents_parse_cleanly(parser, documents) -> None:
    for text in documents:
        assert not parser.parse(text).root_node.has_error, text[:60]


def every_third_byte(length: int) -> range:
    return range(0, length + 1, 3)


def check_empty_edits_keep_the_tree(parser, documents, offsets=every_third_byte) -> None:
    """An empty edit at each of `offsets(len(text))`, reparsed incrementally, gives back the tree
    of the unedited text."""
    for text in documents:
        expected = tree_dump(parser.parse(text).root_node)
        for at in offsets(len(text)):
            tree, _ = apply_edit(parser, parser.parse(text), text, at, at, b"")
            assert tree_dump(tree.root_node) == expected, (text[:60], at)


def check_edit_reparses_exactly(parser, text: bytes, start: int, old_end: int, inserted: bytes) -> None:
    """`text` parses without error, and `text[start:old_end] = inserted`, reparsed incrementally,
    gives the tree of a fresh parse."""
    tree = parser.parse(text)
    assert not tree.root_node.has_error
    tree, new = apply_edit(parser, tree, text, start, old_end, inserted)
    assert tree_dump(tree.root_node) == tree_dump(parser.parse(new).root_node)
