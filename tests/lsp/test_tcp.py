"""`custody lsp --tcp HOST:PORT`: the same server over a socket (for debugging)."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from test_wire_robustness import message, read_messages

from custody.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_until(sock: socket.socket, want_ids: set, deadline: float) -> dict:
    buf = b""
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        if not chunk:
            break
        buf += chunk
        try:
            msgs = read_messages(buf)
        except (ValueError, KeyError):
            continue                    # a message cut in half: read on
        by_id = {m.get("id"): m for m in msgs if "id" in m}
        if want_ids <= by_id.keys():
            return by_id
    raise AssertionError(f"no answer for {want_ids}; got {buf[:500]!r}")


def test_tcp_server_answers_and_publishes():
    port = _free_port()
    cmd = [sys.executable, "-c", "import sys; from custody.cli import main; sys.exit(main(sys.argv[1:]))",
           "lsp", "--tcp", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=1)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "server never listened"
                time.sleep(0.1)
        sock.settimeout(1)
        text = (ROOT / "examples" / "use_after_move.x07t").read_text()
        sock.sendall(b"".join([
            message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"processId": None, "capabilities": {}, "rootUri": None}}),
            message({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
            message({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": "file:///tmp/tcp.x07t", "languageId": "plaintext", "version": 1, "text": text}}}),
            message({"jsonrpc": "2.0", "id": 2, "method": "textDocument/diagnostic",
                     "params": {"textDocument": {"uri": "file:///tmp/tcp.x07t"}}}),
        ]))
        by_id = _read_until(sock, {1, 2}, time.monotonic() + 60)
        assert "capabilities" in by_id[1]["result"]
        codes = [d["code"] for d in by_id[2]["result"]["items"]]
        assert codes == ["X07-MOVE-0901"], json.dumps(by_id[2])[:800]
        sock.sendall(message({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}) +
                     message({"jsonrpc": "2.0", "method": "exit"}))
        sock.close()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_tcp_address_is_validated(capsys):
    assert main(["lsp", "--tcp", "localhost:notaport"]) == 2
    err = capsys.readouterr().err
    assert "HOST:PORT" in err and "Traceback" not in err
    assert main(["lsp", "--tcp", "1:99999"]) == 2
