"""A related location in another file (MMM-P3's "declared here" in the header) is given in that
file's lines and columns, in the CLI's JSON and in the language server's relatedInformation:
they used to be computed with the `.c` file's line index, which put them at unrelated lines."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from custody.analysis.engine import Engine
from custody.analysis.source import FileIndexes, LineIndex
from custody.lsp import diagnostics
from custody.lsp.service import Service
from custody.lsp.settings import Settings

CASE = Path(__file__).resolve().parents[2] / "cases" / "c" / "prefix"


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    c = tmp_path / "p3_ref_vs_mut.c"
    h = tmp_path / "p3_ref_vs_mut.h"
    shutil.copy(CASE / c.name, c)
    shutil.copy(CASE / h.name, h)
    return c, h


def _where_in_header(h: Path) -> tuple[int, int]:
    text = h.read_text()
    line = next(i for i, ln in enumerate(text.splitlines()) if "ar_gauge__read_scaled(" in ln)
    return line, text.splitlines()[line].index("ref_data")


def test_json_gives_the_header_s_own_line_and_column(tmp_path):
    c, h = _copy(tmp_path)
    out = subprocess.run([sys.executable, "-m", "custody.cli", "check", "--format", "json", str(c)],
                         capture_output=True, text=True)
    records = [r for r in json.loads(out.stdout) if r["code"] == "MMM-P3"]
    assert records, out.stdout
    rel = records[0]["related"][0]
    assert rel["path"] == str(h)
    assert (rel["range"]["start"]["line"], rel["range"]["start"]["character"]) == _where_in_header(h)


def test_language_server_names_the_header_and_its_lines(tmp_path):
    c, h = _copy(tmp_path)
    svc = Service(Settings())
    uri = c.as_uri()
    svc.open(uri, 1, c.read_text(), "c")
    snap = svc.snapshot(uri)
    diags = [d for d in diagnostics.diagnostics(snap, svc.settings, FileIndexes(svc.engine.overlay))
             if d.code == "MMM-P3"]
    assert diags
    rel = diags[0].related_information[0]
    assert rel.location.uri == h.as_uri()
    assert (rel.location.range.start.line, rel.location.range.start.character) == _where_in_header(h)


def test_a_related_file_that_cannot_be_read_is_left_out(tmp_path):
    c, h = _copy(tmp_path)
    result = Engine(batch=True).check(str(c), c.read_bytes())
    finding = next(f for f in result.findings if f.code == "MMM-P3")
    h.unlink()
    record = finding.to_json(str(c), LineIndex(c.read_bytes()), FileIndexes())
    assert record["related"] == []


def test_text_output_gives_the_header_s_own_line(tmp_path):
    c, h = _copy(tmp_path)
    out = subprocess.run([sys.executable, "-m", "custody.cli", "check", str(c)], capture_output=True, text=True)
    line, col = _where_in_header(h)
    assert f"  {h}:{line + 1}:{col + 1}: note: declared here as `ref_data`" in out.stdout, out.stdout


def test_typing_before_it_does_not_move_a_place_in_the_header(tmp_path):
    """The finding moves with the edit; its related location in the header does not (both the
    fast path and the general path used to shift it by the edit's length)."""
    import sys as _sys
    _sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from random_edits import change
    c, h = _copy(tmp_path)
    svc = Service(Settings())
    uri = c.as_uri()
    text = c.read_text().replace('.h"\n', '.h"\n\nstatic int _pad(int n) {\n    return n;\n}\n', 1)
    c.write_text(text)
    svc.open(uri, 1, text, "c")
    before = [f for f in svc.snapshot(uri).findings if f.code == "MMM-P3"]
    assert before and before[0].related[0].path == str(h)
    at = text.index("return n;")                 # inside a function before the finding's
    svc.change(uri, 2, [change(text, at, at, "\n    int unused_1 = 17;\n")])
    after = [f for f in svc.snapshot(uri).findings if f.code == "MMM-P3"]
    fresh = [f for f in Engine().check(str(c), svc.docs[uri].data).findings if f.code == "MMM-P3"]
    assert [f.related for f in after] == [f.related for f in fresh] == [f.related for f in before]
