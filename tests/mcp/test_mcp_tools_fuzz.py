"""Random calls of the tools, in process (the transport is tested elsewhere; this is about what
the engine behind it may be asked): texts cut from the case files of every language and edited
at random, names an agent might send (hostile ones too: `..`, NUL, slashes, a suffix of another
language, 255 characters), positions and finding numbers in and far out of range, documents
checked, asked about and fixed in any order. Every call must answer with a dict that is valid
JSON, or refuse with a CallError (what the server turns into a tool error); any other exception
would reach the agent as custody's bug. A fix's patched text must be its edits applied to the
text checked, and the answer to a `check` must name the document it was asked about.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_client import apply_text_edits
from custody.agent_tools import CallError, Tools

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = int(os.environ.get("CUSTODY_PROPERTY_EXAMPLES", "500")) // 2

SUFFIX = {"x07": ".x07t", "c": ".c", "kea": ".kea", "janus": ".jan"}
CASES = {
    "x07": sorted((ROOT / "tests/cases/move").glob("*.x07t"))[:6],
    "c": sorted((ROOT / "tests/cases/c/fixes").glob("*.c"))[:6],
    "kea": sorted((ROOT / "tests/cases/kea/move").glob("*.kea"))[:6],
    "janus": sorted((ROOT / "tests/cases/janus/linear").glob("*.jan"))[:6],
}
TEXTS = [(lang, p.read_text(encoding="utf-8")) for lang, paths in CASES.items() for p in paths]
PIECES = ["", " ", "\n", "(", ")", "{", "}", "move ", "x", "é", "😀", "\r\n", "\t", "\x00", "\ud800",
          "let a = b\n", "drop(x)", "own_", "borrow ", "end\n", "do\n", ":", "\"", "--", "//", "/*"]
NAMES = st.one_of(st.sampled_from(["main", "a.kea", "b.c", "../../etc/passwd", "x/y/z.jan", "a\x00b.kea",
                                   "con.x07t", "untitled:q.kea", "m" * 255, "ü.jan", " .c", "a.x07.json"]),
                  st.text(min_size=1, max_size=40))
HUGE = 10 ** 12


def _texts():
    return st.tuples(st.sampled_from(TEXTS), st.integers(0, 10 ** 6), st.integers(0, 40),
                     st.lists(st.sampled_from(PIECES), max_size=3)).map(_edited)


def _edited(args):
    (lang, text), at, span, pieces = args
    at %= len(text) + 1
    return lang, text[:at] + "".join(pieces) + text[at + span:]


def _document(draw) -> dict:
    """How a call names its document: a text (with or without language and name) or a kept name."""
    lang, text = draw(_texts())
    how = draw(st.sampled_from(["text+language", "text+name", "text+both", "name", "text"]))
    name = draw(st.one_of(NAMES, st.just("doc" + SUFFIX[lang])))
    doc = {"text": text}
    if how in ("text+language", "text+both"):
        doc["language"] = lang
    if how in ("text+name", "text+both"):
        doc["name"] = name
    if how == "name":
        doc = {"name": name}
    return doc


@st.composite
def _call(draw):
    tool = draw(st.sampled_from(["check", "ownership_at", "fix", "explain"]))
    if tool == "explain":
        return tool, {"code": draw(st.one_of(st.sampled_from(["KEA-K2", "jan-s6003", "MMM-L1", "X07-MOVE-0901"]),
                                             st.text(min_size=1, max_size=64)))}
    args = _document(draw)
    number = st.one_of(st.integers(0, 40), st.just(HUGE))
    if tool == "ownership_at":
        args.update(line=draw(number), character=draw(number))
    elif tool == "fix":
        if draw(st.booleans()):
            args["all"] = True
            if draw(st.booleans()):
                args["safe_only"] = draw(st.booleans())
        else:
            args["finding"] = draw(number)
            if draw(st.booleans()):
                args["fix"] = draw(number)
    return tool, args


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(calls=st.lists(_call(), min_size=1, max_size=6))
def test_random_calls_answer_or_refuse_and_never_fail(calls):
    tools = Tools()      # one engine per sequence (a failure replays the same way): its documents stay
    for tool, args in calls:
        try:
            answer = tools.call(tool, json.loads(json.dumps(args)))
        except CallError as e:
            assert str(e).strip(), (tool, args)
            continue
        assert isinstance(answer, dict)
        json.dumps(answer, allow_nan=False)           # what goes on the wire
        if tool == "check":
            assert answer["documents"] and answer["errors"] == sum(f["severity"] == "error"
                                                                   for f in answer["findings"])
        if tool == "fix" and "text" in args:
            assert answer["text"] == apply_text_edits(args["text"], answer["edits"])

