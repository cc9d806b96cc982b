"""The explicit-release checker (analysis/ownership/release.py) on hand-built IR: no language, only
events, so each rule is pinned down independently of any front-end."""
from __future__ import annotations

from custody.analysis.ownership.ir import (Assign, Bind, Clear, Destroy, Drop, FunctionIR, Kept,
                                           Local, Move, Opaque, Refine, Use)
from custody.analysis.ownership.release import check_release
from custody.analysis.source import Span

CODES = {"use_after_release": "T1", "release_twice": "D1", "leak": "L1",
         "param_not_consumed": "L2", "overwrite": "L3", "kept_leak": "L4",
         "test_after_release": "T2", "assert_contradiction": "A1"}


def sp(n: int) -> Span:
    """Distinct spans in event order: the n-th token."""
    return Span(10 * n, 10 * n + 5)


class Fn:
    """A FunctionIR built block by block; block 0 is the entry."""

    def __init__(self, *locals_: tuple[str, str]):
        self.ir = FunctionIR("f", Span(0, 10_000), Span(0, 1), codes=dict(CODES))
        for i, (name, kind) in enumerate(locals_):
            self.ir.locals.append(Local(i, name, sp(900 + i), "owned", "ar_data_t *", 0, kind,
                                        must_consume=True))
        self.ir.locals.append(Local(len(locals_), "ref_x", sp(990), "view", "ar_data_t *", 0))

    def block(self, *events, succs=()):
        b = self.ir.new_block()
        b.events.extend(events)
        b.succs.extend(succs)
        return b.id

    def check(self, record=True):
        self.ir.exit = len(self.ir.blocks) - 1
        return check_release(self.ir, record)


def codes(res):
    return [(f.code, f.span) for f in res.findings]


def test_param_destroyed_is_silent_and_unconsumed_param_is_l2():
    f = Fn(("own_p", "param"))
    f.block(Destroy(0, sp(1), "ar_data__destroy"), Drop(0, sp(2), "scope"))
    assert f.check().findings == []
    g = Fn(("own_p", "param"))
    g.block(Use(0, sp(1)), Drop(0, sp(2), "return"))
    res = g.check()
    assert codes(res) == [("L2", sp(2))]
    assert "own_p" in res.findings[0].message and res.findings[0].severity == "warning"
    assert [r.message for r in res.findings[0].related] == ["owned on entry (an owned parameter)"]
    assert res.findings[0].fix_requests[0].kind == "release_before_exit"


def test_use_after_transfer_names_the_sink_and_points_at_it():
    f = Fn(("own_m", "let"))
    f.block(Bind(0, sp(1)), Move(0, sp(2), "into `ar_agent__send` (always consumes)"),
            Use(0, sp(3)), Drop(0, sp(4), "scope"))
    res = f.check()
    assert codes(res) == [("T1", sp(3))]
    msg = res.findings[0].message
    assert "own_m" in msg and "ar_agent__send" in msg and "some paths" not in msg
    assert res.findings[0].related[0].span == sp(2)
    assert res.findings[0].severity == "error"


def test_double_destroy_and_destroy_after_null_is_fine():
    f = Fn(("own_d", "let"))
    f.block(Bind(0, sp(1)), Destroy(0, sp(2), "ar_data__destroy"), Destroy(0, sp(3), "ar_data__destroy"))
    res = f.check()
    assert codes(res) == [("D1", sp(3))]
    assert "destroyed twice" in res.findings[0].message
    g = Fn(("own_d", "let"))
    g.block(Bind(0, sp(1)), Destroy(0, sp(2), "ar_data__destroy"), Clear(0, sp(3)),
            Destroy(0, sp(4), "ar_data__destroy"), Drop(0, sp(5), "scope"))
    assert g.check().findings == []


def test_leak_on_one_branch_is_reported_on_some_paths():
    f = Fn(("own_a", "let"))
    f.block(Bind(0, sp(1)), succs=[1, 2])
    f.block(Destroy(0, sp(2), "ar_data__destroy"), succs=[3])
    f.block(Use(0, sp(3)), succs=[3])
    f.block(Drop(0, sp(4), "scope"))
    res = f.check()
    assert codes(res) == [("L1", sp(4))]
    assert "on some paths" in res.findings[0].message
    assert [r.span for r in res.findings[0].related] == [sp(1)]


def test_null_test_refines_each_branch():
    # own_a = create(); if (!own_a) return; ...; destroy(own_a)
    f = Fn(("own_a", "let"))
    f.block(Bind(0, sp(1)), Use(0, sp(2), "test"), succs=[1, 2])
    f.block(Refine(0, sp(2), True), Drop(0, sp(3), "return"), succs=[3])
    f.block(Refine(0, sp(2), False), Destroy(0, sp(4), "ar_data__destroy"), Drop(0, sp(5), "scope"),
            succs=[3])
    f.block()
    assert f.check().findings == []
    # without the refinement the early return leaks
    g = Fn(("own_a", "let"))
    g.block(Bind(0, sp(1)), succs=[1, 2])
    g.block(Drop(0, sp(3), "return"), succs=[3])
    g.block(Destroy(0, sp(4), "ar_data__destroy"), Drop(0, sp(5), "scope"), succs=[3])
    g.block()
    assert codes(g.check()) == [("L1", sp(3))]


