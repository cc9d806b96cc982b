"""`custody check` over many files (issue 13, "Many files"): -j N prints exactly what -j 1 prints,
in the same order, with the same exit status; the progress line only on a terminal and never
with JSON; a worker that dies is reported by the file it was checking, the others' results kept;
an interrupted run still writes what was checked."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from custody import batch, cli

# A small X07 project (x07.json makes its folder the module root) and a C folder: findings in
# several files, one module importing another (its call's argument moves), a file that is not
# UTF-8, a path that cannot be read (a dangling symlink), a clean module.
LIB = """\
{
:kind module
:module_id app.lib
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind export :names (app.lib.take)}
{:kind defn :name app.lib.take :params ({:name b :ty bytes}) :result i32
 :body (bytes.len b)})
}
"""
MAIN = """\
{
:kind module
:module_id app.main
:schema_version x07.x07ast@0.8.0
:imports (app.lib)
:decls ({:kind defn :name app.main.twice :params ({:name b :ty bytes}) :result i32
 :body (begin (let n (app.lib.take b)) (+ n (bytes.len b)))})
}
"""
BAD = """\
{
:kind module
:module_id app.bad
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind defn :name app.bad.uam :params ({:name b :ty bytes}) :result i32
   :body (begin (let c b) (bytes.len b))}
{:kind defn :name app.bad.mwb :params () :result bytes
   :body (begin (let b (bytes.alloc 4)) (let v (bytes.view b)) (let c b) (view.len v) c)})
}
"""
CLEAN = """\
{
:kind module
:module_id app.clean
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind defn :name app.clean.copy :params ({:name v :ty bytes_view}) :result bytes
   :body (view.to_bytes v)})
}
"""
NOT_UTF8 = b"{\n:kind module\n:module_id app.latin\n; caf\xe9 \xff\n:decls ()\n}\n"
HEADER = """\
typedef struct list_s list_t;
/** @note Ownership: Returns an owned value that the caller must destroy. */
list_t* list__create(void);
/** @note Ownership: Takes ownership of own_list and destroys it. */
void list__destroy(list_t *own_list);
"""
C_FILE = """\
#include "list.h"

void leaks(void) {
    list_t *own_list = list__create();
}

