"""Inlay hints: drops at scope exits, `moved` after moving arguments, `borrows x` at views,
in both source forms and with UTF-16 positions after non-ASCII text on the same line."""
from __future__ import annotations


from lsprotocol import types

from custody.lsp.inlay_hints import inlay_hints
from custody.lsp.service import Service
from lsp_client import both_forms as lsp_both_forms, json_form, snapshot

ALL = {"drops": True, "moves": True, "borrows": True}
EVERYWHERE = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=10_000, character=0))

PROGRAM = """{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ()
:solve (begin
  (let s (bytes.lit "é😀")) (let b (bytes.lit hi)) (let v (bytes.view b))
  (let n (view.len v))
  (let c b)
  (bytes.len s)
  (view.to_bytes (bytes.view c)))
}
"""




def both_forms():
    return lsp_both_forms(PROGRAM, "a")


def where(text: str, needle: str, nth: int = 0, after: bool = False) -> tuple[int, int]:
    """(line, UTF-16 character) of the nth occurrence of needle (or of its end)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    if after:
        at += len(needle)
    line = text.count("\n", 0, at)
    col = at - (text.rfind("\n", 0, at) + 1)
    return line, len(text[at - col:at].encode("utf-16-le")) // 2


def hints(snap, kinds=ALL, rng=EVERYWHERE):
    return [((h.position.line, h.position.character), h.label) for h in inlay_hints(snap, rng, kinds)]


def q(snap, name: str) -> str:
    """How an identifier is written in this snapshot's form."""
    return f'"{name}"' if snap.path.endswith(".json") else name


def test_drop_move_and_borrow_hints_in_both_forms():
    for snap in both_forms():
        text = snap.data.decode()
        js = snap.path.endswith(".json")
        v_def = where(text, '"let", "v"' if js else "(let v", after=True)
        b_moved = where(text, '"c", "b"' if js else "(let c b", after=True)
        end = where(text, '"c"]]]' if js else "c)))", after=True)
        end = (end[0], end[1] - 1)                    # the begin's own closing bracket
        got = hints(snap)
        assert (v_def, "borrows b") in got, (snap.path, got)
        assert (b_moved, "moved") in got
        assert (end, "drop c, s") in got
        assert len(got) == 3, got


def test_positions_are_utf16_after_non_ascii_on_the_same_line():
    t, j = both_forms()
    line = PROGRAM.split("\n")[7]
    py_chars = line.index("(let v") + len("(let v")
    # é is one UTF-16 unit, the emoji two: the hint is one unit further than Python's count
    assert ((7, py_chars + 1), "borrows b") in hints(t)
    text = j.data.decode()
    at = text.index('"let", "v"') + len('"let", "v"')
    assert ((0, at + 1), "borrows b") in hints(j)          # one-line JSON: same shift


def test_kinds_and_range_filter():
    for snap in both_forms():
        assert [label for _, label in hints(snap, {"drops": False, "moves": True, "borrows": False})] == ["moved"]
        assert [label for _, label in hints(snap, {"drops": True, "moves": False, "borrows": False})][0].startswith("drop")
        assert hints(snap, {"drops": False, "moves": False, "borrows": False}) == []
    t = both_forms()[0]
    only_line_9 = types.Range(start=types.Position(line=9, character=0), end=types.Position(line=9, character=99))
    assert [label for _, label in hints(t, ALL, only_line_9)] == ["moved"]


def test_hint_details():
    t = both_forms()[0]
    by_label = {h.label: h for h in inlay_hints(t, EVERYWHERE, ALL)}
    moved = by_label["moved"]
    assert moved.kind == types.InlayHintKind.Parameter and moved.padding_left
    assert 'moves into "c"' in moved.tooltip
    assert by_label["borrows b"].kind == types.InlayHintKind.Type
    assert '"v" is a view into "b"' in by_label["borrows b"].tooltip


def test_owned_parameter_moved_into_a_call_and_dropped_on_return():
    text = """{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind defn :name main.eat :params ({:name p :ty bytes}) :result i32 :body (bytes.len p)}
{:kind defn :name main.twice :params ({:name a :ty bytes} {:name z :ty bytes}) :result i32
 :body (begin (let k (main.eat a)) (if (= k 0) (return 1) 0) k)})
:solve (bytes.lit x)
}
"""
    t = snapshot(text, "p.x07t")
    for snap in (t, snapshot(json_form(t), "p.x07.json")):
        got = hints(snap)
        src = snap.data.decode()
        needle = '"main.eat", "a"' if snap.path.endswith(".json") else "(main.eat a"
        assert (where(src, needle, after=True), "moved") in got
        labels = [label for _, label in got]
        # p dropped at the end of main.eat; z dropped on the early return and at the end
        assert labels.count("drop p") == 1
        assert labels.count("drop z") == 2


def test_hints_follow_an_edit_above_a_reused_function():
    svc = Service()
    uri = "file:///tmp/custody-lsp-tests/edit.x07t"
    svc.open(uri, 1, PROGRAM)
    before = hints(svc.snapshot(uri))
    insert = types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
        text="; a comment\n")
    svc.change(uri, 2, [insert])
    after = svc.snapshot(uri)
    assert after.result.analysis.reused == 1        # the model carries a delta
    assert hints(after) == [((line + 1, col), label) for (line, col), label in before]
