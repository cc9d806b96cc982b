"""`actions.whole_edit`, the one edit that turns a document's text into another (fix-all's edit,
and how `custody mcp` turns a re-sent text into an edit of the kept document): applied to the
old text at its LSP range it gives the new text, whatever the two texts share, multi-byte
characters included; the case that found a bug was a new text that only appends to the old."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from custody.analysis.source import LineIndex, Position
from custody.lsp.actions import whole_edit

TEXTS = st.text(alphabet=st.sampled_from(["a", "b", "\n", "é", "€", "😀", " "]), max_size=30)


def _apply(old: bytes, edit) -> bytes:
    index = LineIndex(old)
    r = edit.range
    start = index.offset(Position(r.start.line, r.start.character))
    end = index.offset(Position(r.end.line, r.end.character))
    return old[:start] + edit.new_text.encode("utf-8") + old[end:]


def test_appending_to_the_old_text():
    old, new = "x = 1\n// é".encode(), "x = 1\n// é and more\n".encode()
    edit = whole_edit(LineIndex(old), old, new)
    assert edit.new_text == " and more\n" and _apply(old, edit) == new


@settings(max_examples=300, deadline=None, derandomize=True)
@given(common=TEXTS, old_rest=TEXTS, new_rest=TEXTS, tail=TEXTS)
def test_the_edit_turns_old_into_new(common, old_rest, new_rest, tail):
    old, new = (common + old_rest + tail).encode(), (common + new_rest + tail).encode()
    edit = whole_edit(LineIndex(old), old, new)
    assert _apply(old, edit) == new
