"""What a doc comment says about the returned value (analysis/c/summaries.py: doc_returns): a
clause that names a parameter is about that parameter, unless it says what is returned."""
from __future__ import annotations

import pytest

from custody.analysis.c.summaries import doc_returns


@pytest.mark.parametrize("doc, says", [
    ("@note Ownership: Returns a borrowed reference. Do not free.", "borrowed"),
    ("@note Ownership: Returns a borrowed reference into mut_buffer.", "borrowed"),
    ("@return A borrowed pointer into mut_buffer", "borrowed"),
    ("@return The value (borrowed from ref_map)", "borrowed"),
    ("@note Ownership: Returns an owned value; ref_log is borrowed", "owned"),
    ("@note Ownership: own_x is borrowed by the list", None),
    ("@note Ownership: Returns an owned value that the caller must destroy.", "owned"),
])
def test_doc_returns(doc, says):
    assert doc_returns(doc) == says
