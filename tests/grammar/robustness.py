"""The robustness checks the hand-written grammars share (test_kea_robustness.py,
test_janus_robustness.py): broken code between two good functions, deep text parsed in bounded
time, error recovery that terminates, line endings and tabs, query captures.

What broken code looks like in a language, how its functions are found and how far before the
broken part its errors may start stay with that language's test file.
"""
from __future__ import annotations

import time

import tree_sitter

from corpus_runner import GRAMMAR_DIR
from grammars import language

# Longest a parse of the deep or unbalanced texts may take (seconds).
PARSE_SECONDS = 20


def errors(node) -> list:
    """The ERROR and MISSING nodes under `node` (not looking inside an ERROR)."""
    found, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.is_error or n.is_missing:
            found.append(n)
        elif n.has_error:
            stack.extend(n.children)
    return found


def parse_between(parser, before: bytes, broken: bytes, after: bytes):
    """The root of `before + broken + after`, which must reach the end of the text."""
    text = before + broken + after
    root = parser.parse(text).root_node
    assert root.end_byte == len(text)
    return root


def check_errors_stay_local(parser, before: bytes, broken: bytes, after: bytes, function_names,
                            reach_before: int) -> None:
    """`broken` between the functions `before` and `after`: both still parse as functions
    (`function_names(root)` names them), and every error lies within `broken`, starting at most
    `reach_before` bytes before it and ending at most 2 bytes after it."""
    root = parse_between(parser, before, broken, after)
    names = function_names(root)
    assert b"before" in names and b"after" in names, root
    lo, hi = len(before), len(before) + len(broken)
    for node in errors(root):
        assert lo - reach_before <= node.start_byte and node.end_byte <= hi + 2, (node, broken)


def parse_in_time(parser, text: bytes):
    """The root of `text`, parsed within PARSE_SECONDS and reaching the end of the text."""
    started = time.perf_counter()
    root = parser.parse(text).root_node
    assert time.perf_counter() - started < PARSE_SECONDS
    assert root.end_byte == len(text)
    return root


def check_recovery_terminates(parser, line: bytes) -> None:
    """300 copies of `line` (tokens that send the parser into error recovery), indented by 0 to
    8 spaces: the parse reaches the end."""
    text = b"".join(b" " * (i % 9) + line for i in range(300))
    assert parser.parse(text).root_node.end_byte == len(text)


def check_line_endings(parser, lf: bytes, tabs: bytes) -> None:
    """`lf` (no final newline), its CRLF form and `tabs` (its indentation in tabs), with and
    without a final line break, all parse without error to the tree of `lf` + newline."""
    crlf = lf.replace(b"\n", b"\r\n")
    shape = str(parser.parse(lf + b"\n").root_node)
    for text in (lf, crlf, crlf + b"\r\n", tabs, tabs + b"\n"):
        root = parser.parse(text).root_node
        assert not root.has_error, text
        assert str(root) == shape


def captures(name: str, query_file: str, source: bytes) -> dict[str, list[bytes]]:
    """The text of every capture of grammar `name`'s query file over `source`, by capture name."""
    lang = language(name)
    query = tree_sitter.Query(lang, (GRAMMAR_DIR / name / "queries" / query_file).read_text())
    tree = tree_sitter.Parser(lang).parse(source)
    found = tree_sitter.QueryCursor(query).captures(tree.root_node)
    return {capture: [n.text for n in nodes] for capture, nodes in found.items()}
