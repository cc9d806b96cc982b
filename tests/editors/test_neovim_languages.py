"""custody's Neovim module (editors/neovim/lua/custody.lua) and custody's own languages besides X07
(Kea, Janus): setup() gives their buffers their filetype and comment/indent options, attaches
custody to them as to X07 buffers, and Neovim sends the server didOpen with the language's
languageId; for a program with a use after move, custody's diagnostic reaches the buffer at the
right line.

The editor side is tests/editors/nvim_language.lua, run by conftest.py's run_nvim; what Neovim
sends is read from the log of tests/editors/lsp_tap.py, which sits between Neovim and
`custody lsp`. Without `nvim` the test installs Debian's neovim when it can and skips, saying why,
when it cannot.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TAP = HERE / "lsp_tap.py"


@dataclass(frozen=True)
class Language:
    filetype: str            # Neovim's filetype and the LSP languageId
    suffix: str
    commentstring: str
    expandtab: bool | None   # None: the module leaves the user's setting alone
    fine: str                # a correct program: no custody diagnostic
    moved: str               # a use after move ...
    code: str                # ... reported with this code
    line: int                # ... on this 0-based line
    says: tuple              # ... with a message containing each of these


KEA = Language(
    "kea", ".kea", "-- %s", True,
    fine="""fn f(x: Unique Int) -> Unique Int
  x
""",
    # `x` is a Unique parameter: the second `let` uses it after the first moved it (KEA-K2)
    moved="""fn f(x: Unique Int) -> Int
  let a = x
  let b = x
  0
""",
    code="KEA-K2", line=2, says=("use of moved value `x`",))

JANUS = Language(
    "janus", ".jan", "// %s", None,
    fine="""// no ownership syntax: nothing for custody to track
func main() do
    let xs = [1, 2, 3]
    for n in xs do
        print(n)
    end
end
""",
    # `data` is moved into `consume` (`move data`), then read: use after move (J1, JAN-S6003)
    moved="""func consume(owned buf: Buffer) -> i32 do
    return 0
end

func main() do
    let data = make_buffer()
    consume(move data)
    print(data.len)
end
""",
    code="JAN-S6003", line=7, says=("use after move", "`data`"))

LANGUAGES = [pytest.param(KEA, id="kea"), pytest.param(JANUS, id="janus")]


def _run(run_nvim, tmp_path: Path, lang: Language, text: str, want_diag: bool) -> dict:
    file, x_file = tmp_path / f"moves{lang.suffix}", tmp_path / "main.x07t"
    file.write_text(text)
    shutil.copyfile(ROOT / "examples" / "use_after_move.x07t", x_file)
    return run_nvim("nvim_language.lua", [file, x_file], want_diag,
                    TAP=str(TAP), TAP_LOG=str(tmp_path / "sent.jsonl"),
                    CODE_PREFIX=lang.code.split("-")[0] + "-")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_buffers_get_the_filetype_and_custody_and_didopen_says_the_language(run_nvim, tmp_path: Path, lang: Language):
    result = _run(run_nvim, tmp_path, lang, lang.fine, want_diag=False)
    assert lang.filetype in result["filetypes"], result["filetypes"]
    bufs = {b["name"]: b for b in result["buffers"]}
    mine = bufs[f"moves{lang.suffix}"]
    assert mine["filetype"] == lang.filetype, result
    assert mine["commentstring"] == lang.commentstring, mine
    if lang.expandtab is not None:
        assert mine["expandtab"] is lang.expandtab, mine
    assert mine["clients"] == ["custody"], result
    assert bufs["main.x07t"]["clients"] == ["custody"], result       # X07 unchanged, same client
    assert bufs["main.x07t"]["filetype"] == "x07text"
    methods = [m["method"] for m in result["sent"]]
    assert methods[0] == "initialize", methods
    opens = {m["uri"]: m["languageId"] for m in result["sent"] if m["method"] == "textDocument/didOpen"}
    assert opens.get(mine["uri"]) == lang.filetype, opens
    assert opens.get(bufs["main.x07t"]["uri"]) == "x07text", opens


@pytest.mark.parametrize("lang", LANGUAGES)
def test_custody_reports_a_use_after_move_in_neovim(run_nvim, tmp_path: Path, lang: Language):
    result = _run(run_nvim, tmp_path, lang, lang.moved, want_diag=True)
    found = [d for d in result["diagnostics"] if d["source"] == "custody" and d["code"] == lang.code]
    assert found, result["diagnostics"]
    assert found[0]["lnum"] == lang.line, found
    for part in lang.says:
        assert part in found[0]["message"], found
