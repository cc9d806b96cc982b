"""The LSP protocol layer (pygls 2): wires requests and notifications to the Service and the
feature modules, and decides when analysis runs.

Reading: custody's own framer (wire.py) reads stdin or the socket instead of pygls's loop, so
that a broken frame costs only itself; CustodyProtocol checks each message's envelope and the
lifecycle (initialize first, nothing but exit after shutdown) before pygls dispatches it, and
serve() returns the exit code the spec asks for.

When: an edit only records the change; analysis starts once the input already read is handled
(or after `debounceMs`, default 0), and a newer edit cancels the waiting one, so a burst costs
one analysis. A
request (hover, code action, ...) on a document with unanalysed edits analyses it first, so
answers always match the text the client has.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import sys
import threading
import time
import traceback

from lsprotocol import types
from pygls.capabilities import ServerCapabilitiesBuilder
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.workspace import TextDocument

from custody.analysis.languages import LANGUAGES, is_source
from custody.run_request import refusal, runnable

from . import actions, cursor, diagnostics, hover, inlay_hints, navigation, run_lens, semantic_tokens, wire
from .documents import handles, uri_to_path
from .idle_gc import IdleCollector
from custody.analysis.source import FileIndexes
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
    """A message already dealt with while it was being read (answered with an error, or logged)."""

    jsonrpc = "2.0"


def _valid_id(rid) -> bool:
    return isinstance(rid, str) or (isinstance(rid, int) and not isinstance(rid, bool))


def _json_kind(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, int):
        return "a number"
    if isinstance(v, float):
        return "a fractional number" if not v.is_integer() else "a number written with a decimal point"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "an array"
    return "an object"


# ---- invalid params, said in the client's terms ----
# cattrs reports a params mismatch as a tree of Python exceptions ("string indices must be
# integers", KeyError('textDocument')). The client needs the JSON path and what belongs there.

def _json_name(attr: str) -> str:
    head, *rest = attr.rstrip("_").split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


def _describe(tp, depth: int = 0) -> str:
    """What a value of type `tp` looks like in JSON."""
    import enum
    import typing

    import attrs

    if depth > 3:
        return "a value of another shape"
    origin = typing.get_origin(tp)
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if origin is typing.Union or type(tp).__name__ == "UnionType":
        return " or ".join(dict.fromkeys(_describe(a, depth + 1) for a in args)) or "null"
    if origin is typing.Literal:
        return " or ".join(repr(a) if not isinstance(a, str) else f'"{a}"' for a in typing.get_args(tp))
    if origin in (list, tuple, set, frozenset) or (origin is not None and getattr(origin, "__name__", "") in
                                                   ("Sequence", "MutableSequence")):
        return "an array"
    if origin is dict or (origin is not None and getattr(origin, "__name__", "") in ("Mapping", "MutableMapping")):
        return "an object"
    if isinstance(tp, type):
        if attrs.has(tp):
            required = [_json_name(f.name) for f in attrs.fields(tp) if f.default is attrs.NOTHING]
            if not required:
                return "an object"
            names = required[0] if len(required) == 1 else ", ".join(required[:-1]) + " and " + required[-1]
            return f"an object with {names}"
        if issubclass(tp, bool):
            return "true or false"
        if issubclass(tp, enum.Enum):
            values = [json.dumps(m.value) for m in tp][:10]
            return "one of " + ", ".join(values)
        if issubclass(tp, int):
            return "an integer"
        if issubclass(tp, float):
            return "a number"
        if issubclass(tp, str):
            return "a string"
    return "a value of another shape"


_RANGE = re.compile(r"(\w+)\.(\w+) should be in range \[(-?\d+):(-?\d+)\], but was (.+?)\.?$")


def _explain(data: dict, exc: BaseException, limit: int = 4) -> str:
    """Why `data` does not fit its method's params: one clause per wrong field, in JSON paths."""
    from cattrs.errors import AttributeValidationNote, IterableValidationNote

    problems: list[str] = []
    missing = object()

    def value_at(path):
        v = data
        for seg in path:
            if isinstance(seg, int):
                v = v[seg] if isinstance(v, list) and 0 <= seg < len(v) else missing
            else:
                v = v.get(seg, missing) if isinstance(v, dict) else missing
            if v is missing:
                return missing
        return v

    def show(path) -> str:
        out = ""
        for seg in path:
            out += f"[{seg}]" if isinstance(seg, int) else ("." if out else "") + seg
        return out or "the message"

    def say(path, tp, leaf):
        # report at the outermost place where the JSON has the wrong shape
        for i in range(1, len(path)):
            outer = value_at(path[:i])
            if outer is missing:
                problems.append(f"{show(path[:i])} is missing")
                return
            if not isinstance(outer, (dict, list)):
                problems.append(f"{show(path[:i])} must be {_describe(types_at[i - 1])}")
                return
        value = value_at(path)
        if value is missing:
            problems.append(f"{show(path)} is missing")
            return
        m = _RANGE.search(str(leaf)) if isinstance(leaf, ValueError) else None
        if m is not None:
            inner = path + [_json_name(m.group(2))]
            problems.append(f"{show(inner)} must be an integer from {m.group(3)} to {m.group(4)} (it is {m.group(5)})")
            return
        problems.append(f"{show(path)} must be {_describe(tp)}")

    types_at: list = []

    def walk(e: BaseException, path: list, tp) -> None:
        subs = getattr(e, "exceptions", None)
        if subs:
            for sub in subs:
                seg, sub_tp = None, tp
                for note in getattr(sub, "__notes__", ()):
                    if isinstance(note, AttributeValidationNote):
                        seg, sub_tp = _json_name(note.name), note.type
                    elif isinstance(note, IterableValidationNote):
                        seg, sub_tp = note.index, note.type
                if seg is None:
                    walk(sub, path, tp)
                else:
                    types_at[len(path):] = [sub_tp]
                    walk(sub, path + [seg], sub_tp)
            return
        say(list(path), tp, e)

    walk(exc, [], None)
    problems = list(dict.fromkeys(problems))
    if not problems:
        return "params do not fit the method"
    extra = len(problems) - limit
    return "; ".join(problems[:limit]) + (f"; and {extra} more" if extra > 0 else "")


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
    """What custody does with each message read off the wire (wire.pump delivers them here),
    before pygls dispatches it:

    * the JSON-RPC envelope is checked, and a request that can be answered is answered: with
      -32600 (InvalidRequest) when it is not a request, -32602 (InvalidParams) with the JSON path
      and what belongs there when its params do not fit the method (pygls only logs those, and
      the client waits forever);
    * the lifecycle of the LSP spec: a request before `initialize` gets -32002
      (ServerNotInitialized) and a notification then is dropped; after `shutdown` every request
      gets InvalidRequest and only `exit` is acted on; `exit` ends reading with code 0 after
      `shutdown`, 1 without (pygls raises SystemExit, which its own loop turns into 0).
    """

    def __init__(self, *args, **kwargs):
        self.initialize_seen = False
        self.exit_code: int | None = None       # set by `exit`
        super().__init__(*args, **kwargs)       # (it looks at every attribute: set ours first)

    # ---- wire.Sink ----
    @property
    def stopped(self) -> bool:
        return self.exit_code is not None

    def message(self, obj, note: str | None = None) -> None:
        if note:
            self.log_line(note)
        message = self._admit(obj)
        if message is not None:
            self.handle_message(message)

    def fault(self, fault: wire.Fault) -> None:
        if fault.request_id is not None and not self._shutdown:
            self._error(fault.request_id, fault.code, f"the request could not be read: {fault.message.removesuffix('; ignored')}")
        self.log_line(fault.message)

    # ---- checks ----
    def _admit(self, obj):
        """The structured message to dispatch, or None when it was answered or dropped here."""
        if not isinstance(obj, dict):
            kind = "an array (batches are not part of LSP)" if isinstance(obj, list) else f"a JSON {_json_kind(obj)}"
            self.log_line(f"ignored a message that is {kind}, not an object")
            return None
        method = obj.get("method")
        if "id" in obj and not _valid_id(obj["id"]):
            self.log_line(f"ignored a message whose id is {_json_kind(obj['id'])}, not an integer or a string")
            return None
        if "id" in obj and "method" in obj:                 # a request
            rid = obj["id"]
            if not isinstance(method, str):
                return self._error(rid, -32600, "a request's method must be a string")
            if obj.get("jsonrpc") != "2.0":
                return self._error(rid, -32600, f'{method}: a request must say "jsonrpc": "2.0"')
            if self._shutdown:
                return self._error(rid, -32600, f"{method}: the server has shut down; after shutdown "
                                                f"only the exit notification is accepted")
            if method == types.INITIALIZE:
                if self.initialize_seen:
                    return self._error(rid, -32600, "initialize: the server is already initialized")
            elif not self.initialize_seen:
                return self._error(rid, -32002, f"{method}: the server is not initialized yet; "
                                                f"send initialize first")
            if obj.get("params") is not None and not isinstance(obj["params"], (dict, list)):
                return self._error(rid, -32602, f"{method}: params must be an object or an array")
        elif "method" in obj:                                 # a notification
            if not isinstance(method, str) or obj.get("jsonrpc") != "2.0":
                self.log_line("ignored a notification without a method name or \"jsonrpc\": \"2.0\"")
                return None
            if method != types.EXIT and (self._shutdown or not self.initialize_seen):
                log.info("dropped %s: %s", method, "after shutdown" if self._shutdown else "before initialize")
                return None
        elif "id" in obj:                                     # a response to a request of ours
            if "result" not in obj and "error" not in obj:
                self.log_line(f"ignored a response (id {obj['id']!r}) without result or error")
                return None
        else:
            self.log_line("ignored a JSON object that is neither a request, a notification nor a response")
            return None
        message = self.structure_message(obj)
        if isinstance(message, _Answered):
            return None
        if method == types.INITIALIZE and "id" in obj:
            self.initialize_seen = True
        return message

    def structure_message(self, data):
        """pygls's typing of a message, with a misfit said in the client's terms: a request gets
        InvalidParams naming the JSON path, a notification is logged (it cannot be answered)."""
        from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage, JsonRPCResponseMessage

        if not isinstance(data, dict) or "jsonrpc" not in data:
            return data
        method = data.get("method")
        if "id" in data:
            if "error" in data:
                cls = types.ResponseErrorMessage
            elif "method" in data:
                cls = self.get_message_type(method) or JsonRPCRequestMessage
            else:
                cls = self._result_types.pop(data["id"], None) or JsonRPCResponseMessage
        else:
            cls = self.get_message_type(method) or JsonRPCNotification
        try:
            return self._converter.structure(data, cls)
        except Exception as exc:
            why = _explain(data, exc)
            if "id" in data and "method" in data:
                return self._error(data["id"], -32602, f"{method}: {why}") or _Answered()
            self.log_line(f"ignored {method or 'a response'}: {why}")
            return _Answered()

    def handle_message(self, message):
        if isinstance(message, _Answered):
            return
        return super().handle_message(message)

    def _error(self, rid, code: int, text: str) -> None:
        self._send_response(rid, error=types.ResponseError(code=code, message=text))
        return None

    def log_line(self, text: str) -> None:
        """One line for the user: on stderr, and in the client's log once it may be sent there."""
        text = text.splitlines()[0] if text else text
        log.warning("%s", text)
        if self.initialize_seen and not self._shutdown and self.writer is not None:
            try:
                self.notify(types.WINDOW_LOG_MESSAGE,
                            types.LogMessageParams(types.MessageType.Warning, f"custody: {text}"))
            except Exception:
                pass

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args):
        """Stop reading; serve() returns the exit code the spec asks for."""
        self.exit_code = 0 if self._shutdown else 1

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
        self.file_indexes = FileIndexes(self.service.engine.overlay)   # related locations in other files
        self.runs: dict[str, run_lens.RunOutcome] = {}   # the last requested run of each document

    # ---- analysis scheduling ----
    def schedule(self, uri: str) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()                     # a newer edit supersedes the waiting analysis
        delay = self.service.settings.debounce_ms / 1000
        loop = asyncio.get_running_loop()
        # 0: as soon as the input already read is handled (the reader hands over everything it
        # has before the loop runs callbacks, so edits sent together still cost one analysis)
        self.pending[uri] = loop.call_later(delay, self._run, uri) if delay > 0 else loop.call_soon(self._run, uri)

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
        out = diagnostics.diagnostics(snap, self.service.settings, self.file_indexes)
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
        return self.service.checker(snap)


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
                types.FileSystemWatcher(glob_pattern=g) for g in LANGUAGES.watch_globs])
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
        ls.service.open(doc.uri, doc.version, doc.text, doc.language_id)
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
            ls.service.open(uri, params.text_document.version, copy.source, ls.service.docs[uri].language_id)
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
            raise JsonRpcInvalidParams(f"{run_lens.RUN_COMMAND} needs the URI of an open {runnable()} document")
        why = refusal(snap.language)
        if why is not None:
            raise JsonRpcInvalidParams(f"{run_lens.RUN_COMMAND}: {why}")
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


