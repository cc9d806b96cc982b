"""custody lsp end to end over stdio, driven by a real LSP client (pytest-lsp)."""
from __future__ import annotations

import asyncio
import random

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from lsp_client import SERVER, Published, capabilities

USE_AFTER_MOVE = """\
{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind defn :name main.greet :params ({:name name :ty bytes}) :result bytes
         :body (bytes.concat (bytes.lit "hello ") name)})
:solve (begin
  (let who (view.to_bytes input))
  (let msg (main.greet who))
  (bytes.concat msg who))
}
"""
CLEAN = USE_AFTER_MOVE.replace("(bytes.concat msg who))", "(bytes.concat msg (bytes.lit done)))")
URI = "file:///tmp/custody-e2e/main.x07t"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient):
    lsp_client.published = Published(lsp_client)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities(resolve=False)))
    yield
    await lsp_client.shutdown_session()


def open_doc(client, uri: str, text: str, version: int = 1, language: str = "plaintext"):
    # the languageId is deliberately wrong: custody goes by the extension
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text)))


def pos_of(text: str, needle: str, nth: int = 0, delta: int = 0) -> types.Position:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    col = at - (text.rfind("\n", 0, at) + 1)
    return types.Position(line, len(text[at - col:at].encode("utf-16-le")) // 2)


def change(client, uri: str, version: int, edits: list[tuple[types.Range, str]]):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        [types.TextDocumentContentChangePartial(range=r, text=t) for r, t in edits]))


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")

    def off(p: types.Position) -> int:
        base = sum(len(lines[i]) + 1 for i in range(p.line))
        return base + len(lines[p.line].encode("utf-16-le")[: p.character * 2].decode("utf-16-le"))

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:off(e.range.start)] + e.new_text + text[off(e.range.end):]
        lines = text.split("\n")
    return text


async def test_open_reports_use_after_move_with_exact_range_and_related(client: LanguageClient):
    open_doc(client, URI, USE_AFTER_MOVE)
    diags = await client.published.wait(URI, 1)
    assert [d.code for d in diags] == ["X07-MOVE-0901"]
    d = diags[0]
    assert d.range.start == pos_of(USE_AFTER_MOVE, "msg who))", delta=4) and d.range.end.character == d.range.start.character + 3
    assert d.severity == types.DiagnosticSeverity.Error and d.source == "custody"
    assert d.code_description is not None and "x07-move-0901" in d.code_description.href
    related = {r.message for r in d.related_information}
    assert any("moved here" in m for m in related), related
    assert all(r.location.uri == URI for r in d.related_information)


async def test_editing_into_and_out_of_an_error(client: LanguageClient):
    open_doc(client, URI, CLEAN)
    assert await client.published.wait(URI, 1) == []
    # type the second use of `who`
    start = pos_of(CLEAN, "(bytes.lit done)")
    end = pos_of(CLEAN, "(bytes.lit done)", delta=len("(bytes.lit done)"))
    change(client, URI, 2, [(types.Range(start, end), "who")])
    assert [d.code for d in await client.published.wait(URI, 2)] == ["X07-MOVE-0901"]
    # and delete it again, one character at a time
    text = CLEAN.replace("(bytes.lit done)", "who")
    version = 2
    for _ in range(3):
        cut = text.index("(bytes.concat msg ") + len("(bytes.concat msg ")
        at = _pos(text, cut)
        change(client, URI, version + 1, [(types.Range(at, types.Position(at.line, at.character + 1)), "")])
        version += 1
        text = text[:cut] + text[cut + 1:]
    at = pos_of(text, "msg ))", delta=4)
    change(client, URI, version + 1, [(types.Range(at, at), "(bytes.lit x)")])
    version += 1
    assert await client.published.wait(URI, version) == []


async def test_hover_on_moved_binding_and_on_call_head(client: LanguageClient):
    open_doc(client, URI, USE_AFTER_MOVE)
    await client.published.wait(URI, 1)
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(URI), pos_of(USE_AFTER_MOVE, "msg who))", delta=5)))
    assert h is not None and "who: bytes" in h.contents.value
    assert "**moved**" in h.contents.value and 'into "main.greet"' in h.contents.value
    assert f"({URI}#L10," in h.contents.value          # a link to where it moved
    h2 = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(URI), pos_of(USE_AFTER_MOVE, "main.greet who", delta=2)))
    assert "main.greet(name: bytes) -> bytes" in h2.contents.value
    assert "`name` moves" in h2.contents.value
    owned = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(URI), pos_of(USE_AFTER_MOVE, "who (view", delta=1)))
    assert "**owned**" in owned.contents.value and "Declared here" in owned.contents.value


