"""custody's Neovim module (editors/neovim/lua/custody.lua) and C (issue 12): with
`setup({ c = { enable = true } })` custody attaches to C buffers (.c; a .h too, whichever of `c`
or `cpp` Neovim made it) next to the user's C client (a stand-in for clangd,
tests/editors/fake_clangd.py), never instead of it; without the option it leaves C buffers alone.
X07 buffers get custody either way.

The editor side is tests/editors/nvim_c.lua. Without `nvim` the test installs Debian's neovim
when it can, as tests/lsp/test_neovim.py does (its helper is reused), and skips, saying why,
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
SCRIPT = HERE / "nvim_c.lua"
FAKE_CLANGD = HERE / "fake_clangd.py"
RUN_TIMEOUT = 120
WAIT_MS = 30000

LEAK_C = """#include <stdlib.h>

void ar_example__leak(void) {
    char *own_buffer = malloc(16);
    own_buffer[0] = 'x';
}
"""
HEADER_H = """#ifndef AR_EXAMPLE_H
#define AR_EXAMPLE_H
void ar_example__leak(void);
#endif
"""


def _find_or_install_nvim() -> str:
    spec = importlib.util.spec_from_file_location("custody_tests_lsp_neovim", ROOT / "tests" / "lsp" / "test_neovim.py")
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper.find_or_install_nvim()


def _run(tmp_path: Path, c_on: bool, want_diag: bool) -> dict:
    nvim = _find_or_install_nvim()
    (tmp_path / ".git").mkdir()                        # the project root for both clients
    c_file, h_file, x_file = tmp_path / "ar_example.c", tmp_path / "ar_example.h", tmp_path / "main.x07t"
    c_file.write_text(LEAK_C)
    h_file.write_text(HEADER_H)
    shutil.copyfile(ROOT / "examples" / "use_after_move.x07t", x_file)
    result_file = tmp_path / "result.json"
    env = dict(os.environ,
               CUSTODY_NVIM_PLUGIN=str(ROOT / "editors" / "neovim"),
               CUSTODY_NVIM_PYTHON=sys.executable,
               CUSTODY_NVIM_CLANGD=str(FAKE_CLANGD),
               CUSTODY_NVIM_C="1" if c_on else "0",
               CUSTODY_NVIM_DIAG="1" if want_diag else "0",
               CUSTODY_NVIM_FILES=":".join(str(p) for p in (c_file, h_file, x_file)),
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


def _clients(result: dict) -> dict[str, list[str]]:
    return {b["name"]: b["clients"] for b in result["buffers"]}


def test_without_the_option_custody_leaves_c_buffers_to_clangd(tmp_path: Path):
    result = _run(tmp_path, c_on=False, want_diag=False)
    assert result["filetypes_off"] == ["x07text", "x07json", "kea", "janus"]
    assert result["filetypes_on"] == ["x07text", "x07json", "kea", "janus", "c"]
    got = _clients(result)
    assert got["ar_example.c"] == ["clangd"], result
    assert got["ar_example.h"] == ["clangd"], result
    assert got["main.x07t"] == ["custody"], result


def test_with_the_option_custody_attaches_to_c_next_to_clangd(tmp_path: Path):
    result = _run(tmp_path, c_on=True, want_diag=False)
    got = _clients(result)
    filetypes = {b["name"]: b["filetype"] for b in result["buffers"]}
    assert filetypes["ar_example.c"] == "c"
    assert filetypes["ar_example.h"] in ("c", "cpp")       # Neovim 0.7 makes .h `cpp`; custody takes it by name
    assert got["ar_example.c"] == ["clangd", "custody"], result
    assert got["ar_example.h"] == ["clangd", "custody"], result
    assert got["main.x07t"] == ["custody"], result


def test_with_the_option_custody_reports_the_leak_in_c(tmp_path: Path):
    result = _run(tmp_path, c_on=True, want_diag=True)
    assert any(d["source"] == "custody" and str(d["code"]).startswith("MMM-") for d in result["diagnostics"]), result
