"""`custody lsp` takes the arguments LSP clients add to the server's command line.

vscode-languageclient starts an executable server as `<command> <args> --stdio
--clientProcessId=<pid>`; a server that rejects them dies before the first message (issue 16:
"unrecognized arguments: --stdio" in a real VS Code). Here: both flags in both spellings are
accepted over a real stdio exchange, and the server exits on its own — with LSP's exit code —
when the client process is gone, even though its stdin is still open.
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from test_wire_robustness import INIT_PARAMS, notification, read_messages, request

from custody.cli import build_parser

SERVER = [sys.executable, "-c", "import sys; from custody.cli import main; sys.exit(main(sys.argv[1:]))", "lsp"]
HANG_GUARD = 60


def _initialize(rid: int = 1) -> bytes:
    return request(rid, "initialize", INIT_PARAMS) + notification("initialized", {})


def _dead_pid() -> int:
    """The pid of a process that has run and been reaped."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait(timeout=HANG_GUARD)
    return p.pid


@pytest.mark.parametrize("extra", [
    ["--stdio"],
    ["--stdio", "--clientProcessId=PID"],
    ["--clientProcessId", "PID", "--stdio"],
    ["--client-process-id=PID"],
])
def test_the_conventional_client_arguments_are_accepted(extra):
    import os
    args = [a.replace("PID", str(os.getpid())) for a in extra]
    stream = _initialize() + request(2, "shutdown") + notification("exit")
    proc = subprocess.run(SERVER + args, input=stream, capture_output=True, timeout=HANG_GUARD)
    by_id = {m.get("id"): m for m in read_messages(proc.stdout) if "id" in m}
    assert "capabilities" in by_id[1]["result"], proc.stderr.decode()[-2000:]
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]


def test_parser_spellings_and_bad_values():
    ap = build_parser()
    assert ap.parse_args(["lsp", "--clientProcessId=42"]).client_process_id == 42
    assert ap.parse_args(["lsp", "--clientProcessId", "42"]).client_process_id == 42
    assert ap.parse_args(["lsp", "--stdio"]).stdio is True
    for bad in (["lsp", "--clientProcessId=abc"], ["lsp", "--clientProcessId=0"], ["lsp", "--stdio", "--tcp", "1"]):
        with pytest.raises(SystemExit) as e:
            ap.parse_args(bad)
        assert e.value.code == 2, bad


def test_help_names_the_client_arguments():
    proc = subprocess.run(SERVER + ["--help"], capture_output=True, text=True, timeout=HANG_GUARD)
    assert proc.returncode == 0
    assert "--stdio" in proc.stdout and "--clientProcessId" in proc.stdout


def _exit_code_when_client_dies(stream: bytes, pid: int) -> tuple[int, bytes, bytes]:
    """Start the server with the client's pid, write `stream`, keep stdin open, and wait for it to
    exit on its own."""
    proc = subprocess.Popen(SERVER + ["--stdio", f"--clientProcessId={pid}"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.stdin.write(stream)
        proc.stdin.flush()
        try:
            code = proc.wait(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            pytest.fail("the server outlived its client process (stdin still open) for 60 s")
        return code, proc.stdout.read(), proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()


def test_exits_1_when_the_client_process_is_already_gone():
    code, _, err = _exit_code_when_client_dies(b"", _dead_pid())
    assert code == 1, err.decode()[-2000:]


def _run_until_client_dies(stream: bytes, want_id: int) -> int:
    """A client process that lives a few seconds; the server started with its pid answers
    `want_id` while it lives, and exits on its own once it is gone (stdin stays open)."""
    client = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3)"])
    proc = None
    try:
        proc = subprocess.Popen(SERVER + ["--stdio", f"--clientProcessId={client.pid}"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdin.write(stream)
        proc.stdin.flush()
        buf = b""
        while not any(m.get("id") == want_id for m in _complete(buf)):
            chunk = proc.stdout.read1(65536)
            assert chunk, f"the server ended before answering {want_id}: {proc.stderr.read().decode()[-2000:]}"
            buf += chunk
        assert proc.poll() is None, "the server exited while its client was alive"
        client.wait(timeout=HANG_GUARD)
        try:
            return proc.wait(timeout=HANG_GUARD)
        except subprocess.TimeoutExpired:
            pytest.fail("the server outlived its client process (stdin still open) for 60 s")
    finally:
        for p in (client, proc):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
        if proc is not None:
            proc.stdin.close()


def _complete(buf: bytes) -> list[dict]:
    try:
        return read_messages(buf)
    except (ValueError, KeyError):
        return []                              # a message cut in half: read on


def test_exits_1_when_the_client_dies_while_it_runs():
    assert _run_until_client_dies(_initialize(), 1) == 1          # no shutdown came


def test_exits_0_when_the_client_dies_after_shutdown():
    assert _run_until_client_dies(_initialize() + request(2, "shutdown"), 2) == 0
