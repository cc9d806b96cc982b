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

import pytest

tree_sitter = pytest.importorskip("tree_sitter")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from edit_sessions import check_documents_parse_cleanly, check_edit_reparses_exactly  # noqa: E402
from edit_sessions import check_empty_edits_keep_the_tree, edit_sequence, property_settings  # noqa: E402
from grammars import built_parser  # noqa: E402
from kea_samples import PIECES, SAMPLES  # noqa: E402


def test_samples_parse_cleanly() -> None:
    check_documents_parse_cleanly(built_parser("kea"), SAMPLES)


def test_empty_edits_everywhere_keep_the_tree() -> None:
    check_empty_edits_keep_the_tree(built_parser("kea"), SAMPLES)


def test_deep_indentation_reparses_exactly() -> None:
    # Far more levels than fit in the serialization buffer one by one: the
    # stack is stored run-length, so edits deep inside still reparse exactly.
    depth = 600
    lines = [b"fn f() -> Int"]
    lines += [b"  " * (i + 1) + b"if c" for i in range(depth)]
    lines.append(b"  " * (depth + 1) + b"x")
    text = b"\n".join(lines) + b"\n"
    at = text.index(b"if c", len(text) // 2)
    check_edit_reparses_exactly(built_parser("kea"), text, at, at + 4, b"if d")


@property_settings()
@given(data=st.data())
def test_random_edits_reparse_like_a_fresh_parse(data) -> None:
    # On a text with a syntax error both trees must see it and cover the text (edit_sessions.py
    # says why they may differ); undoing the edits must give back the original tree exactly.
    edit_sequence(data, built_parser("kea"), SAMPLES, PIECES, max_span=40, exact_with_errors=False)
