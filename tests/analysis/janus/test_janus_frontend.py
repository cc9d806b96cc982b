"""The Janus front-end as the engine and the server see it: registration, Janus-style code
without ownership syntax stays silent, hover words, navigation, the catalog, unit reuse, and the
IR extension it needs (a linear local: only a move consumes it)."""
from __future__ import annotations

import textwrap

from custody.analysis.catalog import lookup
from custody.analysis.engine import Engine
from custody.analysis.languages import LANGUAGES
from custody.analysis.ownership.flow import run_flow
from custody.analysis.ownership.ir import Bind, Drop, FunctionIR, Local, Scope, Use
from custody.analysis.source import Span


def test_registered_by_suffix_and_language_id():
    assert LANGUAGES.pick("/x/a.jan").name == "janus"
    assert LANGUAGES.pick(None, "janus").name == "janus"
    assert LANGUAGES.is_source("main.jan")


def test_every_code_is_explained():
    lang = LANGUAGES.pick("/x/a.jan")
    for info in lang.codes:
        assert lookup(info.code) is not None
        assert info.title and info.explanation and info.fix


JANUS_TODAY = [
    # written as Janus's own files are: no `move`, `owned`, `~T`, `unsafe`: nothing is tracked
    """
    profile :service

    func handler(req: &mut Request) -> Response {
        let body = req.body
        let copy = body
        log(body, copy)
        using conn = connect() do
            conn.send(&mut req)
        end
        return Response.ok(body)
    }
    """,
    """
    func move(p: *Player, dx: f64, dy: f64) do
        p.x = p.x + dx
    end

    func main() do
        var player = Player { x: 0.0, y: 0.0 }
        move(player, 10.0, 5.0)
        player.move(5.0, 5.0)
    end
    """,
    """
    :test "region_escape_analysis"
        :full {
            let should_not_escape: String = "";
            region escape_test {
                let region_var = "This should not escape";
                print("ok");
            }
        }

    fn execute(&mut self, req: &HttpRequest) -> Result<HttpResponse, HttpError> {
        let mut connection = self.get_connection(req)?;
        try self.send_request(&mut connection, req)?;
        let response = try self.read_response(&mut connection, req)?;
        return Ok(response);
    }
    """,
]


def test_janus_code_without_ownership_syntax_is_silent(tmp_path):
    eng = Engine()
    for i, text in enumerate(JANUS_TODAY):
        p = tmp_path / f"m{i}.jan"
        p.write_text(textwrap.dedent(text))
        r = eng.check(str(p), p.read_bytes())
        # the third is a `:test` block Janus's own parser rejects too (std/mem/ctx/region_tests.jan):
        # a syntax error there, and nothing about ownership anywhere
        expected = ["CUS-SYNTAX-0001"] if i == 2 else []
        assert [f.code for f in r.findings] == expected, (i, [(f.code, f.message) for f in r.findings])


def test_unreadable_text_is_a_syntax_error_only():
    eng = Engine()
    for text in ["func (", "func f( do", "}}}} end end", "let x := ", "func f() do\n  if x do\n", "\x00\xff",
                 "func f() do\n    let g: ~File = open(p)\n    keep(move g\n    print(g)\nend\n"]:
        r = eng.check("/tmp/none/broken.jan", text.encode("utf-8", "surrogateescape"))
        assert {f.code for f in r.findings} <= {"CUS-SYNTAX-0001"}, (text, r.findings)
        assert r.findings or text == "\x00\xff"


SOURCE = textwrap.dedent("""\
    func close(f: ~File) do
        release(f)
    end

    func process(owned buffer: Buffer) do
        print(buffer.len)
    end

    func main(path: string) do
        let f: ~File = open(path)
        let data = load()
        process(move data)
        close(f)
    end
    """)


def test_hover_words_call_summary_and_navigation():
    r = Engine().check("/tmp/none/nav.jan", SOURCE.encode())
    lang = r.language
    assert lang.name == "janus" and r.findings == []
    calls = {c.callee: c for c in lang.calls(r)}
    assert lang.call_summary(calls["process"]).arguments == (("move data", "moves"),)
    assert lang.call_summary(calls["close"]).arguments == (("f", "moves"),)
    assert lang.call_summary(calls["close"]).origin == "declared in this file"
    assert lang.call_summary(calls["load"]).signature is None
    # the map: `data` is moved into `process`
    at = SOURCE.index("move data") + 6
    p = r.model.point_at(at)
    assert p.name == "data" and lang.vocabulary.states[p.state]
    defs = lang.definition(r, SOURCE.index("process(move") + 2, None)
    assert defs[0].path is None and defs[0].span.start == SOURCE.index("process(owned")
    refs = lang.references(r, SOURCE.index("close(f: ") + 1, True, None)
    assert len(refs) == 2
    assert [s.name for s in lang.outline(r)] == ["close", "process", "main"]
    assert len(lang.function_names(r)) == 3
    names = {SOURCE[s.start:s.end] for s in lang.parameters(r)}
    assert names == {"f", "buffer", "path"}
    # a call keeps its callee's header, not the record holding the parse (cached results outlive it)
    assert not any(hasattr(c.target, "node") for c in lang.calls(r))


