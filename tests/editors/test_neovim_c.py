"""custody's Neovim module (editors/neovim/lua/custody.lua) and C (issue 12): with
`setup({ c = { enable = true } })` custody attaches to C buffers (.c; a .h too, whichever of `c`
or `cpp` Neovim made it) next to the user's C client (a stand-in for clangd,
tests/editors/fake_clangd.py), never instead of it; without the option it leaves C buffers alone.
X07 buffers get custody either way.

The editor side is tests/editors/nvim_c.lua, run by conftest.py's run_nvim. Without `nvim` the
test installs Debian's neovim when it can, as tests/lsp/test_neovim.py does (its helper is
reused), and skips, saying why, when it cannot.
"""
from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FAKE_CLANGD = HERE / "fake_clangd.py"

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


def _run(run_nvim, tmp_path: Path, c_on: bool, want_diag: bool) -> dict:
    c_file, h_file, x_file = tmp_path / "ar_example.c", tmp_path / "ar_example.h", tmp_path / "main.x07t"
    c_file.write_text(LEAK_C)
    h_file.write_text(HEADER_H)
    shutil.copyfile(ROOT / "examples" / "use_after_move.x07t", x_file)
    # the project root (conftest.py's run_nvim) is the root of both clients
    return run_nvim("nvim_c.lua", [c_file, h_file, x_file], want_diag,
                    CLANGD=str(FAKE_CLANGD), C="1" if c_on else "0")


def _clients(result: dict) -> dict[str, list[str]]:
    return {b["name"]: b["clients"] for b in result["buffers"]}


def test_without_the_option_custody_leaves_c_buffers_to_clangd(run_nvim, tmp_path: Path):
    result = _run(run_nvim, tmp_path, c_on=False, want_diag=False)
    assert result["filetypes_off"] == ["x07text", "x07json", "kea", "janus"]
    assert result["filetypes_on"] == ["x07text", "x07json", "kea", "janus", "c"]
    got = _clients(result)
    assert got["ar_example.c"] == ["clangd"], result
    assert got["ar_example.h"] == ["clangd"], result
    assert got["main.x07t"] == ["custody"], result


def test_with_the_option_custody_attaches_to_c_next_to_clangd(run_nvim, tmp_path: Path):
    result = _run(run_nvim, tmp_path, c_on=True, want_diag=False)
    got = _clients(result)
    filetypes = {b["name"]: b["filetype"] for b in result["buffers"]}
    assert filetypes["ar_example.c"] == "c"
    assert filetypes["ar_example.h"] in ("c", "cpp")       # Neovim 0.7 makes .h `cpp`; custody takes it by name
    assert got["ar_example.c"] == ["clangd", "custody"], result
    assert got["ar_example.h"] == ["clangd", "custody"], result
    assert got["main.x07t"] == ["custody"], result


def test_with_the_option_custody_reports_the_leak_in_c(run_nvim, tmp_path: Path):
    result = _run(run_nvim, tmp_path, c_on=True, want_diag=True)
    assert any(d["source"] == "custody" and str(d["code"]).startswith("MMM-") for d in result["diagnostics"]), result
