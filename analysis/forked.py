"""Running independent pieces of one check in forked worker processes (batch mode only).

Why fork: a 16 MiB file's functions are analysed one by one, each on its own, and on a
multi-core machine the CLI can do several at once. Forking after the file is parsed lets every
worker read the parsed module (values, declarations, signature table) as it stands in the
parent, copy-on-write, instead of parsing again or pickling it across; only each worker's
results (a few findings per function) travel back, pickled through a pipe.

The parent does the first piece itself while the children do the rest, then reads their
results in piece order, so the merged output is in the same order as a serial run's. A worker
that fails in any way (killed, raised, wrote nothing) costs only time: its piece is done again
in the parent. Where `fork` does not exist (or one piece is all there is), everything runs here.

Peak memory: a child's resident set starts as the parent's at the fork (shared pages count in
both), so the largest process is the parent's size at the fork plus what one piece allocates;
a parent that waits for its children (as here) reports that largest process in its own
`RUSAGE_CHILDREN`, and `wait4` on the CLI reports it for the whole tree.
"""
from __future__ import annotations

import os
import pickle
from typing import Callable, Sequence


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _read_all(fd: int) -> bytes:
    chunks = []
    while True:
        b = os.read(fd, 1 << 20)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def _child(work: Callable, piece, fd: int) -> None:
    """In the forked child: do the piece, write the pickled result, leave without cleanup (no
    atexit handlers, no flushing of the parent's buffered output, no freeing of the heap)."""
    code = 1
    try:
        data = pickle.dumps(work(piece), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        code = 0
    except BaseException:   # noqa: BLE001 - the parent redoes the piece; nothing to report here
        pass
    finally:
        os._exit(code)


def fork_map(work: Callable, pieces: Sequence) -> list:
    """[work(p) for p in pieces], pieces after the first in forked children."""
    if len(pieces) < 2 or not hasattr(os, "fork"):
        return [work(p) for p in pieces]
    children = []   # (pid, read fd) per piece after the first; pid None: not forked
    for piece in pieces[1:]:
        try:
            r, w = os.pipe()
        except OSError:
            children.append((None, None))
            continue
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            children.append((None, None))
            continue
        if pid == 0:
            os.close(r)
            _child(work, piece, w)
        os.close(w)
        children.append((pid, r))
    results = [work(pieces[0])]
    for piece, (pid, r) in zip(pieces[1:], children):
        result = _collect(pid, r)
        results.append(work(piece) if result is None else result[0])
    return results


def _collect(pid, fd) -> tuple | None:
    """(result,) from one child, or None when it has none to give."""
    if pid is None:
        return None
    try:
        data = _read_all(fd)
    finally:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not data:
        return None
    try:
        return (pickle.loads(data),)
    except Exception:   # noqa: BLE001 - a truncated or garbled result: redo the piece
        return None
