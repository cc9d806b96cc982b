"""Kea: layout edge cases outside the corpus format, half-typed code, queries.

Half-typed code must give a tree whose ERROR nodes stay in the broken part
(the declarations around it parse as usual), never a crash or a hang.
"""

from __future__ import annotations

import pytest

tree_sitter = pytest.importorskip("tree_sitter")

from grammars import built_parser  # noqa: E402
from robustness import captures, check_errors_stay_local, check_line_endings  # noqa: E402
from robustness import check_recovery_terminates, errors, parse_between, parse_in_time  # noqa: E402


@pytest.fixture(scope="module")
def parser():
    return built_parser("kea")


GOOD_BEFORE = b"fn before(x: Int) -> Int\n  x\n\n"
GOOD_AFTER = b"\n\nfn after(y: Int) -> Int\n  y\n"


def _function_names(root) -> list[bytes]:
    return [
        c.child_by_field_name("name").text
        for c in root.named_children
        if c.type == "function_declaration" and c.child_by_field_name("name") is not None
    ]


# Broken code whose error stays inside it: the declarations around parse.
LOCAL = [
    b"fn call() -> Int\n  f(1, 2\n  3",
    b"fn bad_else() -> Int\n  else\n    1",
    b"fn lam() -> Int\n  let f = |x\n  f",
    b"@fip\n",
    b"doc",
]
# Broken code that, as in Kea's own parser, runs on into the next
# declaration (a header still waiting for its type or its `)`, a `case`
# still waiting for arms): the text parses to the end, the declaration
# before is intact, and there is an error.
RUNAWAY = [
    b"fn half(x: Int) ->",
    b"fn open(x: Int -> Int\n  x",
    b"fn dangling(v: Option Int) -> Int\n  case v",
    b"fn q() -> Int\n  \"unterminated",
]


@pytest.mark.parametrize("broken", RUNAWAY)
def test_half_typed_code_parses_to_the_end(parser, broken: bytes) -> None:
    root = parse_between(parser, GOOD_BEFORE, broken, GOOD_AFTER)
    assert root.has_error
    assert _function_names(root)[0] == b"before"
    assert all(e.start_byte >= len(GOOD_BEFORE) - 1 for e in errors(root))


@pytest.mark.parametrize("broken", LOCAL)
def test_half_typed_code_keeps_errors_local(parser, broken: bytes) -> None:
    check_errors_stay_local(parser, GOOD_BEFORE, broken, GOOD_AFTER, _function_names, reach_before=1)


def test_deep_nesting_neither_crashes_nor_hangs(parser) -> None:
    depth = 2000
    lines = [b"fn f() -> Int"]
    lines += [b" " * (i + 1) + b"if c" for i in range(depth)]
    lines.append(b" " * (depth + 1) + b"x")
    root = parse_in_time(parser, b"\n".join(lines) + b"\n" + GOOD_AFTER)
    assert b"after" in _function_names(root)
    # Random indentation, and a broken line deep inside.
    text = b"fn g() -> Int\n" + b"".join(
        b" " * (1 + (i * 7919) % 300) + (b"let x = (\n" if i % 97 == 0 else b"x\n") for i in range(2000)
    )
    assert parser.parse(text).root_node.end_byte == len(text)


def test_every_token_valid_recovery_terminates(parser) -> None:
    # Text that sends the parser into error recovery at many layout points.
    check_recovery_terminates(parser, b") ] } else -> | doc\n")


def test_crlf_tabs_and_no_final_newline(parser) -> None:
    lf = b"fn f(c: Bool) -> Int\n  if c\n    1\n  else\n    2\n\nfn g() -> Int\n  0"
    check_line_endings(parser, lf, lf.replace(b"    ", b"\t\t").replace(b"  ", b"\t"))


def test_doc_blocks(parser) -> None:
    text = b"doc\n  Title.\n\n    indented example\n\n  More.\n\ndoc One line.\nfn f() -> Int\n  0\n"
    root = parser.parse(text).root_node
    assert not root.has_error
    docs = [c for c in root.named_children if c.type == "doc_comment"]
    assert [d.text for d in docs] == [
        b"doc\n  Title.\n\n    indented example\n\n  More.",
        b"doc One line.",
    ]


SOURCE = (
    b"use Alpha as A\n\n-- note\n@fip\npub fn f(borrow v: Unique Int, x: Int) -> Unique Int\n"
    b"  let y = A.g(x)\n  case y\n    Some(z) -> z\n    None -> v\n"
)


def test_highlights(parser) -> None:
    caps = captures("kea", "highlights.scm", SOURCE)
    assert b"fn" in caps["keyword"] and b"case" in caps["keyword"]
    assert b"borrow" in caps["keyword.modifier"]
    assert b"fip" in caps["attribute"]
    assert b"f" in caps["function"] and b"g" in caps["function.call"]
    assert b"Unique" in caps["type"]
    assert b"Alpha" in caps["module"]
    assert caps["comment"] == [b"-- note"]


def test_locals_and_folds(parser) -> None:
    caps = captures("kea", "locals.scm", SOURCE)
    assert {b"v", b"x", b"y", b"z"} <= set(caps["local.definition"])
    assert b"y" in caps["local.reference"]
    folds = captures("kea", "folds.scm", SOURCE)["fold"]
    assert any(t.startswith(b"case y") for t in folds)
