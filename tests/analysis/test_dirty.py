"""analysis.source.Dirty: several edits folded into one changed range must leave the bytes before
it and after it exactly as they were (what a front-end's parse relies on to keep units)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from custody.analysis.source import Dirty


def edits():
    return st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), st.text("xyz\n", max_size=4)),
                    min_size=1, max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=40), edits())
def test_folded_edits_keep_what_lies_outside(original, steps):
    text, dirty = original, None
    for a, b, ins in steps:
        start = int(a * len(text))
        end = start + int(b * (len(text) - start))
        new = ins.encode()
        text = text[:start] + new + text[end:]
        dirty = Dirty(start, end, start + len(new)) if dirty is None else dirty.then(start, end, start + len(new))
    assert 0 <= dirty.start <= dirty.new_end <= len(text)
    assert dirty.start <= dirty.old_end <= len(original)
    assert text[:dirty.start] == original[:dirty.start]
    assert text[dirty.new_end:] == original[dirty.old_end:]
    assert dirty.delta == len(text) - len(original)


def test_a_typed_word_is_one_small_range():
    d = Dirty(10, 10, 11).then(11, 11, 12).then(12, 12, 13)
    assert (d.start, d.old_end, d.new_end) == (10, 10, 13)
    # typed and deleted again: the range still covers where it happened, nothing more
    d = d.then(12, 13, 12).then(11, 12, 11).then(10, 11, 10)
    assert (d.start, d.old_end, d.new_end) == (10, 10, 10)
