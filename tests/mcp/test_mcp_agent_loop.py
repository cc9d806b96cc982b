"""An agent's loop through `custody mcp`, in every language custody reads: check a program, find
a finding with a fix, ask `explain` what its code means and `ownership_at` why the value is in
that state, take the fix, apply its edits, and check again: clean. Also: `check` on a path
answers exactly what `custody check --format json` prints, a re-check of a slightly changed
text is incremental (the engine's own unit counts say so) and equals a fresh check, and a kept
text is found again by the name it was sent under (with or without its suffix) or by the path
an answer named it by.

One server for the module (conftest.py); the programs are small versions of case files with a
`.fixed.` counterpart under tests/cases/.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from agent_client import ROOT, apply_text_edits, position_of

X07 = (ROOT / "examples" / "use_after_move.x07t").read_text(encoding="utf-8")   # the README's example

C = """typedef struct ar_data_s ar_data_t;

/**
 * @note Ownership: Returns an owned value that the caller must destroy.
 */
ar_data_t* ar_data__create_integer(int value);

/**
 * @note Ownership: Takes ownership of own_data and destroys it.
 */
void ar_data__destroy(ar_data_t *own_data);

int ar_data__get_integer(const ar_data_t *ref_data);

int ar_version__read(const char *ref_name) {
    ar_data_t *own_version = ar_data__create_integer(7);
    if (!ref_name) {
        return 0;
    }
    int value = ar_data__get_integer(own_version);
    ar_data__destroy(own_version);
    return value;
}

int ar_version__twice(int value) {
    int doubled = value * 2;
    return doubled;
}
"""

KEA = """enum Unique a
  Unique(a)

fn describe(value: a) -> Int
  0

fn report(u: Unique Int) -> Int
  let first = describe(u)
  first + describe(u)
"""

JANUS = """func consume(owned b: Buffer) do
    drop(b)
end

func twice() do
    let buf = make_buffer()
    consume(move buf)
    consume(move buf)
