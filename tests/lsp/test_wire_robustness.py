"""The wire and the lifecycle of `custody lsp` over a real stdio pipe, per the LSP spec:
broken frames are skipped up to the next valid header and the server keeps answering;
-32002 before initialize, InvalidRequest after shutdown, exit code 0 after shutdown and 1
without; invalid params are explained as JSON paths, never as Python exception text."""
from __future__ import annotations

import json
import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lsp_client import SERVER

ROOT_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "use_after_move.x07t"

HANG_GUARD = 60          # seconds; only so that a broken server fails the test instead of hanging it


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


def request(rid, method, params=None) -> bytes:
    obj = {"jsonrpc": "2.0", "id": rid, "method": method}
    if params is not None:
        obj["params"] = params
    return message(obj)


def notification(method, params=None) -> bytes:
    obj = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        obj["params"] = params
    return message(obj)


INIT_PARAMS = {"processId": None, "capabilities": {}, "rootUri": None}
DOC = "file:///tmp/custody-wire/doc.x07t"


def initialize(rid=1) -> bytes:
    return request(rid, "initialize", INIT_PARAMS) + notification("initialized", {})


def did_open(uri=DOC, text=None) -> bytes:
    text = ROOT_EXAMPLE.read_text() if text is None else text
    return notification("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "x07", "version": 1, "text": text}})


def hover(rid, uri=DOC, line=0, character=1) -> bytes:
    return request(rid, "textDocument/hover", {"textDocument": {"uri": uri},
                                               "position": {"line": line, "character": character}})


def run(stream: bytes):
    """The whole stream on stdin, then end of input: (responses by id, all messages, process)."""
    proc = subprocess.run(SERVER, input=stream, capture_output=True, timeout=HANG_GUARD)
    msgs = read_messages(proc.stdout)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode()[-2000:]
    return {m["id"]: m for m in msgs if "id" in m and "method" not in m}, msgs, proc


class LiveServer:
    """`custody lsp` on a pipe that stays open: what it answers without the help of end of input."""

    def __init__(self):
        self.proc = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.inbox: queue.Queue = queue.Queue()
        self.responses: dict = {}
        self.others: list[dict] = []
        self.stderr = b""
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            assert length is not None, "the server sent a frame without Content-Length"
            self.inbox.put(json.loads(out.read(length)))

    def _read_stderr(self) -> None:
        self.stderr = self.proc.stderr.read()

    def send(self, data: bytes, pieces: list[int] | None = None) -> None:
        """Write `data` (in pieces of these sizes, if given) and flush each."""
        at = 0
        for size in pieces or [len(data)]:
            self.proc.stdin.write(data[at:at + size])
            self.proc.stdin.flush()
            at += size
        if at < len(data):
            self.proc.stdin.write(data[at:])
            self.proc.stdin.flush()

    def response(self, rid, timeout: float = HANG_GUARD) -> dict:
        while rid not in self.responses:
            try:
                msg = self.inbox.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no answer to request {rid!r}; stderr: {self.stderr[-1500:]!r}") from None
            assert msg is not None, f"the server stopped before answering {rid!r}: {self.stderr[-1500:]!r}"
            if "id" in msg and "method" not in msg:
                self.responses[msg["id"]] = msg
            else:
                self.others.append(msg)
        return self.responses[rid]

    def exit_code(self, timeout: float = HANG_GUARD) -> int:
        """Wait for the process to end; stdin is left open, so only `exit` can end it."""
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                f.close()
            except OSError:
                pass


# ---- lifecycle ----

def test_requests_before_initialize_get_server_not_initialized():
    by_id, msgs, proc = run(b"".join([
        hover(1),
        request(2, "shutdown"),
        did_open(),                                    # a notification before initialize: dropped
        request(3, "initialize", INIT_PARAMS),
        notification("initialized", {}),
        request(4, "textDocument/diagnostic", {"textDocument": {"uri": DOC}}),
        request(5, "shutdown"),
        notification("exit"),
    ]))
    for rid, method in ((1, "textDocument/hover"), (2, "shutdown")):
        assert by_id[rid]["error"]["code"] == -32002, by_id[rid]
        assert method in by_id[rid]["error"]["message"] and "initialize" in by_id[rid]["error"]["message"]
    assert "capabilities" in by_id[3]["result"]
    assert not [m for m in msgs if m.get("method") == "textDocument/publishDiagnostics"]
    assert by_id[4]["result"]["items"] == []          # the early didOpen did not open it
    assert by_id[5] == {"jsonrpc": "2.0", "id": 5, "result": None}
    assert proc.returncode == 0


def test_initialize_only_once():
    by_id, _, proc = run(initialize(1) + request(2, "initialize", INIT_PARAMS) + request(3, "shutdown")
                         + notification("exit"))
    assert "capabilities" in by_id[1]["result"]
    assert by_id[2]["error"]["code"] == -32600 and "already initialized" in by_id[2]["error"]["message"]
    assert proc.returncode == 0


def test_after_shutdown_requests_get_invalid_request_and_exit_is_0():
    server = LiveServer()
    try:
        server.send(initialize(1) + did_open() + hover(2) + request(3, "shutdown"))
        assert "error" not in server.response(2)
        assert server.response(3)["result"] is None
        server.send(hover(4) + request(5, "shutdown") + request(6, "no/such/method")
                    + did_open("file:///tmp/custody-wire/late.x07t"))
        for rid in (4, 5, 6):
            err = server.response(rid)["error"]
            assert err["code"] == -32600, err
            assert "shut down" in err["message"] and "exit" in err["message"]
        server.send(notification("exit"))
        assert server.exit_code() == 0               # stdin is still open: `exit` ended it
    finally:
        server.close()
    published = [m["params"]["uri"] for m in server.others if m.get("method") == "textDocument/publishDiagnostics"]
    assert "file:///tmp/custody-wire/late.x07t" not in published


def test_exit_without_shutdown_is_1():
    server = LiveServer()
    try:
        server.send(initialize(1))
        assert "capabilities" in server.response(1)["result"]
        server.send(notification("exit"))
        assert server.exit_code() == 1
    finally:
        server.close()


def test_exit_before_initialize_is_1():
    server = LiveServer()
    try:
        server.send(notification("exit"))
        assert server.exit_code() == 1
    finally:
        server.close()


def test_end_of_input_without_exit():
    *_, proc = run(initialize(1) + hover(2))
    assert proc.returncode == 1                       # neither shutdown nor exit
    by_id, _, proc = run(initialize(1) + request(2, "shutdown"))
    assert by_id[2]["result"] is None
    assert proc.returncode == 0                       # shutdown came: a clean end


# ---- errors in the user's terms ----

def test_invalid_params_are_explained_as_json_paths():
    td = {"uri": DOC}
    by_id, _, proc = run(b"".join([
        request(1, "initialize"),                                                  # no params
        initialize(2),
        request(3, "textDocument/hover", {"textDocument": td, "position": "1:2"}),
        request(4, "textDocument/hover", {"position": {"line": 0, "character": 0}}),
        request(5, "textDocument/hover", {"textDocument": td, "position": {"line": -5, "character": 2}}),
        request(6, "textDocument/hover", "params as a string"),
        request(7, "textDocument/codeAction", {"textDocument": td, "range": {"start": {"line": 0, "character": 0},
                                                                              "end": 5}, "context": {"diagnostics": []}}),
        request(8, "custody/ownership", {"oops": 1}),
        message({"jsonrpc": "2.0", "id": 9, "method": 42}),
        message({"id": 10, "method": "textDocument/hover"}),
        request(11, "shutdown"),
        notification("exit"),
    ]))
    expected = {
        1: (-32602, "initialize: params is missing"),
        3: (-32602, "textDocument/hover: params.position must be an object with line and character"),
        4: (-32602, "textDocument/hover: params.textDocument is missing"),
        5: (-32602, "textDocument/hover: params.position.line must be an integer from 0 to 2147483647 (it is -5)"),
        6: (-32602, "textDocument/hover: params must be an object or an array"),
        7: (-32602, "textDocument/codeAction: params.range.end must be an object with line and character"),
        9: (-32600, "a request's method must be a string"),
        10: (-32600, 'textDocument/hover: a request must say "jsonrpc": "2.0"'),
    }
    for rid, (code, text) in expected.items():
        assert by_id[rid]["error"] == {"code": code, "message": text}, by_id[rid]
    assert by_id[8]["error"]["code"] == -32602 and "position" in by_id[8]["error"]["message"]
    for m in by_id.values():
        text = m.get("error", {}).get("message", "")
        for python in ("string indices", "object is not subscriptable", "KeyError", "Traceback", "NoneType"):
            assert python not in text, text
    assert proc.returncode == 0


# ---- framing ----

def test_length_larger_than_the_body_does_not_wedge_the_server():
    """The reported case: a Content-Length larger than its body used to swallow every later
    message, `shutdown` and `exit` included. The pipe stays open: no end of input helps."""
    server = LiveServer()
    try:
        server.send(initialize(1) + did_open())
        assert "capabilities" in server.response(1)["result"]
        body = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": DOC}, "position": {"line": 0, "character": 1}}}).encode()
        server.send(b"Content-Length: %d\r\n\r\n" % (len(body) + 500) + body)
        server.send(hover(3))
        assert "error" not in server.response(3)
        assert "error" not in server.response(2)        # the short message itself was read up to the next header
        server.send(request(4, "shutdown"))
        assert server.response(4)["result"] is None
        server.send(notification("exit"))
        assert server.exit_code() == 0
    finally:
        server.close()
    assert b"Traceback" not in server.stderr


def test_each_framing_fault_loses_nothing_after_it():
    good = json.dumps({"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover"}).encode()
    faults = [
        b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}",       # no Content-Length
        b"Content-Length: twelve\r\n\r\n{}",                                            # not a number
        b"Content-Length: -4\r\n\r\n{}",                                                # negative
        b"Content-Length: 99999999999999999999\r\n\r\n",                                 # huge
        b"Content-Length: 68719476736\r\n\r\n",                                          # 64 GiB: over the cap
        b"GET / HTTP/1.1\r\nHost: x\r\n",                                                # garbage before a header
        b"\x00\xff\xfe garbage without a line break",
        frame(b"{not json"),                                                             # body not JSON
        frame(b"\xff\xfe\xfd\xfc"),                                                      # body not UTF-8
        b"Content-Length: 10\r\n\r\n",                                                   # too short: cuts the next header
        b"Content-Length: 200\r\n\r\n" + good[:20],                                      # truncated by the next header
        b"Content-Length: 0\r\n\r\n",
    ]
    parts = [initialize(1), did_open()]
    for i, fault in enumerate(faults):
        parts += [fault, hover(100 + i)]
    parts += [request(2, "shutdown"), notification("exit")]
    by_id, msgs, proc = run(b"".join(parts))
    for i, fault in enumerate(faults):
        assert 100 + i in by_id, f"the request after {fault[:40]!r} was lost"
        assert "error" not in by_id[100 + i], by_id[100 + i]
    assert by_id[2]["result"] is None
    assert proc.returncode == 0
    logs = [m["params"]["message"] for m in msgs if m.get("method") == "window/logMessage"]
    assert len(logs) >= len(faults) - 1                # each fault said once, in one line
    assert all("\n" not in line and "Traceback" not in line for line in logs)


