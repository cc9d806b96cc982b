"""No false alarms on X07's own programs (issue 13, deliverable 5): views re-pointed in one branch,
moves in the iteration that ends a loop, the code a loop-carried move gets, and X07-MOVE-0002's
severity.

The case files (borrow/set_view_in_one_branch*, loop/*flag*, loop/moved_in_sibling_branch_*,
loop/moved_then_used_in_same_iteration, loop/for_end_evaluated_once,
lints/if_view_in_cond_and_call_arg) say which findings each program gets; these tests pin what
the case format cannot: severities, the states split by flags, the cost of many flags, and that
real loop-carried moves of the ecosystem's shape stay reported.
"""
from __future__ import annotations

import json
import time

from custody.analysis.engine import Engine
from custody.analysis.ownership.state import EMPTY, INIT_STATE, MOVED, MoveState, Worlds


def _entry(solve, decls=()) -> dict:
    return {"schema_version": "x07.x07ast@0.8.0", "kind": "entry", "module_id": "main", "imports": [],
            "decls": list(decls), "solve": solve}


def _findings(doc: dict):
    return Engine().check("m.x07.json", json.dumps(doc, indent=1).encode()).analysis.findings


def _codes(doc: dict) -> list[str]:
    return sorted(f.code for f in _findings(doc))


_SINK = {"kind": "defn", "name": "main.sink", "params": [{"name": "b", "ty": "bytes"}], "result": "i32",
         "body": ["bytes.len", "b"]}


def test_worlds_split_join_assign_and_assume():
    w = Worlds(2)
    moved = EMPTY.with_move(7, MoveState(MOVED))
    fresh = EMPTY.with_move(7, INIT_STATE)
    a = w.assign(w.entry(fresh), 0, False)           # flag 0 is 0
    b = w.assign(w.entry(moved), 0, True)            # flag 0 is 1
    both = w.join(a, b)
    assert [key for key, _ in both] == [(0, 2), (1, 2)]
    assert w.assume(both, 0, False) == a             # where flag 0 is not 1: only the fresh world
    assert w.assume(both, 0, True) == b
    assert w.assume(both, 1, True) == both           # flag 1 not known anywhere: nothing ruled out
    merged = w.assign(both, 0, None)                 # flag 0 no longer known: one world, joined
    assert len(merged) == 1 and merged[0][1].move_state(7).tag == "maybe"
    assert w.join(both, ()) is both and w.join((), both) is both


def _toggles(n):
    return [["if", ["=", f"f{k}", 0], ["set", f"f{k}", 1], ["set", f"f{k}", 0]] for k in range(1, n)]


def test_many_flags_stay_cheap_and_keep_the_outer_guard():
    # 23 flags toggled in every iteration besides the guard: too many worlds, so the flags tested
    # last are forgotten first; done, the guard around the whole body, is tested first and kept
    n = 24
    body = ["if", ["=", "done", 0],
            ["begin", *_toggles(n),
             ["if", [">=u", "i", 2], ["begin", ["set", "done", 1], ["set", "r", ["main.sink", "x"]], 0], 0]],
            0]
    solve = (["begin", ["let", "x", ["view.to_bytes", "input"]], ["let", "r", 0], ["let", "done", 0]]
             + [["let", f"f{k}", 0] for k in range(1, n)]
             + [["for", "i", 0, ["view.len", "input"], body], ["codec.write_u32_le", "r"]])
    start = time.perf_counter()
    codes = _codes(_entry(solve, [_SINK]))
    assert time.perf_counter() - start < 10
    assert codes == []


def test_a_toggled_guard_lets_a_later_iteration_move_again():
    # f1 flips every iteration: every other iteration moves x again (the loop's length is the input's)
    n = 24
    body = ["begin", *_toggles(n), ["if", ["=", "f1", 0], ["set", "r", ["main.sink", "x"]], 0]]
    solve = (["begin", ["let", "x", ["view.to_bytes", "input"]], ["let", "r", 0]]
             + [["let", f"f{k}", 0] for k in range(1, n)]
             + [["for", "i", 0, ["view.len", "input"], body], ["codec.write_u32_le", "r"]])
    assert _codes(_entry(solve, [_SINK])) == ["CUS-MOVE-0001"]


def test_move_in_every_iteration_stays_reported():
    # the db pools' shape (R2): an owned value handed to a callee in every iteration
    solve = ["begin", ["let", "uri", ["view.to_bytes", "input"]], ["let", "r", 0],
             ["for", "i", 0, 4, ["set", "r", ["+", "r", ["main.sink", "uri"]]]],
             ["codec.write_u32_le", "r"]]
    found = _findings(_entry(solve, [_SINK]))
    assert [(f.code, f.severity) for f in found] == [("CUS-MOVE-0001", "error")]
    assert "earlier iteration" in found[0].message


def test_flag_set_in_another_loop_does_not_guard():
    # done is set to 1 only after the loop: inside it, every iteration runs the guarded move
    solve = ["begin", ["let", "x", ["view.to_bytes", "input"]], ["let", "done", 0], ["let", "r", 0],
             ["for", "i", 0, 3, ["if", ["=", "done", 0], ["set", "r", ["main.sink", "x"]], 0]],
             ["set", "done", 1], ["codec.write_u32_le", "r"]]
    assert _codes(_entry(solve, [_SINK])) == ["CUS-MOVE-0001"]


def test_use_after_the_loop_keeps_the_compilers_code():
    # x07c sees the body once, then the code after the loop: the move reaches the use
    solve = ["begin", ["let", "x", ["view.to_bytes", "input"]], ["let", "done", 0], ["let", "r", 0],
             ["for", "i", 0, 3, ["if", ["=", "done", 0],
                                 ["begin", ["set", "done", 1], ["set", "r", ["main.sink", "x"]], 0], 0]],
             ["bytes.concat", "x", ["codec.write_u32_le", "r"]]]
    assert _codes(_entry(solve, [_SINK])) == ["X07-MOVE-0901"]


def test_view_repointed_to_another_owner_in_one_branch_still_borrows_the_first():
    # on the else path v still borrows a: moving a is a conflict (x07c rejects the program at the
    # if, where v's two borrow sources meet; custody reports the move the conflict is about)
    solve = ["begin", ["let", "a", ["view.to_bytes", "input"]], ["let", "b", ["bytes.lit", "x"]],
             ["let", "v", ["bytes.view", "a"]],
             ["if", ["=", ["view.len", "input"], 0], ["set", "v", ["bytes.view", "b"]], 0],
             ["let", "w", ["main.sink", "a"]],
             ["codec.write_u32_le", ["+", "w", ["view.len", "v"]]]]
    found = _findings(_entry(solve, [_SINK]))
    assert [f.code for f in found] == ["X07-MOVE-0902"]
    assert found[0].message.startswith('move while borrowed: "a"')


def test_if_view_lint_is_an_error_as_in_x07_lint():
    # lint.rs lint_core_move_rules gives X07-MOVE-0002 severity error; `x07 check` fails on it
    solve = ["begin", ["let", "doc", ["view.to_bytes", "input"]],
             ["if", ["=", ["view.len", ["bytes.view", "doc"]], 0], ["bytes.alloc", 0],
              ["view.to_bytes", ["bytes.view", "doc"]]]]
    found = _findings(_entry(solve))
    assert [(f.code, f.severity) for f in found] == [("X07-MOVE-0002", "error")]
