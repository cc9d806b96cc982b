"""The LSP protocol layer (pygls 2): wires requests and notifications to the Service and the
feature modules, and decides when analysis runs.

When: an edit only records the change; analysis waits `debounceMs` (default 1 ms) for the
burst to settle, and a newer edit cancels the waiting one, so a burst costs one analysis. A
request (hover, code action, ...) on a document with unanalysed edits analyses it first, so
answers always match the text the client has.
"""
from __future__ import annotations

import asyncio
import logging
import traceback

from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.workspace import TextDocument

from custody.analysis.engine import is_source

from . import actions, cursor, diagnostics, hover, inlay_hints, navigation, run_lens, semantic_tokens
from .documents import handles, uri_to_path
from .idle_gc import IdleCollector
from .service import Service, Snapshot
from .settings import Settings
from .workspace_index import WorkspaceIndex

log = logging.getLogger("custody.lsp")

OWNERSHIP_REQUEST = "custody/ownership"
VERSION = "0.1.0"


def _utf16_positions(cls, client_capabilities):
    # every position custody computes is UTF-16 (the LSP default); never negotiate another
    return types.PositionEncodingKind.Utf16


ServerCapabilitiesBuilder.choose_position_encoding = classmethod(_utf16_positions)


class _Answered:
    """A request already answered with an error while it was being read."""

    jsonrpc = "2.0"


def _leaf_errors(exc: BaseException) -> list[str]:
    subs = getattr(exc, "exceptions", None)
    if subs:
        return [m for e in subs for m in _leaf_errors(e)]
    if isinstance(exc, KeyError):
        return [f"missing {exc}"]
    return [str(exc)]


class _NoTracebacks(logging.Formatter):
    """Log lines for the client's output panel: the message, not a Python traceback (set
    CUSTODY_DEBUG=1 to see those)."""

    def formatException(self, ei) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_text = ""
        saved, record.exc_info = record.exc_info, None
        try:
            return super().format(record).split("\n", 1)[0]   # some libraries put tracebacks in the message
        finally:
            record.exc_info = saved


