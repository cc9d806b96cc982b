"""`custody mcp` as an MCP client sees it: the tools and their schemas, the resources, ownership_at
on nothing and past a non-ASCII character (UTF-16 positions), the form an X07 text without a name
is read in, run (and its refusal for a language that cannot run), the least recently used text
forgotten past 64, and every kind of malformed call answered as an error, never a traceback,
with the server still serving afterwards.

One server for the module (conftest.py), except for what the SDK's client will not send (a lone
surrogate, a line that is not JSON): those go over a raw wire to a server of their own.
"""
from __future__ import annotations

import json

import pytest
from mcp.shared.exceptions import MCPError

from agent_client import ROOT, RawWire, position_of
from test_mcp_agent_loop import KEA, X07

from custody.analysis.catalog import CATALOG
from custody.analysis.languages import LANGUAGES

TOOLS = {"check", "ownership_at", "explain", "fix", "run"}


def test_tools_declare_their_schemas(agent):
    tools = {t.name: t for t in agent.do(lambda s: s.list_tools()).tools}
    assert set(tools) == TOOLS
    for t in tools.values():
        assert t.description and t.input_schema["type"] == "object"
        assert t.input_schema["additionalProperties"] is False       # an unknown argument is refused
        assert t.output_schema["type"] == "object" and t.output_schema["required"]
    langs = tools["check"].input_schema["properties"]["language"]["enum"]
    assert langs == [lang.name for lang in LANGUAGES.languages]
    assert tools["ownership_at"].input_schema["required"] == ["line", "character"]
    assert agent.initialized.server_info.name == "custody"


def test_resources_are_the_catalog_and_the_languages(agent):
    listed = {str(r.uri): r for r in agent.do(lambda s: s.list_resources()).resources}
    assert set(listed) == {"custody://catalog", "custody://languages"}
    assert all(r.mime_type == "application/json" for r in listed.values())

    def read(uri):
        contents = agent.do(lambda s: s.read_resource(uri)).contents
        return json.loads(contents[0].text)

    catalog = read("custody://catalog")
    assert [e["code"] for e in catalog] == list(CATALOG)
    assert all(e["title"] and e["explanation"] and e["fix"] for e in catalog)
    move = next(e for e in catalog if e["code"] == "X07-MOVE-0901")
    assert move["languages"] == ["x07"] and move["url"].endswith("#x07-move-0901")

    languages = read("custody://languages")
    assert [(x["name"], x["can_run"], tuple(x["suffixes"])) for x in languages] == \
        [(lang.name, lang.can_run, lang.suffixes) for lang in LANGUAGES.languages]
    assert {x["name"] for x in languages} == {"x07", "c", "kea", "janus"}


def test_ownership_at_a_place_with_no_binding(agent):
    line, character = position_of(X07, ":imports")
    why = agent.answer("ownership_at", {"text": X07, "language": "x07", "name": "nobody.x07t",
                                        "line": line, "character": character})
    assert why["binding"] is None and why["items"] == [] and why["moves"] == []


def test_ownership_at_the_end_of_a_line_is_inside_the_text(agent):
    lines = KEA.split("\n")
    why = agent.answer("ownership_at", {"text": KEA, "language": "kea", "name": "end.kea",
                                        "line": 0, "character": len(lines[0])})
    assert why["path"] == "untitled:end.kea"


def test_a_text_without_a_name_is_read_in_the_form_it_is_in(agent):
    """X07 has two forms; with no name saying which, JSON is the JSON form, anything else x07t."""
    as_json = (ROOT / "examples/use_after_move.x07.json").read_text()
    for text, suffix in ((X07, ".x07t"), (as_json, ".x07.json")):
        checked = agent.answer("check", {"text": text, "language": "x07"})
        assert checked["documents"][0]["path"] == "untitled:untitled" + suffix
        assert [f["code"] for f in checked["findings"]] == ["X07-MOVE-0901"]
    named = agent.answer("check", {"text": X07, "language": "x07", "name": "form"})     # a name without a suffix
    assert named["documents"][0]["path"] == "untitled:form.x07t"