async def test_quick_fix_applied_clears_the_diagnostic(client: LanguageClient):
    open_doc(client, URI, USE_AFTER_MOVE)
    diags = await client.published.wait(URI, 1)
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(URI), diags[0].range, types.CodeActionContext(diagnostics=diags)))
    titles = [a.title for a in acts]
    assert any("copy" in t.lower() for t in titles), titles
    assert "Fix all custody problems in file" in titles
    preferred = [a for a in acts if a.is_preferred] or acts
    fix = preferred[0]
    edits = fix.edit.changes[URI]
    fixed = apply_text_edits(USE_AFTER_MOVE, edits)
    # the client applies the edit as incremental changes, last first
    for i, e in enumerate(sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)):
        change(client, URI, 2 + i, [(e.range, e.new_text)])
    assert await client.published.wait(URI, 1 + len(edits)) == [], fixed


async def test_fix_all_action_gives_a_clean_file(client: LanguageClient):
    two = USE_AFTER_MOVE.replace("(bytes.concat msg who))", "(bytes.concat msg (bytes.concat who who)))")
    open_doc(client, URI, two)
    diags = await client.published.wait(URI, 1)
    assert len(diags) >= 2
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(URI), types.Range(types.Position(0, 0), types.Position(0, 0)),
        types.CodeActionContext(diagnostics=[], only=["source.fixAll"])))
    [fa] = [a for a in acts if a.title == "Fix all custody problems in file"]
    fixed = apply_text_edits(two, fa.edit.changes[URI])
    open_doc(client, URI.replace("main", "fixed"), fixed)
    assert await client.published.wait(URI.replace("main", "fixed"), 1) == [], fixed


async def test_incremental_edits_equal_a_fresh_open(client: LanguageClient):
    rng = random.Random(7)
    text = USE_AFTER_MOVE
    open_doc(client, URI, text)
    await client.published.wait(URI, 1)
    version = 1
    for _ in range(40):
        # delete or insert a few characters somewhere (often breaking the syntax on the way)
        a = rng.randrange(len(text))
        b = min(len(text), a + rng.randrange(0, 4))
        ins = rng.choice(["", " ", "(", ")", "who", "x", "\n", "é", "😀"])
        version += 1
        change(client, URI, version, [(types.Range(_pos(text, a), _pos(text, b)), ins)])
        text = text[:a] + ins + text[b:]
    incremental = await client.published.wait(URI, version)
    fresh_uri = URI.replace("main", "fresh")
    open_doc(client, fresh_uri, text)
    fresh = await client.published.wait(fresh_uri, 1)
    key = lambda d: (d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code, d.message)
    assert sorted(map(key, incremental)) == sorted(map(key, fresh))


def _pos(text: str, at: int) -> types.Position:
    line = text.count("\n", 0, at)
    col_text = text[text.rfind("\n", 0, at) + 1:at]
    return types.Position(line, len(col_text.encode("utf-16-le")) // 2)


async def test_requests_on_unknown_documents_and_positions_are_answered(client: LanguageClient):
    nowhere = "file:///tmp/custody-e2e/never-opened.x07t"
    assert await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(nowhere), types.Position(0, 0))) is None
    open_doc(client, URI, USE_AFTER_MOVE)
    await client.published.wait(URI, 1)
    far = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(URI), types.Position(10_000, 10_000)))
    assert far is None
    acts = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(nowhere), types.Range(types.Position(0, 0), types.Position(0, 0)),
        types.CodeActionContext(diagnostics=[])))
    assert not acts
    # a method nobody implements: an error response, and the server keeps serving
    with pytest.raises(Exception) as e:
        await client.protocol.send_request_async("custody/noSuchThing", {})
    assert "custody/noSuchThing" in str(e.value) or "not found" in str(e.value).lower()
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(URI), pos_of(USE_AFTER_MOVE, "msg who))", delta=5)))
    assert h is not None


async def test_ten_megabyte_document_is_answered(client: LanguageClient):
    filler = "; " + "x" * 98 + "\n"
    big = USE_AFTER_MOVE.replace(":imports ()", ":imports ()\n" + filler * (10 * 1024 * 1024 // len(filler)))
    big_uri = URI.replace("main", "big")
    open_doc(client, big_uri, big)
    diags = await client.published.wait(big_uri, 1, timeout=60)
    assert [d.code for d in diags] == ["X07-MOVE-0901"]
    h = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(big_uri), pos_of(big, "msg who))", delta=5)))
    assert "moved" in h.contents.value


async def test_json_form_document(client: LanguageClient):
    import json
    import pathlib

    text = (pathlib.Path(__file__).resolve().parents[2] / "examples" / "use_after_move.x07.json").read_text()
    uri = "file:///tmp/custody-e2e/main.x07.json"
    open_doc(client, uri, text, language="json")
    diags = await client.published.wait(uri, 1)
    assert [d.code for d in diags] == ["X07-MOVE-0901"]
    json.loads(text)