def _configure_logging() -> None:
    import os
    import sys

    handler = logging.StreamHandler(sys.stderr)
    if os.environ.get("CUSTODY_DEBUG"):
        handler.setFormatter(logging.Formatter("%(name)s: %(levelname)s: %(message)s"))
    else:
        handler.setFormatter(_NoTracebacks("%(name)s: %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


class CustodyProtocol(LanguageServerProtocol):
    """pygls reads a request whose params do not fit the method and only logs it; the client
    would wait forever. Here such a request gets its error response (Invalid params, with why)."""

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                cause = exc.__cause__
                why = "; ".join(_leaf_errors(cause))[:500] if cause is not None else exc.message
                err = JsonRpcInvalidParams(f"invalid params for {data['method']}: {why}")
                self._send_response(data["id"], error=err.to_response_error())
                return _Answered()
            raise

    def handle_message(self, message):
        if isinstance(message, _Answered):
            return
        return super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        """custody's own Document is the text of record for the files it handles; pygls's copy
        (split into lines again on every edit: ~5 ms per keystroke in a 25k-line file) is kept
        up to date only for other documents."""
        if not handles(params.text_document.uri):
            for change in params.content_changes:
                self.workspace.update_text_document(params.text_document, change)
        if (user_handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield user_handler, (params,), None


class CustodyServer(LanguageServer):
    def __init__(self):
        super().__init__("custody", VERSION, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=CustodyProtocol)
        self.service = Service()
        self.service.engine.freeze_survivors = True    # IdleCollector collects them in idle time
        self.index = WorkspaceIndex()
        self.pending: dict[str, asyncio.TimerHandle | asyncio.Task] = {}
        self.pull_diagnostics = False       # the client asks for diagnostics itself
        self.resolve_edits = False          # the client resolves code actions' edits lazily
        self.published: dict[str, int] = {}
        self.collector = IdleCollector()
        self.runs: dict[str, run_lens.RunOutcome] = {}   # the last requested run of each document

    # ---- analysis scheduling ----
    def schedule(self, uri: str) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()                     # a newer edit supersedes the waiting analysis
        delay = self.service.settings.debounce_ms / 1000
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(delay, self._run, uri)

    def _run(self, uri: str) -> None:
        self.pending.pop(uri, None)
        self.refresh(uri)

    def refresh(self, uri: str) -> None:
        """Analyse (if stale) and publish; then the documents importing it, if its signatures changed."""
        try:
            if not self.service.is_current(uri):
                dependents = self.service.analyse(uri)
                self.collector.analysed()
            else:
                dependents = []
            self.publish(uri)
            for dep in dependents:
                self.schedule(dep)
        except Exception:  # a bug in custody must not take the server down
            self.report_bug(f"analysing {uri}")

    def publish(self, uri: str) -> None:
        snap = self.service.snapshots.get(uri)
        if snap is None or self.pull_diagnostics:
            return
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=snap.version, diagnostics=self.diagnostics_of(snap)))
        self.published[uri] = snap.version

    def diagnostics_of(self, snap: Snapshot) -> list[types.Diagnostic]:
        """The analysis's diagnostics, plus those of the last run while the text is the one it ran."""
        out = diagnostics.diagnostics(snap, self.service.settings)
        run = self.runs.get(snap.uri)
        if run is not None:
            if run.version == snap.version:
                out += run.diagnostics
            else:
                del self.runs[snap.uri]        # ran an older text: its ranges no longer hold
        return out

    def report_server_error(self, error: Exception, source) -> None:
        """Unreadable traffic (invalid JSON, a notification that does not fit its method): logged
        for the user to find, not popped up in their face."""
        log.error("custody: %s: %s", source.__name__ if isinstance(source, type) else source, error)
        try:
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, f"custody: {error}"))
        except Exception:
            pass

    def report_bug(self, what: str) -> None:
        text = f"custody: internal error while {what}:\n{traceback.format_exc()}"
        log.error(text)
        try:
            self.window_log_message(types.LogMessageParams(types.MessageType.Error, text))
        except Exception:
            pass

    def snapshot(self, uri: str) -> Snapshot | None:
        if uri in self.service.docs and not self.service.is_current(uri):
            for dep in self.service.analyse(uri):
                self.schedule(dep)
            self.collector.analysed()
            self.schedule(uri)               # its diagnostics still go out
        return self.service.snapshots.get(uri)

    def check_text(self, snap: Snapshot):
        """A checker for candidate texts of this document (fix-all)."""
        engine = self.service.engine
        return lambda data: engine.check(snap.path, data).analysis.findings


server = None