def test_header_forms_that_are_valid():
    body = json.dumps({"jsonrpc": "2.0", "id": 5, "method": "shutdown"}).encode()
    stream = b"".join([
        initialize(1),
        b"\r\n",                                                              # a stray blank line
        b"content-length: %d\n\n" % len(body) + body,                         # lower case, bare LF
    ])
    body2 = json.dumps({"jsonrpc": "2.0", "method": "exit"}).encode()
    stream += (b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Custom: 1\r\n"
               b"Content-Length:%d  \r\n\r\n" % len(body2) + body2)
    by_id, _, proc = run(stream)
    assert by_id[5]["result"] is None
    assert proc.returncode == 0                     # the exit in the unusual frame was read


def test_a_request_whose_body_does_not_parse_is_answered_when_its_id_is_plain():
    by_id, _, proc = run(initialize(1) + frame(b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", oops}')
                         + b"[1, 2]" + request(8, "shutdown") + notification("exit"))
    assert by_id[7]["error"]["code"] == -32700
    assert by_id[8]["result"] is None and proc.returncode == 0


def test_input_ending_inside_a_frame_ends_cleanly():
    for tail in (b"Content-Length: 50\r\n\r\n{\"jsonrpc\"", b"Content-Len", b"Content-Length: 5\r\n"):
        by_id, _, proc = run(initialize(1) + request(2, "shutdown") + tail)
        assert by_id[2]["result"] is None
        assert proc.returncode == 0, tail                # shutdown came; the end is clean


def test_the_installed_command_returns_the_spec_exit_codes():
    custody = Path(sys.executable).with_name("custody")
    if not custody.exists():
        pytest.skip("no installed `custody` command next to this Python")
    for stream, code in ((initialize(1) + notification("exit"), 1),
                         (initialize(1) + request(2, "shutdown") + notification("exit"), 0)):
        proc = subprocess.run([str(custody), "lsp"], input=stream, capture_output=True, timeout=HANG_GUARD)
        assert proc.returncode == code, proc.stderr.decode()[-1000:]


def test_tcp_recovers_from_a_broken_frame_and_exits_0_after_shutdown():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = SERVER[:-1] + ["import sys; from custody.cli import main; sys.exit(main(sys.argv[1:]))",
                         "lsp", "--tcp", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + HANG_GUARD
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server never listened"
                time.sleep(0.1)
        with sock:
            sock.settimeout(HANG_GUARD)
            sock.sendall(initialize(1) + b"Content-Length: 9999\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\"" +
                         request(2, "shutdown"))
            got, by_id = b"", {}
            while 2 not in by_id:
                chunk = sock.recv(65536)
                assert chunk, f"the connection closed before the answer to shutdown: {got[-500:]!r}"
                got += chunk
                try:
                    by_id = {m["id"]: m for m in read_messages(got) if "id" in m}
                except (ValueError, KeyError):
                    continue                             # a frame cut in half: read on
            assert by_id[2]["result"] is None
            sock.sendall(notification("exit"))
            assert proc.wait(timeout=HANG_GUARD) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
