"""Garbage collection timed for the user, not for the allocator.

A big analysis leaves hundreds of thousands of live objects; the first full collection after it
scans them all (about half a second for a 25k-line module), and without care it lands in the
middle of the next keystroke. So: after each analysis the survivors are frozen (the collector
skips them), and the full collection runs once the user has been idle for a while.
"""
from __future__ import annotations

import asyncio
import gc

IDLE_SECONDS = 3.0


class IdleCollector:
    def __init__(self, idle_seconds: float = IDLE_SECONDS):
        self.idle_seconds = idle_seconds
        self._timer: asyncio.TimerHandle | None = None
        self.collections = 0

    def analysed(self) -> None:
        """Call after every analysis: freeze its survivors and restart the idle countdown."""
        gc.freeze()
        if self._timer is not None:
            self._timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(self.idle_seconds, self._collect)

    def _collect(self) -> None:
        self._timer = None
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.collections += 1