def build() -> CustodyServer:
    ls = CustodyServer()

    @ls.feature(types.INITIALIZE)
    def initialize(ls: CustodyServer, params: types.InitializeParams):
        settings, problems = Settings.parse(params.initialization_options)
        caps = params.capabilities
        td = caps.text_document
        ls.pull_diagnostics = bool(td and td.diagnostic)
        ls.resolve_edits = bool(td and td.code_action and td.code_action.resolve_support
                                and "edit" in (td.code_action.resolve_support.properties or []))
        folders = [uri_to_path(f.uri) for f in (params.workspace_folders or [])]
        if not folders and params.root_uri:
            folders = [uri_to_path(params.root_uri)]
        ls.index.roots = [f for f in folders if f]
        ls.service.configure(settings, ls.index.roots)
        for p in problems:
            log.warning("settings: %s", p)

    @ls.feature(types.INITIALIZED)
    def initialized(ls: CustodyServer, params):
        caps = ls.client_capabilities
        ws = caps.workspace
        if ws and ws.did_change_watched_files and ws.did_change_watched_files.dynamic_registration:
            opts = types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                types.FileSystemWatcher(glob_pattern="**/*.x07t"),
                types.FileSystemWatcher(glob_pattern="**/*.x07.json")])
            try:
                ls.client_register_capability(types.RegistrationParams(registrations=[
                    types.Registration(id="custody-watch", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                       register_options=opts)]))
            except Exception:
                ls.report_bug("registering file watchers")
        if ls.index.roots:
            asyncio.get_running_loop().create_task(ls.index.build(ls.service.engine))

    # ---- documents ----
    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CustodyServer, params: types.DidOpenTextDocumentParams):
        doc = params.text_document
        if not handles(doc.uri):
            return
        ls.service.open(doc.uri, doc.version, doc.text)
        ls.refresh(doc.uri)

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CustodyServer, params: types.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        if uri not in ls.service.docs:
            return
        before = ls.service.docs[uri].data
        try:
            ls.service.change(uri, params.text_document.version, params.content_changes)
        except Exception:
            ls.report_bug(f"applying an edit to {uri}")
            # resynchronise: the same edits applied to the text before them, by pygls's algorithm
            copy = TextDocument(uri, before.decode("utf-8", errors="surrogatepass"))
            for change in params.content_changes:
                copy.apply_change(change)
            ls.service.open(uri, params.text_document.version, copy.source)
        ls.schedule(uri)

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CustodyServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        pending = ls.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        ls.service.close(uri)
        ls.runs.pop(uri, None)
        if uri in ls.published and not ls.pull_diagnostics:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            ls.published.pop(uri, None)

    @ls.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: CustodyServer, params: types.DidChangeWatchedFilesParams):
        for ch in params.changes:
            path = uri_to_path(ch.uri)
            if path and is_source(path):
                for uri in ls.service.file_changed_on_disk(path):
                    ls.schedule(uri)

    @ls.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: CustodyServer, params: types.DidChangeConfigurationParams):
        settings, problems = Settings.parse(params.settings, ls.service.settings)
        for p in problems:
            ls.window_log_message(types.LogMessageParams(types.MessageType.Warning, f"custody settings: {p}"))
        ls.service.configure(settings)
        for uri in list(ls.service.docs):
            ls.schedule(uri)

    # ---- diagnostics (pull) ----
    @ls.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                types.DiagnosticOptions(identifier="custody", inter_file_dependencies=True,
                                        workspace_diagnostics=False))
    def pull(ls: CustodyServer, params: types.DocumentDiagnosticParams):
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        rid = f"{snap.version}:{id(snap)}"
        run = ls.runs.get(snap.uri)
        if run is not None and run.version == snap.version:
            rid += f":run{id(run)}"
        if params.previous_result_id == rid:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=rid)
        return types.RelatedFullDocumentDiagnosticReport(items=ls.diagnostics_of(snap), result_id=rid)

    # ---- hover ----
    @ls.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: CustodyServer, params: types.HoverParams):
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        return hover.hover(snap, _offset(snap, params.position))

    # ---- code actions ----
    @ls.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL_KIND],
                                        resolve_provider=True))
    def on_code_action(ls: CustodyServer, params: types.CodeActionParams):
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return []
        return actions.code_actions(snap, params.range, params.context.only, ls.check_text(snap),
                                    lazy_fix_all=ls.resolve_edits)

    @ls.feature(types.CODE_ACTION_RESOLVE)
    def on_code_action_resolve(ls: CustodyServer, action: types.CodeAction):
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if not data.get("fixAll") or not isinstance(uri, str):
            return action
        snap = ls.snapshot(uri)
        if snap is None or snap.version != data.get("version"):
            return action                     # the document changed since: no stale edit
        return actions.resolve_fix_all(action, snap, ls.check_text(snap))

    # ---- inlay hints, semantic tokens, cursor decorations ----
    @ls.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    def on_inlay_hint(ls: CustodyServer, params: types.InlayHintParams):
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return []
        return inlay_hints.inlay_hints(snap, params.range, ls.service.settings.inlay)

    @ls.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, semantic_tokens.legend())
    def on_tokens(ls: CustodyServer, params: types.SemanticTokensParams):
        snap = ls.snapshot(params.text_document.uri)
        return semantic_tokens.semantic_tokens(snap) if snap is not None else types.SemanticTokens(data=[])

    @ls.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE, semantic_tokens.legend())
    def on_tokens_range(ls: CustodyServer, params: types.SemanticTokensRangeParams):
        snap = ls.snapshot(params.text_document.uri)
        return semantic_tokens.semantic_tokens_range(snap, params.range) if snap is not None \
            else types.SemanticTokens(data=[])

    @ls.feature(OWNERSHIP_REQUEST)
    def on_ownership(ls: CustodyServer, params):
        uri, pos = _uri_position(params)
        snap = ls.snapshot(uri) if uri else None
        if snap is None:
            return []
        return cursor.ownership_at(snap, snap.index.offset(pos))

    # ---- running on request ----
    @ls.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=False))
    def on_code_lens(ls: CustodyServer, params: types.CodeLensParams):
        snap = ls.snapshot(params.text_document.uri)
        return run_lens.code_lenses(snap) if snap is not None else []

    @ls.command(run_lens.RUN_COMMAND)
    async def on_run(ls: CustodyServer, *args):
        """custody.run [uri, entry or null, input text (optional)] -> the run's JSON report."""
        args = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
        uri = args[0] if args and isinstance(args[0], str) else None
        entry = args[1] if len(args) > 1 and isinstance(args[1], str) else None
        text_in = args[2] if len(args) > 2 and isinstance(args[2], str) else ""
        snap = ls.snapshot(uri) if uri else None
        if snap is None:
            raise JsonRpcInvalidParams(f"{run_lens.RUN_COMMAND} needs the URI of an open X07 document")
        resolver = ls.service.engine.resolver(snap.path)
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(None, run_lens.run_snapshot, snap, entry, resolver,
                                             text_in.encode("utf-8"))
        ls.runs[uri] = outcome
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Info, outcome.summary))
        if ls.pull_diagnostics:
            try:
                ls.workspace_diagnostic_refresh(None)
            except Exception:
                pass
        else:
            ls.publish(uri)
        return outcome.report

    # ---- navigation ----
    @ls.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def on_symbols(ls: CustodyServer, params: types.DocumentSymbolParams):
        snap = ls.snapshot(params.text_document.uri)
        return navigation.document_symbols(snap) if snap is not None else []

    @ls.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls: CustodyServer, params: types.DefinitionParams):
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        return navigation.definition(snap, _offset(snap, params.position), ls.service.engine.resolver(snap.path))

    @ls.feature(types.TEXT_DOCUMENT_REFERENCES)
    def on_references(ls: CustodyServer, params: types.ReferenceParams):
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return []
        return navigation.references(snap, _offset(snap, params.position), params.context.include_declaration)

    @ls.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def on_prepare_rename(ls: CustodyServer, params: types.PrepareRenameParams):
        snap = ls.snapshot(params.text_document.uri)
        return navigation.prepare_rename(snap, _offset(snap, params.position)) if snap is not None else None

    @ls.feature(types.TEXT_DOCUMENT_RENAME)
    def on_rename(ls: CustodyServer, params: types.RenameParams):
        snap = ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        try:
            return navigation.rename(snap, _offset(snap, params.position), params.new_name)
        except ValueError as e:
            raise JsonRpcInvalidParams(str(e)) from e

    return ls


def _offset(snap: Snapshot, pos: types.Position) -> int:
    from custody.analysis.source import Position

    return snap.index.offset(Position(pos.line, pos.character))


def _uri_position(params):
    """custody/ownership params arrive as plain JSON: {textDocument: {uri}, position: {line, character}}."""
    from custody.analysis.source import Position

    try:
        if not isinstance(params, dict):
            params = {"textDocument": {"uri": params.textDocument.uri},
                      "position": {"line": params.position.line, "character": params.position.character}}
        uri = params["textDocument"]["uri"]
        p = params["position"]
        line, ch = int(p["line"]), int(p["character"])
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise JsonRpcInvalidParams(
            "custody/ownership expects {textDocument: {uri}, position: {line, character}}") from e
    return uri, Position(line, ch)


def serve(args) -> int:
    _configure_logging()
    ls = build()
    tcp = getattr(args, "tcp", None)
    if tcp:
        host, port = tcp
        ls.start_tcp(host, port)
    else:
        ls.start_io()
    return 0