void twice(void) {
    list_t *own_list = list__create();
    list__destroy(own_list);
    list__destroy(own_list);
}
"""


def make_tree(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "x07.json").write_text('{"name": "many"}\n')
    (root / "app" / "lib.x07t").write_text(LIB)
    (root / "app" / "main.x07t").write_text(MAIN)
    (root / "app" / "bad.x07t").write_text(BAD)
    (root / "app" / "clean.x07t").write_text(CLEAN)
    (root / "app" / "latin.x07t").write_bytes(NOT_UTF8)
    (root / "app" / "gone.x07t").symlink_to(root / "nowhere.x07t")
    (root / "c").mkdir()
    (root / "c" / "list.h").write_text(HEADER)
    (root / "c" / "list.c").write_text(C_FILE)
    return root


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "custody.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env)


@pytest.fixture
def tree(tmp_path):
    return make_tree(tmp_path / "proj")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_jobs_print_what_one_process_prints(tree, fmt):
    serial = run("check", "-j", "1", "--format", fmt, tree)
    assert serial.returncode == 2                     # the dangling symlink
    assert "gone.x07t" in serial.stderr
    if fmt == "json":
        records = json.loads(serial.stdout)
        paths = {Path(r["path"]).name for r in records}
    else:
        paths = {Path(line.split(":", 1)[0]).name for line in serial.stdout.splitlines() if not line.startswith(" ")}
    assert {"bad.x07t", "main.x07t", "latin.x07t", "list.c"} <= paths, serial.stdout
    assert "clean.x07t" not in paths and "lib.x07t" not in paths
    for jobs in (2, 3, 8):
        par = run("check", "-j", jobs, "--format", fmt, tree)
        assert (par.stdout, par.stderr, par.returncode) == (serial.stdout, serial.stderr, serial.returncode), jobs
    default = run("check", "--format", fmt, tree)
    assert (default.stdout, default.returncode) == (serial.stdout, serial.returncode)


def test_jobs_without_problem_files_same_summary_and_status(tree):
    for name in ("bad.x07t", "main.x07t", "latin.x07t", "gone.x07t"):
        (tree / "app" / name).unlink()
    (tree / "c" / "list.c").unlink()
    serial = run("check", "-j", "1", tree)
    par = run("check", "-j", "2", tree)
    assert serial.returncode == 0 and serial.stdout.endswith("no ownership problems\n")
    assert (par.stdout, par.stderr, par.returncode) == (serial.stdout, serial.stderr, serial.returncode)


def test_the_import_is_read_in_a_worker(tree):
    """main.x07t's finding needs app.lib's signature (take moves its argument)."""
    par = run("check", "-j", "2", tree / "app" / "main.x07t", tree / "app" / "bad.x07t")
    assert "main.x07t" in par.stdout and "X07-MOVE-0901" in par.stdout
    assert par.stdout == run("check", "-j", "1", tree / "app" / "main.x07t", tree / "app" / "bad.x07t").stdout


def test_jobs_option_is_checked():
    for bad in ("0", "-1", "two"):
        r = run("check", "-j", bad, ".")
        assert r.returncode == 2 and "whole number >= 1" in r.stderr


# ------------------------------------------------------------------------------- progress

class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_no_progress_when_stderr_is_not_a_terminal(tree):
    r = run("check", "-j", "2", tree)
    assert "checked" not in r.stderr and "\r" not in r.stderr


@pytest.mark.parametrize("fmt, flags, shown", [("text", [], True), ("text", ["--no-progress"], False),
                                               ("json", [], False)])
def test_progress_on_a_terminal(tree, capsys, monkeypatch, fmt, flags, shown):
    monkeypatch.setattr(batch, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(batch, "PROGRESS_EVERY", 0.0)
    for jobs in ("1", "2"):
        err = Terminal()
        monkeypatch.setattr(sys, "stderr", err)
        code = cli.main(["check", "-j", jobs, "--format", fmt, *flags, str(tree)])
        out = capsys.readouterr().out
        text = err.getvalue()
        assert code == 2
        assert ("custody: checked" in text) == shown, text
        if shown:
            assert "custody: checked 8/8 files" in text
            assert text.endswith("\r\x1b[K")      # erased before the summary and at the end
        if fmt == "json":
            json.loads(out)
        assert "checked" not in out


def test_progress_line_waits_a_second_and_is_erased():
    now = [0.0]
    err = Terminal()
    bar = batch.Progress(10, True, err, clock=lambda: now[0])
    bar.update(3)
    assert err.getvalue() == ""                    # runs under a second show nothing
    now[0] = 1.5
    bar.update(4)
    assert err.getvalue() == "\r\x1b[Kcustody: checked 4/10 files"
    now[0] = 2.0
    bar.update(4)                                  # nothing new: not drawn again
    bar.update(5)
    assert err.getvalue() == "\r\x1b[Kcustody: checked 4/10 files\r\x1b[Kcustody: checked 5/10 files"
    bar.clear()
    assert err.getvalue().endswith("\r\x1b[K")
    assert batch.Progress(10, True, io.StringIO()).enabled is False      # not a terminal
    assert batch.Progress(10, False, Terminal()).enabled is False        # --no-progress


# ------------------------------------------------------------------------------- workers that die

def test_a_worker_that_dies_is_reported_by_its_file(tree, capsys, monkeypatch):
    """Workers killed while checking bad.x07t and list.c: those two are reported as not checked
    (exit 2); every other file's findings are printed as -j 1 prints them."""
    parent = os.getpid()
    real = batch.check_file

    def check_file(engine, path, opts):
        if os.getpid() != parent and path.endswith(("bad.x07t", "list.c")):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(engine, path, opts)

    code1 = cli.main(["check", "-j", "1", str(tree)])
    serial = capsys.readouterr()
    monkeypatch.setattr(batch, "check_file", check_file)     # forked workers inherit it
    for jobs in ("2", "3"):
        code = cli.main(["check", "-j", jobs, str(tree)])
        par = capsys.readouterr()
        assert code == code1 == 2
        for name in ("app/bad.x07t", "c/list.c"):
            assert f"custody: {tree / name}: not checked: its worker process was killed by SIGKILL while " \
                   "checking it; please report it" in par.err
        assert "bad.x07t" in serial.out and "list.c" in serial.out
        assert par.out == without(without(serial.out, "bad.x07t"), "list.c")
        assert "main.x07t" in par.out and "latin.x07t" in par.out


