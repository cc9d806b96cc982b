"""The ownership flow's language-neutral extensions that Kea needs, on hand-built IR (no parser,
no language): message templates in `FunctionIR.words`, a `lent` local that must not be moved,
reads lent to a call reported under their own code, and branch agreement (ArmEnd/Agree)."""
from __future__ import annotations

from custody.analysis.ownership.flow import run_flow
from custody.analysis.ownership.ir import (Agree, ArmEnd, Bind, FunctionIR, GENERIC_WORDS, Local, Move, Use)
from custody.analysis.source import Span


def sp(n: int) -> Span:
    return Span(10 * n, 10 * n + 5)


class Fn:
    def __init__(self, *names, codes=None, words=None, lent=()):
        self.ir = FunctionIR("f", Span(0, 10_000), Span(0, 1), codes=dict(codes or {}))
        if words:
            self.ir.words.update(words)
        for i, name in enumerate(names):
            self.ir.locals.append(Local(i, name, sp(900 + i), "owned", "Unique Int", 0, "param",
                                        lent=name in lent))

    def block(self, *events, succs=()):
        b = self.ir.new_block()
        b.events.extend(events)
        b.succs.extend(succs)
        return b.id

    def run(self, record=True):
        self.ir.exit = len(self.ir.blocks) - 1
        return run_flow(self.ir, record)


def found(res):
    return [(f.code, f.span, f.message) for f in res.findings]


def test_default_messages_are_unchanged():
    f = Fn("x")
    f.block(Bind(0, sp(1)), Move(0, sp(2), 'into "g"'), Use(0, sp(3)))
    res = f.run()
    assert found(res) == [("CUS-MOVE-0901", sp(3), 'use after move: "x"')]
    assert [r.message for r in res.findings[0].related] == ['"x" moved here into "g"', '"x" declared here']


def test_templates_replace_the_messages_and_labels():
    words = {"use_after_move": "use of moved value `{name}`", "moved_here": "value was moved here",
             "moved_some_paths": ""}
    f = Fn("u", codes={"use_after_move": "K2"}, words=words)
    f.block(Bind(0, sp(1)), Move(0, sp(2), "into g"), Move(0, sp(3), "into h"))
    res = f.run()
    assert found(res) == [("K2", sp(3), "use of moved value `u`")]
    assert res.findings[0].related[0].message == "value was moved here"


def test_a_table_without_the_new_keys_falls_back_to_the_generic_words():
    f = Fn("x")
    f.ir.words = {k: v for k, v in GENERIC_WORDS.items() if k in ("view_type", "copy_out", "consume")}
    f.block(Bind(0, sp(1)), Move(0, sp(2), "by return"), Use(0, sp(3)))
    assert found(f.run())[0][2] == 'use after move: "x"'


def test_a_read_lent_to_a_call_has_its_own_code_when_the_language_gives_one():
    f = Fn("u", codes={"use_after_move": "K2", "read_after_move": "K3"},
           words={"read_after_move": "read of moved `{name}`"})
    f.block(Bind(0, sp(1)), Move(0, sp(2), "into g"), Use(0, sp(3), "borrow"), Use(0, sp(4)))
    assert found(f.run()) == [("K3", sp(3), "read of moved `u`"), ("K2", sp(4), 'use after move: "u"')]
    # without the code, such a read is a use after move as before
    g = Fn("u", codes={"use_after_move": "K2"})
    g.block(Bind(0, sp(1)), Move(0, sp(2), "into g"), Use(0, sp(3), "borrow"))
    assert [c for c, _, _ in found(g.run())] == ["K2"]


def test_a_lent_local_may_be_read_but_each_move_is_a_finding_and_leaves_it_in_place():
    f = Fn("v", codes={"consume_lent": "K4"}, words={"consume_lent": "borrowed value `{name}` cannot be consumed"},
           lent=("v",))
    f.block(Bind(0, sp(1)), Use(0, sp(2), "borrow"), Move(0, sp(3), "into take"), Use(0, sp(4), "borrow"),
            Move(0, sp(5), "by return"))
    for record in (True, False):
        assert found(f.run(record)) == [("K4", sp(3), "borrowed value `v` cannot be consumed"),
                                        ("K4", sp(5), "borrowed value `v` cannot be consumed")]


def _if(moves_then, moves_else, use_after=False):
    f = Fn("u", codes={"use_after_move": "K2", "if_mismatch": "K5"},
           words={"if_mismatch": "branch move mismatch for `{name}`", "moved_some_paths": ""})
    agree = Agree(sp(10), (0,), "if_mismatch")
    f.block(Bind(0, sp(1)), succs=(1, 2))
    f.block(*([Move(0, sp(11), "into g")] if moves_then else []), ArmEnd(agree, 0, sp(12)), succs=(3,))
    f.block(*([Move(0, sp(21), "into h")] if moves_else else []), ArmEnd(agree, 1, sp(22)), succs=(3,))
    f.block(agree, *([Use(0, sp(30))] if use_after else []))
    return f


def test_arms_that_agree_are_silent():
    assert found(_if(True, True).run()) == []
    assert found(_if(False, False).run()) == []


def test_arms_that_disagree_are_one_finding_at_the_conditional_even_if_never_used_again():
    for record in (True, False):
        res = _if(True, False).run(record)
        assert found(res) == [("K5", sp(10), "branch move mismatch for `u`")]
    res = _if(False, True).run()
    assert [r.message for r in res.findings[0].related] == ["`u` still live at the end of this branch",
                                                           "`u` moved here in this branch"]
    assert [r.span for r in res.findings[0].related] == [sp(12), sp(21)]


def test_after_a_mismatch_a_use_is_a_use_of_a_moved_value():
    res = _if(True, False, use_after=True).run()
    assert found(res) == [("K5", sp(10), "branch move mismatch for `u`"), ("K2", sp(30), 'use after move: "u"')]


def test_a_nested_may_move_counts_as_moved_and_a_binding_moved_before_agrees():
    f = Fn("u", "w", codes={"m": "K6"})
    agree = Agree(sp(10), (0, 1), "m")
    inner = Agree(sp(40), (0,), "m")
    f.block(Bind(0, sp(1)), Bind(1, sp(2)), Move(1, sp(3), "into g"), succs=(1, 4))
    # arm 0 holds a nested conditional that moves u in one of its arms
    f.block(succs=(2, 3))
    f.block(Move(0, sp(41), "into g"), ArmEnd(inner, 0, sp(42)), succs=(5,))
    f.block(ArmEnd(inner, 1, sp(43)), succs=(5,))
    f.block(Move(0, sp(51), "into h"), ArmEnd(agree, 1, sp(52)), succs=(6,))
    f.block(inner, ArmEnd(agree, 0, sp(44)), succs=(6,))
    f.block(agree)
    res = f.run()
    # the inner conditional disagrees; the outer one agrees (u moved, maybe, in both arms; w before)
    assert [(c, s) for c, s, _ in found(res)] == [("K6", sp(40))]
    assert found(res)[0][2] == "branches disagree on whether `u` is moved"
