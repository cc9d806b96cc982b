"""No text from the user's file (names, literals, paths) can change the C that `custody run` builds.

Why: emit_c.py once wrote a function's name and the source path into C comments, so a name
holding `*/` followed by C became code that ran (before main, with an `__attribute__`), and a
directory named `q*` broke runs. The emitter now lets user text into C only through c_string
(literals) and mangle / sanitize (identifiers), and c_guard refuses any translation unit outside
its subset. These tests prove it from outside:

  * property (hypothesis, derandomized, bounded): hostile function / parameter / binding / record /
    field / enum / variant names, string literals and file paths give the same C token stream,
    outside string literals, as a benign program of the same shape (identifiers derived from a
    name normalized), and the guard accepts every such translation unit;
  * mangle is total and injective (decoded back) with safe identifiers; c_string decodes back to
    its bytes and never holds a trigraph;
  * the guard refuses each construct that could run code before main or leave the subset;
  * end to end: the issue's `*/` injection goes through `custody run` and its payload (creating a
    file) never runs; a program in a directory named `q*` runs fine.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from custody.runtime import c_guard
from custody.runtime.emit_c import emit_program
from custody.runtime.emit_types import c_string, literal_bytes, mangle

REPO = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------- a C tokenizer of our own

_TOKEN = re.compile(r"""
    (?P<ws>[ \t\n]+)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<num>[0-9][A-Za-z0-9_]*)
  | (?P<punct>->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%=<>!&|^~?:;,.(){}\[\]])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

_NAME_DERIVED = re.compile(r"f_[A-Za-z0-9_]+|l_[A-Za-z0-9_]*_[0-9]+|p[0-9]+_[A-Za-z0-9_]*")


def tokens(c: str, header_lines: int = 3) -> list[str]:
    """The token stream after the fixed header: literals become LIT, the length argument that
    follows a literal becomes LEN, identifiers made from user names become N0, N1... in order
    of first appearance."""
    body = c.split("\n", header_lines)[header_lines]
    out: list[str] = []
    names: dict[str, str] = {}
    for m in _TOKEN.finditer(body):
        kind, text = m.lastgroup, m.group()
        if kind == "ws":
            continue
        if kind == "str":
            out.append("LIT")
        elif kind == "num" and out[-2:] == ["LIT", ","]:
            out.append("LEN")
        elif kind == "id" and _NAME_DERIVED.fullmatch(text):
            out.append(names.setdefault(text, f"N{len(names)}"))
        elif kind == "other":
            out.append(f"OTHER({text!r})")
        else:
            out.append(text)
    return out


# ---------------------------------------------------------------- the program shape

BENIGN = dict(fn="", param="v", let="b", arm="k", rec="", field="x", enum="", variant="A",
              text="hi")


def program(fn: str, param: str, let: str, arm: str, rec: str, field: str, enum: str,
            variant: str, text: str) -> bytes:
    """One x07AST JSON module using every kind of user text the emitter sees. Record, enum and
    function names get distinct fixed prefixes so they can never spell a builtin or each other."""
    f, r, e = "main.fn" + fn, "main.rec" + rec, "main.en" + enum
    doc = {
        "schema_version": "x07.x07ast@0.9.0", "kind": "entry", "module_id": "main", "imports": [],
        "decls": [
            {"kind": "defrecord", "name": r, "fields": [{"name": field, "ty": "i32"}]},
            {"kind": "defenum", "name": e, "variants": [{"name": variant, "payload": "i32"},
                                                         {"name": variant + "_other"}]},
            {"kind": "defn", "name": f, "params": [{"name": param, "ty": "bytes_view"}],
             "result": "bytes", "body": ["view.to_bytes", param]},
        ],
        "solve": ["begin",
                  ["let", let, ["bytes.lit", text]],
                  ["let", "rr", [f"{r}.make", 7]],
                  ["let", "ee", [f"{e}.{variant}", [f"{r}.{field}", "rr"]]],
                  ["let", "n", ["match", "ee", [f"{e}.{variant}", arm, arm],
                                [f"{e}.{variant}_other", 0]]],
                  ["bytes.concat", [f, ["bytes.view", let]], ["bytes1", "n"]]],
    }
    return json.dumps(doc).encode("utf-8")


def emit(path: str, **parts):
    e = emit_program(path, program(**{**BENIGN, **parts}))
    assert e.c_source is not None, e.unsupported
    return e.c_source


BENIGN_PATH = "/work/prog.x07.json"
BENIGN_C = None


