"""Every LSP feature on a C file (AgeRun's conventions), answered by the same server code as for
X07: diagnostics with related locations, hover with the state at that point, inlay hints at
transfers and destroys, semantic tokens, quick fixes and fix-all, outline, rename of an `own_`
local, call hover with how each argument is passed."""
from __future__ import annotations

from lsprotocol import types

from custody.lsp.actions import code_actions
from custody.lsp.diagnostics import diagnostics
from custody.lsp.hover import hover
from custody.lsp.inlay_hints import inlay_hints
from custody.lsp.navigation import document_symbols, rename
from custody.lsp.semantic_tokens import decode, semantic_tokens
from custody.lsp.service import Service
from custody.lsp.settings import Settings

SRC = """#include <stdbool.h>
typedef struct ar_data_s ar_data_t;
typedef struct ar_agent_s ar_agent_t;

/** @note Ownership: Returns an owned value that the caller must destroy. */
ar_data_t* ar_data__create_integer(int value);

/** @note Ownership: Takes ownership of own_data and destroys it. */
void ar_data__destroy(ar_data_t *own_data);

/**
 * Sends a message.
 * @note Ownership: Takes ownership of own_message. If sending fails, function will destroy the message.
 */
bool ar_agent__send(ar_agent_t *mut_agent, ar_data_t *own_message);

int ar_demo__run(ar_agent_t *mut_agent) {
    ar_data_t *own_message = ar_data__create_integer(42);
    ar_agent__send(mut_agent, own_message);
    if (own_message != NULL) {
        return 1;
    }
    ar_data_t *own_other = ar_data__create_integer(7);
    return 0;
}
"""

def to_lsp_diagnostics(s):
    return diagnostics(s, Settings())


EVERYWHERE = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=10_000, character=0))


def snap(text: str = SRC, name: str = "ar_demo.c", language_id: str | None = "c"):
    svc = Service()
    uri = f"file:///tmp/custody-c-lsp/{name}"
    svc.open(uri, 1, text, language_id=language_id)
    return svc.snapshot(uri)


def pos(text: str, needle: str, nth: int = 0, delta: int = 0) -> types.Position:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    return types.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def offset(text: str, needle: str, nth: int = 0, delta: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return len(text[:at + delta].encode())


def test_diagnostics_with_codes_ranges_and_related_locations():
    s = snap()
    diags = to_lsp_diagnostics(s)
    by_code = {d.code: d for d in diags}
    assert set(by_code) == {"MMM-T2", "MMM-L1"}, [(d.code, d.message) for d in diags]
    t2 = by_code["MMM-T2"]
    assert t2.range.start == pos(SRC, "own_message != NULL")
    assert t2.severity == types.DiagnosticSeverity.Warning and t2.source == "custody"
    assert "set `own_message = NULL;`" in t2.message
    assert [r.location.range.start for r in t2.related_information] == [pos(SRC, "own_message);", nth=1)]
    assert "ar_agent__send" in t2.related_information[0].message
    l1 = by_code["MMM-L1"]
    assert l1.range.start == pos(SRC, "return 0") and "own_other" in l1.message
    assert t2.code_description.href.endswith("#mmm-t2")


def test_hover_says_the_state_at_that_point_and_where_it_came_from():
    s = snap()
    h = hover(s, offset(SRC, "own_message != NULL"))
    text = h.contents.value
    assert "own_message" in text and "transferred" in text.lower()
    assert "ar_agent__send" in text and "always" in text
    before = hover(s, offset(SRC, "own_message = ar_data", delta=1)).contents.value
    assert "transferred" not in before.split("\n\n")[1].lower()


def test_call_hover_says_how_each_argument_is_passed():
    s = snap()
    text = hover(s, offset(SRC, "ar_agent__send(mut_agent", delta=3)).contents.value
    assert "ar_agent__send" in text and "own_message" in text
    assert "transfer" in text.lower()


def test_inlay_hints_at_transfers_and_destroys():
    s = snap()
    labels = [(h.position, h.label) for h in inlay_hints(s, EVERYWHERE, {"drops": True, "moves": True, "borrows": True})]
    assert (pos(SRC, "own_message);", nth=1, delta=len("own_message")), "transferred") in labels
    assert not [lab for _, lab in labels if lab.startswith("drop")]      # C frees nothing by itself


def test_semantic_tokens_colour_the_state():
    s = snap()
    toks = decode(semantic_tokens(s).data)
    line = pos(SRC, "own_message != NULL").line
    at_test = [t for t in toks if t[0] == line and t[1] == pos(SRC, "own_message != NULL").character]
    assert at_test and "moved" in at_test[0][4]


def test_quick_fix_inserts_the_null_store_and_fix_all_cleans_the_file():
    s = snap()
    svc_check = Service()

    def check(data: bytes):
        return svc_check.engine.check(s.path, data, language_id="c").findings

    rng = types.Range(start=pos(SRC, "own_message != NULL"), end=pos(SRC, "own_message != NULL"))
    actions = code_actions(s, rng, None, check, False)
    titles = [a.title for a in actions]
    fix = next(a for a in actions if "NULL" in a.title)
    edits = fix.edit.changes[s.uri] if fix.edit.changes else fix.edit.document_changes[0].edits
    assert any("own_message = NULL;" in e.new_text for e in edits), titles
    fix_all = next(a for a in actions if a.title.startswith("Fix all"))
    (whole,) = fix_all.edit.changes[s.uri] if fix_all.edit.changes else fix_all.edit.document_changes[0].edits
    lines = SRC.split("\n")
    at = lambda p: sum(len(x) + 1 for x in lines[:p.line]) + p.character     # ASCII text
    fixed = SRC[:at(whole.range.start)] + whole.new_text + SRC[at(whole.range.end):]
    assert "own_message = NULL;" in fixed and "ar_data__destroy(own_other);" in fixed, fixed
    assert check(fixed.encode()) == []


def test_outline_and_rename_of_an_owned_local():
    s = snap()
    names = [sym.name for sym in document_symbols(s)]
    assert "ar_demo__run" in names
    edit = rename(s, offset(SRC, "own_other", delta=2), "own_extra")
    changes = edit.changes[s.uri]
    assert len(changes) == 1 and changes[0].new_text == "own_extra"


def test_a_c_buffer_is_picked_by_language_id_and_an_x07_buffer_is_not_c():
    untitled = snap(name="Untitled-1", language_id="c")
    assert untitled.language.name == "c"
    assert {d.code for d in to_lsp_diagnostics(untitled)} == {"MMM-T2", "MMM-L1"}


def test_cursor_ranges_show_the_transfer_and_the_loan():
    from custody.lsp.cursor import ownership_at
    s = snap()
    items = ownership_at(s, offset(SRC, "own_message = ar_data", delta=2))
    kinds = {(i["kind"], i["range"]["start"]["line"]) for i in items}
    assert ("live", pos(SRC, "own_message = ar_data").line) in kinds
    assert ("move", pos(SRC, "own_message);", nth=1).line) in kinds
    assert any(i["kind"] == "conflict" and "MMM-T2" in i["message"] for i in items)
