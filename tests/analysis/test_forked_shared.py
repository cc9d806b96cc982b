"""forked.fork_map with fewer workers than pieces: the processes take the pieces as they become
free; the results come back in piece order, whatever process did each, and a child that dies or
raises costs only time (its pieces are done again here)."""
from __future__ import annotations

import os
import time

import pytest

from custody.analysis.forked import fork_map


def squares(piece):
    time.sleep(0.01)
    return [(x * x, os.getpid()) for x in piece]


@pytest.mark.parametrize("workers", [2, 3])
def test_results_in_piece_order(workers):
    pieces = [[i, i + 100] for i in range(40)]
    got = fork_map(squares, pieces, workers)
    assert [[v for v, _ in r] for r in got] == [[x * x for x in p] for p in pieces]
    pids = {pid for r in got for _, pid in r}
    assert os.getpid() in pids and len(pids) >= 2        # the pieces were shared out


def test_a_slow_process_takes_fewer_pieces():
    parent = os.getpid()

    def work(piece):
        if os.getpid() == parent:
            time.sleep(0.05)
        return os.getpid()

    got = fork_map(work, [[i] for i in range(30)], 2)
    assert got.count(parent) < 15


def test_failed_children_pieces_are_done_here():
    parent = os.getpid()

    def work(piece):
        if os.getpid() != parent and piece[0] == 7:
            os._exit(3)
        if os.getpid() != parent and piece[0] == 11:
            raise RuntimeError("worker failed")
        return [x * 10 for x in piece]

    pieces = [[i] for i in range(20)]
    assert fork_map(work, pieces, 3) == [[i * 10] for i in range(20)]


def test_a_raising_parent_stops_its_children():
    parent = os.getpid()

    def work(piece):
        if os.getpid() == parent:
            raise KeyError("here")
        time.sleep(0.01)
        return piece

    with pytest.raises(KeyError):
        fork_map(work, [[i] for i in range(10)], 2)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)                       # nothing left to reap


def test_as_many_workers_as_pieces_is_one_piece_each():
    assert fork_map(lambda p: sum(p), [[1, 2], [3]], 2) == [3, 3]


def test_a_child_that_never_finishes_is_given_up(monkeypatch):
    """The language server forks from its event loop: a child that hangs must cost a bounded
    wait, after which its pieces are done in the parent (and the child is killed)."""
    import os as _os
    import time as _time
    from custody.analysis import forked as _forked
    parent = _os.getpid()
    monkeypatch.setattr(_forked, "_deadline", lambda started: _time.monotonic() + 0.5)

    def work(p):
        if _os.getpid() != parent:
            _time.sleep(3600)
        return p * 2

    assert _forked.fork_map(work, [1, 2, 3]) == [2, 4, 6]
    assert _forked.fork_map(work, list(range(8)), workers=2) == [2 * i for i in range(8)]
