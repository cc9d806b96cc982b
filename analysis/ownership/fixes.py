"""Fix requests: what a checker would like changed, in terms the front-end can render.

Checkers know spans and bindings, not syntax; the front-end turns each request into text edits
valid in the file's own source form.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..source import Span


@dataclass(frozen=True)
class FixRequest:
    kind: str            # "copy_before_move" | "end_borrow_early" | ...
    span: Span           # the occurrence or construct to rewrite
    name: str = ""       # the binding involved
    extra: tuple = ()    # kind-specific spans (e.g. the borrowing lets to wrap)
