"""Janus in the editor: hover on a binding allocated in a scratchpad or region says so and where
it is freed; inlay hints at every scope exit where `defer`s run (in the order they run, last
deferred first, and in order with the drops there), drop hints for tracked locals, `moved` once
for an occurrence in a `defer` that runs at several exits; the region-escape fixes as code
actions. Answered by the same server code as for the other languages (from the ownership map's
language-neutral arena and deferred-action records), through the LSP service and once over stdio."""
from __future__ import annotations

from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from custody.lsp.hover import hover
from custody.lsp.inlay_hints import inlay_hints
from custody.lsp.service import Service
from lsp_client import SERVER, Published, capabilities

SRC = """\
profile :service

func work(path: string) -> Item do
    let f: ~File = open(path)
    defer close(f)
    defer log("done")
    with_scratchpad |s| do
        let p = s.alloc(parse(path))
        touch(p)
        if p.bad() do
            return fallback()
        end
    end
    let d = load()
    process(move d)
    return make()
end

func drain(items: []Item) do
    for it in items do
        let buf = take()
        defer flush(it)
        if it.last() do
            break
        end
        consume(move buf)
    end
end
"""
URI = "file:///tmp/custody-janus-lsp/work.jan"
EVERYWHERE = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=10_000, character=0))
ALL = {"drops": True, "moves": True, "borrows": True, "defers": True}
FUNCTION_DEFERS = 'defer: log("done"); close(f)'


def snap(text: str = SRC, uri: str = URI):
    svc = Service()
    svc.open(uri, 1, text, language_id="janus")
    return svc.snapshot(uri)


def pos(text: str, needle: str, nth: int = 0, delta: int = 0) -> tuple[int, int]:
    """(line, character) of the nth occurrence of needle, plus delta (ASCII text)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    return text.count("\n", 0, at), at - (text.rfind("\n", 0, at) + 1)


def hints(s, kinds=ALL) -> list[tuple[tuple[int, int], str]]:
    return [((h.position.line, h.position.character), h.label) for h in inlay_hints(s, EVERYWHERE, kinds)]


def test_inlay_hints_at_each_exit_in_the_order_things_happen_there():
    s = snap()
    assert not s.result.findings, [f.message for f in s.result.findings]
    assert hints(s) == [
        (pos(SRC, "close(f)", delta=len("close(f")), "moved"),        # once, though it runs at two exits
        # the early return inside the scratchpad: `p` goes with the scratchpad, then the function's
        # defers run, last deferred first
        (pos(SRC, "return fallback"), "drop p"),
        (pos(SRC, "return fallback"), FUNCTION_DEFERS),
        (pos(SRC, "    end\n    let d", delta=4), "drop p"),            # the scratchpad's end
        (pos(SRC, "move d", delta=len("move d")), "moved"),
        (pos(SRC, "return make"), FUNCTION_DEFERS),
        # (the function's own `end` is never reached: no hint there)
        # `break` leaves the loop body: its defer runs, then `buf`, still held, is dropped
        (pos(SRC, "break"), "defer: flush(it)"),
        (pos(SRC, "break"), "drop buf"),
        (pos(SRC, "move buf", delta=len("move buf")), "moved"),
        (pos(SRC, "    end\nend\n", delta=4), "defer: flush(it)"),   # the loop body's end
    ]


def test_defer_hints_can_be_turned_off_and_say_where_each_action_was_deferred():
    s = snap()
    assert [label for _, label in hints(s, {**ALL, "defers": False}) if label.startswith("defer")] == []
    (h,) = [h for h in inlay_hints(s, EVERYWHERE, ALL) if h.label == FUNCTION_DEFERS
            and (h.position.line, h.position.character) == pos(SRC, "return make")]
    assert h.tooltip == ('Leaving the scope here runs, last deferred first:\n'
                         '1. `log("done")` (deferred at line 6)\n2. `close(f)` (deferred at line 5)')


def test_hover_on_region_memory_says_where_it_lives_and_where_it_is_freed():
    s = snap()
    offset = SRC.index("p = s.alloc")
    freed = (f"**allocated in the scratchpad `s`**: freed at [line 11]({URI}#L11,13) or "
             f"[line 13]({URI}#L13,5) (each way out of it)")
    h = hover(s, offset)
    assert h.contents.value == f"```janus\np\n```\n\n{freed}\n\nDeclared here."
    assert (h.range.start.line, h.range.start.character) == pos(SRC, "p = s.alloc")
    assert hover(s, SRC.index("touch(p)") + 6).contents.value == f"```janus\np\n```\n\n{freed}\n\nHere: read."
    # a drop hint of region memory says the memory is the scratchpad's
    (drop,) = [h for h in inlay_hints(s, EVERYWHERE, ALL) if h.label == "drop p"
               and (h.position.line, h.position.character) == pos(SRC, "return fallback")]
    assert drop.tooltip == '"p" goes out of scope here; its memory belongs to the scratchpad `s`, freed with it.'


def test_region_memory_freed_at_one_place_and_moved_region_memory():
    text = """\
profile :sovereign

func fill(out: Sink) do
    region arena do
        let rows = arena.create(Rows.new())
        let more = rows
        send(move more)
        print(more)
    end
end
"""
    s = snap(text, "file:///tmp/custody-janus-lsp/fill.jan")
    assert [f.code for f in s.result.findings] == ["JAN-S6003"]
    at_end = f"[line 9](file:///tmp/custody-janus-lsp/fill.jan#L9,5)"
    assert hover(s, text.index("rows =")).contents.value == (
        f"```janus\nrows\n```\n\n**allocated in the region `arena`**: freed at {at_end}, when the program "
        "leaves it\n\nDeclared here.")
    moved = hover(s, text.index("print(more)") + 6).contents.value
    assert moved.startswith("```janus\nmore\n```\n\n**moved**: moved here into `send` at [line 7]")
    assert f"Allocated in the region `arena`: freed at {at_end}, when the program leaves it." in moved


# the case whose escape offers all three region fixes (:sovereign)
ESCAPE = (Path(__file__).resolve().parents[1] / "cases" / "janus" / "region" / "scratchpad_return.jan").read_text()
ESCAPE_URI = "file:///tmp/custody-janus-e2e/escape.jan"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    lsp_client.published = Published(lsp_client)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities()))
    yield
    await lsp_client.shutdown_session()


async def test_over_stdio_hover_inlay_hints_and_the_region_fixes(client: LanguageClient):
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=URI, language_id="janus", version=1, text=SRC)))
    assert await client.published.wait(URI, 1) == []
    got = await client.text_document_inlay_hint_async(types.InlayHintParams(types.TextDocumentIdentifier(URI),
                                                                            EVERYWHERE))
    assert [((h.position.line, h.position.character), h.label) for h in got] == hints(snap())
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(URI), types.Position(*pos(SRC, "p.bad"))))
    assert "**allocated in the scratchpad `s`**" in h.contents.value

    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=ESCAPE_URI, language_id="janus", version=1, text=ESCAPE)))
    (diag,) = await client.published.wait(ESCAPE_URI, 1)
    assert diag.code == "JAN-S6001"
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(ESCAPE_URI), diag.range, types.CodeActionContext(diagnostics=[diag])))
    titles = [a.title for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert titles[:3] == ["copy the value out of the region: `.to_persistent()`",
                          "allocate `parsed` as an owned value: `parse(req)` instead of `s.alloc(parse(req))`",
                          "make allocator explicit: allocate `parsed` from a new `allocator: Allocator` parameter"]
