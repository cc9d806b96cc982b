"""Starting custody's server over stdio under a real LSP client (pytest-lsp), and waiting for
the diagnostics of a given document version."""
from __future__ import annotations

import asyncio
import sys

from lsprotocol import types

SERVER = [sys.executable, "-c", "import sys; from custody.cli import main; sys.exit(main(['lsp']))"]


def capabilities(pull: bool = False, resolve: bool = False) -> types.ClientCapabilities:
    td = types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(dynamic_registration=False),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True, version_support=True),
        code_action=types.CodeActionClientCapabilities(
            resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]) if resolve else None),
        diagnostic=types.DiagnosticClientCapabilities() if pull else None,
    )
    return types.ClientCapabilities(text_document=td, workspace=types.WorkspaceClientCapabilities(
        configuration=True, did_change_configuration=types.DidChangeConfigurationClientCapabilities()))


class Published:
    """Collects publishDiagnostics per (uri, version)."""

    def __init__(self, client):
        self.by_version: dict[tuple[str, int | None], list[types.Diagnostic]] = {}
        self.latest: dict[str, list[types.Diagnostic]] = {}
        self.event = asyncio.Event()

        def on_publish(params: types.PublishDiagnosticsParams):
            client.diagnostics[params.uri] = params.diagnostics
            self.by_version[(params.uri, params.version)] = list(params.diagnostics)
            self.latest[params.uri] = list(params.diagnostics)
            self.event.set()

        # replaces pytest-lsp's own handler (which keeps no versions)
        client.protocol.fm._features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = on_publish

    async def wait(self, uri: str, version: int | None, timeout: float = 20.0) -> list[types.Diagnostic]:
        async def _wait():
            while (uri, version) not in self.by_version:
                self.event.clear()
                await self.event.wait()
            return self.by_version[(uri, version)]

        return await asyncio.wait_for(_wait(), timeout)


def snapshot(text: str, name: str):
    """`text` opened as file:///tmp/custody-lsp-tests/<name> in a fresh Service, analysed."""
    from custody.lsp.service import Service

    svc = Service()
    uri = f"file:///tmp/custody-lsp-tests/{name}"
    svc.open(uri, 1, text)
    return svc.snapshot(uri)


def json_form(snap) -> str:
    """The same module as one-line x07AST JSON."""
    import json

    return json.dumps(snap.result.parsed.parse.root.to_python(), ensure_ascii=False)


def both_forms(text: str, stem: str) -> list:
    """Snapshots of `text` as <stem>.x07t and of its x07AST JSON as <stem>.x07.json."""
    t = snapshot(text, f"{stem}.x07t")
    return [t, snapshot(json_form(t), f"{stem}.x07.json")]
