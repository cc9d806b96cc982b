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

from edit_sessions import apply_edit, edit_sequence, tree_dump  # noqa: E402
from grammars import built_grammar_names, language  # noqa: E402
from janus_samples import PIECES, SAMPLES  # noqa: E402

EXAMPLES = int(os.environ.get("CUSTODY_PROPERTY_EXAMPLES", "500"))


def _parser():
    if "janus" not in built_grammar_names():
        pytest.skip("the janus parser is not built")
    return tree_sitter.Parser(language("janus"))


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


def test_deep_nesting_reparses_exactly() -> None:
    parser = _parser()
    depth = 600
    text = b"func f() do\n" + b"if c do\n" * depth + b"x\n" + b"end\n" * depth + b"end\n"
    tree = parser.parse(text)
    assert not tree.root_node.has_error
    at = text.index(b"if c", len(text) // 4)
    tree, new = apply_edit(parser, tree, text, at, at + 4, b"if d")
    assert tree_dump(tree.root_node) == tree_dump(parser.parse(new).root_node)


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
    # On a text with a syntax error both trees must see it and cover the text (edit_sessions.py
    # says why they may differ); undoing the edits must give back the original tree exactly.
    edit_sequence(data, _parser(), SAMPLES, PIECES, max_span=40, exact_with_errors=False)
