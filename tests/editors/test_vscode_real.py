"""The VS Code extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3 in a browser) with
the .vsix built from this checkout installed, driven by headless Debian chromium through
puppeteer-core (editors/vscode/test-env/drive.js).

Why: the extension's unit tests run against a stand-in `vscode` module and could not see that
vscode-languageclient appended `--stdio` to the server's command line and that `custody lsp`
died of it (issue 16). Here the whole chain runs: VS Code starts the server from the settings,
and the page must show the squiggle on the line `custody check` reports, the hover, the Problems
entry, the quick fix removing the squiggle, the run code lens and its report, the cursor
decorations, and comments/strings in colours other than plain text — for every language the
extension contributes (for Kea, a .kea file with a `Unique` parameter used twice: the KEA-K2
squiggle, hover, Problems entry and the grammar's colours; for Janus, a .jan file shown as Janus
and coloured by the Janus grammar, and, once custody has a Janus front-end registered for .jan, the
JAN-S6003 squiggle, hover and Problems entry for a value used after `move`). Then C (issue 12): a `.c` file with an `own_` local that leaks gets nothing
from custody while `custody.c.enable` is off; turned on (in the workspace's settings), custody's
MMM- problems appear.

editors/vscode/test-env/setup.sh installs the pieces (apt-get: chromium, ripgrep, build tools;
npm: code-server, puppeteer-core) into a cache outside the clone; cold it takes ~1.5 min, warm
seconds. The test skips, saying why, only where the machine cannot provide them (no node 20 /
npm, no registry). Screenshots of each step: editors/vscode/test-env/screenshots/ (ignored by git).

CUSTODY_VSCODE_SERVER_COMMAND (a JSON list) replaces the server command, e.g. '["/bin/false"]' to
see the test fail when the server cannot start.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_ENV = ROOT / "editors" / "vscode" / "test-env"
SHOTS = TEST_ENV / "screenshots"
EXAMPLES = ("use_after_move.x07t", "use_after_move.x07.json")
# Kea: a Unique parameter used twice (KEA-K2 on line 4), with a comment and a string to colour
KEA_FILE = "moves.kea"
KEA_TEXT = """-- a Unique parameter used twice
fn f(x: Unique Int) -> Int
  let a = x
  let b = x
  let s = "moved"
  0
"""
SOURCES = EXAMPLES + (KEA_FILE,)
# Janus: a value used after `move` (JAN-S6003 on line 10 where custody knows Janus), with a
# comment, a string and keywords to colour
JAN_FILE = "moves.jan"
JAN_TEXT = """// a value used after `move`
func consume(owned buf: Buffer) -> i32 do
    return 0
end

func main() do
    let data = make_buffer()
    let s = "moved"
    consume(move data)
    print(data.len)
end
"""
HANG_GUARD = 600
# C next to the other C tools (issue 12): an own_ local that leaks (MMM-L1; malloc is MMM-H1)
C_FILE = "ar_leak.c"
LEAK_C = """#include <stdlib.h>

void ar_leak__example(void) {
    char *own_buffer = malloc(16);
    own_buffer[0] = 'x';
}
"""


def _setup() -> dict[str, str]:
    p = subprocess.run(["bash", str(TEST_ENV / "setup.sh")], capture_output=True, text=True, timeout=1200)
    if p.returncode == 3:
        pytest.skip(f"a real VS Code cannot be set up on this machine: {p.stderr.strip().splitlines()[-1]}")
    assert p.returncode == 0, f"editors/vscode/test-env/setup.sh failed ({p.returncode}):\n{p.stderr[-5000:]}"
    return dict(line.split("=", 1) for line in p.stdout.splitlines() if "=" in line)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """Ends a process this test started and the process group it leads (its own children)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)      # the leader is gone; its children may not be
        except ProcessLookupError:
            pass


def _server_command() -> list[str]:
    override = os.environ.get("CUSTODY_VSCODE_SERVER_COMMAND")
    if override:
        return json.loads(override)
    custody = Path(sys.executable).with_name("custody")
    if custody.exists():
        return [str(custody), "lsp"]
    return [sys.executable, "-m", "custody.cli", "lsp"]


