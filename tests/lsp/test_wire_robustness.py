"""Malformed traffic on the wire: the server answers or ignores it, logs, and keeps serving."""
from __future__ import annotations

import json
import subprocess
import time

from lsp_client import SERVER


def frame(payload: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(payload) + payload


def message(obj) -> bytes:
    return frame(json.dumps(obj).encode())


def read_messages(out: bytes) -> list[dict]:
    msgs = []
    while out:
        head, _, rest = out.partition(b"\r\n\r\n")
        if not rest and not _:
            break
        fields = dict(line.split(b":", 1) for line in head.split(b"\r\n"))
        length = int(fields[b"Content-Length"])
        msgs.append(json.loads(rest[:length]))
        out = rest[length:]
    return msgs


def test_garbage_then_valid_requests_are_answered():
    stream = b"".join([
        frame(b"{this is not json"),                                       # invalid JSON
        message({"jsonrpc": "2.0", "id": 1, "method": "initialize"}),       # missing params
        message({"jsonrpc": "2.0", "id": 2, "method": "initialize",
                 "params": {"processId": None, "capabilities": {}, "rootUri": None}}),
        message({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
        message({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover",
                 "params": {"textDocument": {"uri": "file:///nowhere.x07t"}, "position": {"line": -5, "character": 2}}}),
        message({"jsonrpc": "2.0", "id": 4, "method": "custody/ownership", "params": {"oops": 1}}),
        message({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": "file:///tmp/w.x07t", "languageId": "x07", "version": 1, "text": "{:kind entry (((("}}}),
        message({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover",
                 "params": {"textDocument": {"uri": "file:///tmp/w.x07t"}, "position": {"line": 0, "character": 3}}}),
        message({"jsonrpc": "2.0", "id": 6, "method": "shutdown"}),
        message({"jsonrpc": "2.0", "method": "exit"}),
    ])
    t0 = time.monotonic()
    proc = subprocess.run(SERVER, input=stream, capture_output=True, timeout=60)
    assert time.monotonic() - t0 < 60
    msgs = read_messages(proc.stdout)
    by_id = {m.get("id"): m for m in msgs if "id" in m}
    assert "result" in by_id[2] and "capabilities" in by_id[2]["result"]
    assert by_id[2]["result"]["capabilities"].get("positionEncoding", "utf-16") == "utf-16"
    assert by_id[1]["error"]["code"] == -32602 and "missing 'params'" in by_id[1]["error"]["message"]
    assert by_id[3]["error"]["code"] == -32602 and "Position.line" in by_id[3]["error"]["message"]
    assert by_id[4]["error"]["code"] == -32602                     # invalid params, said so
    assert "position" in by_id[4]["error"]["message"]
    assert 5 in by_id and "error" not in by_id[5]                  # a broken document still answers
    assert 6 in by_id and "error" not in by_id[6]
    diags = [m for m in msgs if m.get("method") == "textDocument/publishDiagnostics"]
    assert diags and any(d["code"] == "CUS-SYNTAX-0001" for d in diags[-1]["params"]["diagnostics"])
    assert b"Traceback" not in proc.stdout
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()[-2000:]
    assert proc.returncode == 0
