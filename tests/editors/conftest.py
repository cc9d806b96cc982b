"""Shared by the editor tests.

VS Code: building the extension (npm ci when the lockfile changed, npm test, bundle, package) once
per session, for the packaging checks in test_vscode_extension.py and the real-editor run in
test_vscode_real.py. Building needs node (>= 18) and npm; without them the tests that need the
build are skipped, saying so.

Neovim: `run_nvim` runs one of the Lua scripts here (nvim_language.lua, nvim_c.lua, which share
nvim_common.lua) in a headless Neovim with custody's module, for test_neovim_languages.py and
test_neovim_c.py. Without `nvim` it installs Debian's neovim when it can (tests/lsp/test_neovim.py's
helper) and skips, saying why, when it cannot.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
EXT = ROOT / "editors" / "vscode"
STAMP = EXT / "node_modules" / ".custody-lock-sha256"


def _node_tools() -> tuple[str, str] | None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        return None
    out = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    m = re.match(r"v(\d+)", out)
    if not m or int(m.group(1)) < 18:
        return None
    return node, npm


def _run(npm: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false", npm_config_audit="false")
    p = subprocess.run([npm, *args], cwd=EXT, capture_output=True, text=True, timeout=timeout, env=env)
    assert p.returncode == 0, f"`npm {' '.join(args)}` in {EXT} failed ({p.returncode}):\n{p.stdout[-4000:]}\n{p.stderr[-4000:]}"
    return p


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """npm ci (when the lockfile changed) + npm test + bundle + package; -> (npm test output, vsix path)."""
    tools = _node_tools()
    if tools is None:
        pytest.skip("node >= 18 and npm are needed to build the VS Code extension (editors/vscode); install Node.js to run these tests")
    _, npm = tools
    lock = hashlib.sha256((EXT / "package-lock.json").read_bytes()).hexdigest()
    if not STAMP.exists() or STAMP.read_text().strip() != lock:
        _run(npm, "ci", "--no-audit", "--no-fund", timeout=180)
        STAMP.write_text(lock + "\n")
    test_out = _run(npm, "test")
    _run(npm, "run", "bundle")
    version = json.loads((EXT / "package.json").read_text())["version"]
    vsix = EXT / f"custody-{version}.vsix"
    vsix.unlink(missing_ok=True)
    _run(npm, "run", "package")
    assert vsix.exists(), f"`npm run package` did not produce {vsix.name}"
    kept = tmp_path_factory.mktemp("vsix") / vsix.name
    shutil.move(vsix, kept)           # leave no .vsix in the source tree
    return test_out.stdout + test_out.stderr, kept




# ---- Neovim ----

NVIM_RUN_TIMEOUT = 120
NVIM_WAIT_MS = 30000


def _find_or_install_nvim() -> str:
    spec = importlib.util.spec_from_file_location("custody_tests_lsp_neovim", ROOT / "tests" / "lsp" / "test_neovim.py")
    helper = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(helper)
    return helper.find_or_install_nvim()


@pytest.fixture
def run_nvim(tmp_path):
    """-> run(script, files, want_diag, **env): in tmp_path (a project root, with HOME and the XDG
    folders inside it), runs `nvim --headless ... -c 'luafile tests/editors/<script>'` with the
    variables nvim_common.lua reads (the files to open, CUSTODY_NVIM_DIAG from want_diag) and the
    script's own (env, named without the CUSTODY_NVIM_ prefix); -> the script's JSON result, which
    must say ok."""
    nvim = _find_or_install_nvim()
    (tmp_path / ".git").mkdir()

    def run(script: str, files: list[Path], want_diag: bool, **extra: str) -> dict:
        result_file = tmp_path / "result.json"
        env = dict(os.environ,
                   CUSTODY_NVIM_PLUGIN=str(ROOT / "editors" / "neovim"),
                   CUSTODY_NVIM_PYTHON=sys.executable,
                   CUSTODY_NVIM_DIAG="1" if want_diag else "0",
                   CUSTODY_NVIM_FILES=":".join(str(p) for p in files),
                   CUSTODY_NVIM_RESULT=str(result_file),
                   CUSTODY_NVIM_WAIT_MS=str(NVIM_WAIT_MS),
                   HOME=str(tmp_path),
                   XDG_CONFIG_HOME=str(tmp_path / "config"),
                   XDG_DATA_HOME=str(tmp_path / "data"),
                   XDG_STATE_HOME=str(tmp_path / "state"),
                   XDG_CACHE_HOME=str(tmp_path / "cache"),
                   **{f"CUSTODY_NVIM_{k}": v for k, v in extra.items()})
        cmd = [nvim, "--headless", "--clean", "-n", "-i", "NONE", "-u", "NONE", "-c", f"luafile {HERE / script}"]
        try:
            proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                                  timeout=NVIM_RUN_TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            pytest.fail(f"Neovim did not finish within {NVIM_RUN_TIMEOUT} s; stderr: {e.stderr!r}")
        assert result_file.exists(), f"no result from Neovim (exit {proc.returncode}): {proc.stderr[-2000:]}"
        result = json.loads(result_file.read_text())
        assert result.get("ok"), f"Neovim script failed: {result.get('error')!r}; result {result}; stderr {proc.stderr[-2000:]}"
        assert proc.returncode == 0, proc.stderr[-2000:]
        return result

    return run