def test_positions_are_utf16_code_units_as_in_lsp(agent):
    text = X07.replace('"hello "', '"h\u00e9 \U0001F600 "')      # 2 and 4 UTF-8 bytes; 1 and 2 UTF-16 units
    line, character = position_of(text, "name)")
    assert character == text.split("\n")[line].index("name)") + 1   # the emoji counts twice
    why = agent.answer("ownership_at", {"text": text, "language": "x07", "name": "utf16.x07t",
                                        "line": line, "character": character})
    assert why["binding"]["name"] == "name"
    assert why["binding"]["range"] == {"start": {"line": line, "character": character},
                                       "end": {"line": line, "character": character + 4}}
    assert [m["range"] for m in why["moves"]] == [why["binding"]["range"]]


def test_run_reports_what_the_program_did(agent):
    report = agent.answer("run", {"text": X07, "language": "x07", "name": "run.x07t", "input": "bob"})
    assert report["output_text"] == "hello bob"          # the moved `who` reads as empty at run time
    assert report["leak_free"] is True and report["trap"] is None and report["ok"] is False
    static = agent.answer("check", {"name": "run.x07t"})["findings"][0]
    assert [v["range"] for v in report["borrow_violations"]] == [static["range"]]   # where check saw it
    assert "custody run solve" in report["summary"] and "leak-free" in report["summary"]

    fixed = agent.answer("fix", {"name": "run.x07t", "finding": 0})["text"]
    clean = agent.answer("run", {"text": fixed, "language": "x07", "name": "run.x07t", "input": "bob",
                                 "fuel": "1e6", "timeout": 30})
    assert clean["ok"] is True and clean["output_text"] == "hello bobbob" and clean["borrow_violations"] == []


def test_run_refuses_a_language_that_cannot_run(agent):
    message = agent.error("run", {"text": KEA, "language": "kea"})
    runnable = " or ".join(lang.title for lang in LANGUAGES.languages if lang.can_run)
    assert f"custody runs {runnable}" in message and "not Kea ones" in message


def test_run_refuses_limits_it_cannot_honour(agent):
    assert "fuel" in agent.error("run", {"text": X07, "language": "x07", "name": "r.x07t", "fuel": "lots"})
    assert "timeout" in agent.error("run", {"text": X07, "language": "x07", "name": "r.x07t", "timeout": -1})


HUGE = "-- " + "x" * (16 * 1024 * 1024) + "\n"

# (tool, arguments, words the error must say)
MALFORMED = [
    ("check", {}, "name the document"),
    ("check", {"path": "examples/use_after_move.x07t", "colour": "red"}, "'colour' was unexpected"),
    ("check", {"path": 5}, "'path': 5 is not of type 'string'"),
    ("check", {"text": "fn f() -> Int\n  0\n"}, "give the text's `language`"),
    ("check", {"text": "x", "language": "cobol"}, "'cobol' is not one of"),
    ("check", {"text": "x", "name": "notes.txt"}, "give `language`"),
    ("check", {"text": "x", "language": "kea", "name": "main.c"}, "is a C file name"),
    ("check", {"text": "x", "path": "examples/use_after_move.x07t"}, "not both"),
    ("check", {"path": "no/such/file.kea"}, "No such file"),
    ("check", {"path": "README.md"}, "not a source custody reads"),
    ("check", {"name": "never-sent.kea"}, "no text was sent"),
    ("check", {"text": HUGE, "language": "kea"}, "up to 16 MiB"),
    ("explain", {}, "'code' is a required property"),
    ("explain", {"code": "NOT-A-CODE"}, "unknown code"),
    ("explain", {"code": 901}, "is not of type 'string'"),
    ("ownership_at", {"text": KEA, "language": "kea"}, "required property"),
    ("ownership_at", {"text": KEA, "language": "kea", "line": 99, "character": 0}, "line 99 is past the end"),
    ("ownership_at", {"text": KEA, "language": "kea", "line": 0, "character": 500}, "character 500 is past"),
    ("ownership_at", {"text": KEA, "language": "kea", "line": -1, "character": 0}, "minimum"),
    ("ownership_at", {"text": KEA, "language": "kea", "line": "3", "character": 0}, "is not of type 'integer'"),
    ("ownership_at", {"path": "tests/cases", "line": 0, "character": 0}, "is a directory"),
    ("fix", {"text": KEA, "language": "kea"}, "give either `finding`"),
    ("fix", {"text": KEA, "language": "kea", "finding": 7}, "`finding` 7 is not one of them"),
    ("fix", {"text": KEA, "language": "kea", "finding": 0, "fix": 3}, "`fix` 3 is not one of them"),
    ("fix", {"text": KEA, "language": "kea", "finding": 0, "all": True}, "give either"),
    ("fix", {"text": "fn f(x: Int) -> Int\n  x\n", "language": "kea", "finding": 0}, "0 finding(s)"),
    ("run", {"text": X07, "language": "x07", "input": 3}, "is not of type 'string'"),
]