def benign_tokens() -> list[str]:
    global BENIGN_C
    if BENIGN_C is None:
        BENIGN_C = emit(BENIGN_PATH)
    return tokens(BENIGN_C)


# ---------------------------------------------------------------- hostile text

HOSTILE_PIECES = ["*/", "/*", "//", "\\", "\n#include <stdio.h>\n", "\n#", "\"", "'", "\x00", "??/",
                  "??=", "q*", "*/ __attribute__((constructor)) static void evil(void) { } /*",
                  "_Pragma(\"x\")", "\\\n", "%:", "<%", "\u00e9", "\ud800", "\udcff", "$", "@",
                  "`", "\t", "\r", "\x7f", "0x", "1e9", "__asm__", "-", ".", "_", " "]

hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=4)),
                        max_size=5).map("".join)
# a field / variant name may hold anything but a `.` (the head `Record.field` splits at the last dot)
hostile_member = hostile_text.map(lambda s: s.replace(".", "")).filter(bool)
# a binding must not shadow the program's fixed bindings (that would change the program, not its text)
hostile_binding = hostile_text.filter(lambda s: s not in ("rr", "ee", "n", "input"))


def hostile_path_strategy():
    raw = st.lists(st.sampled_from([b"q*", b"*/", b"a b", b"\xff\xfe", b"\n#", b"??/", b"\\",
                                    b"\"", b"x"]), min_size=1, max_size=4)
    return raw.map(lambda parts: "/tmp/" + os.fsdecode(b"/".join(parts)) + "/p.x07.json")


