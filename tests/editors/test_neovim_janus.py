"""custody's Neovim module (editors/neovim/lua/custody.lua) and Janus: setup() makes *.jan buffers
filetype `janus` (with `//` comments), attaches custody to them as to X07 and Kea buffers, and
Neovim sends the server didOpen with languageId `janus`; for a Janus program that uses a value
after `move`, custody's JAN-S6003 diagnostic ("use after move") reaches the buffer (skipped, saying
so, while the server has no Janus front-end registered for .jan).

The editor side is tests/editors/nvim_janus.lua; what Neovim sends is read from the log of
tests/editors/lsp_tap.py, which sits between Neovim and `custody lsp`. Without `nvim` the test
installs Debian's neovim when it can (tests/lsp/test_neovim.py's helper) and skips, saying why,
when it cannot.
"""
from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCRIPT = HERE / "nvim_janus.lua"
TAP = HERE / "lsp_tap.py"
RUN_TIMEOUT = 120
WAIT_MS = 30000

# `data` is moved into `consume` (`move data`), then read: use after move (J1, JAN-S6003)
MOVED_THEN_USED_JAN = """func consume(owned buf: Buffer) -> i32 do
    return 0
end

func main() do
    let data = make_buffer()
    consume(move data)
    print(data.len)
end
"""
FINE_JAN = """// no ownership syntax: nothing for custody to track
func main() do
    let xs = [1, 2, 3]
    for n in xs do
        print(n)
    end
end
"""


def _find_or_install_nvim() -> str:
    spec = importlib.util.spec_from_file_location("custody_tests_lsp_neovim", ROOT / "tests" / "lsp" / "test_neovim.py")
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper.find_or_install_nvim()


def _janus_served() -> bool:
    """Does the server have a Janus front-end (analysis/janus, registered for .jan)?"""
    from custody.analysis.languages import LANGUAGES
    return LANGUAGES.for_path("x.jan") is not None


def _run(tmp_path: Path, jan_text: str, want_diag: bool) -> dict:
    nvim = _find_or_install_nvim()
    (tmp_path / ".git").mkdir()                        # the project root
    jan_file, x_file = tmp_path / "moves.jan", tmp_path / "main.x07t"
    jan_file.write_text(jan_text)
    shutil.copyfile(ROOT / "examples" / "use_after_move.x07t", x_file)
    result_file, tap_log = tmp_path / "result.json", tmp_path / "sent.jsonl"
    env = dict(os.environ,
               CUSTODY_NVIM_PLUGIN=str(ROOT / "editors" / "neovim"),
               CUSTODY_NVIM_PYTHON=sys.executable,
               CUSTODY_NVIM_TAP=str(TAP),
               CUSTODY_NVIM_TAP_LOG=str(tap_log),
               CUSTODY_NVIM_DIAG="1" if want_diag else "0",
               CUSTODY_NVIM_FILES=":".join(str(p) for p in (jan_file, x_file)),
               CUSTODY_NVIM_RESULT=str(result_file),
               CUSTODY_NVIM_WAIT_MS=str(WAIT_MS),
               HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    cmd = [nvim, "--headless", "--clean", "-n", "-i", "NONE", "-u", "NONE", "-c", f"luafile {SCRIPT}"]
    try:
        proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"Neovim did not finish within {RUN_TIMEOUT} s; stderr: {e.stderr!r}")
    assert result_file.exists(), f"no result from Neovim (exit {proc.returncode}): {proc.stderr[-2000:]}"
    result = json.loads(result_file.read_text())
    assert result.get("ok"), f"Neovim script failed: {result.get('error')!r}; result {result}; stderr {proc.stderr[-2000:]}"
    assert proc.returncode == 0, proc.stderr[-2000:]
    return result


def test_janus_buffers_get_the_filetype_and_custody_and_didopen_says_janus(tmp_path: Path):
    result = _run(tmp_path, FINE_JAN, want_diag=False)
    assert "janus" in result["filetypes"] and "kea" in result["filetypes"], result["filetypes"]
    bufs = {b["name"]: b for b in result["buffers"]}
    jan = bufs["moves.jan"]
    assert jan["filetype"] == "janus", result
    assert jan["commentstring"] == "// %s", jan
    assert jan["clients"] == ["custody"], result
    assert bufs["main.x07t"]["clients"] == ["custody"], result       # X07 unchanged, same client
    assert bufs["main.x07t"]["filetype"] == "x07text"
    methods = [m["method"] for m in result["sent"]]
    assert methods[0] == "initialize", methods
    opens = {m["uri"]: m["languageId"] for m in result["sent"] if m["method"] == "textDocument/didOpen"}
    assert opens.get(jan["uri"]) == "janus", opens
    assert opens.get(bufs["main.x07t"]["uri"]) == "x07text", opens


def test_custody_reports_a_janus_use_after_move_in_neovim(tmp_path: Path):
    if not _janus_served():
        pytest.skip("the server has no Janus front-end yet (analysis/janus not registered for .jan)")
    result = _run(tmp_path, MOVED_THEN_USED_JAN, want_diag=True)
    found = [d for d in result["diagnostics"] if d["source"] == "custody" and d["code"] == "JAN-S6003"]
    assert found, result["diagnostics"]
    assert found[0]["lnum"] == 7, found                                # `print(data.len)`, 0-based line 7
    assert "use after move" in found[0]["message"] and "`data`" in found[0]["message"], found