@pytest.mark.parametrize("tool, arguments, says", MALFORMED,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(MALFORMED)])
def test_a_malformed_call_is_an_error_and_the_server_goes_on(agent, tool, arguments, says):
    message = agent.error(tool, arguments)
    assert says in message
    assert "Traceback" not in message
    assert agent.answer("explain", {"code": "CUS-SYNTAX-0001"})["code"] == "CUS-SYNTAX-0001"   # still serving


def test_unknown_tools_and_resources_are_protocol_errors(agent):
    with pytest.raises(MCPError) as e:
        agent.call("rewrite_everything", {})
    assert e.value.code == -32602 and "unknown tool" in e.value.message
    with pytest.raises(MCPError) as e:
        agent.do(lambda s: s.read_resource("custody://secrets"))
    assert e.value.code == -32602 and "unknown resource" in e.value.message
    assert agent.answer("explain", {"code": "kea-k2"})["code"] == "KEA-K2"


def test_the_least_recently_used_text_is_forgotten_past_64(agent):
    tiny = "fn f(x: Int) -> Int\n  x\n"
    agent.answer("check", {"text": tiny, "language": "kea", "name": "first.kea"})
    for i in range(63):
        agent.answer("check", {"text": tiny, "language": "kea", "name": f"filler{i}.kea"})
    assert agent.answer("check", {"name": "first.kea"})["documents"][0]["cached"] is True   # used again: kept
    for i in range(64):
        agent.answer("check", {"text": tiny, "language": "kea", "name": f"more{i}.kea"})
    assert "no text was sent under the name 'first.kea'" in agent.error("check", {"name": "first.kea"})


def test_no_traceback_reached_the_server_log(agent):
    """Runs after every test above that calls the module's server: after all those malformed
    calls, its stderr has no traceback (a bug would be logged there with one)."""
    assert "Traceback" not in agent.stderr()