def _janus_served() -> bool:
    """Does the server have a Janus front-end (analysis/janus, registered for .jan)? Without one it
    ignores .jan documents, and the Janus file is only looked at for its language and colours."""
    from custody.analysis.languages import LANGUAGES
    return LANGUAGES.for_path("x.jan") is not None


def _expected(path: Path) -> dict:
    """What `custody check` reports for the file: the one finding's line (1-based) and code."""
    p = subprocess.run([sys.executable, "-m", "custody.cli", "check", "--format", "json", str(path)],
                       capture_output=True, text=True, timeout=120)
    findings = json.loads(p.stdout)
    assert len(findings) == 1, findings
    f = findings[0]
    return {"line": f["range"]["start"]["line"] + 1, "col": f["range"]["start"]["character"] + 1,
            "code": f["code"], "message": f["message"]}


@pytest.fixture(scope="module")
def vscode_run(built, tmp_path_factory):
    """Everything drive.js saw in the page, as a dict (see drive.js)."""
    env_keys = _setup()
    node = shutil.which("node")
    _, vsix = built
    tmp = tmp_path_factory.mktemp("vscode-real")
    ws, data, exts = tmp / "workspace", tmp / "data", tmp / "extensions"
    ws.mkdir()
    for name in EXAMPLES:
        shutil.copy(ROOT / "examples" / name, ws / name)
    (ws / C_FILE).write_text(LEAK_C)
    (ws / KEA_FILE).write_text(KEA_TEXT)
    (ws / JAN_FILE).write_text(JAN_TEXT)
    entry = env_keys["CODE_SERVER"]
    base = [node, entry, "--user-data-dir", str(data), "--extensions-dir", str(exts)]
    p = subprocess.run(base + ["--install-extension", str(vsix)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0 and "custody" in p.stdout, f"installing {vsix.name} failed:\n{p.stdout}\n{p.stderr}"
    (data / "User").mkdir(parents=True, exist_ok=True)
    (data / "User" / "settings.json").write_text(json.dumps({
        "custody.server.command": _server_command(),
        "workbench.colorTheme": "Default Dark Modern",
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "workbench.enableExperiments": False,
        "security.workspace.trust.enabled": False,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        "extensions.autoUpdate": False,
        "extensions.autoCheckUpdates": False,
        "extensions.ignoreRecommendations": True,
        "editor.hover.delay": 150,
        "editor.codeLens": True,
        "editor.minimap.enabled": False,
        "chat.commandCenter.enabled": False,
    }, indent=1))
    config = tmp / "config.yaml"
    config.write_text("auth: none\ncert: false\n")
    port = _free_port()
    log = open(tmp / "code-server.log", "wb")
    server = subprocess.Popen(base + ["--config", str(config), "--auth", "none", "--bind-addr", f"127.0.0.1:{port}",
                                      "--disable-workspace-trust", "--disable-telemetry", "--disable-update-check",
                                      "--disable-getting-started-override", str(ws)],
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                              env=dict(os.environ, XDG_CONFIG_HOME=str(tmp / "xdg-config"), XDG_DATA_HOME=str(tmp / "xdg-data")))
    chrome = None
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                assert server.poll() is None, f"code-server exited:\n{(tmp / 'code-server.log').read_text()[-3000:]}"
                assert time.monotonic() < deadline, "code-server did not answer in 120 s"
                time.sleep(0.3)
        chrome_err = open(tmp / "chromium.log", "w+b")
        chrome = subprocess.Popen([
            env_keys["CHROMIUM"], "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={tmp / 'chromium-profile'}", "--remote-debugging-port=0",
            "--window-size=1400,900", "about:blank"], stdout=subprocess.DEVNULL, stderr=chrome_err, start_new_session=True)
        ws_url = None
        deadline = time.monotonic() + 60
        while ws_url is None:
            chrome_err.seek(0)
            m = re.search(rb"DevTools listening on (ws://\S+)", chrome_err.read())
            if m:
                ws_url = m.group(1).decode()
                break
            assert chrome.poll() is None, f"chromium exited:\n{(tmp / 'chromium.log').read_text()[-3000:]}"
            assert time.monotonic() < deadline, "chromium did not start in 60 s"
            time.sleep(0.2)
        shutil.rmtree(SHOTS, ignore_errors=True)
        SHOTS.mkdir(parents=True)
        out = tmp / "seen.json"
        files = [{"name": EXAMPLES[0], "full": True}, {"name": EXAMPLES[1], "full": False},
                 {"name": KEA_FILE, "full": False},
                 {"name": JAN_FILE, "full": False, "diagnostics": _janus_served()}]
        drive = subprocess.run([node, str(TEST_ENV / "drive.js")], capture_output=True, text=True, timeout=HANG_GUARD,
                               env=dict(os.environ, NODE_PATH=env_keys["NODE_PATH"], WS=ws_url, SHOTS=str(SHOTS),
                                        OUT=str(out), FILES=json.dumps(files),
                                        C_FILE=C_FILE, C_ON="1", C_OFF_MS="5000",
                                        WS_SETTINGS=str(ws / ".vscode" / "settings.json"),
                                        URL=f"http://127.0.0.1:{port}/?folder={ws}"))
        seen = json.loads(out.read_text()) if out.exists() else {}
        seen["c_on_checked"] = True
        seen["driver_output"] = (drive.stdout + drive.stderr)[-3000:]
        seen["code_server_log"] = (tmp / "code-server.log").read_text(errors="replace")[-3000:]
        seen["custody_log"] = "\n".join(p.read_text(errors="replace")[-3000:]
                                        for p in data.glob("logs/**/*custody*.log"))
        (SHOTS / "seen.json").write_text(json.dumps(seen, indent=1))
        yield seen
    finally:
        if chrome is not None:
            _stop(chrome)
        _stop(server)
        log.close()


def _context(seen: dict) -> str:
    return (f"driver error: {seen.get('error')}\nsteps: {[s['step'] for s in seen.get('steps', [])]}\n"
            f"custody log: {seen.get('custody_log', '')[-1500:]}\nscreenshots: {SHOTS}")


def _file(seen: dict, name: str) -> dict:
    rec = seen.get("files", {}).get(name)
    assert rec and rec.get("squiggles"), f"no squiggle seen in {name}; the server did not start or publish.\n{_context(seen)}"
    return rec


def _source(name: str, tmp_path: Path) -> Path:
    if name == KEA_FILE:
        (tmp_path / KEA_FILE).write_text(KEA_TEXT)
        return tmp_path / KEA_FILE
    return ROOT / "examples" / name


def _assert_squiggle_hover_and_problem(rec: dict, name: str, want: dict) -> None:
    """What VS Code showed for `name` (rec) is what `custody check` says (want): the squiggle on
    its line only, the message and code in the hover, a Problems entry at its line and column."""
    lines = sorted({s["line"] for s in rec["squiggles"]})
    assert lines == [want["line"]], f"squiggle on line(s) {lines} of {name}; custody check says {want['line']}"
    assert want["message"] in rec.get("hover", ""), f"hover: {rec.get('hover')!r}"
    assert want["code"] in rec["hover"]
    entry = f"[Ln {want['line']}, Col {want['col']}]"
    assert any(want["code"] in r and entry in r for r in rec.get("problems", [])), \
        f"no Problems entry '{want['code']} {entry}': {rec.get('problems')}"


@pytest.mark.parametrize("name", SOURCES)
def test_squiggle_hover_and_problems_entry(vscode_run, name, tmp_path):
    _assert_squiggle_hover_and_problem(_file(vscode_run, name), name, _expected(_source(name, tmp_path)))


@pytest.mark.parametrize("name", SOURCES)
def test_comments_and_strings_are_coloured(vscode_run, name):
    rec = _file(vscode_run, name)
    toks = rec["tokens"]
    plain = toks["plain"]
    strings = {s["color"] for s in toks["spans"] if s["text"].startswith('"') and len(s["text"]) > 1}
    assert strings and plain not in strings, f"strings in {name} are in the plain text colour {plain}: {toks['spans'][:40]}"
    if name.endswith((".x07t", ".kea")):
        mark = ";" if name.endswith(".x07t") else "--"
        comments = {s["color"] for s in toks["spans"] if s["text"].lstrip().startswith(mark)}
        assert comments and plain not in comments, f"comments are in the plain text colour {plain}: {toks['spans'][:20]}"
        assert comments.isdisjoint(strings), "comments and strings in one colour"


def test_quick_fix_removes_the_squiggle(vscode_run):
    rec = _file(vscode_run, EXAMPLES[0])
    assert any(re.search(r"copy .who. before the move", f) for f in rec.get("quickFixes", [])), rec.get("quickFixes")
    assert rec.get("squigglesAfterFix") == [], f"the squiggle is still there after the quick fix: {rec.get('squigglesAfterFix')}"
    assert "(main.greet (view.to_bytes (bytes.view who)))" in rec["textAfterFix"], rec["textAfterFix"]


def test_run_code_lens_reports(vscode_run):
    rec = _file(vscode_run, EXAMPLES[0])
    assert "Run with ownership checks" in rec.get("codeLens", ""), _context(vscode_run)
    report = rec.get("runReport", "")
    assert 'output: "hello bobbob"' in report and "=> ok" in report, report


def test_cursor_decorations(vscode_run):
    rec = _file(vscode_run, EXAMPLES[0])
    decos = rec.get("decorations") or []
    assert decos, f"no cursor decorations on `who`.\n{_context(vscode_run)}"
    afters = {d["after"] for d in decos}
    assert any("moved" in a for a in afters), afters


def test_the_driver_finished(vscode_run):
    assert vscode_run.get("done"), _context(vscode_run)


def test_c_file_gets_nothing_from_custody_with_the_setting_off(vscode_run):
    c = vscode_run.get("c")
    assert c and "problemsOff" in c, f"the C step did not run.\n{_context(vscode_run)}"
    assert not [r for r in c["problemsOff"] if "MMM-" in r or C_FILE in r], c["problemsOff"]
    assert c["squigglesOff"] == 0, c


def test_c_file_gets_custody_problems_with_the_setting_on(vscode_run):
    assert vscode_run.get("c_on_checked"), _context(vscode_run)
    c = vscode_run.get("c") or {}
    rows = c.get("problemsOn") or []
    assert any("MMM-" in r and "custody" in r for r in rows), f"{rows}\n{_context(vscode_run)}"


# ---- Janus ----

def _janus(seen: dict) -> dict:
    rec = seen.get("files", {}).get(JAN_FILE)
    assert rec and rec.get("tokens"), f"{JAN_FILE} was not looked at.\n{_context(seen)}"
    return rec


def test_janus_file_is_janus_and_coloured_by_its_grammar(vscode_run):
    rec = _janus(vscode_run)
    assert rec.get("language") == "Janus", f"language mode {rec.get('language')!r}"
    toks = rec["tokens"]
    plain = toks["plain"]
    colour = lambda pred: {s["color"] for s in toks["spans"] if pred(s["text"])}  # noqa: E731
    comments = colour(lambda t: t.lstrip().startswith("//"))
    strings = colour(lambda t: t.startswith('"') and len(t) > 1)
    keywords = colour(lambda t: t.strip() in ("func", "let", "return", "end", "do"))
    for what, got in (("comments", comments), ("strings", strings), ("keywords", keywords)):
        assert got and plain not in got, f"{what} in {JAN_FILE} are in the plain text colour {plain}: {toks['spans'][:40]}"
    assert comments.isdisjoint(strings), "comments and strings in one colour"


def test_janus_squiggle_hover_and_problems_entry(vscode_run, tmp_path):
    if not _janus_served():
        rec = _janus(vscode_run)
        assert rec.get("squiggles") == [], f"custody has no Janus front-end, yet {JAN_FILE} has squiggles: {rec['squiggles']}"
        pytest.skip("the server has no Janus front-end yet (analysis/janus not registered for .jan): colours only")
    rec = _file(vscode_run, JAN_FILE)
    (tmp_path / JAN_FILE).write_text(JAN_TEXT)
    want = _expected(tmp_path / JAN_FILE)
    assert want["code"] == "JAN-S6003" and want["line"] == 10, want
    _assert_squiggle_hover_and_problem(rec, JAN_FILE, want)
