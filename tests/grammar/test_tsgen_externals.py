"""External scanners in custody's parser generator (tsgen): a grammar's `externals` become
terminals only its src/scanner.c produces, each parse state tells the scanner which of them it
accepts (`valid_symbols`), and the scanner's state rides in the tree so an incremental reparse
resumes it exactly.

Proved on tests/grammar/indent_demo, a small indentation-sensitive language whose scanner makes
NEWLINE / INDENT / DEDENT: fixed trees, generated tables, grammar errors, and random edit
sequences that must give the tree of a fresh parse (and undoing them the original tree). The
runtime deserializes the scanner's state before every call, so a scanner that loses part of its
state gives wrong trees on fresh parses too: the fixed trees below catch that; the random edits
catch tables that tell the scanner the wrong valid tokens or let the runtime reuse a token where
the scanner would now decide otherwise.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

tree_sitter = pytest.importorskip("tree_sitter")
from hypothesis import HealthCheck, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from custody.grammar.tsgen import GrammarError, generate_from_json  # noqa: E402
from custody.grammar.tsgen.grammar_json import parse_grammar_json  # noqa: E402
from custody.grammar.tsgen.quickbuild import build_from_js, grammar_json_from_js  # noqa: E402
from edit_sessions import EXAMPLES, apply_edit, edit_sequence, property_settings  # noqa: E402

DEMO = Path(__file__).resolve().parent / "indent_demo"


@pytest.fixture(scope="module")
def parser():
    language, _src = build_from_js((DEMO / "grammar.js").read_text(), (DEMO / "scanner.c").read_text())
    return tree_sitter.Parser(language)


@pytest.fixture(scope="module")
def grammar_json() -> str:
    return grammar_json_from_js((DEMO / "grammar.js").read_text())


NESTED = b"a:\n  x = 1\n  b:\n    y = f(x)\n  z = 2\nw = 3\n"


@pytest.mark.parametrize("text, expected", [
    (b"x = 1\n", "(source_file (assignment target: (identifier) value: (number)))"),
    (NESTED,
     "(source_file (compound head: (identifier) body: (block (assignment target: (identifier) value: (number)) "
     "(compound head: (identifier) body: (block (assignment target: (identifier) value: (call function: "
     "(identifier) (identifier))))) (assignment target: (identifier) value: (number)))) "
     "(assignment target: (identifier) value: (number)))"),
    # the stack of widths comes back whole from the serialized state (the scanner deserializes it
    # before every call): four columns, then eight, then back to four
    (b"a:\n    x = 1\n    b:\n        y = 2\n    z = 3\n",
     "(source_file (compound head: (identifier) body: (block (assignment target: (identifier) value: (number)) "
     "(compound head: (identifier) body: (block (assignment target: (identifier) value: (number)))) "
     "(assignment target: (identifier) value: (number)))))"),
    # two blocks closed by one line; the file ends without a line break
    (b"a:\n  b:\n    pass\nc = 1",
     "(source_file (compound head: (identifier) body: (block (compound head: (identifier) body: "
     "(block (pass))))) (assignment target: (identifier) value: (number)))"),
    # blank lines and trailing blanks inside a block change nothing; CRLF line ends
    (b"a:\r\n  x = 1\r\n\r\n   \r\n  y = 2\r\n",
     "(source_file (compound head: (identifier) body: (block (assignment target: (identifier) value: (number)) "
     "(assignment target: (identifier) value: (number)))))"),
    # a tab is a jump to the next multiple of 8, as wide as eight blanks
    (b"a:\n\tx = 1\n        y = 2\n",
     "(source_file (compound head: (identifier) body: (block (assignment target: (identifier) value: (number)) "
     "(assignment target: (identifier) value: (number)))))"),
])
def test_layout_tokens_shape_the_tree(parser, text, expected):
    tree = parser.parse(text)
    assert str(tree.root_node) == expected
    assert not tree.root_node.has_error


def test_a_block_without_its_indented_body_is_an_error_confined_to_it(parser):
    tree = parser.parse(b"a:\nx = 1\n")
    assert tree.root_node.has_error
    # the statement after the broken header is still read as one
    assert "(assignment" in str(tree.root_node)


def test_deep_nesting_parses_and_reparses(parser):
    depth = 120
    lines = [b" " * i + b"n%d:" % i for i in range(depth)] + [b" " * depth + b"pass", b"end = 1"]
    text = b"\n".join(lines) + b"\n"
    tree = parser.parse(text)
    assert not tree.root_node.has_error
    assert str(tree.root_node).count("(block") == depth


def test_generated_tables_name_the_scanner(grammar_json):
    parser_c = generate_from_json(grammar_json).parser_c
    assert "#define EXTERNAL_TOKEN_COUNT 3" in parser_c
    for piece in ("ts_external_token__newline = 0", "ts_external_token__indent = 1", "ts_external_token__dedent = 2",
                  "ts_external_scanner_symbol_map", "ts_external_scanner_states",
                  "tree_sitter_indent_demo_external_scanner_scan,", ".external_lex_state = "):
        assert piece in parser_c, piece
    # the same grammar always gives the same C
    assert generate_from_json(grammar_json).parser_c == parser_c


def test_error_recovery_state_offers_every_external_token(grammar_json):
    from custody.grammar.tsgen.normalize import normalize
    from custody.grammar.tsgen.tables import build_tables

    tables = build_tables(normalize(parse_grammar_json(json.loads(grammar_json))))
    row = tables.external_scanner_states[tables.external_lex_states[0]]
    assert row == (True, True, True)
    # a state inside a statement accepts NEWLINE only: the scanner is told so
    assert (True, False, False) in tables.external_scanner_states
    assert tables.external_scanner_states[0] == (False, False, False)


def _grammar(**changes) -> dict:
    data = {"name": "g", "rules": {"s": {"type": "SEQ", "members": [
        {"type": "STRING", "value": "a"}, {"type": "SYMBOL", "name": "tok"}]}},
            "externals": [{"type": "SYMBOL", "name": "tok"}]}
    data.update(changes)
    return data


def test_an_external_string_is_the_internal_token_the_scanner_may_also_make():
    data = _grammar(externals=[{"type": "SYMBOL", "name": "tok"}, {"type": "STRING", "value": "a"}])
    parser_c = generate_from_json(json.dumps(data)).parser_c
    assert "[ts_external_token_a] = anon_sym_a," in parser_c


@pytest.mark.parametrize("data, message", [
    (_grammar(externals=[{"type": "SYMBOL", "name": "tok"}, {"type": "SYMBOL", "name": "s"}]), "not a single token"),
    (_grammar(externals=[{"type": "SYMBOL", "name": "tok"}, {"type": "SYMBOL", "name": "tok"}]), "listed twice"),
    (_grammar(externals=[{"type": "PATTERN", "value": "x"}]), "symbols or strings"),
    (_grammar(conflicts=[["tok"]]), "not a non-terminal"),
])
def test_bad_externals_are_grammar_errors(data, message):
    with pytest.raises(GrammarError, match=message):
        generate_from_json(json.dumps(data))


# ---- incremental reparses resume the scanner exactly ----------------------------------------

DOCUMENTS = (
    NESTED,
    b"main:\n  a = 1\n  loop:\n    b = g(a, 2)\n    inner:\n      pass\n    c = 3\n  d = 4\nafter = 5\n",
    b"x = 1\ny:\n  z = h()\n\n  w:\n        deep = 1\n  back = 2\n",
)
PIECES = [b"\n", b"  ", b" ", b"\t", b"    ", b":", b"\n  ", b"\n    ", b"pass", b"x = 1", b"f(", b")", b",",
          b"=", b"a", b"9", b"\r\n"]


def test_random_edits_reparse_like_a_fresh_parse(parser):
    _check_random_edits(parser)


@property_settings(EXAMPLES // 2, HealthCheck.function_scoped_fixture)
@given(data=st.data())
def _check_random_edits(parser, data):
    edit_sequence(data, parser, DOCUMENTS, PIECES, max_span=30, max_pieces=3)


def test_indenting_a_line_reparses_into_the_block(parser):
    text = b"a:\n  x = 1\ny = 2\n"
    tree = parser.parse(text)
    at = text.index(b"y")
    tree, text = apply_edit(parser, tree, text, at, at, b"  ")
    assert str(tree.root_node) == str(parser.parse(text).root_node)
    assert str(tree.root_node).count("(assignment") == 2 and "(block (assignment target: (identifier) value: (number)) (assignment" in str(tree.root_node)
