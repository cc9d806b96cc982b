"""The CLI's line index for finding locations (server/batch.CountingLines) answers exactly as
the full LineIndex does, whatever order the offsets come in."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from custody.analysis.source import LineIndex
from custody.batch import CountingLines

TEXT = st.lists(st.sampled_from(["a", "\n", "\r\n", " ", "é", "☃", "😀", "\t", ";"]), max_size=80).map(
    lambda parts: "".join(parts).encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(st.integers(-3, 400), max_size=30))
def test_same_positions_as_the_line_index(data, offsets):
    full, counting = LineIndex(data), CountingLines(data)
    for off in offsets + sorted(offsets) + [len(data), 0]:
        assert counting.position(off) == full.position(off)
        assert counting.line_col(off) == full.line_col(off)
