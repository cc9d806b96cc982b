"""Shortcuts a batch check may take on the assumption that its input is well-formed.

Why: most files a command-line check reads are well-formed, and for those a front-end can skip
work that only matters when they are not (X07: tree-sitter's whole-file parse, which is there to
find syntax errors; `analysis/x07/text_scan.py`). Such a shortcut checks what it can before the
analysis starts and falls back by itself; what it can only check later (a function body is
read when the analysis reaches it) raises `Retry`, and the caller checks the file again with
the shortcuts off, so the findings are always those of the ordinary path.

Off unless a caller that handles `Retry` opens `allowed()` (the CLI's batch check,
server/batch.py); the language server never takes them.
"""
from __future__ import annotations

from contextlib import contextmanager


class Retry(Exception):
    """A shortcut's assumption did not hold: check again with the shortcuts off."""


_OPEN = [0]


def on() -> bool:
    """May a front-end take its shortcuts now?"""
    return _OPEN[0] > 0


@contextmanager
def allowed():
    _OPEN[0] += 1
    try:
        yield
    finally:
        _OPEN[0] -= 1
