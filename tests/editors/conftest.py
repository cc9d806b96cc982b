"""Shared by the VS Code extension's tests: building the extension (npm ci when the lockfile
changed, npm test, bundle, package) once per session, for the packaging checks in
test_vscode_extension.py and the real-editor run in test_vscode_real.py.

Building needs node (>= 18) and npm; without them the tests that need the build are skipped,
saying so.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

EXT = Path(__file__).resolve().parents[2] / "editors" / "vscode"
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


