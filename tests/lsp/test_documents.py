"""Open documents follow incremental LSP edits (UTF-16 positions) exactly, and the service
re-analyses an edited document to the same result as a fresh open."""
from __future__ import annotations

import random

from custody.lsp.documents import Document, handles
from custody.lsp.service import Service

TEXT = """\
{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ()
:solve (begin
  (let a (bytes.lit "héllo 😀"))
  (let b a)
  (bytes.concat b a))
}
"""


def utf16_pos(text: str, at: int) -> tuple[int, int]:
    line = text.count("\n", 0, at)
    col = text[text.rfind("\n", 0, at) + 1:at]
    return line, len(col.encode("utf-16-le")) // 2


def test_edits_with_utf16_positions_follow_the_text():
    rng = random.Random(3)
    text = TEXT
    doc = Document("file:///t/a.x07t", 1, text.encode())
    for v in range(2, 300):
        a = rng.randrange(len(text) + 1)
        b = min(len(text), a + rng.randrange(0, 3))
        ins = rng.choice(["", "x", "é", "😀", "\n", "()"])
        doc.apply(utf16_pos(text, a), utf16_pos(text, b), ins, v)
        text = text[:a] + ins + text[b:]
        assert doc.data == text.encode(), v
        assert doc.index.line_starts[-1] == text.encode().rfind(b"\n") + 1 or text.count("\n") == 0
    assert doc.version == 299


def test_positions_past_the_end_clamp():
    doc = Document("file:///t/a.x07t", 1, b"ab\ncd")
    doc.apply((0, 99), (99, 0), "X", 2)
    assert doc.data == b"abX"


def test_extension_decides_the_form_not_the_language_id():
    assert handles("file:///p/m.x07t") and handles("file:///p/m.x07.json") and handles("untitled:new.x07t")
    assert not handles("file:///p/readme.md") and not handles("file:///p/data.json")


def test_service_edit_sequence_equals_fresh_open():
    rng = random.Random(11)
    svc = Service()
    uri = "file:///t/main.x07t"
    svc.open(uri, 1, TEXT)
    svc.snapshot(uri)
    text = TEXT

    class Change:
        def __init__(self, rng_, txt):
            self.range, self.text = rng_, txt

    class R:
        def __init__(self, s, e):
            self.start, self.end = s, e

    class P:
        def __init__(self, lc):
            self.line, self.character = lc

    for v in range(2, 60):
        a = rng.randrange(len(text) + 1)
        b = min(len(text), a + rng.randrange(0, 3))
        ins = rng.choice(["", " ", "a", "b", "(", ")", "\n"])
        svc.change(uri, v, [Change(R(P(utf16_pos(text, a)), P(utf16_pos(text, b))), ins)])
        text = text[:a] + ins + text[b:]
        if v % 3 == 0:
            svc.snapshot(uri)           # analyse every few edits, reparsing from the edited tree
    inc = svc.snapshot(uri)
    fresh = Service()
    fresh.open("file:///t/fresh.x07t", 1, text)
    ref = fresh.snapshot("file:///t/fresh.x07t")
    key = lambda f: (f.code, f.span, f.message)
    assert sorted(map(key, inc.findings)) == sorted(map(key, ref.findings))
    assert inc.result.parsed.parse.tree.root_node.__str__() == ref.result.parsed.parse.tree.root_node.__str__()