def test_what_the_sdk_client_will_not_send_is_answered_too():
    wire = RawWire()
    init = wire.request(1, "initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                          "clientInfo": {"name": "raw", "version": "0"}})
    assert init["result"]["serverInfo"]["name"] == "custody"
    wire.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
    # "\ud800": a lone surrogate, which no UTF-8 text holds (json.dumps writes it as an escape)
    lone = wire.request(2, "tools/call", {"name": "check", "arguments": {"text": "fn f() -> Int\n  \ud800\n",
                                                                          "language": "kea"}})
    assert lone["error"]["code"] == -32602 and "not valid Unicode" in lone["error"]["message"]
    wire.send(b'{"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "check", '
              b'"arguments": {"text": "caf\xe9", "language": "kea"}}}')        # Latin-1, not UTF-8
    latin1 = wire.response(3)
    assert latin1["error"]["code"] == -32700 and "not UTF-8" in latin1["error"]["message"]
    wire.send(b"this line is not JSON")
    garbage = wire.response(None)
    assert garbage["error"]["code"] == -32700 and "not JSON" in garbage["error"]["message"]
    wire.send(b'{"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "check", "arguments": [1]}}')
    assert wire.response(4)["error"]["code"] == -32602
    for bad in ("true", "1.5", "null"):      # an id the SDK reads as none: a notification, never answered
        wire.send(b'{"jsonrpc": "2.0", "id": %s, "method": "tools/list"}' % bad.encode())
        refused = wire.response(None)
        assert refused["error"]["code"] == -32600 and f"not {bad}" in refused["error"]["message"]
    ok = wire.request(5, "tools/call", {"name": "check", "arguments": {"text": KEA, "language": "kea"}})
    assert ok["result"].get("isError") is not True
    assert [f["code"] for f in ok["result"]["structuredContent"]["findings"]] == ["KEA-K2"]
    assert wire.close() == 0                       # stdin closed: the server ends, cleanly
    assert "Traceback" not in wire.stderr()


def _in_process(tools, client_calls) -> None:
    """Serves `tools` in process (the `mcp` package's server and client over its memory streams)
    and runs `client_calls(session)` once the client is initialized."""
    import anyio
    from mcp import ClientSession
    from mcp.shared.memory import create_client_server_memory_streams

    from custody.mcp_server import build

    server = build(tools)

    async def session():
        async with create_client_server_memory_streams() as (client, served):
            async with anyio.create_task_group() as tg:
                tg.start_soon(lambda: server.run(*served, server.create_initialization_options()))
                async with ClientSession(*client) as s:
                    await s.initialize()
                    await client_calls(s)
                tg.cancel_scope.cancel()

    anyio.run(session)


def test_a_bug_in_custody_is_a_tool_error_without_a_traceback(caplog):
    """A tool that raises (here: a planted bug) is answered as a tool error naming the exception,
    the traceback goes to the log only, and the next call is answered. In process: no input of
    the real server is known to do this."""
    from custody.agent_tools import Tools

    class Buggy(Tools):
        def tool_explain(self, args):
            if args["code"] == "BUG":
                return {}["missing"]
            return super().tool_explain(args)

    answers = []

    async def calls(s):
        answers.append(await s.call_tool("explain", {"code": "BUG"}))
        answers.append(await s.call_tool("explain", {"code": "KEA-K2"}))

    _in_process(Buggy(), calls)
    bug, after = answers
    assert bug.is_error and bug.content[0].text == "explain: internal error in custody (KeyError); please report it"
    assert "Traceback" not in bug.content[0].text
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)     # logged, with its traceback
    assert not after.is_error and after.structured_content["code"] == "KEA-K2"


def test_other_calls_are_answered_while_a_program_runs():
    """`run`'s program runs outside the engine's lane: a `check` sent while it runs is answered
    before it ends. The program here is a stand-in that waits until the check's answer has
    arrived (30 s at most), so the test proves the order instead of timing it; with the lane
    held during the run, the check would wait for the program and the run would time out."""
    import threading

    import anyio

    from custody.agent_tools import Tools

    checked = threading.Event()

    class SlowRun(Tools):
        def prepare_run(self, args):
            self._document(args, "run")               # the engine's part, as the real one

            def go():
                return {"path": "untitled:slow", "ok": True, "diagnostics": [],
                        "summary": "checked first" if checked.wait(30) else "timed out"}
            return go

    answers = {}

    async def calls(s):
        async def run():
            answers["run"] = await s.call_tool("run", {"text": X07, "language": "x07", "name": "slow.x07t"})

        async def check():
            await anyio.sleep(0.05)
            answers["check"] = await s.call_tool("check", {"text": KEA, "language": "kea"})
            checked.set()

        async with anyio.create_task_group() as both:
            both.start_soon(run)
            both.start_soon(check)

    _in_process(SlowRun(), calls)
    assert [f["code"] for f in answers["check"].structured_content["findings"]] == ["KEA-K2"]
    assert not answers["run"].is_error, answers["run"].content
    assert answers["run"].content[0].text and "checked first" in answers["run"].content[0].text
