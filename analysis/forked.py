"""Running independent pieces of one check in forked worker processes (batch mode only).

Why fork: a 16 MiB file's functions are analysed one by one, each on its own, and on a
multi-core machine the CLI can do several at once. Forking after the file is parsed lets every
worker read the parsed module (values, declarations, signature table) as it stands in the
parent, copy-on-write, instead of parsing again or pickling it across; only each worker's
results (a few findings per function) travel back, pickled through a pipe.

The parent does the first piece itself while the children do the rest, then reads their
results in piece order, so the merged output is in the same order as a serial run's. Or, given
a number of workers smaller than the number of pieces, the processes take the pieces one at a
time as they become free (the piece numbers wait in a pipe they all read), so one slowed down by
another job on its core does less; the results are still merged in piece order. A worker
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
import select
import signal
import time
from functools import partial
from typing import Callable, Sequence


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _read_all(fd: int, deadline: float | None = None) -> bytes | None:
    """Everything a child writes, or None if it has not finished by `deadline` (monotonic)."""
    chunks = []
    while True:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
        b = os.read(fd, 1 << 20)
        if not b:
            return b"".join(chunks)
        chunks.append(b)


def _deadline(started: float) -> float:
    """How long the children may take: the parent did a share of the same work in
    `now - started`; a child taking many times longer (or forever: the language server forks from
    its event loop, and a hung child must not hang it) is given up and its share redone here."""
    now = time.monotonic()
    return now + max(30.0, 8 * (now - started))


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


def _spawn(work: Callable, piece) -> tuple | None:
    """A forked child doing work(piece): (its pid, the fd its pickled result comes from), or None
    when no pipe or process could be made (the caller does the piece itself)."""
    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:
        os.close(r)
        _child(work, piece, w)
    os.close(w)
    return pid, r


def fork_map(work: Callable, pieces: Sequence, workers: int | None = None) -> list:
    """[work(p) for p in pieces], pieces after the first in forked children.

    workers: that many processes (this one and workers - 1 children) take the pieces one at a
    time, in order, each the next one left when it is free (`_fork_shared`): with more pieces
    than processes, a process slowed down (by other jobs on its core, or by slower pieces) just
    takes fewer of them."""
    if workers is not None and 1 < workers < len(pieces) and hasattr(os, "fork"):
        return _fork_shared(work, pieces, workers)
    if len(pieces) < 2 or not hasattr(os, "fork"):
        return [work(p) for p in pieces]
    # (pid, read fd) per piece after the first; pid None: not forked
    children = [_spawn(work, piece) or (None, None) for piece in pieces[1:]]
    started = time.monotonic()
    try:
        results = [work(pieces[0])]
    except BaseException:
        _stop(children)
        raise
    deadline = _deadline(started)
    for piece, (pid, r) in zip(pieces[1:], children):
        result = _collect(pid, r, deadline)
        results.append(work(piece) if result is None else result[0])
    return results


def _collect(pid, fd, deadline: float | None = None) -> tuple | None:
    """(result,) from one child, or None when it has none to give (in time)."""
    if pid is None:
        return None
    try:
        data = _read_all(fd, deadline)
    finally:
        os.close(fd)
    if data is None:                      # too late: stop it, redo its piece here
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        os.waitpid(pid, 0)
        return None
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not data:
        return None
    try:
        return (pickle.loads(data),)
    except Exception:   # noqa: BLE001 - a truncated or garbled result: redo the piece
        return None


_CLAIM = 4          # bytes per piece number in the pipe the processes take their pieces from


def _claim(fd: int) -> int | None:
    """The next piece nobody has taken, or None when none is left. Every piece number is in the
    pipe before any process reads it, and a read of _CLAIM bytes takes one whole number (the
    pipe serialises readers)."""
    b = os.read(fd, _CLAIM)
    return int.from_bytes(b, "little") if len(b) == _CLAIM else None


def _take_pieces(work: Callable, pieces: Sequence, fd: int) -> dict:
    done = {}
    while True:
        i = _claim(fd)
        if i is None:
            return done
        done[i] = work(pieces[i])


def _fork_shared(work: Callable, pieces: Sequence, workers: int) -> list:
    """fork_map with `workers` processes sharing the pieces (see there). A child that fails
    costs only time: every piece no child gave back is done here."""
    try:
        r, w = os.pipe()
    except OSError:
        return [work(p) for p in pieces]
    numbers = b"".join(i.to_bytes(_CLAIM, "little") for i in range(len(pieces)))
    if len(numbers) > 4096:                   # (callers hand out a few dozen pieces; a pipe
        os.close(r)                           # holds at least 4 KiB before anyone reads it)
        os.close(w)
        return [work(p) for p in pieces]
    os.write(w, numbers)
    os.close(w)                               # so that a drained pipe reads as its end
    children = []
    for _ in range(workers - 1):
        child = _spawn(partial(_take_pieces, work, pieces), r)
        if child is None:
            break
        children.append(child)
    started = time.monotonic()
    try:
        done = _take_pieces(work, pieces, r)
    except BaseException:
        _stop(children)                       # (their results would not be read)
        raise
    finally:
        os.close(r)
    deadline = _deadline(started)
    for pid, cr in children:
        got = _collect(pid, cr, deadline)
        if got is not None:
            done.update(got[0])
    return [done[i] if i in done else work(p) for i, p in enumerate(pieces)]


def _stop(children) -> None:
    """Kill and reap forked children whose results will not be read (this process is raising)."""
    for pid, fd in children:
        if pid is None:
            continue
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
        os.close(fd)