def test_an_internal_error_is_reported_by_its_file(tree, capsys, monkeypatch):
    real = batch.Engine.check

    def check(self, path, data, *a, **k):
        if path and path.endswith("clean.x07t"):
            raise RuntimeError("boom")
        return real(self, path, data, *a, **k)

    monkeypatch.setattr(batch.Engine, "check", check)
    outs = []
    for jobs in ("1", "2"):
        code = cli.main(["check", "-j", jobs, str(tree)])
        outs.append((code, capsys.readouterr()))
    assert outs[0][0] == outs[1][0] == 2
    assert outs[0][1] == outs[1][1]
    assert f"custody: {tree / 'app' / 'clean.x07t'}: internal error (RuntimeError: boom); please report it" in outs[0][1].err
    assert "main.x07t" in outs[0][1].out


HANG = """\
import os, sys, time
from custody import batch, cli
real = batch.check_file
marks = sys.argv[1]
def check_file(engine, path, opts):
    if path.endswith("bad.x07t"):
        time.sleep(600)
    rep = real(engine, path, opts)
    open(os.path.join(marks, str(os.getpid()) + "-" + os.path.basename(path)), "w").close()
    return rep
batch.check_file = check_file
sys.exit(cli.main(["check", "-j", "2", *sys.argv[2:]]))
"""


def test_an_interrupted_run_writes_what_was_checked(tree, tmp_path):
    """bad.x07t hangs; once every other file is checked, SIGTERM (or Ctrl-C): the others' results
    are printed in order, bad.x07t is named, the exit status says the run was interrupted."""
    marks = tmp_path / "marks"
    marks.mkdir()
    expected = run("check", "-j", "1", tree).stdout
    p = subprocess.Popen([sys.executable, "-c", HANG, str(marks), str(tree)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while len(list(marks.iterdir())) < 7 and time.monotonic() < deadline:    # 8 paths; bad.x07t hangs
            time.sleep(0.05)
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == cli.EXIT_INTERRUPTED
    assert f"custody: {tree / 'app' / 'bad.x07t'}: not checked: interrupted while checking it" in err
    assert "gone.x07t" in err
    assert "bad.x07t" in expected and "main.x07t" in expected
    assert out == without(expected, "bad.x07t")


def without(text: str, name: str) -> str:
    """`text` (check's text output) without the findings of the file called `name`, their
    notes and fixes included."""
    out, keep = [], True
    for line in text.splitlines(keepends=True):
        if not line.startswith(" "):
            keep = Path(line.split(":", 1)[0]).name != name
        if keep:
            out.append(line)
    return "".join(out)


def test_fix_with_jobs_fixes_each_file_once_in_order(tmp_path):
    """--fix runs in one process whatever -j says: the same files rewritten the same way, the
    same messages in the same order."""
    results = []
    for jobs in ("1", "2"):
        root = make_tree(tmp_path / f"j{jobs}")
        r = run("check", "--fix", "-j", jobs, root / "app")
        texts = {p.name: p.read_bytes() for p in sorted((root / "app").iterdir()) if p.exists()}
        results.append((r.returncode, r.stdout.replace(str(root), "ROOT"), r.stderr.replace(str(root), "ROOT"), texts))
    assert results[0] == results[1]
    code, out, err, texts = results[0]
    assert "ROOT/app/bad.x07t: applied 1 fix(es)" in err and "ROOT/app/main.x07t: applied 1 fix(es)" in err
    assert err.index("bad.x07t: applied") < err.index("main.x07t: applied")
    assert b"(view.to_bytes (bytes.view b))" in texts["main.x07t"]


def test_per_file_caches_go_cross_file_summaries_stay(tree):
    """After each file the engine keeps nothing that only a second check of the same file would
    read; the imported module's signatures (read once per engine) stay."""
    engine = batch.new_engine(batch.Options())
    for name in ("app/main.x07t", "app/bad.x07t", "c/list.c"):
        rep = batch.check_file(engine, str(tree / name), batch.Options())
        assert not rep.failed
        assert all(len(cache) == 0 for cache in engine.unit_caches.values())
        x07 = engine.sessions["x07"]
        assert len(x07.decls._items) == 0
        assert str(tree / "app" / "lib.x07t") in x07.module_signatures
    assert engine.sessions["c"].last == {}
