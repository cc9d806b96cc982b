"""custody/ownership: what the binding under the cursor goes through, in both source forms."""
from __future__ import annotations

import json

from custody.lsp.cursor import METHOD, OwnershipParams, ownership_at
from lsp_client import both_forms as lsp_both_forms

PROGRAM = """{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ()
:solve (begin
  (let s (bytes.lit "é😀")) (let b (bytes.lit hi)) (let v (bytes.view b))
  (let c b)
  (bytes.concat b c)
  (let k (bytes.lit ok))
  (bytes.len k)
  s)
}
"""



def both_forms():
    return lsp_both_forms(PROGRAM, "c")


def offset(snap, text_needle: str, json_needle: str, nth: int = 0) -> int:
    """Byte offset just inside the last character of the needle's identifier."""
    text = snap.data.decode()
    needle = json_needle if snap.path.endswith(".json") else text_needle
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    back = 2 if snap.path.endswith(".json") else 1     # before the closing quote
    return len(text[:at + len(needle)].encode()) - back


def rng(snap, text_needle: str, json_needle: str, nth: int = 0) -> dict:
    """The JSON range of the identifier token ending the needle (with quotes in JSON)."""
    text = snap.data.decode()
    needle = json_needle if snap.path.endswith(".json") else text_needle
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    end = at + len(needle)
    width = 3 if snap.path.endswith(".json") else 1
    line = text.count("\n", 0, end)
    col = len(text[text.rfind("\n", 0, end) + 1:end].encode("utf-16-le")) // 2
    return {"start": {"line": line, "character": col - width}, "end": {"line": line, "character": col}}


def kinds(items) -> list[str]:
    return [i["kind"] for i in items]


def test_moved_and_conflicting_binding():
    for snap in both_forms():
        items = ownership_at(snap, offset(snap, "(let b", '"let", "b"'))
        assert items[0]["kind"] == "live"
        assert items[0]["range"]["start"] == rng(snap, "(let b", '"let", "b"')["start"]
        assert items[0]["range"]["end"] == rng(snap, "(bytes.concat b", '"bytes.concat", "b"')["end"]
        moves = [i for i in items if i["kind"] == "move"]
        assert [m["range"] for m in moves] == [rng(snap, "(let c b", '"c", "b"'),
                                               rng(snap, "(bytes.concat b", '"bytes.concat", "b"')]
        assert moves[0]["message"] == '"b" moves into "c"'
        conflicts = [i for i in items if i["kind"] == "conflict"]
        msgs = [c["message"] for c in conflicts]
        assert 'X07-MOVE-0902: move while borrowed: "b" (borrowed by "v")' in msgs
        assert 'X07-MOVE-0901: use after move: "b"' in msgs
        c0901 = next(c for c in conflicts if c["message"].startswith("X07-MOVE-0901"))
        assert c0901["range"] == rng(snap, "(bytes.concat b", '"bytes.concat", "b"')
        assert "drop" not in kinds(items)                  # moved away: never dropped here


def test_borrowed_owner_and_its_view():
    for snap in both_forms():
        items = ownership_at(snap, offset(snap, "(bytes.view b", '"bytes.view", "b"'))   # cursor on a use
        borrows = [i for i in items if i["kind"] == "borrow"]
        assert {"kind": "borrow", "range": rng(snap, "(let v", '"let", "v"'),
                "message": '"v" is a view of "b"'} in borrows
        assert {"kind": "borrow", "range": rng(snap, "(bytes.view b", '"bytes.view", "b"'),
                "message": '"b": a view of it is taken here'} in borrows
        view = ownership_at(snap, offset(snap, "(let v", '"let", "v"'))
        assert kinds(view) == ["borrow", "live"]
        assert view[0] == {"kind": "borrow", "range": rng(snap, "(let b", '"let", "b"'),
                           "message": '"v" borrows from "b"'}


def test_dropped_binding_and_cursor_on_nothing():
    for snap in both_forms():
        items = ownership_at(snap, offset(snap, "(bytes.len k", '"bytes.len", "k"'))
        assert kinds(items) == ["live", "borrow", "drop"]
        assert items[-1]["message"] == '"k" is dropped at the end of its scope'
        assert items[0]["range"]["end"] == items[-1]["range"]["end"]    # live until its drop
        text = snap.data.decode()
        assert ownership_at(snap, len(text[:text.index("bytes.concat")].encode()) + 2) == []   # a call head
        assert ownership_at(snap, 0) == []


def test_positions_after_non_ascii_are_utf16():
    t = both_forms()[0]
    line = PROGRAM.split("\n")[7]
    col = line.index("(let b") + len("(let ")
    items = ownership_at(t, offset(t, "(let b", ""))
    assert items[0]["range"]["start"] == {"line": 7, "character": col + 1}   # é: 1 unit, emoji: 2


def test_request_shape():
    assert METHOD == "custody/ownership"
    p = OwnershipParams.from_json({"textDocument": {"uri": "file:///x.x07t"}, "position": {"line": 3, "character": 4}})
    assert (p.uri, p.line, p.character) == ("file:///x.x07t", 3, 4)
    item = ownership_at(both_forms()[0], offset(both_forms()[0], "(let c", ""))[0]
    assert set(item) == {"kind", "range", "message"} and json.loads(json.dumps(item)) == item