async def test_inlay_hints_ownership_request_and_tokens_over_the_wire(client: LanguageClient):
    open_doc(client, URI, USE_AFTER_MOVE)
    await client.published.wait(URI, 1)
    whole = types.Range(types.Position(0, 0), types.Position(20, 0))
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(types.TextDocumentIdentifier(URI), whole))
    labels = [h.label for h in hints]
    assert "moved" in labels, labels
    positions = [h.position for h in hints if h.label == "moved"]
    assert pos_of(USE_AFTER_MOVE, "main.greet who", delta=len("main.greet who")) in positions
    who = pos_of(USE_AFTER_MOVE, "who (view")
    items = await client.protocol.send_request_async(
        "custody/ownership", {"textDocument": {"uri": URI}, "position": {"line": who.line, "character": who.character}})
    kinds = {i.kind if hasattr(i, "kind") else i["kind"] for i in items}
    assert {"live", "move", "conflict"} <= kinds, items
    tokens = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(types.TextDocumentIdentifier(URI)))
    assert tokens.data and len(tokens.data) % 5 == 0


async def test_configuration_change_overrides_severity_and_hints(client: LanguageClient):
    open_doc(client, URI, USE_AFTER_MOVE)
    assert (await client.published.wait(URI, 1))[0].severity == types.DiagnosticSeverity.Error
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"custody": {"severity": {"X07-MOVE-0901": "warning"}, "inlayHints": {"moves": False}}}))
    # re-published for the same version with the new severity
    for _ in range(50):
        diags = client.published.latest.get(URI)
        if diags and diags[0].severity == types.DiagnosticSeverity.Warning:
            break
        client.published.event.clear()
        try:
            await asyncio.wait_for(client.published.event.wait(), 5)
        except asyncio.TimeoutError:
            break
    assert client.published.latest[URI][0].severity == types.DiagnosticSeverity.Warning
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        types.TextDocumentIdentifier(URI), types.Range(types.Position(0, 0), types.Position(20, 0))))
    assert "moved" not in [h.label for h in hints]


async def test_a_burst_of_edits_is_analysed_once_not_per_keystroke(client: LanguageClient):
    open_doc(client, URI, CLEAN)
    await client.published.wait(URI, 1)
    at = pos_of(CLEAN, "(bytes.lit done)", delta=len("(bytes.lit d"))
    for v in range(2, 32):                      # 30 keystrokes sent back to back
        change(client, URI, v, [(types.Range(at, at), "o")])
        at = types.Position(at.line, at.character + 1)
    await client.published.wait(URI, 31)
    published = [v for (u, v) in client.published.by_version if u == URI]
    assert len(published) < 10, published      # coalesced, not one analysis per keystroke


async def test_editing_an_imported_module_reanalyses_its_importer(client: LanguageClient, tmp_path):
    lib = tmp_path / "app" / "lib.x07t"
    lib.parent.mkdir()
    lib_text = """{
:kind module
:module_id app.lib
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind export :names (app.lib.size)}
{:kind defn :name app.lib.size :params ({:name b :ty bytes_view}) :result i32 :body (view.len b)})
}
"""
    lib.write_text(lib_text)
    main_text = """{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports (app.lib)
:decls ()
:solve (begin
  (let b (view.to_bytes input))
  (let n (app.lib.size b))
  b)
}
"""
    main_uri = (tmp_path / "main.x07t").as_uri()
    lib_uri = lib.as_uri()
    open_doc(client, lib_uri, lib_text)
    open_doc(client, main_uri, main_text)
    assert await client.published.wait(main_uri, 1) == []
    # the parameter becomes owned: main's call now moves b, and returning b is a use after move
    at = pos_of(lib_text, "bytes_view")
    change(client, lib_uri, 2, [(types.Range(at, types.Position(at.line, at.character + len("bytes_view"))), "bytes")])
    for _ in range(100):
        diags = client.published.latest.get(main_uri, [])
        if diags:
            break
        client.published.event.clear()
        await asyncio.wait_for(client.published.event.wait(), 10)
    assert [d.code for d in client.published.latest[main_uri]] == ["X07-MOVE-0901"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def pull_client(lsp_client: LanguageClient):
    lsp_client.published = Published(lsp_client)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities(pull=True)))
    yield
    await lsp_client.shutdown_session()


async def test_pull_diagnostics_when_the_client_pulls(pull_client: LanguageClient):
    open_doc(pull_client, URI, USE_AFTER_MOVE)
    report = await pull_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(URI)))
    assert [d.code for d in report.items] == ["X07-MOVE-0901"]
    again = await pull_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(types.TextDocumentIdentifier(URI), previous_result_id=report.result_id))
    assert again.kind == "unchanged"
    assert URI not in pull_client.published.latest        # no pushes to a pulling client