def test_failure_edge_of_a_conditional_sink_is_l4_and_a_destroy_there_is_right():
    def build(failure_events):
        f = Fn(("own_v", "let"))
        f.block(Bind(0, sp(1)), succs=[1, 2])
        f.block(Move(0, sp(2), "into `ar_data__set_map_data` (on success)"), Drop(0, sp(5), "scope"),
                succs=[3])
        f.block(Kept(0, sp(2), "ar_data__set_map_data"), *failure_events, Drop(0, sp(4), "return"),
                succs=[3])
        f.block()
        return f.check()
    res = build([])
    assert codes(res) == [("L4", sp(4))]
    assert "ar_data__set_map_data" in res.findings[0].message
    assert build([Destroy(0, sp(3), "ar_data__destroy")]).findings == []


def test_overwrite_while_owned_and_reassignment_after_transfer():
    f = Fn(("own_x", "let"))
    f.block(Bind(0, sp(1)), Assign(0, sp(2)), Bind(0, sp(2)), Destroy(0, sp(3), "d"))
    assert codes(f.check()) == [("L3", sp(2))]
    g = Fn(("own_x", "let"))
    g.block(Bind(0, sp(1)), Move(0, sp(2), "into `f`"), Assign(0, sp(3)), Bind(0, sp(3)),
            Destroy(0, sp(4), "d"), Drop(0, sp(5), "scope"))
    assert g.check().findings == []


def test_null_test_after_transfer_is_t2_with_a_fix_request_at_the_transfer():
    f = Fn(("own_x", "let"))
    f.block(Bind(0, sp(1)), Move(0, sp(2), "into `f`"), Use(0, sp(3), "test"), Drop(0, sp(4), "scope"))
    res = f.check()
    assert codes(res) == [("T2", sp(3))]
    req = res.findings[0].fix_requests[0]
    assert (req.kind, req.span, req.name) == ("clear_after_transfer", sp(2), "own_x")


def test_unknown_callee_silences_the_binding():
    f = Fn(("own_x", "let"))
    f.block(Bind(0, sp(1)), Opaque(0, sp(2), "register"), Use(0, sp(3)), Drop(0, sp(4), "scope"))
    assert f.check().findings == []


def test_destroy_in_a_loop_body_is_a_double_destroy_on_the_next_iteration():
    f = Fn(("own_x", "let"))
    f.block(Bind(0, sp(1)), succs=[1])
    f.block(succs=[2, 3])                                   # loop header
    f.block(Destroy(0, sp(2), "ar_data__destroy"), succs=[1])
    f.block(Drop(0, sp(3), "scope"))
    res = f.check()
    # ... and a loop that runs no time at all leaves it owned at the end
    assert codes(res) == [("D1", sp(2)), ("L1", sp(3))]
    assert all("some paths" in x.message for x in res.findings)


def test_assertions_contradicted():
    f = Fn(("own_x", "let"))
    f.block(Bind(0, sp(1)), Destroy(0, sp(2), "d"), Use(0, sp(3), "assert_owned"),
            Use(0, sp(4), "assert_released"), Clear(0, sp(5)), Use(0, sp(6), "assert_released"))
    assert codes(f.check()) == [("A1", sp(3)), ("A1", sp(4))]


def test_a_rule_without_a_code_is_off():
    f = Fn(("own_p", "param"))
    f.ir.codes.pop("param_not_consumed")
    f.block(Drop(0, sp(1), "return"))
    assert f.check().findings == []


def test_model_says_the_state_at_each_occurrence():
    f = Fn(("own_m", "let"))
    f.block(Bind(0, sp(1)), Use(0, sp(2), "borrow"), Move(0, sp(3), "into `ar_agent__send` (always consumes)"),
            Use(0, sp(4)), Drop(0, sp(5), "scope"))
    m = f.check().model
    states = [(p.span, p.state) for p in m.points if not p.is_definition]
    assert states == [(sp(1), "owned"), (sp(2), "owned"), (sp(3), "owned"), (sp(4), "transferred")]
    after = m.point_at(sp(4).start)
    assert after.notes[0].label == "transferred here into `ar_agent__send` (always consumes)"
    assert m.point_at(sp(3).start).action == "transfers into `ar_agent__send` (always consumes)"
    assert m.point_at(sp(3).start).hint == "transferred" and m.point_at(sp(4).start).hint == ""
    assert m.drops == []                 # nothing is freed for the program at a scope's end
    assert f.check(record=False).model is None


def test_a_parameter_kept_at_every_exit_is_one_finding_at_the_parameter():
    f = Fn(("own_p", "param"))
    f.block(Use(0, sp(1)), succs=[1, 2])
    f.block(Drop(0, sp(2), "return"), succs=[3])
    f.block(Drop(0, sp(3), "return"), succs=[3])
    f.block()
    res = f.check()
    assert codes(res) == [("L2", sp(900))]                    # the parameter's declaration
    assert "never consumed" in res.findings[0].message and "all 2 exits" in res.findings[0].message
    assert [r.span for r in res.findings[0].related] == [sp(2), sp(3)]
    # kept at one exit of two: the finding stays at that exit
    g = Fn(("own_p", "param"))
    g.block(Use(0, sp(1)), succs=[1, 2])
    g.block(Drop(0, sp(2), "return"), succs=[3])
    g.block(Destroy(0, sp(4), "d"), Drop(0, sp(3), "return"), succs=[3])
    g.block()
    assert codes(g.check()) == [("L2", sp(2))]
