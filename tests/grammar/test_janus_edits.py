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

import pytest

tree_sitter = pytest.importorskip("tree_sitter")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from edit_sessions import check_documents_parse_cleanly, check_edit_reparses_exactly  # noqa: E402
from edit_sessions import check_empty_edits_keep_the_tree, edit_sequence, property_settings  # noqa: E402
from grammars import built_parser  # noqa: E402
from janus_samples import PIECES, SAMPLES  # noqa: E402


def test_samples_parse_cleanly() -> None:
    check_documents_parse_cleanly(built_parser("janus"), SAMPLES)


def test_empty_edits_everywhere_keep_the_tree() -> None:
    check_empty_edits_keep_the_tree(built_parser("janus"), SAMPLES)


def test_deep_nesting_reparses_exactly() -> None:
    depth = 600
    text = b"func f() do\n" + b"if c do\n" * depth + b"x\n" + b"end\n" * depth + b"end\n"
    at = text.index(b"if c", len(text) // 4)
    check_edit_reparses_exactly(built_parser("janus"), text, at, at + 4, b"if d")


def test_grammar_declares_no_conflicts() -> None:
    # An incremental reparse may only differ from a fresh one where GLR picks
    # between alternatives; this grammar leaves it nothing to pick.
    import json

    from corpus_runner import GRAMMAR_DIR

    grammar = json.loads((GRAMMAR_DIR / "janus" / "src" / "grammar.json").read_text())
    assert grammar.get("conflicts", []) == []
    assert grammar.get("externals", []) == []


@property_settings()
@given(data=st.data())
def test_random_edits_reparse_like_a_fresh_parse(data) -> None:
    # On a text with a syntax error both trees must see it and cover the text (edit_sessions.py
    # says why they may differ); undoing the edits must give back the original tree exactly.
    edit_sequence(data, built_parser("janus"), SAMPLES, PIECES, max_span=40, exact_with_errors=False)
