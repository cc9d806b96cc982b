"""The one entry point protocol layers call: source bytes in, findings and an ownership map out.

Picks the language front-end for each file (analysis/languages.py) and holds, per language, the
front-end's session (its cross-file summary source) and its per-unit results
(analysis/incremental.py), so repeated checks (the CLI over a directory, the server on every
edit) reuse what did not change. Knows no language: everything language-specific is behind
analysis/frontend.py.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

from .forked import usable_cpus
from .frontend import Checked, FrontEnd
from .incremental import UnitCache, check_units
from .languages import LANGUAGES, Registry
from .pending_tree import as_old_tree
from .languages import is_source as is_source  # re-exported: "is this file name a source?"

Result = Checked     # the engine's answer for one document (see analysis/frontend.py)


BIG_CHECK = 1_000_000


@contextmanager
def collector_paused(freeze: bool = False):
    """Hold off Python's cyclic garbage collector while one check runs.

    A check allocates a few hundred thousand small objects that all stay alive until it ends;
    with the collector on, its repeated scans of that growing heap cost more than the analysis
    itself (measured: 2.2 s against 0.9 s on the 25k-line benchmark module). Cycles made during
    the check are collected as usual afterwards.

    freeze: move everything alive at the end into the permanent generation instead, so that the
    first allocation after the check does not scan all of its objects (2-6 ms per keystroke on
    that module). For a long-running caller that collects in idle time (`gc.unfreeze()` then
    `gc.collect()`), as the language server does.

    A check that left more than BIG_CHECK young objects is frozen either way: scanning them once
    the collector is back on cost 6.5 s after a 16 MiB file (20% of the whole check), and a
    check's results hold no reference cycles, so they are freed by reference counting all the
    same; the collector just never walks them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze or gc.get_count()[0] > BIG_CHECK:
            gc.freeze()
        if was_enabled:
            gc.enable()


class Engine:
    def __init__(self, module_roots=(), stdlib_root=None, batch: bool = False,
                 languages: Registry = LANGUAGES):
        """batch: a caller that reads only findings (the CLI): no ownership map is built, and a
        big file's units are analysed in parallel worker processes."""
        self.batch = batch
        self.workers = usable_cpus() if batch else 1
        self.languages = languages
        self.module_roots = list(module_roots)
        self.stdlib_root = stdlib_root
        self.overlay: dict = {}      # path -> (version, bytes) of documents open in an editor
        self.sessions: dict[str, object] = {}    # language name -> its front-end's session
        self.unit_caches: dict[str, UnitCache] = {}   # language name -> its units' results
        self.freeze_survivors = False       # see collector_paused
        self.last: dict = {}        # path -> the last check of an editor's document (for `patch`)

    def language(self, path: str | None, language_id: str | None = None) -> FrontEnd:
        return self.languages.pick(path, language_id)

    def session(self, language: FrontEnd):
        s = self.sessions.get(language.name)
        if s is None:
            s = self.sessions[language.name] = language.session(self.module_roots, self.stdlib_root,
                                                                self.overlay)
        return s

    def configure(self, module_roots=(), stdlib_root=None) -> None:
        """New module roots / stdlib root: cross-file resolution starts over (cached units stay
        valid: each is re-validated against the summaries it read)."""
        self.module_roots = list(module_roots)
        self.stdlib_root = stdlib_root
        for lang in self.languages.languages:
            if lang.name in self.sessions:
                lang.configure(self.sessions[lang.name], self.module_roots, stdlib_root)

    def resolver(self, path: str | None, language_id: str | None = None):
        """The cross-file summary source for a file (X07: its module resolver)."""
        lang = self.language(path, language_id)
        return lang.summaries(self.session(lang), path)

    def index_file(self, path: str) -> None:
        """Read a workspace file's summaries ahead of need."""
        lang = self.language(path)
        lang.index_file(self.session(lang), path)

    # The default language's caches, for benchmarks that drive its checker directly.
    @property
    def cache(self):
        return self.unit_cache(self.languages.languages[0])

    @property
    def decls(self):
        return self.session(self.languages.languages[0]).decls

    def check(self, path: str | None, data: bytes, old_tree=None, language_id: str | None = None,
              dirty=None, editor: bool = False) -> Result:
        """`old_tree`: this document's previous tree, already `edit`ed to match `data` (the
        server passes it so only the edited region is reparsed); `dirty`: what those edits
        changed (analysis.source.Dirty), so the front-end keeps what lies outside; `editor`: this
        is an editor's document (its answer is the base of the next keystroke's fast path; other
        checks of the same path, such as fix-all's trials, leave that base alone)."""
        lang = self.language(path, language_id)
        session = self.session(lang)
        old_tree = as_old_tree(old_tree)
        editing = path is not None and old_tree is not None and not self.batch
        # an editor's first check of a document (didOpen) has no old tree yet, but its answer is
        # what the first keystroke's fast path starts from
        keep = path is not None and not self.batch and (editor or editing)
        with collector_paused(self.freeze_survivors):
            prev = self.last.pop(path, None) if editing else None
            result = None
            if prev is not None and dirty is not None and prev.language is lang:
                # an edit inside one unit: the front-end's answer in time proportional to the edit
                result = lang.patch(session, prev, data, old_tree, dirty, self.unit_cache(lang), self.batch)
            if result is None:
                parsed = lang.parse(session, path, data, old_tree, dirty)
                ctx = lang.begin(session, parsed, self.batch)
                if ctx is None:                     # the front-end caches by itself
                    result = lang.analyse(session, parsed, self.batch, self.workers)
                else:
                    result = check_units(lang, ctx, self.unit_cache(lang), self.workers)
            if keep:
                self.last.pop(path, None)
                self.last[path] = result
                if len(self.last) > 64:
                    self.last.pop(next(iter(self.last)))
            return result

    def forget(self, path: str) -> None:
        """An editor closed the document at `path`: its last answer is no longer a base for the
        next keystroke (a reopened document starts from a full check)."""
        self.last.pop(path, None)

    def unit_cache(self, language: FrontEnd) -> UnitCache:
        """The per-unit results of one language's documents (analysis/incremental.py)."""
        c = self.unit_caches.get(language.name)
        if c is None:
            c = self.unit_caches[language.name] = UnitCache()
        return c