SETTINGS = settings(derandomize=True, max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(fn=hostile_text, param=hostile_binding, let=hostile_binding, arm=hostile_binding,
       rec=hostile_text, field=hostile_member, enum=hostile_text, variant=hostile_member,
       text=st.one_of(hostile_text, st.binary(max_size=8).map(os.fsdecode)),
       path=hostile_path_strategy())
def test_hostile_text_never_changes_the_c_outside_literals(fn, param, let, arm, rec, field, enum,
                                                          variant, text, path):
    assume(let != arm and param != arm)   # distinct bindings keep the program's meaning
    c = emit(path, fn=fn, param=param, let=let, arm=arm, rec=rec, field=field, enum=enum,
             variant=variant, text=text)
    assert tokens(c) == benign_tokens()
    assert c.split("\n", 3)[:3] == BENIGN_C.split("\n", 3)[:3]     # the header has no user text
    assert c_guard.problem(c) is None
    # the literal holds exactly the text's bytes (escaped), so nothing was dropped either
    assert c_string(literal_bytes(text)) in c


def test_the_property_can_fail():
    """Had a name reached the C outside a literal (the old `/* name */` comment), the token
    streams of a benign and a hostile name would differ: the comparison sees it."""
    def old_style(c: str, name: str) -> str:
        return c.replace("\nstatic rt_bytes f_", f"\n/* {name} */\nstatic rt_bytes f_", 1)
    c = emit(BENIGN_PATH)
    assert tokens(old_style(c, "main.fn")) != tokens(old_style(c, "main.fn */ int evil; /*"))


@pytest.mark.parametrize("piece", HOSTILE_PIECES)
def test_each_hostile_piece_alone_in_every_slot(piece):
    member = piece.replace(".", "") or "z"
    binding = piece if piece not in ("", "_") else "zz"
    # as a real path would hold it: bytes (no NUL, no `/` in one name) decoded by os.fsdecode
    raw = piece.encode("utf-8", "surrogatepass").replace(b"/", b"%").replace(b"\0", b"")
    folder = os.fsdecode(raw or b"nul")
    c = emit("/tmp/" + folder + "/p.x07.json", fn=piece, param=binding,
             let=binding, arm=binding + "2", rec=piece, field=member, enum=piece, variant=member,
             text=piece)
    assert tokens(c) == benign_tokens()
    assert c_guard.problem(c) is None


# ---------------------------------------------------------------- mangle and c_string

def unmangle(ident: str, prefix: str = "f_") -> str:
    assert ident.startswith(prefix)
    s, i, out = ident[len(prefix):], 0, []
    while i < len(s):
        ch = s[i]
        if ch != "_":
            out.append(ch)
            i += 1
        elif s[i + 1] == "_":
            out.append("_")
            i += 2
        elif s[i + 1] == "d":
            out.append(".")
            i += 2
        elif s[i + 1] == "x":
            out.append(chr(int(s[i + 2:i + 4], 16)))
            i += 4
        else:
            assert s[i + 1] == "u"
            out.append(chr(int(s[i + 2:i + 8], 16)))
            i += 8
    return "".join(out)


C_KEYWORDS = {"auto", "break", "case", "char", "const", "continue", "default", "do", "double",
              "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
              "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct",
              "switch", "typedef", "union", "unsigned", "void", "volatile", "while"}


@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(st.text())
def test_mangle_is_total_injective_and_c_safe(name):
    m = mangle(name)
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", m)
    assert not m.startswith(("_", "rt_", "cus_", "RT_")) and m not in C_KEYWORDS
    assert unmangle(m) == name            # decodes back, so no two names share one identifier


def test_mangle_takes_lone_surrogates_and_refuses_unsafe_prefixes():
    name = os.fsdecode(b"main.\xff\xfe")
    assert unmangle(mangle(name)) == name
    assert mangle("a", "g_") == "g_a"
    for bad in ("_", "__x_", "rt_", "cus_", "1_", "a", "a b_"):
        with pytest.raises(ValueError):
            mangle("a", bad)


def c_literal_bytes(lit: str) -> bytes:
    assert lit[0] == lit[-1] == '"'
    s, i, out = lit[1:-1], 0, bytearray()
    while i < len(s):
        if s[i] == "\\":
            if s[i + 1] in "\"\\":
                out.append(ord(s[i + 1]))
                i += 2
            else:
                out.append(int(s[i + 1:i + 4], 8))
                i += 4
        else:
            out.append(ord(s[i]))
            i += 1
    return bytes(out)


@settings(derandomize=True, max_examples=300, deadline=None, database=None)
@given(st.binary(max_size=64))
def test_c_string_round_trips_and_stays_in_its_alphabet(data):
    lit = c_string(data)
    assert re.fullmatch(r'"(?:[ !#-/0-9:->@-\[\]-~]|\\[0-7]{3}|\\["\\])*"', lit)
    assert "??" not in lit and "\n" not in lit
    assert c_literal_bytes(lit) == data


def test_literal_bytes_keeps_lone_surrogates():
    assert literal_bytes("a\ud800") == b"a\xed\xa0\x80"
    assert literal_bytes("é") == "é".encode()


# ---------------------------------------------------------------- the guard refuses

def _with(c: str, old: str, new: str) -> str:
    assert old in c
    return c.replace(old, new, 1)


INT_MAIN = "int main(void) {"
GUARD_BREAKS = {
    "constructor": lambda c: _with(c, "static rt_view cus_input;",
                                   "static rt_view cus_input;\nstatic void __attribute__((constructor)) f_x(void) { }"),
    "pragma": lambda c: _with(c, "static rt_view cus_input;", "#pragma GCC poison x\nstatic rt_view cus_input;"),
    "_Pragma": lambda c: _with(c, "static rt_view cus_input;", "_Pragma(\"once\") static rt_view cus_input;"),
    "directive": lambda c: _with(c, "static rt_view cus_input;", "#define X 1\nstatic rt_view cus_input;"),
    "include": lambda c: _with(c, '#include "custody_builtins.h"\n', '#include "custody_builtins.h"\n#include <stdio.h>\n'),
    "asm": lambda c: _with(c, "    cus_input = input;", "    __asm__(\"nop\");\n    cus_input = input;"),
    "asm keyword": lambda c: _with(c, "    cus_input = input;", "    asm(\"nop\");\n    cus_input = input;"),
    "section": lambda c: _with(c, "static rt_view cus_input;", "static rt_view cus_input section;"),
    "trigraph": lambda c: _with(c, "    cus_input = input;", "    cus_input = input; ??="),
    "splice": lambda c: _with(c, "    cus_input = input;", "    cus_input = \\\ninput;"),
    "comment": lambda c: _with(c, "    cus_input = input;", "    /* x */ cus_input = input;"),
    "line comment": lambda c: _with(c, "    cus_input = input;", "    cus_input = input; // x"),
    "char literal": lambda c: _with(c, "    cus_input = input;", "    cus_input = input; (void)'a';"),
    "wide literal": lambda c: _with(c, "    cus_input = input;", "    (void)u8\"x\"; cus_input = input;"),
    "u literal": lambda c: _with(c, "    cus_input = input;", "    (void)u\"x\"; cus_input = input;"),
    "literal with ?": lambda c: _with(c, "    cus_input = input;", "    (void)\"?\"; cus_input = input;"),
    "digraph": lambda c: _with(c, "static rt_view cus_input;", "%:define X\nstatic rt_view cus_input;"),
    "non-static": lambda c: _with(c, INT_MAIN, "int evil(void) { return 0; }\n" + INT_MAIN),
    "extern decl": lambda c: _with(c, INT_MAIN, "static int f_y(void);\nint system(const char *);\n" + INT_MAIN),
    "unknown call": lambda c: _with(c, "    cus_input = input;", "    system(0); cus_input = input;"),
    "typedef": lambda c: _with(c, "static rt_view cus_input;", "typedef int f_t;\nstatic rt_view cus_input;"),
    "non-ascii": lambda c: _with(c, "    cus_input = input;", "    cus_input = input; /* \u00e9 */"),
    "float": lambda c: _with(c, "    cus_input = input;", "    (void)1e5; cus_input = input;"),
    "two mains": lambda c: c + INT_MAIN + " return 0; }\n",
    "unbalanced": lambda c: _with(c, INT_MAIN, "}\n" + INT_MAIN),
    "dollar": lambda c: _with(c, "    cus_input = input;", "    cus_input = input; (void)f_$;"),
    "header comment breakout": lambda c: "/* x */ int evil; /* y */\n" + c.split("\n", 1)[1],
}


@pytest.mark.parametrize("name", sorted(GUARD_BREAKS))
def test_guard_refuses(name):
    good = emit(BENIGN_PATH)
    assert c_guard.problem(good) is None
    bad = GUARD_BREAKS[name](good)
    assert c_guard.problem(bad) is not None, name


def test_guard_accepts_every_corpus_program():
    for p in sorted((REPO / "tests" / "runtime" / "programs").glob("*.x07t")):
        e = emit_program(str(p), p.read_bytes())
        assert e.c_source is not None, (p.name, e.unsupported)
        assert c_guard.problem(e.c_source) is None, p.name


def test_a_refused_translation_is_an_internal_error_and_has_no_c(monkeypatch):
    monkeypatch.setattr(c_guard, "problem", lambda c: "a test refusal")
    e = emit_program(BENIGN_PATH, program(**BENIGN))
    assert e.c_source is None
    assert [f.code for f in e.unsupported] == ["CUS-RUN-0005"]
    assert "internal error" in e.unsupported[0].message and "a test refusal" in e.unsupported[0].message


# ---------------------------------------------------------------- end to end

def _compiler_present() -> bool:
    from custody.runtime.compile import BuildError, find_compiler
    try:
        find_compiler()
    except BuildError:
        return False
    return True


needs_cc = pytest.mark.skipif(not _compiler_present(), reason="no C compiler")


def cli_run(path: Path, cache: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "custody.cli", "run", str(path), "--format", "json"],
                          capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "CUSTODY_CACHE_DIR": str(cache)})


