"""The Kea front-end as the engine and the server see it: auto-borrow to a fixpoint (in a file
and across modules), plain Kea without Unique stays silent, hover words, navigation."""
from __future__ import annotations

import textwrap

from custody.analysis.engine import Engine
from custody.analysis.kea.check import Workspace, module_info
from custody.analysis.kea.module import read_module

U = "enum Unique a\n  Unique(a)\n\n"


def _info(text: str, path="/tmp/none/main.kea", overlay=None):
    ws = Workspace([], None, overlay or {})
    return module_info(ws, read_module(path, text.encode()))


def test_auto_borrow_reaches_a_fixpoint_through_a_call_chain():
    info = _info(U + textwrap.dedent("""\
        fn a(v: Unique Int) -> Int
          b(v)

        fn b(v: Unique Int) -> Int
          c(v)

        fn c(v: Unique Int) -> Int
          0

        fn eat(v: Unique Int) -> Int
          case v
            Unique(n) -> n

        fn feeds(v: Unique Int) -> Int
          eat(v)

        fn mixed(keep: Unique Int, give: Unique Int) -> Int
          a(keep) + eat(give)
        """))
    assert info.own_borrow == {"a": {0}, "b": {0}, "c": {0}, "mixed": {0}}


def test_written_borrow_counts_and_a_consumed_parameter_is_never_inferred():
    info = _info(U + "fn f(borrow v: Unique Int, w: Unique Int) -> Unique Int\n  w\n")
    assert info.own_borrow == {"f": {0}}


def test_auto_borrow_across_modules_uses_the_imported_modules_positions(tmp_path):
    (tmp_path / "alpha.kea").write_text(U + "pub fn look(v: Unique Int) -> Int\n  0\n")
    main = tmp_path / "main.kea"
    main.write_text(U + "use Alpha as A\n\nfn wrap(v: Unique Int) -> Int\n  A.look(v)\n")
    ws = Workspace([], None, {})
    info = module_info(ws, read_module(str(main), main.read_bytes()))
    assert info.imports["Alpha"].own_borrow == {"look": {0}}
    assert info.own_borrow == {"wrap": {0}}


def test_the_editor_overlay_wins_over_the_disk(tmp_path):
    (tmp_path / "alpha.kea").write_text(U + "pub fn look(v: Unique Int) -> Int\n  0\n")
    main = tmp_path / "main.kea"
    main.write_text(U + "use Alpha\n\nfn f(u: Unique Int) -> Int\n  let a = Alpha.look(u)\n  Alpha.look(u)\n")
    eng = Engine()
    assert eng.check(str(main), main.read_bytes()).findings == []
    eng.overlay[str(tmp_path / "alpha.kea")] = (2, (U + "pub fn look(v: Unique Int) -> Unique Int\n  v\n").encode())
    got = eng.check(str(main), main.read_bytes()).findings
    assert [f.code for f in got] == ["KEA-K2"]


STDLIB_LIKE = [
    """\
    -- Option helpers
    enum Option a
      Some(a)
      None

    pub fn map(o: Option a, f: fn(a) -> b) -> Option b
      case o
        Some(x) -> Some(f(x))
        None -> None

    pub fn unwrap_or(o: Option a, d: a) -> a
      case o
        Some(x) -> x
        None -> d
    """,
    """\
    struct Point
      x: Int
      y: Int

    pub fn add(p: Point, q: Point) -> Point
      Point { x: p.x + q.x, y: p.y + q.y }

    pub fn twice(p: Point) -> Point
      add(p, p)
    """,
    """\
    effect Log
      fn log(msg: String) -> Unit

    pub fn run(f: fn() -[Log]> Int) -> Int
      handle f()
        Log.log(m) -> resume ()
        then r -> r + 1

    pub fn go(xs: List Int) -> Int
      let n = if xs.is_empty()
        0
      else
        1
      with x <- run()
      x + n
    """,
    """\
    use List

    pub fn sum(xs: List Int) -> Int
      List.fold(xs, 0, |acc, x| acc + x)

    pub fn sum_twice(xs: List Int) -> Int
      sum(xs) + sum(xs)
    """,
]


def test_kea_without_unique_has_no_findings(tmp_path):
    eng = Engine()
    for i, text in enumerate(STDLIB_LIKE):
        p = tmp_path / f"m{i}.kea"
        p.write_text(textwrap.dedent(text))
        r = eng.check(str(p), p.read_bytes())
        assert r.findings == [], (i, [(f.code, f.message) for f in r.findings])
        assert not r.parsed.tree.root_node.has_error


def test_hover_words_call_summary_and_navigation(tmp_path):
    (tmp_path / "alpha.kea").write_text(U + "pub fn look(v: Unique Int) -> Int\n  0\n")
    text = U + ("use Alpha as A\n\nfn eat(v: Unique Int) -> Int\n  case v\n    Unique(n) -> n\n\n"
                "fn main(u: Unique Int) -> Int\n  let a = A.look(u)\n  eat(u)\n")
    main = tmp_path / "main.kea"
    main.write_text(text)
    r = Engine().check(str(main), text.encode())
    lang = r.language
    assert lang.name == "kea" and r.findings == []
    calls = {c.callee: c for c in lang.calls(r)}
    look = lang.call_summary(calls["A.look"])
    assert look.arguments == (("u", "borrows"),) and "Alpha" in look.origin
    assert lang.vocabulary.passing["borrows"] == "borrowed: read-only here"
    assert lang.call_summary(calls["eat"]).arguments == (("u", "moves"),)
    # the last `u` is moved into `eat`: the map says so
    at = text.rindex("eat(u)") + 4
    p = r.model.point_at(at)
    assert p.name == "u" and p.action == "moves into `eat`"
    # definition of A.look is in alpha.kea; of eat in this file
    defs = lang.definition(r, text.index("A.look") + 3, None)
    assert defs[0].path.endswith("alpha.kea")
    eat_def = lang.definition(r, text.rindex("eat(u)") + 1, None)
    assert eat_def[0].path is None and eat_def[0].span.start == text.index("eat(")
    refs = lang.references(r, text.index("eat("), True, None)
    assert len(refs) == 2
    assert [s.name for s in lang.outline(r) if s.kind == "function"] == ["eat", "main"]


def test_a_borrow_parameter_hovers_as_borrowed():
    text = U + "fn size(borrow v: Unique Int) -> Int\n  0\n"
    r = Engine().check("/tmp/none/b.kea", text.encode())
    p = r.model.point_at(text.index("v:"))
    assert r.language.vocabulary.states[p.state].startswith("borrowed: read-only here")


def test_fip_counts_an_expression_guard_as_a_raw_hir_node(tmp_path):
    # Kea's main_tests.rs compile_rejects_fip_when_function_body_contains_raw_hir_expr: the
    # message names raw_hir_expr_count; a case arm's guard is not raw (lowered with its arm).
    p = tmp_path / "m.kea"
    p.write_text("enum Unique a\n  Unique(a)\n\n@fip\nfn f(x: Unique Int) -> Unique Int\n  x when true\n\n"
                 "@fip\nfn g(flag: Bool, x: Unique Int) -> Unique Int\n  case flag\n"
                 "    True when flag -> x\n    _ -> x\n")
    r = Engine().check(str(p), p.read_bytes())
    assert [(f.code, f.message) for f in r.findings] == [
        ("KEA-K12", "`@fip` verification failed for `f` (unique_flow_violations=1, raw_hir_expr_count=1)")]
    assert any("1 raw HIR fallback expression node(s)" in x.message for x in r.findings[0].related)
