"""One agent session with `custody mcp`, through the `mcp` package's own stdio client, printed as
a transcript: what the client sent (→) and what it got back (←). The README's "custody for agents
(MCP)" transcript is this script's output, trimmed.

    .venv/bin/python bench/mcp_transcript.py

The session: initialize, list the tools, check a Kea text, `explain` the code found, ask
`ownership_at` why the value is in that state, take the `fix`, check the fixed text again (clean,
and incremental: `units`), then one malformed call. A tool's answer is printed as its
`structuredContent` (its text content is the same JSON); a refused call as `isError` and its text.
The server is the venv's `custody mcp` when there is one, as an MCP client's configuration would
start it, else `python -m custody.cli mcp`.
"""
from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

from mcp import ClientSession, StdioServerParameters, stdio_client

ROOT = Path(__file__).resolve().parents[1]

KEA = """enum Unique a
  Unique(a)

fn take(value: Unique Int) -> Int
  case value
    Unique(v) -> v

fn size(borrow value: Unique Int) -> Int
  1

fn main(u: Unique Int) -> Int
  let a = take(u)
  let n = size(u)
  a + n
"""

def _server() -> StdioServerParameters:
    venv = ROOT / ".venv" / "bin" / "custody"
    if venv.exists():
        return StdioServerParameters(command=str(venv), args=["mcp"], cwd=str(ROOT))
    return StdioServerParameters(command=sys.executable, args=["-m", "custody.cli", "mcp"], cwd=str(ROOT))


def _show(arrow: str, what: str, value=None) -> None:
    text = " ".join(x for x in (what, None if value is None else json.dumps(value, ensure_ascii=False)) if x)
    print(f"{arrow} {text}")


async def _call(session: ClientSession, tool: str, arguments: dict) -> dict | None:
    _show("→", f"tools/call {tool}", arguments)
    result = await session.call_tool(tool, arguments)
    if result.is_error:
        _show("←", "isError:", result.content[0].text)
        return None
    _show("←", "", result.structured_content)
    return result.structured_content


def _position(text: str, needle: str, plus: int = 0) -> tuple[int, int]:
    i = text.index(needle) + plus
    return text.count("\n", 0, i), i - (text.rfind("\n", 0, i) + 1)      # ASCII: characters = UTF-16 units


async def session() -> None:
    with tempfile.TemporaryFile("w+") as errlog:
        async with stdio_client(_server(), errlog=errlog) as (read, write):
            async with ClientSession(read, write) as s:
                _show("→", "initialize")
                init = await s.initialize()
                _show("←", "", {"serverInfo": init.server_info.model_dump(exclude_none=True),
                                "instructions": init.instructions})
                _show("→", "tools/list")
                _show("←", "", [f"{t.name}: {t.title}" for t in (await s.list_tools()).tools])

                checked = await _call(s, "check", {"text": KEA, "language": "kea", "name": "main.kea"})
                code = checked["findings"][0]["code"]
                await _call(s, "explain", {"code": code})
                line, character = _position(KEA, "size(u)", 5)
                await _call(s, "ownership_at", {"name": "main.kea", "line": line, "character": character})
                fixed = await _call(s, "fix", {"name": "main.kea", "finding": 0})
                await _call(s, "check", {"text": fixed["text"], "name": "main.kea"})
                await _call(s, "ownership_at", {"name": "main.kea", "line": 99, "character": 0})
        errlog.seek(0)
        if errlog.read().strip():
            print("(the server wrote on stderr)", file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(session())
