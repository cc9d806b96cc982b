"""A real MCP client for the tests: `custody mcp` in a subprocess, spoken to by the `mcp` package's
own stdio client (`stdio_client` + `ClientSession`), from plain synchronous tests.

Why this shape: one server process should serve a whole test module (starting one costs about a
second), but anyio's cancel scopes must be left by the task that entered them, which a
module-scoped async fixture does not guarantee. So the session lives in one task on an event loop
of its own thread, and each call of a test is a coroutine handed to that loop.
"""
from __future__ import annotations

import asyncio
import json
import select
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.stdio import get_default_environment
from mcp_types import CallToolResult

ROOT = Path(__file__).resolve().parents[2]
SERVER = [sys.executable, "-m", "custody.cli", "mcp"]
TIMEOUT = 120           # seconds a call may take before the test fails (a hang, not a measure)


class Agent:
    """`custody mcp` and the client session talking to it."""

    def __init__(self, env: dict | None = None):
        self.errlog = tempfile.TemporaryFile("w+")        # the server's stderr
        self.cache = tempfile.mkdtemp(prefix="custody-mcp-cache-")     # `run`'s compiled programs
        self.env = {"CUSTODY_CACHE_DIR": self.cache, **(env or {})}
        self.loop = asyncio.new_event_loop()
        self.session: ClientSession | None = None
        self.failed: BaseException | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self.loop.run_until_complete, args=(self._serve(),), daemon=True)
        self._thread.start()
        if not self._ready.wait(TIMEOUT) or self.session is None:
            raise RuntimeError(f"custody mcp did not start: {self.failed!r}\n{self.stderr()}")

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        params = StdioServerParameters(command=SERVER[0], args=SERVER[1:], cwd=str(ROOT), env=self.env)
        try:
            async with stdio_client(params, errlog=self.errlog) as (read, write):
                async with ClientSession(read, write) as session:
                    self.initialized = await session.initialize()
                    self.session = session
                    self._ready.set()
                    await self._stop.wait()
        except BaseException as e:  # noqa: BLE001 - reported by the constructor or the next call
            self.failed = e
        finally:
            self.session = None
            self._ready.set()

    def do(self, make):
        """Run `make(session)` (a coroutine) on the session's loop; its result."""
        if self.session is None:
            raise RuntimeError(f"the MCP session is gone: {self.failed!r}\n{self.stderr()}")
        return asyncio.run_coroutine_threadsafe(make(self.session), self.loop).result(TIMEOUT)

    def call(self, tool: str, arguments: dict) -> CallToolResult:
        return self.do(lambda s: s.call_tool(tool, arguments))

    def answer(self, tool: str, arguments: dict) -> dict:
        """A call that must succeed: its structured answer."""
        result = self.call(tool, arguments)
        assert not result.is_error, f"{tool}({arguments}) failed: {result.content[0].text}"
        return result.structured_content

    def error(self, tool: str, arguments: dict) -> str:
        """A call that must be refused as a tool error: its message."""
        result = self.call(tool, arguments)
        assert result.is_error, f"{tool}({arguments}) was answered: {result.structured_content}"
        assert result.structured_content is None
        return result.content[0].text

    def stderr(self) -> str:
        self.errlog.flush()
        self.errlog.seek(0)
        return self.errlog.read()

    def close(self) -> None:
        if self.session is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(TIMEOUT)
        self.errlog.close()
        shutil.rmtree(self.cache, ignore_errors=True)


def position_of(text: str, needle: str, plus: int = 0) -> tuple[int, int]:
    """(line, UTF-16 character), 0-based, of the first `needle` in `text`, moved by `plus`."""
    i = text.index(needle) + plus
    start = text.rfind("\n", 0, i) + 1
    return text.count("\n", 0, i), len(text[start:i].encode("utf-16-le")) // 2


def apply_text_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP-style edits (0-based lines, UTF-16 characters) to `text`, as an agent's editor
    would: a check of the tool's `edits`, independent of custody's own code."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def index(pos: dict) -> int:
        i, units = starts[pos["line"]], 0
        while units < pos["character"]:
            units += len(text[i].encode("utf-16-le")) // 2
            i += 1
        return i

    out = text
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        out = out[:index(e["range"]["start"])] + e["newText"] + out[index(e["range"]["end"]):]
    return out


class RawWire:
    """For what the SDK's client refuses to send (a lone surrogate in a string, a line that is not
    JSON): `custody mcp` in a subprocess, spoken to in newline-delimited JSON-RPC lines by hand."""

    def __init__(self):
        self.cache = tempfile.mkdtemp(prefix="custody-mcp-cache-")
        # the environment the SDK's client gives a server (no X07_STDLIB or the like from the shell)
        env = {**get_default_environment(), "CUSTODY_CACHE_DIR": self.cache}
        self.proc = subprocess.Popen(SERVER, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)

    def send(self, line: str | bytes) -> None:
        self.proc.stdin.write((line if isinstance(line, bytes) else line.encode("ascii")) + b"\n")
        self.proc.stdin.flush()

    def request(self, rid: int, method: str, params: dict) -> dict:
        """Send a request (ASCII JSON: non-ASCII as \\u escapes) and read the response to it."""
        self.send(json.dumps({"jsonrpc": "2.0", "id": rid, "method": method, "params": params}))
        return self.response(rid)

    def response(self, rid: int) -> dict:
        while True:
            ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
            assert ready, f"no response to request {rid}"
            line = self.proc.stdout.readline()
            assert line, f"the server closed its output before answering request {rid}: {self.stderr()}"
            message = json.loads(line)
            if message.get("id") == rid:
                return message

    def stderr(self) -> str:
        """Everything the server wrote on stderr (after closing it: call last)."""
        self.close()
        return self.proc.stderr.read().decode("utf-8", errors="replace")

    def close(self) -> int:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            return self.proc.wait(TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
        finally:
            shutil.rmtree(self.cache, ignore_errors=True)