class _LockedWriter:
    """stdout for pygls: whole frames, one at a time (handlers also answer from worker threads)."""

    def __init__(self, out):
        self.out = out
        self.lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self.lock:
            self.out.write(data)
            self.out.flush()

    def close(self) -> None:
        pass


def _exit_code(ls: CustodyServer) -> int:
    """`exit` decided it; otherwise the input ended: 0 if `shutdown` came first, 1 if not."""
    code = ls.protocol.exit_code
    return code if code is not None else (0 if ls.protocol._shutdown else 1)


def serve_stdio(ls: CustodyServer, fd: int | None = None, out=None) -> int:
    """Serve on stdin/stdout until `exit` or end of input; the exit code per the spec.

    stdin is read by a daemon thread with os.read, so that a client that sends `exit` but
    keeps the pipe open does not keep the process alive (a worker blocked in a buffered read
    would be joined at interpreter exit)."""
    fd = sys.stdin.fileno() if fd is None else fd
    ls.protocol.set_writer(_LockedWriter(out or sys.stdout.buffer))

    async def run() -> None:
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[bytes] = asyncio.Queue()

        def reader() -> None:
            while True:
                try:
                    chunk = os.read(fd, 1 << 16)
                except OSError:
                    chunk = b""
                try:
                    loop.call_soon_threadsafe(chunks.put_nowait, chunk)
                except RuntimeError:             # the loop has closed: the server is done
                    return
                if not chunk:
                    return

        threading.Thread(target=reader, name="custody-stdin", daemon=True).start()
        await wire.pump(chunks.get, ls.protocol)

    try:
        asyncio.run(run())
    except BrokenPipeError:
        log.warning("the client closed the connection")
    finally:
        ls.shutdown()
    return _exit_code(ls)


