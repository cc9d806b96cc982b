"""A stand-in for clangd in the Neovim test (tests/editors/test_neovim_c.py): a language server
that answers initialize and shutdown and nothing else, so the test can see that custody attaches
to C buffers next to another C client, not instead of it."""
from __future__ import annotations

import json
import sys


def read() -> dict | None:
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length is None:
        return None
    return json.loads(sys.stdin.buffer.read(length))


def send(msg: dict) -> None:
    body = json.dumps(msg).encode()
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    sys.stdout.buffer.flush()


def main() -> None:
    while True:
        msg = read()
        if msg is None or msg.get("method") == "exit":
            return
        if "id" in msg and "method" in msg:
            if msg["method"] == "initialize":
                send({"jsonrpc": "2.0", "id": msg["id"],
                      "result": {"capabilities": {"textDocumentSync": 1}, "serverInfo": {"name": "fake-clangd"}}})
            else:
                send({"jsonrpc": "2.0", "id": msg["id"], "result": None})


if __name__ == "__main__":
    main()
