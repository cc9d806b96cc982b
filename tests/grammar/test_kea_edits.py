"""Kea: incremental reparses after random edits give the tree of a fresh parse.

The layout scanner keeps an indentation stack; tree-sitter stores its
serialized state with every external token and restores it before rescanning
from a reused point, so a reparse is only exact if that state is complete.
This drives random edit sequences (layout-heavy pieces: line breaks with and
without indentation, tabs, CRLF, `doc`, brackets, keywords) over Kea texts
written for these tests, as test_edit_property.py does for x07text, and
checks the incremental tree against a fresh parse (exactly when the edited
text is valid Kea; when it has a syntax error, that both trees have one),
then undoes the edits, which must give back exactly the original tree.
"""

from __future__ import annotations

import os

import pytest

tree_sitter = pytest.importorskip("tree_sitter")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from edit_sessions import apply_edit, edit_sequence, tree_dump  # noqa: E402
from grammars import built_grammar_names, language  # noqa: E402
from kea_samples import PIECES, SAMPLES  # noqa: E402

EXAMPLES = int(os.environ.get("CUSTODY_PROPERTY_EXAMPLES", "500"))


def _parser():
    if "kea" not in built_grammar_names():
        pytest.skip("the kea parser is not built")
    return tree_sitter.Parser(language("kea"))


def test_samples_parse_cleanly() -> None:
    parser = _parser()
    for text in SAMPLES:
        assert not parser.parse(text).root_node.has_error, text[:60]


def test_empty_edits_everywhere_keep_the_tree() -> None:
    parser = _parser()
    for text in SAMPLES:
        expected = tree_dump(parser.parse(text).root_node)
        for at in range(0, len(text) + 1, 3):
            tree, _ = apply_edit(parser, parser.parse(text), text, at, at, b"")
            assert tree_dump(tree.root_node) == expected, at


def test_deep_indentation_reparses_exactly() -> None:
    # Far more levels than fit in the serialization buffer one by one: the
    # stack is stored run-length, so edits deep inside still reparse exactly.
    parser = _parser()
    depth = 600
    lines = [b"fn f() -> Int"]
    lines += [b"  " * (i + 1) + b"if c" for i in range(depth)]
    lines.append(b"  " * (depth + 1) + b"x")
    text = b"\n".join(lines) + b"\n"
    tree = parser.parse(text)
    assert not tree.root_node.has_error
    at = text.index(b"if c", len(text) // 2)
    tree, new = apply_edit(parser, tree, text, at, at + 4, b"if d")
    assert tree_dump(tree.root_node) == tree_dump(parser.parse(new).root_node)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_random_edits_reparse_like_a_fresh_parse(data) -> None:
    # On a text with a syntax error both trees must see it and cover the text (edit_sessions.py
    # says why they may differ); undoing the edits must give back the original tree exactly.
    edit_sequence(data, _parser(), SAMPLES, PIECES, max_span=40, exact_with_errors=False)
