"""Runs a language server and copies what the editor sends it into a log file, so a test can see
the notifications the editor sent (didOpen with its languageId, say).

    python lsp_tap.py LOG -- SERVER [ARG ...]

stdin goes to the server and (as the LSP frames, one JSON message a line) to LOG; the server's
stdout comes back unchanged. Exits with the server's status.
"""
from __future__ import annotations

import subprocess
import sys
import threading


def _read_frame(stream) -> bytes | None:
    """One LSP frame (headers and body) from `stream`, or None at its end."""
    headers = b""
    while not headers.endswith(b"\r\n\r\n"):
        c = stream.read(1)
        if not c:
            return None
        headers += c
    length = 0
    for line in headers.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = stream.read(length)
    return headers + body


def main(argv: list[str]) -> int:
    log_path, sep, *server = argv
    assert sep == "--" and server, __doc__
    child = subprocess.Popen(server, stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def upstream():
        with open(log_path, "ab", buffering=0) as log:
            while (frame := _read_frame(sys.stdin.buffer)) is not None:
                log.write(frame.split(b"\r\n\r\n", 1)[1] + b"\n")
                try:
                    child.stdin.write(frame)
                    child.stdin.flush()
                except BrokenPipeError:
                    break
        try:
            child.stdin.close()
        except BrokenPipeError:
            pass

    threading.Thread(target=upstream, daemon=True).start()
    while chunk := child.stdout.read1(65536):
        sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    return child.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
