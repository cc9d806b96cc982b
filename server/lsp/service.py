"""The server's state without the protocol: open documents, their latest analysis, settings.

Everything here is synchronous and testable without a client. The protocol layer (protocol.py)
decides *when* to analyse (coalescing bursts of edits); this module decides *what*: only a
document whose text changed since its last analysis is analysed again, and the engine inside
re-analyses only the declarations that changed (or whose callees' signatures did).
"""
from __future__ import annotations

from dataclasses import dataclass

from custody.analysis.engine import Engine, Result
from custody.analysis.source import LineIndex

from .documents import Document
from .settings import Settings


@dataclass(frozen=True)
class Snapshot:
    """One analysed version of one document; features answer from this alone."""

    uri: str
    path: str
    version: int
    data: bytes
    index: LineIndex
    result: Result

    @property
    def findings(self):
        return self.result.findings

    @property
    def model(self):
        return self.result.model

    @property
    def language(self):
        """The document's front-end (analysis/frontend.py): the only door to language facts."""
        return self.result.language


class Service:
    def __init__(self, settings: Settings | None = None, workspace_roots=()):
        self.settings = settings or Settings()
        self.workspace_roots = list(workspace_roots)
        self.engine = Engine(self._module_roots(), self.settings.stdlib_root)
        self.docs: dict[str, Document] = {}
        self.snapshots: dict[str, Snapshot] = {}

    # ---- settings ----
    def _module_roots(self) -> list[str]:
        return list(self.settings.module_roots) + self.workspace_roots

    def configure(self, settings: Settings, workspace_roots=None) -> None:
        before = (self._module_roots(), self.settings.stdlib_root)
        self.settings = settings
        if workspace_roots is not None:
            self.workspace_roots = list(workspace_roots)
        if (self._module_roots(), settings.stdlib_root) != before:
            self.engine.configure(self._module_roots(), settings.stdlib_root)
            self.snapshots.clear()             # every open document is analysed again

    # ---- documents ----
    def open(self, uri: str, version: int, text: str | bytes, language_id: str | None = None) -> Document:
        """text: the client's text, or the bytes of a file read from disk (they may not be UTF-8)."""
        data = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
        doc = Document(uri, version, data, language_id=language_id)
        self.docs[uri] = doc
        self.snapshots.pop(uri, None)
        self._overlay(doc)
        return doc

    def change(self, uri: str, version: int, changes) -> Document | None:
        """changes: LSP content changes (with `range`, or whole text)."""
        doc = self.docs.get(uri)
        if doc is None:
            return None
        for ch in changes:
            rng = getattr(ch, "range", None)
            if rng is None:
                doc.replace_all(ch.text.encode("utf-8", errors="surrogatepass"), version)
            else:
                doc.apply((rng.start.line, rng.start.character), (rng.end.line, rng.end.character), ch.text, version)
        doc.version = version
        self._overlay(doc)
        return doc

    def close(self, uri: str) -> None:
        doc = self.docs.pop(uri, None)
        self.snapshots.pop(uri, None)
        if doc is not None:
            self.engine.overlay.pop(doc.path, None)
            self.engine.forget(doc.path)

    def _overlay(self, doc: Document) -> None:
        self.engine.overlay[doc.path] = (doc.version, doc.data)

    # ---- analysis ----
    def is_current(self, uri: str) -> bool:
        doc, snap = self.docs.get(uri), self.snapshots.get(uri)
        return doc is not None and snap is not None and snap.data is doc.data

    def snapshot(self, uri: str) -> Snapshot | None:
        """The analysis of the document's current text (analysing it now if it is stale)."""
        if uri not in self.docs:
            return None
        if not self.is_current(uri):
            self.analyse(uri)
        return self.snapshots.get(uri)

    def analyse(self, uri: str) -> list[str]:
        """Analyse one open document; returns the other open documents that import it and must
        be analysed again because its signatures may have changed."""
        doc = self.docs.get(uri)
        if doc is None:
            return []
        before = self.snapshots.get(uri)
        result = self.engine.check(doc.path, doc.data, old_tree=doc.tree, language_id=doc.language_id,
                                   dirty=doc.dirty if doc.tree is not None else None, editor=True)
        doc.adopt_tree(result.tree)
        snap = Snapshot(uri, doc.path, doc.version, doc.data, doc.index, result)
        self.snapshots[uri] = snap
        return self._dependents(before, snap)

    def checker(self, snap: Snapshot):
        """A checker for candidate texts of this document (fix-all's trials): text -> findings.
        Its answers leave the document's last check alone (they are not an editor's)."""
        engine = self.engine
        ids = snap.language.language_ids      # the language this document was checked as
        return lambda data: engine.check(snap.path, data, language_id=ids[0] if ids else None).findings

    def _dependents(self, before: Snapshot | None, after: Snapshot) -> list[str]:
        lang = after.language
        provided = lang.provides(after.result)
        if not provided:
            return []
        importers = [u for u, s in self.snapshots.items()
                     if u != after.uri and provided in s.language.requires(s.result)]
        if not importers:
            return []
        if before is not None and before.language is lang \
                and lang.exported(before.result) == lang.exported(after.result):
            return []
        for u in importers:
            self.snapshots.pop(u, None)   # stale: its callee signatures changed
        return importers

    def file_changed_on_disk(self, path: str) -> list[str]:
        """A watched source changed on disk: open documents importing anything are stale."""
        stale = []
        for u, s in list(self.snapshots.items()):
            if s.language.requires(s.result) and u in self.docs and self.docs[u].path != path:
                stale.append(u)
                self.snapshots.pop(u, None)
        return stale
