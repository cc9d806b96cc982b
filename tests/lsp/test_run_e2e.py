"""Run with ownership checks over the wire: code lens -> custody.run -> report, custody-run
diagnostics next to the static ones, a summary message, and the run's diagnostics gone after an
edit. The server builds in a private cache directory."""
from __future__ import annotations

import asyncio
import os
import tempfile

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from lsp_client import SERVER, Published, capabilities
from test_server_e2e import USE_AFTER_MOVE, change, open_doc, pos_of

URI = "file:///tmp/custody-e2e-run/main.x07t"
CACHE = tempfile.mkdtemp(prefix="custody-run-e2e-cache-")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER,
                                              server_env={**os.environ, "CUSTODY_CACHE_DIR": CACHE}))
async def client(lsp_client: LanguageClient):
    lsp_client.published = Published(lsp_client)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=capabilities()))
    yield
    await lsp_client.shutdown_session()


async def test_lens_runs_and_publishes_run_diagnostics_until_the_next_edit(client: LanguageClient):
    open_doc(client, URI, USE_AFTER_MOVE)
    static = await client.published.wait(URI, 1)
    assert [d.code for d in static] == ["X07-MOVE-0901"]

    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=URI)))
    # solve only: main.greet takes an owned bytes, which the runner cannot feed
    assert [list(l.command.arguments) for l in lenses] == [[URI, None]]
    assert lenses[0].range.start == pos_of(USE_AFTER_MOVE, ":solve")

    client.published.by_version.pop((URI, 1))
    report = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command=lenses[0].command.command, arguments=[URI, None, "bob"]))
    assert report["output_text"] == "hello bob"          # the moved `who` reads as empty
    assert report["leak_free"] is True and report["trap"] is None and report["ok"] is False
    assert len(report["borrow_violations"]) == 1

    diags = await client.published.wait(URI, 1)
    run = [d for d in diags if d.source == "custody-run"]
    assert [d.code for d in run] == ["CUS-RUN-0004"]
    assert run[0].range == static[0].range                # the runtime saw it where the analysis did
    assert any("custody run solve" in m.message and "leak-free" in m.message for m in client.messages)

    change(client, URI, 2, [(types.Range(pos_of(USE_AFTER_MOVE, "msg who))", delta=4),
                             pos_of(USE_AFTER_MOVE, "msg who))", delta=7)), "msg")])
    after = await client.published.wait(URI, 2)
    assert all(d.source != "custody-run" for d in after)


async def test_run_command_needs_an_open_document(client: LanguageClient):
    try:
        await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="custody.run", arguments=["file:///tmp/never-opened.x07t", None])), 20)
    except Exception as e:  # the JSON-RPC error comes back as an exception
        assert "open X07 document" in str(e)   # the languages custody can run
    else:
        raise AssertionError("expected an error response")


async def test_run_command_refuses_a_c_document(client: LanguageClient):
    uri = "file:///tmp/custody-run-e2e/leak.c"
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="c", version=1, text="void f(void) {}\n")))
    await client.published.wait(uri, 1)
    try:
        await asyncio.wait_for(client.workspace_execute_command_async(types.ExecuteCommandParams(
            command="custody.run", arguments=[uri, None])), 20)
    except Exception as e:
        assert "custody runs X07 programs, not C ones" in str(e)
    else:
        raise AssertionError("expected an error response")
