"""The `custody check` / `custody explain` contract: output shapes, exit codes, bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "use_after_move.x07.json"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "custody.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def module(solve, decls=()):
    return json.dumps({"schema_version": "x07.x07ast@0.8.0", "kind": "entry", "module_id": "main",
                       "imports": [], "decls": list(decls), "solve": solve})


def test_example_reports_use_after_move_with_location():
    r = run("check", str(EXAMPLE))
    assert r.returncode == 1
    line = r.stdout.splitlines()[0]
    assert line.startswith(f"{EXAMPLE}:13:27:")
    assert 'error[X07-MOVE-0901]: use after move: "who"' in line
    assert "moved here into" in r.stdout


def test_json_format_shape(tmp_path):
    r = run("check", "--format", "json", str(EXAMPLE))
    assert r.returncode == 1
    records = json.loads(r.stdout)
    assert len(records) == 1
    rec = records[0]
    assert rec["code"] == "X07-MOVE-0901" and rec["severity"] == "error"
    assert rec["range"] == {"start": {"line": 12, "character": 26}, "end": {"line": 12, "character": 31}}
    assert rec["related"][0]["message"].startswith('"who" moved here')
    assert rec["fixes"][0]["edits"][0]["newText"] == '["view.to_bytes",["bytes.view","who"]]'


def test_fix_applies_safe_fix_and_rechecks_clean(tmp_path):
    p = tmp_path / "m.x07.json"
    p.write_bytes(EXAMPLE.read_bytes())
    r = run("check", "--fix", str(p))
    assert r.returncode == 0, r.stdout + r.stderr
    assert '["main.greet", ["view.to_bytes",["bytes.view","who"]]]' in p.read_text()


def test_clean_file_exit_zero(tmp_path):
    p = tmp_path / "ok.x07.json"
    p.write_text(module(["begin", ["let", "b", ["bytes.lit", "hi"]], ["view.to_bytes", ["bytes.view", "b"]]]))
    r = run("check", str(p))
    assert r.returncode == 0 and "no ownership problems" in r.stdout


def test_directory_walk_and_missing_path(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.x07.json").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "notes.txt").write_text("not x07")
    r = run("check", str(tmp_path))
    assert r.returncode == 1 and "a.x07.json" in r.stdout
    r = run("check", str(tmp_path / "missing.x07.json"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_non_utf8_gets_a_diagnostic_not_a_traceback(tmp_path):
    p = tmp_path / "bad.x07.json"
    p.write_bytes(b'{"kind": "entry", "solve": "\xff\xfe"}')
    r = run("check", str(p))
    assert r.returncode == 1
    assert "CUS-INPUT-0001" in r.stdout and "Traceback" not in r.stderr


def test_deeply_nested_input(tmp_path):
    p = tmp_path / "deep.x07.json"
    p.write_text(module("[" * 10000 + "]" * 10000).replace('"' + "[" * 10000 + "]" * 10000 + '"', "[" * 10000 + "]" * 10000))
    r = run("check", str(p))
    assert "Traceback" not in r.stderr
    assert "CUS-SYNTAX-0002" in r.stdout


def test_broken_syntax_spoils_only_its_declaration(tmp_path):
    good = {"kind": "defn", "name": "main.f", "params": [{"name": "b", "ty": "bytes"}], "result": "bytes",
            "body": ["begin", ["let", "c", "b"], "b"]}
    text = module("input", [good]).replace('"solve": "input"', '"solve": ["begin", ["let", "x" ')
    p = tmp_path / "broken.x07.json"
    p.write_text(text)
    r = run("check", str(p))
    assert "CUS-SYNTAX-0001" in r.stdout
    assert 'use after move: "b"' in r.stdout   # main.f still analysed


def test_explain_known_and_unknown_code():
    r = run("explain", "X07-MOVE-0901")
    assert r.returncode == 0 and "use after move" in r.stdout and "Fix:" in r.stdout
    r = run("explain", "NOPE-1")
    assert r.returncode == 2 and "unknown code" in r.stderr


def test_explain_indents_every_line_of_a_multi_line_example():
    from custody.analysis.catalog import CATALOG

    multi = [c for c in CATALOG.values() if "\n" in c.example]
    assert multi, "some catalog entry has a multi-line example"
    for info in multi:
        text = info.text()
        shown = text[text.index("Example:\n") + 9:text.index("\n\nFix: ")].split("\n")
        assert [line[4:] if line else "" for line in shown] == info.example.split("\n"), info.code
        assert all(line.startswith("    ") or not line for line in shown), info.code


def test_usage_error_exit_two():
    assert run("check").returncode == 2
    assert run("frobnicate").returncode == 2


def test_codes_page_is_generated_from_the_catalog():
    """Every codeDescription link (DOCS_BASE#code) lands on a heading of docs/codes.md."""
    from pathlib import Path

    from custody.analysis.catalog import CATALOG, markdown

    page = Path(__file__).resolve().parents[2] / "docs" / "codes.md"
    assert page.read_text(encoding="utf-8") == markdown(), "regenerate: python -m custody.analysis.catalog > docs/codes.md"
    for code in CATALOG:
        assert f"\n## {code}\n" in page.read_text(encoding="utf-8")


def test_readme_code_list_is_the_catalog():
    from custody.analysis.catalog import CATALOG, table

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert table() in readme, "regenerate the README's code list: python -m custody.analysis.catalog table"
    assert all(f"[{code}]" in table() for code in CATALOG)


# ------------------------------------------------------------------------------- help and odd input

def in_process(capsys, *argv):
    from custody import cli

    code = cli.main(list(map(str, argv)))
    out, err = capsys.readouterr()
    return code, out, err


def _subcommands():
    import argparse

    from custody import cli

    parser = cli.build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return parser, sub


def test_every_command_argument_and_option_has_help():
    import argparse

    parser, sub = _subcommands()
    described = {a.dest: a.help for a in sub._choices_actions}
    assert set(described) == set(sub.choices) >= {"check", "run", "explain", "lsp"}
    assert all(described.values()), described
    for name, p in sub.choices.items():
        assert p.description, f"`custody {name} --help` has no description"
        for a in p._actions:
            if isinstance(a, argparse._HelpAction):
                continue
            assert a.help and a.help is not argparse.SUPPRESS, f"custody {name}: {a.option_strings or a.dest} has no help"


def test_help_reads_well(capsys):
    code, out, _ = in_process(capsys, "--help")
    assert code == 0
    for name in ("check", "run", "explain", "lsp"):
        assert f"\n    {name} " in out
    assert "{check,explain,run,lsp}" not in out     # the commands are listed once, with their help
    _, sub = _subcommands()
    for name in sub.choices:
        code, out, _ = in_process(capsys, name, "--help")
        assert code == 0 and out.startswith(f"usage: custody {name}")
        assert "positional arguments:" not in out or "\n  " in out.split("positional arguments:")[1]
    code, out, _ = in_process(capsys, "run", "--help")
    assert "FILE" in out and "the .x07t or .x07.json program to run" in out
    assert "1e9" in out and "64M" in out and "inf" in out
    code, out, _ = in_process(capsys, "check", "--help")
    assert "PATH" in out and "directory searched" in out and "json:" in out
    assert ".x07t" in out and ".c" in out        # the registered languages' files


@pytest.mark.parametrize("name, data", [("empty.x07t", b""), ("blank.x07t", b"\n  \n"),
                                        ("comment.x07t", b"; nothing but a comment\n"),
                                        ("empty.x07.json", b""), ("comment.x07.json", b"// only a comment\n")])
def test_empty_or_comment_only_file_is_not_a_module(tmp_path, capsys, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    code, out, _ = in_process(capsys, "check", p)
    assert code == 1 and "no ownership problems" not in out
    assert out.startswith(f"{p}:1:1: error[CUS-AST-0001]: the file ")
    assert ("is empty" in out) == (not data.strip())


def _json_check(capsys, p):
    code, out, _ = in_process(capsys, "check", "--format", "json", p)
    return code, json.loads(out)


def _pos(text: str, offset: int) -> dict:
    before = text[:offset]
    return {"line": before.count("\n"), "character": offset - (before.rfind("\n") + 1)}


def test_unclosed_deep_nesting_is_reported_at_the_innermost_opener(tmp_path, capsys):
    text = "{\n:kind entry\n:module_id main\n:solve " + "(begin " * 300 + "(bytes.lit \"x\")\n; trailing comment\n"
    p = tmp_path / "deep.x07t"
    p.write_text(text)
    code, (rec,) = _json_check(capsys, p)
    inner = text.rindex("(begin")
    assert code == 1 and rec["code"] == "CUS-SYNTAX-0001"
    assert rec["range"] == {"start": _pos(text, inner), "end": _pos(text, inner + 1)}
    assert "`(begin` is never closed" in rec["message"] and "needs a `)`" in rec["message"]
    assert "300 brackets" in rec["message"]
    (note,) = rec["related"]
    assert note["range"]["start"] == {"line": 0, "character": 0} and "outermost" in note["message"]


def test_unclosed_map_and_json_array(tmp_path, capsys):
    text = "{\n:kind entry\n:solve (begin\n  (let a (bytes.lit \"x\"))\n  (begin (begin {\n"
    p = tmp_path / "map.x07t"
    p.write_text(text)
    code, (rec,) = _json_check(capsys, p)
    assert rec["range"]["start"] == _pos(text, text.rindex("{")) and "`{` is never closed" in rec["message"]
    assert "this map, which needs a `}`" in rec["message"]
    text = '{"kind": "entry", "solve": ["begin", ["let", "a"'
    p = tmp_path / "arr.x07.json"
    p.write_text(text)
    code, (rec,) = _json_check(capsys, p)
    assert rec["range"]["start"] == _pos(text, text.rindex("[")) and "`[` is never closed" in rec["message"]


def test_missing_closer_is_reported_at_its_opener(tmp_path, capsys):
    text = "{\n:kind entry\n:module_id main\n:solve (begin (let a (bytes.lit \"x\")) a\n}\n"
    p = tmp_path / "missing.x07t"
    p.write_text(text)
    code, recs = _json_check(capsys, p)
    (rec,) = [r for r in recs if r["code"] == "CUS-SYNTAX-0001"]
    assert rec["range"]["start"] == _pos(text, text.index("(begin"))
    assert "`(begin` is never closed" in rec["message"] and "missing" in rec["message"]


def test_stray_closer_is_still_unexpected(tmp_path, capsys):
    text = "{\n:kind entry\n:solve (bytes.lit \"x\")))\n}\n"
    p = tmp_path / "stray.x07t"
    p.write_text(text)
    code, recs = _json_check(capsys, p)
    msgs = [r["message"] for r in recs if r["code"] == "CUS-SYNTAX-0001"]
    assert code == 1 and msgs and all("never closed" not in m for m in msgs)
    assert any("unexpected `)" in m for m in msgs)


def test_run_refuses_a_language_custody_cannot_run(capsys, tmp_path):
    src = tmp_path / "leak.c"
    src.write_text("void f(void) {}\n")
    code, out, err = in_process(capsys, "run", str(src))
    assert code == 2 and out == ""
    assert "custody runs X07" in err and "not C ones" in err and "custody check" in err


def test_summary_does_not_call_warnings_no_problems(capsys, tmp_path):
    src = tmp_path / "leak.c"
    src.write_text("typedef struct ar_d_s ar_d_t;\n"
                   "/** @note Ownership: Returns an owned value that the caller must destroy. */\n"
                   "ar_d_t* ar_d__create(void);\n"
                   "void f(void) {\n    ar_d_t *own_d = ar_d__create();\n}\n")
    code, out, _ = in_process(capsys, "check", str(src))
    assert code == 0 and "MMM-L1" in out            # a warning: exit status 0
    assert "no ownership problems" not in out and "1 warning(s), no errors" in out