def serve_tcp(ls: CustodyServer, host: str, port: int) -> int:
    """Serve one client connecting to HOST:PORT, as on stdio; return when it sends `exit` or
    disconnects."""

    async def run() -> None:
        done = asyncio.get_running_loop().create_future()

        async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            if done.done() or ls.protocol.writer is not None:
                writer.close()                   # one client: a second connection is refused
                return
            ls.protocol.set_writer(writer)

            async def read() -> bytes:
                try:
                    return await reader.read(1 << 16)
                except ConnectionError:
                    return b""

            try:
                await wire.pump(read, ls.protocol)
            except ConnectionError:
                log.warning("the client closed the connection")
            finally:
                writer.close()
                if not done.done():
                    done.set_result(None)

        server = await asyncio.start_server(client, host, port)
        async with server:
            await done

    try:
        asyncio.run(run())
    finally:
        ls.shutdown()
    return _exit_code(ls)


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs; a zombie (exited, not yet reaped by its parent) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:                      # exists, owned by someone else
        pass
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rpartition(b")")[2].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True                              # no /proc here: kill(0) said it exists


def watch_client_process(ls: CustodyServer, pid: int, interval: float = 1.0) -> threading.Thread:
    """LSP: a server started with the client's process id exits when that process dies (the editor
    crashed or was killed and will never send `exit`). A daemon thread polls the pid; when it is
    gone the server ends at once with the code `exit` would have given (1 unless `shutdown` came),
    without waiting for a stdin that an orphaned pipe may never close."""

    def watch() -> None:
        while _alive(pid):
            time.sleep(interval)
        log.warning("the client process %d is gone; exiting", pid)
        try:
            sys.stderr.flush()
        finally:
            os._exit(_exit_code(ls))

    t = threading.Thread(target=watch, name="custody-client-watch", daemon=True)
    t.start()
    return t


def serve(args) -> int:
    _configure_logging()
    ls = build()
    pid = getattr(args, "client_process_id", None)
    if pid:
        watch_client_process(ls, pid)
    tcp = getattr(args, "tcp", None)
    if tcp:
        host, port = tcp
        return serve_tcp(ls, host, port)
    return serve_stdio(ls)