def injection_program(marker: Path) -> bytes:
    """The issue's repro: a function name that closes the comment the emitter used to write, then
    defines a constructor that creates `marker` before main runs."""
    evil = (f"main.f */ __attribute__((constructor)) static void evil(void) "
            f"{{ extern void *fopen(const char *, const char *); fopen(\"{marker}\", \"w\"); }} /*")
    return (b"{\n:kind entry\n:module_id main\n:schema_version x07.x07ast@0.8.0\n:imports ()\n"
            b":decls ({:kind defn :name " + json.dumps(evil).encode() +
            b" :params () :result bytes :body (bytes.lit \"fine\")})\n"
            b":solve (" + json.dumps(evil).encode() + b")\n}\n")


@needs_cc
def test_issue_injection_runs_nothing_outside_the_program(tmp_path):
    marker = tmp_path / "outside" / "pwned"
    marker.parent.mkdir()
    prog = tmp_path / "inject.x07t"
    prog.write_bytes(injection_program(marker))
    r = cli_run(prog, tmp_path / "cache", tmp_path)
    j = json.loads(r.stdout)
    assert not marker.exists()
    assert j["output_text"] == "fine", r.stdout + r.stderr
    # custody check's side of it: the name is reported at its range, as X07 would refuse it
    names = [d for d in j["diagnostics"] if d["code"] == "CUS-AST-0002"]
    assert names and "function name" in names[0]["message"]


@needs_cc
def test_a_program_in_a_directory_named_q_star_runs(tmp_path):
    d = tmp_path / "q*"
    d.mkdir()
    prog = d / "echo.x07t"
    prog.write_bytes(b"{\n:kind entry\n:module_id main\n:schema_version x07.x07ast@0.8.0\n:imports ()\n"
                     b":decls ()\n:solve (bytes.lit \"*/ ok\")\n}\n")
    r = cli_run(prog, tmp_path / "cache", tmp_path)
    j = json.loads(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    assert j["ok"] and j["output_text"] == "*/ ok" and j["diagnostics"] == []