def test_outline_nests_impl_functions():
    text = "impl Drawable for Circle {\n    func draw(self) do\n        print(1)\n    end\n}\n"
    r = Engine().check("/tmp/none/o.jan", text.encode())
    out = r.language.outline(r)
    assert [(s.name, s.kind) for s in out] == [("Drawable", "object")]
    assert [c.name for c in out[0].children] == ["draw"]


def test_an_edit_inside_one_function_reanalyses_it_alone():
    eng = Engine()
    body = "".join(f"func f{i}() do\n    let d = load()\n    keep(move d)\nend\n\n" for i in range(6))
    first = eng.check("/tmp/none/units.jan", body.encode())
    assert first.findings == []
    edited = body.replace("func f3() do\n    let d = load()\n    keep(move d)\n",
                          "func f3() do\n    let d = load()\n    keep(move d)\n    print(d)\n")
    again = eng.check("/tmp/none/units.jan", edited.encode())
    assert [f.code for f in again.findings] == ["JAN-S6003"]
    a = again.analysis
    assert (a.analysed, a.reused) == (1, 5)


def _linear_fn(linear: bool) -> FunctionIR:
    fn = FunctionIR("f", Span(0, 10), Span(0, 1))
    fn.scopes.append(Scope(0, None, Span(0, 10), kind="function"))
    fn.locals.append(Local(0, "x", Span(1, 2), "owned", "~T", 0, must_consume=True, linear=linear))
    b = fn.new_block()
    b.events += [Bind(0, Span(1, 2)), Use(0, Span(3, 4)), Drop(0, Span(9, 10))]
    return fn


def test_a_linear_local_is_consumed_only_by_a_move():
    # must_consume alone: a read counts as looking at it (C's and X07's results); linear: it does not
    assert run_flow(_linear_fn(False)).findings == []
    got = run_flow(_linear_fn(True)).findings
    assert [f.message for f in got] == ['~T value "x" is never consumed; consume it or check it']


def test_the_reader_finds_functions_as_janus_writes_them():
    from custody.analysis.janus.syntax import read_module
    text = textwrap.dedent("""\
        extern func janus_print_int(x: i32)
        extern func janus_print_bool(x: bool)

        func print_int(x: i32) {
            janus_print_int(x)
        }

        func identity<T>(value: T) -> T {
            return value
        }

        async func greet(name: []const u8) !void do
            println("Hello, ", name, "!")
        end

        func calculate(op: Operation, a: i64) !i64 do
            return match op {
                .Add => a + 1,
                .Sub => a - 1,
            }
        end
        """)
    m = read_module(None, text.encode())
    got = [(f.name, f.body is not None) for f in m.functions]
    assert got == [("janus_print_int", False), ("janus_print_bool", False), ("print_int", True),
                   ("identity", True), ("greet", True), ("calculate", True)]
    greet = m.function("greet")
    assert text[greet.span.start:greet.span.end].endswith('"!")\nend')


def test_hover_through_the_lsp_service_says_moved():
    from custody.lsp.hover import hover
    from custody.lsp.service import Service
    svc = Service()
    uri = "file:///tmp/none/hover.jan"
    text = "func main() do\n    let data = load()\n    keep(move data)\n    print(data.len)\nend\n"
    svc.open(uri, 1, text, "janus")
    snap = svc.snapshot(uri)
    assert [f.code for f in snap.findings] == ["JAN-S6003"]
    h = hover(snap, text.rindex("data.len") + 1).contents.value
    assert "**moved**" in h and "into `keep`" in h


def test_borrows_are_turned_on_by_the_nearest_custody_toml(tmp_path):
    text = "func main() do\n    var v = make()\n    let w = &mut v\n    let r = &v\n    w.push(1)\nend\n"
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    p = sub / "m.jan"
    p.write_text(text)
    assert Engine().check(str(p), text.encode()).findings == []
    (tmp_path / "custody.toml").write_text("[janus]\nborrows = true\n")
    assert [f.code for f in Engine().check(str(p), text.encode()).findings] == ["JAN-S6002"]
    (tmp_path / "custody.toml").write_text("[janus\nborrows = ")      # broken: the default
    assert Engine().check(str(p), text.encode()).findings == []
