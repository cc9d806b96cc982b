"""`custody mcp`'s stdio transport: newline-delimited JSON-RPC on stdin and stdout, as the `mcp`
package's `stdio_server`, except that a line it cannot read is answered.

Why not the SDK's transport: it drops a line that does not parse as a JSON-RPC message without a
word. Its JSON reader refuses a string holding a lone surrogate (`"\\ud800"`, the one way JSON can
carry text that is not Unicode), so a request sent so would leave the client waiting forever;
bytes that are not UTF-8 were read as U+FFFD, so a text would be checked as something the agent
never sent; and a request whose id is neither a string nor an integer (`"id": true`, `1.5`,
`null`) reads as a notification, which is never answered. Here each such line gets a JSON-RPC
error saying what is wrong, with the request's id when the line has a usable one (`"id": null`
otherwise, as JSON-RPC asks), and the server goes on reading.

While serving, the wire has descriptors of its own: fd 0 reads the null device and fd 1 writes to
stderr (as the SDK's transport arranges too), so neither the engine nor a child process (the C
compiler, a program `run` runs) can read the client's messages or write into the replies.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
from contextlib import asynccontextmanager

import anyio
import mcp_types as types
from mcp.shared.message import SessionMessage
from pydantic import ValidationError

log = logging.getLogger("custody.mcp")


def read_line(raw: bytes) -> tuple[types.JSONRPCMessage | None, types.JSONRPCError | None]:
    """One line of the wire -> (the message, None), or (None, the error answering it), or
    (None, None) for a line to pass over (blank, or an unreadable notification: no answer)."""
    if not raw.strip():
        return None, None
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, _answer(_loose(raw.decode("utf-8", errors="replace")), types.PARSE_ERROR,
                             f"the message is not UTF-8 (byte 0x{raw[e.start]:02x} at {e.start}); send UTF-8")
    try:
        message = types.jsonrpc_message_adapter.validate_json(line, by_name=False)
    except ValidationError as e:
        problem = e.errors()[0].get("msg", "not a JSON-RPC message")
    else:
        if isinstance(message, types.JSONRPCNotification):
            obj = _loose(line)
            if isinstance(obj, dict) and "id" in obj:   # the SDK read a bad id as no id at all
                return None, types.JSONRPCError(jsonrpc="2.0", id=None, error=types.ErrorData(
                    code=types.INVALID_REQUEST,
                    message=f"a request's id is a string or an integer, not {json.dumps(obj['id'])}"))
        return message, None
    obj = _loose(line)
    if obj is None:
        return None, _answer(None, types.PARSE_ERROR, f"the message is not JSON ({problem})")
    if not _unicode(obj):
        return None, _answer(obj, types.INVALID_PARAMS,
                             "a string in the request is not valid Unicode (it holds a lone surrogate "
                             "such as \\ud800); send UTF-8 text")
    return None, _answer(obj, types.INVALID_REQUEST, f"not a JSON-RPC 2.0 message ({problem})")


def _loose(line: str):
    """The line as Python's JSON reader sees it (it accepts lone surrogates), or None."""
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


def _unicode(value) -> bool:
    """Does every string in this JSON value encode as UTF-8?"""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return True


def _answer(obj, code: int, message: str) -> types.JSONRPCError | None:
    """The error for an unreadable line: to the request's id; none for a notification."""
    rid = obj.get("id") if isinstance(obj, dict) else None
    if isinstance(obj, dict) and "method" in obj and "id" not in obj:
        log.warning("custody mcp: dropped an unreadable notification: %s", message)
        return None
    if not isinstance(rid, (str, int)) or isinstance(rid, bool):
        rid = None
    return types.JSONRPCError(jsonrpc="2.0", id=rid, error=types.ErrorData(code=code, message=message))


def _take(fd: int) -> int:
    """Keep `fd`'s file for the wire on a descriptor of its own (not inherited by children), and
    point `fd` at the null device (stdin) or at stderr (stdout). The copy is above 2, so it is
    never one of the descriptors pointed elsewhere here, even when one of 0-2 was closed."""
    wire = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 3)
    stand_in = os.open(os.devnull, os.O_RDONLY) if fd == 0 else os.dup(2)
    os.dup2(stand_in, fd)
    os.close(stand_in)
    return wire


@asynccontextmanager
async def stdio_transport():
    """(read stream, write stream) for `Server.run` over this process's stdin and stdout."""
    wire_in, wire_out = _take(0), _take(1)
    source = anyio.wrap_file(os.fdopen(wire_in, "rb", closefd=False))
    sink = anyio.wrap_file(os.fdopen(wire_out, "wb", closefd=False))
    incoming_send, incoming = anyio.create_memory_object_stream[SessionMessage | Exception](0)
    outgoing, outgoing_receive = anyio.create_memory_object_stream[SessionMessage](0)
    replies = outgoing.clone()          # the reader's own answers to unreadable lines

    async def reader() -> None:
        async with incoming_send, replies:
            async for raw in source:
                message, error = read_line(raw)
                if message is not None:
                    await incoming_send.send(SessionMessage(message))
                elif error is not None:
                    await replies.send(SessionMessage(error))

    async def writer() -> None:
        async with outgoing_receive:
            async for m in outgoing_receive:
                text = m.message.model_dump_json(by_alias=True, exclude_unset=True)
                await sink.write(text.encode("utf-8") + b"\n")
                await sink.flush()

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(reader)
            tg.start_soon(writer)
            try:
                yield incoming, outgoing
            except BaseException:
                tg.cancel_scope.cancel()
                raise
            finally:
                outgoing.close()        # the writer ends once the replies are written
    finally:
        os.dup2(wire_in, 0)
        os.dup2(wire_out, 1)
        os.close(wire_in)
        os.close(wire_out)