end
"""

# language, document name, text, its finding's code, where to ask why (needle, offset), the binding
LOOPS = [
    ("x07", "loop.x07t", X07, "X07-MOVE-0901", ("msg who", 4), "who"),
    ("c", "loop.c", C, "MMM-L1", ("ar_data__destroy(own_version)", 17), "own_version"),
    ("kea", "loop.kea", KEA, "KEA-K2", ("first + describe(u)", 17), "u"),
    ("janus", "loop.jan", JANUS, "JAN-MOVE-0001", ("move buf)\nend", 5), "buf"),
]


@pytest.mark.parametrize("lang, name, text, code, why_at, binding", LOOPS, ids=[x[0] for x in LOOPS])
def test_check_explain_ask_why_fix_and_check_clean(agent, lang, name, text, code, why_at, binding):
    checked = agent.answer("check", {"text": text, "language": lang, "name": name})
    assert [f["code"] for f in checked["findings"]] == [code]
    assert checked["errors"] + checked["warnings"] == 1
    assert checked["documents"][0]["path"] == "untitled:" + name
    assert checked["documents"][0]["language"] == lang
    finding = checked["findings"][0]
    assert finding["path"] == "untitled:" + name and finding["fixes"]

    entry = agent.answer("explain", {"code": finding["code"]})
    assert entry["code"] == code and entry["title"] and entry["fix"] and lang in entry["languages"]
    assert entry["text"].startswith(f"{code}: {entry['title']}\n\n")

    line, character = position_of(text, *why_at)
    why = agent.answer("ownership_at", {"name": name, "line": line, "character": character})   # the kept text
    assert why["binding"]["name"] == binding
    assert why["binding"]["why"], "the state's reason (moved/acquired here)"
    assert f"{binding}: " in why["hover"]
    assert why["moves"] and why["live"]
    assert any(m["message"].startswith(f"{code}: ") for m in why["conflicts"]), why["conflicts"]
    assert {i["kind"] for i in why["items"]} >= {"live", "move", "conflict"}

    fixed = agent.answer("fix", {"name": name, "finding": 0})
    preferred = finding["fixes"][0]
    assert fixed["applied"] == [preferred["title"]]
    assert fixed["edits"] == preferred["edits"]              # as check (and check --format json) gave them
    patched = apply_text_edits(text, fixed["edits"])
    assert patched == fixed["text"] != text

    again = agent.answer("check", {"text": patched, "language": lang, "name": name})
    assert again["findings"] == [] and again["errors"] == 0 and again["warnings"] == 0


@pytest.mark.parametrize("lang, name, text, code, why_at, binding", LOOPS, ids=[x[0] for x in LOOPS])
def test_fix_all_leaves_nothing_to_fix(agent, lang, name, text, code, why_at, binding):
    doc = {"text": text, "language": lang, "name": "all-" + name}
    fixed = agent.answer("fix", {**doc, "all": True})
    assert len(fixed["applied"]) == 1 and len(fixed["edits"]) == 1
    assert apply_text_edits(text, fixed["edits"]) == fixed["text"]
    assert agent.answer("check", {**doc, "text": fixed["text"]})["findings"] == []


# the edit: a change inside one function's body; the other function must be reused
EDITS = {"x07": ('"hello "', '"hi "'), "c": ("value * 2", "value * 3"), "kea": ("  0\n", "  1\n"),
         "janus": ("drop(b)\n", "drop(b)\n    drop(b)\n")}


@pytest.mark.parametrize("lang, name, text", [(x[0], x[1], x[2]) for x in LOOPS], ids=[x[0] for x in LOOPS])
def test_a_repeated_check_reuses_what_did_not_change(agent, lang, name, text):
    doc = {"language": lang, "name": "again-" + name}
    first = agent.answer("check", {**doc, "text": text})["documents"][0]
    assert first["cached"] is False and sum(first["units"].values()) == 2     # two functions

    same = agent.answer("check", {**doc, "text": text})["documents"][0]
    assert same["cached"] is True                 # nothing changed: the kept analysis answers

    old, new = EDITS[lang]
    assert old in text
    edited = text.replace(old, new, 1)
    after = agent.answer("check", {**doc, "text": edited})
    assert after["documents"][0]["cached"] is False
    assert after["documents"][0]["units"] == {"reused": 1, "analysed": 1}

    fresh = agent.answer("check", {"language": lang, "name": "fresh-" + name, "text": edited})
    rename = f"untitled:fresh-{name}", f"untitled:again-{name}"
    assert json.loads(json.dumps(fresh["findings"]).replace(*rename)) == after["findings"]


def test_a_kept_text_is_named_as_sent_or_as_answers_name_it(agent):
    sent = agent.answer("check", {"text": KEA, "language": "kea", "name": "kept"})
    assert sent["documents"][0]["path"] == "untitled:kept.kea"      # the language's suffix added
    for name in ("kept", "kept.kea", "untitled:kept.kea"):
        again = agent.answer("check", {"name": name})
        assert again["documents"][0] == {**sent["documents"][0], "cached": True}
        assert again["findings"] == sent["findings"]
    agent.answer("check", {"text": C, "language": "c", "name": "kept"})
    ambiguous = agent.error("check", {"name": "kept"})
    assert "'kept.kea'" in ambiguous and "'kept.c'" in ambiguous and "say which" in ambiguous
    assert [f["code"] for f in agent.answer("check", {"name": "kept.c"})["findings"]] == ["MMM-L1"]


CLI_FILES = ["examples/use_after_move.x07t", "examples/use_after_move.x07.json",
             "tests/cases/c/fixes/l1_insert_destroy_before_return.c",
             "tests/cases/kea/fixes/k4_take_by_value.kea", "tests/cases/janus/move/double_move.jan",
             "tests/cases/kea/fixes"]


def _cli_json(path: str) -> list:
    out = subprocess.run([sys.executable, "-m", "custody.cli", "check", "--format", "json", "-j", "1", path],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


@pytest.mark.parametrize("path", CLI_FILES)
def test_check_of_a_path_is_custody_check_format_json(agent, path):
    mcp = agent.answer("check", {"path": path})
    assert mcp["findings"] == _cli_json(path)
    assert mcp["findings"], "a case with findings: the comparison must be able to fail"
    assert mcp["errors"] == sum(f["severity"] == "error" for f in mcp["findings"])


def test_check_of_a_file_that_is_not_utf8_is_a_finding_as_in_the_cli(agent, tmp_path):
    path = tmp_path / "latin1.kea"
    path.write_bytes(b"fn f(x: Int) -> Int\n  x -- caf\xe9\n")
    mcp = agent.answer("check", {"path": str(path)})
    assert mcp["findings"] == _cli_json(str(path)) and mcp["findings"]


def test_a_file_is_read_again_on_every_check(agent, tmp_path):
    path = tmp_path / "edited.kea"
    path.write_text(KEA)
    assert [f["code"] for f in agent.answer("check", {"path": str(path)})["findings"]] == ["KEA-K2"]
    fixed = agent.answer("fix", {"path": str(path), "finding": 0})["text"]
    path.write_text(fixed)                       # the agent writes the fix itself
    again = agent.answer("check", {"path": str(path)})
    assert again["findings"] == [] and again["documents"][0]["cached"] is False
    os.remove(path)
    assert "No such file" in agent.error("check", {"path": str(path)})
