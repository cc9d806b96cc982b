"""Seeded, bounded fuzzing of the wire: random broken frames (lengths too big, too small,
missing, not numbers, huge; truncated bodies; garbage; bodies that are not JSON or not UTF-8;
valid header variants; valid messages in between), each followed by a valid request that must
be answered. Against one live `custody lsp` process whose stdin stays open, so nothing relies
on end of input; at the end it must still shut down and exit with code 0. The same generator
drives the framer in-process for many more cases."""
from __future__ import annotations

import json
import random

from test_wire_robustness import LiveServer, did_open, frame, hover, initialize, notification, request

from custody.lsp.wire import Body, Framer

SEED = 20250611
FAULT_IDS = 10_000            # ids inside broken frames; they may or may not be answered


def _body(rng: random.Random) -> bytes:
    """A message body: a request (with a fault id), a notification, or non-ASCII text."""
    kind = rng.randrange(4)
    if kind == 0:
        obj = {"jsonrpc": "2.0", "id": FAULT_IDS + rng.randrange(10_000), "method": "textDocument/hover",
               "params": {"textDocument": {"uri": "file:///tmp/custody-wire/doc.x07t"},
                          "position": {"line": rng.randrange(20), "character": rng.randrange(20)}}}
    elif kind == 1:
        obj = {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": FAULT_IDS - 1}}
    elif kind == 2:
        obj = {"jsonrpc": "2.0", "method": "$/setTrace", "params": {"value": "off"}}
    else:
        obj = {"jsonrpc": "2.0", "method": "custody/unknownNotification",
               "params": {"text": "ünïcödé ✓ " * rng.randrange(1, 5)}}
    return json.dumps(obj, ensure_ascii=rng.random() < 0.5).encode()


def _garbage(rng: random.Random) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if choice == 1:
        return b"".join(rng.choice([b"hello", b" ", b"\r\n", b"\n", b":", b"{", b"}", b"\"", b"x-y: z\r\n"])
                        for _ in range(rng.randrange(1, 20)))
    if choice == 2:
        return b"Content-Length: %d\r\n" % rng.randrange(1000)           # a header block never ended
    if choice == 3:
        return b"Content-Len"                                            # a header cut off
    if choice == 4:
        return json.dumps({"jsonrpc": "2.0", "method": "x"}).encode()    # a body without a header
    return b"\r\n" * rng.randrange(1, 4)


def fault(rng: random.Random) -> bytes:
    """One broken (or unusual but valid) piece of traffic."""
    body = _body(rng)
    kind = rng.randrange(13)
    if kind == 0:                                                        # length too big
        return b"Content-Length: %d\r\n\r\n" % (len(body) + rng.randrange(1, 3000)) + body
    if kind == 1:                                                        # length too small
        return b"Content-Length: %d\r\n\r\n" % rng.randrange(len(body)) + body
    if kind == 2:                                                        # length missing
        return b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body
    if kind == 3:                                                        # not a number
        value = rng.choice([b"", b"abc", b"12a", b"0x1f", b"1e3", b"+5", b"5.0", b"\xff\xfe", b"\xd9\xa3"])
        return b"Content-Length: " + value + b"\r\n\r\n" + body
    if kind == 4:                                                        # negative or huge
        value = rng.choice([b"-1", b"-%d" % len(body), b"9" * rng.randrange(9, 40), b"%d" % (1 << 40)])
        return b"Content-Length: " + value + b"\r\n\r\n" + body
    if kind == 5:                                                        # truncated body
        cut = rng.randrange(len(body))
        return b"Content-Length: %d\r\n\r\n" % len(body) + body[:cut]
    if kind == 6:                                                        # garbage
        return _garbage(rng)
    if kind == 7:                                                        # body not JSON
        return frame(body[: rng.randrange(1, len(body))] + rng.choice([b"}}", b"]", b"\x00", b"'"]))
    if kind == 8:                                                        # body not UTF-8
        return frame(body.replace(b"\"method\"", b"\"m\xffthod\"", 1) if rng.random() < 0.5 else b"\xc3\x28")
    if kind == 9:                                                        # characters counted, not bytes
        text = body.decode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(text) + body
    if kind == 10:                                                       # a valid frame, unusual headers
        eol = rng.choice([b"\r\n", b"\n"])
        name = rng.choice([b"Content-Length", b"content-length", b"CONTENT-LENGTH"])
        extra = rng.choice([b"", b"Content-Type: application/vscode-jsonrpc; charset=utf-8" + eol,
                            b"X-Unknown: whatever" + eol])
        return extra + name + b": %d" % len(body) + eol + eol + body
    if kind == 11:                                                       # valid JSON, not a message
        return frame(rng.choice([b"[]", b"42", b"null", b"\"text\"", b"{}", b'{"jsonrpc": "2.0"}',
                                 b'{"jsonrpc": "2.0", "id": {"a": 1}, "method": "x"}']))
    return frame(body)                                                   # a valid message in between


def split(rng: random.Random, data: bytes) -> list[int]:
    """Random write sizes, so that frames arrive cut at arbitrary bytes."""
    sizes = []
    left = len(data)
    while left > 0:
        n = min(left, rng.choice([1, 2, 3, 7, 64, 1000, left]))
        sizes.append(n)
        left -= n
    return sizes


def test_server_answers_after_every_fuzzed_fault_and_exits():
    rng = random.Random(SEED)
    server = LiveServer()
    try:
        server.send(initialize(1) + did_open())
        assert "capabilities" in server.response(1)["result"]
        cases = 40
        for case in range(cases):
            traffic = b"".join(fault(rng) for _ in range(rng.randrange(1, 4)))
            rid = 100 + case
            probe = hover(rid, line=rng.randrange(20), character=rng.randrange(20)) if case % 2 == 0 \
                else request(rid, "custody/ownership", {"textDocument": {"uri": "file:///tmp/custody-wire/doc.x07t"},
                                                        "position": {"line": 1, "character": 2}})
            data = traffic + probe
            server.send(data, split(rng, data) if rng.random() < 0.5 else None)
            answer = server.response(rid)
            assert "error" not in answer, (case, traffic[:300], answer)
        server.send(request(2, "shutdown"))
        assert server.response(2)["result"] is None
        server.send(notification("exit"))
        assert server.exit_code() == 0
    finally:
        server.close()
    assert b"Traceback" not in server.stderr, server.stderr[-2000:]
    stray = [rid for rid in server.responses
             if not (rid in (1, 2) or 100 <= rid < 140 or FAULT_IDS <= rid < 2 * FAULT_IDS)]
    assert not stray, stray                      # nothing answered that was never asked


def test_fuzzed_input_that_ends_inside_a_fault_ends_the_server_cleanly():
    rng = random.Random(SEED + 1)
    for case in range(3):
        server = LiveServer()
        try:
            server.send(initialize(1))
            assert "capabilities" in server.response(1)["result"]
            server.send(request(2, "shutdown") if case != 2 else b"")
            if case != 2:
                assert server.response(2)["result"] is None
            server.send(fault(rng) + b"Content-Length: 40\r\n\r\n{\"jsonrpc\"")
            server.proc.stdin.close()                    # end of input inside a frame
            assert server.exit_code() == (0 if case != 2 else 1)
        finally:
            server.close()
        assert b"Traceback" not in server.stderr, server.stderr[-2000:]


def test_framer_delivers_the_message_after_any_fuzzed_faults():
    """In-process: many more cases, each cut into random pieces."""
    rng = random.Random(SEED + 2)
    for case in range(3000):
        probe = {"jsonrpc": "2.0", "id": case, "method": "probe"}
        data = b"".join(fault(rng) for _ in range(rng.randrange(1, 4))) + frame(json.dumps(probe).encode())
        framer = Framer()
        items = []
        at = 0
        for size in split(rng, data):
            items += framer.feed(data[at:at + size])
            at += size
        bodies = [i.obj for i in items if isinstance(i, Body)]
        assert bodies and bodies[-1] == probe, (case, data[:400], items[-3:])
        assert framer.end() == []                 # nothing left over once the probe was read
