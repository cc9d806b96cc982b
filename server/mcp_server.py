"""`custody mcp`: a Model Context Protocol server on stdio, for agents.

Agents write much of the code in the languages custody reads, and without this they could only
shell out to `custody check --format json`. This module is the protocol around the tools of
server/agent_tools.py (check, ownership_at, explain, fix, run) and two resources, the code
catalog (custody://catalog) and the languages custody reads (custody://languages), on the `mcp`
package's low-level server: each tool declares its argument and answer schemas, and answers with
structured content (and the same JSON as text, for clients that read only text).

One engine serves the whole session, so documents an agent sends are kept across calls and a
repeated check is incremental. Calls are answered one at a time in a worker thread (the engine is
not thread-safe), so the event loop keeps reading the wire; a program started by `run` runs
outside that queue (it shares nothing with the engine).

Errors: a malformed call (arguments the tool's schema refuses, an unknown language, code or
document, a position outside the text, text that is not Unicode or too large) is answered as a
tool error (`isError`, with a message saying what to change); an unknown tool or resource is a
JSON-RPC error (invalid params). A bug in custody is a tool error too, with the traceback logged
on stderr only; the client never sees a traceback and the server keeps serving. A line on the
wire that is no JSON-RPC message at all is answered by the transport (server/mcp_stdio.py), which
replaces the SDK's stdio transport for that reason.
"""
from __future__ import annotations

import json
import logging
import sys
from functools import partial
from importlib import metadata

import anyio
import anyio.to_thread
import mcp_types as types
from mcp.server.lowlevel import Server
from mcp.shared.exceptions import MCPError

from .agent_tools import TOOLS, CallError, Tools, catalog_json, languages_json
from .mcp_stdio import stdio_transport

log = logging.getLogger("custody.mcp")

RESOURCES = {
    "custody://catalog": ("catalog", "Diagnostic codes",
                          "Every code custody reports: title, explanation, example, fix, and the "
                          "languages that report it (`explain` gives one).", catalog_json),
    "custody://languages": ("languages", "Languages",
                            "The languages custody reads: name (a `language` argument), suffixes, "
                            "LSP languageIds, whether `run` can run their programs, their codes.",
                            languages_json),
}


def _version() -> str:
    try:
        return metadata.version("custody")
    except metadata.PackageNotFoundError:
        return "0"


def _result(answer: dict) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=json.dumps(answer, ensure_ascii=False))],
                                structured_content=answer)


def _error(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], is_error=True)


def build(tools: Tools | None = None) -> Server:
    """The MCP server over `tools` (a new Tools, one engine, when not given)."""
    tools = tools if tools is not None else Tools()
    engine_lane = anyio.CapacityLimiter(1)      # one call at a time touches the engine

    async def list_tools(ctx, params) -> types.ListToolsResult:
        return types.ListToolsResult(tools=[
            types.Tool(name=t.name, title=t.title, description=t.description, input_schema=t.input_schema,
                       output_schema=t.output_schema,
                       annotations=types.ToolAnnotations(read_only_hint=t.read_only, destructive_hint=False,
                                                         idempotent_hint=t.read_only, open_world_hint=False))
            for t in TOOLS.values()])

    async def call_tool(ctx, params: types.CallToolRequestParams) -> types.CallToolResult:
        name, arguments = params.name, params.arguments
        if name not in TOOLS:
            raise MCPError(types.INVALID_PARAMS, f"unknown tool {name!r}; the tools are {', '.join(TOOLS)}")
        try:
            # the engine's part one call at a time; the rest (a program `run` runs) outside that lane
            finish = await anyio.to_thread.run_sync(partial(tools.prepare, name, arguments), limiter=engine_lane)
            answer = await anyio.to_thread.run_sync(finish)
        except CallError as e:
            return _error(str(e))
        except RecursionError:
            return _error(f"{name}: the text nests too deeply for custody to answer")
        except Exception as e:  # noqa: BLE001 - a bug in custody: said, logged, and the server goes on
            log.exception("custody mcp: internal error in %s", name)
            return _error(f"{name}: internal error in custody ({type(e).__name__}); please report it")
        return _result(answer)

    async def list_resources(ctx, params) -> types.ListResourcesResult:
        return types.ListResourcesResult(resources=[
            types.Resource(uri=uri, name=name, title=title, description=description, mime_type="application/json")
            for uri, (name, title, description, _) in RESOURCES.items()])

    async def read_resource(ctx, params: types.ReadResourceRequestParams) -> types.ReadResourceResult:
        uri = str(params.uri)
        found = RESOURCES.get(uri)
        if found is None:
            raise MCPError(types.INVALID_PARAMS, f"unknown resource {uri!r}; the resources are {', '.join(RESOURCES)}")
        text = json.dumps(found[3](), ensure_ascii=False)
        return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, mime_type="application/json",
                                                                             text=text)])

    return Server("custody", version=_version(), title="custody",
                  instructions="Ownership checks for the languages of custody://languages: `check` a "
                               "file or a text, ask "
                               "`ownership_at` a position why a value is moved or borrowed, "
                               "`explain` a code, `fix` a finding (or all), `run` a program in "
                               "custody's sandbox.",
                  on_list_tools=list_tools, on_call_tool=call_tool,
                  on_list_resources=list_resources, on_read_resource=read_resource)


def serve(args) -> int:
    """`custody mcp`: serve on stdin/stdout until the client closes stdin."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(message)s")
    server = build(Tools(module_roots=args.module_root or (), stdlib_root=args.stdlib))

    async def main() -> None:
        async with stdio_transport() as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    anyio.run(main)
    return 0
