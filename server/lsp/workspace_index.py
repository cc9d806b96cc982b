"""The workspace's source files on disk (of every registered language): found at start-up,
their cross-file summaries read in the background (so the first analysis that imports one finds
it ready), re-read when they change."""
from __future__ import annotations

import asyncio
import os

from custody.analysis.languages import is_source

MAX_FILES = 20000
SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", "target", "build", "dist"}


class WorkspaceIndex:
    def __init__(self, roots=()):
        self.roots: list[str] = list(roots)
        self.files: list[str] = []
        self.indexed = 0

    def scan(self) -> list[str]:
        found: list[str] = []
        for root in self.roots:
            for dirpath, dirnames, names in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
                for n in sorted(names):
                    if is_source(n):
                        found.append(os.path.join(dirpath, n))
                        if len(found) >= MAX_FILES:
                            return found
        return found

    async def build(self, engine) -> None:
        """Read every file's summaries, yielding to the event loop between files so edits
        and requests are never held up by indexing."""
        self.files = self.scan()
        for path in self.files:
            try:
                engine.index_file(path)
                self.indexed += 1
            except Exception:   # a file that cannot be read or parsed is simply not indexed
                pass
            await asyncio.sleep(0)
