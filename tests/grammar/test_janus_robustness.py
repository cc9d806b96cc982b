"""Janus: half-typed code, deep nesting, CRLF, bytes that are not UTF-8, queries.

Half-typed code must give a tree whose ERROR nodes stay near the broken part
(the functions around it parse as usual), never a crash or a hang.
"""

from __future__ import annotations

import pytest

tree_sitter = pytest.importorskip("tree_sitter")

from grammars import built_parser  # noqa: E402
from robustness import captures, check_errors_stay_local, check_line_endings  # noqa: E402
from robustness import check_recovery_terminates, errors, parse_between, parse_in_time  # noqa: E402


@pytest.fixture(scope="module")
def parser():
    return built_parser("janus")


GOOD_BEFORE = b"func before(x: i32) -> i32 {\n    return x\n}\n\n"
GOOD_AFTER = b"\n\nfunc after(y: i32) -> i32 do\n    return y\nend\n"


def _functions(root) -> list:
    found, stack = [], [root]
    while stack:
        n = stack.pop()
        if n.type == "function_declaration" and n.child_by_field_name("name") is not None:
            found.append(n)
        stack.extend(n.children)
    return found


def _function_names(root) -> list[bytes]:
    return [n.child_by_field_name("name").text for n in _functions(root)]


# Broken code, closed by its own `}` or `end`: the functions around it parse.
LOCAL = [
    b"func call() {\n    f(1, 2\n}",
    b"func half_let() {\n    let x =\n}",
    b"func stray() {\n    ) ]\n}",
    b"func lam() {\n    let g = |x\n}",
]
# Broken code that runs on into the next function (an unclosed block or
# string): the text parses to the end, the function before is intact.
RUNAWAY = [
    b"func open_brace() {\n    let x = 1\n",
    b"func open_do() do\n    if c do\n        x\n",
    b"func q() {\n    let s = \"unterminated\n}",
    b"func header(x: i32 ->",
    b"with_scratchpad |s",
    b"profile :",
    # Binary operators continue over line breaks (as in Janus's parser), so
    # the `+` takes the next line; `end` cannot be an operand.
    b"func bad_op() do\n    x = 1 +\nend",
]


@pytest.mark.parametrize("broken", RUNAWAY)
def test_half_typed_code_parses_to_the_end(parser, broken: bytes) -> None:
    root = parse_between(parser, GOOD_BEFORE, broken, GOOD_AFTER)
    assert root.has_error
    # The function before is intact (recovery may still wrap it in the
    # top-level ERROR that holds the unclosed rest).
    befores = [n for n in _functions(root) if n.child_by_field_name("name").text == b"before"]
    assert befores and not befores[0].has_error
    assert all(e.end_byte > len(GOOD_BEFORE) - 2 for e in errors(root) if e.is_missing or e.child_count == 0)


@pytest.mark.parametrize("broken", LOCAL)
def test_half_typed_code_keeps_errors_local(parser, broken: bytes) -> None:
    check_errors_stay_local(parser, GOOD_BEFORE, broken, GOOD_AFTER, _function_names, reach_before=2)


@pytest.mark.parametrize("opener,closer", [
    (b"if c do\n", b"end\n"),
    (b"if c {\n", b"}\n"),
    (b"region r do\n", b"end\n"),
    (b"(", b")"),
    (b"[", b"]"),
    (b"-", b""),
    (b"move ", b""),
])
def test_deep_nesting_neither_crashes_nor_hangs(parser, opener: bytes, closer: bytes) -> None:
    depth = 2000
    body = opener * depth + b"x" + (b"\n" if closer.endswith(b"\n") else b"") + closer * depth
    root = parse_in_time(parser, b"func f() do\n" + body + b"\nend\n" + GOOD_AFTER)
    assert not root.has_error
    assert b"after" in _function_names(root)
    # Unbalanced: the openers never close.
    parse_in_time(parser, b"func g() {\n" + opener * depth + b"x\n")


def test_every_token_valid_recovery_terminates(parser) -> None:
    check_recovery_terminates(parser, b") ] } end else => | do :\n")


def test_crlf_tabs_and_no_final_newline(parser) -> None:
    lf = b"func f(c: bool) -> i32 do\n    if c do\n        1\n    else\n        2\n    end\nend\n\nfunc g() -> i32 {\n    0\n}"
    check_line_endings(parser, lf, lf.replace(b"    ", b"\t"))


def test_bytes_that_are_not_utf8(parser) -> None:
    # Never a crash or a hang; the functions around still parse.  (The
    # runtime hands an invalid byte to the lexer as a decode error, which no
    # token matches, so it is an error even inside a string or a comment.)
    for junk in (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xf0\x9f\x98", b"\xe9"):
        for where in (b"x" + junk + b"y", b'let s = "a' + junk + b'b"', b"// c" + junk + b"d"):
            text = GOOD_BEFORE + b"func h() {\n    " + where + b"\n}\n" + GOOD_AFTER
            root = parser.parse(text).root_node
            assert root.end_byte == len(text)
            assert {b"before", b"after"} <= set(_function_names(root)), (junk, where)
    # Valid UTF-8 outside ASCII is text in strings and comments.
    ok = "func f() {\n    let s = \"café ✓\"\n    // naïve\n}\n".encode()
    assert not parser.parse(ok).root_node.has_error


SOURCE = (
    b"profile :sovereign\nimport std.io\n// note\n"
    b"func f(owned buf: ~File, r: &mut Buf) -> i32 do\n"
    b"    let y := io.read(move buf)\n"
    b"    with_scratchpad |s| do\n        s.alloc(y)\n    end\n"
    b"    match y {\n        Some(z) => z,\n        _ => 0,\n    }\n"
    b"end\n"
)


def test_highlights(parser) -> None:
    assert not parser.parse(SOURCE).root_node.has_error
    caps = captures("janus", "highlights.scm", SOURCE)
    assert {b"func", b"let", b"match", b"do", b"end", b"profile", b"with_scratchpad", b"move"} <= set(caps["keyword"])
    assert b"owned" in caps["keyword.modifier"] and b"mut" in caps["keyword.modifier"]
    assert b"f" in caps["function"] and b"read" in caps["function.call"]
    assert b"File" in caps["type"] and b"i32" in caps["type"]
    assert b"io" in caps["module"]
    assert b":sovereign" in caps["attribute"]
    assert b"buf" in caps["variable.parameter"]
    assert caps["comment"] == [b"// note"]


def test_locals_and_folds(parser) -> None:
    caps = captures("janus", "locals.scm", SOURCE)
    assert {b"buf", b"r", b"y", b"s"} <= set(caps["local.definition"])
    assert b"f" in caps["local.definition.function"]
    assert b"y" in caps["local.reference"]
    folds = captures("janus", "folds.scm", SOURCE)["fold"]
    assert any(t.startswith(b"func f(") for t in folds)
    assert any(t.startswith(b"{\n        Some(z)") for t in folds)
