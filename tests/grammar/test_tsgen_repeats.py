"""Repetitions are encoded as tree-sitter encodes them: a hidden helper
`aux -> aux aux | x` whose `aux aux • x` conflict keeps the reduce and a
shift marked as a repetition (SHIFT_REPEAT, never taken by the runtime), and
no one-child helper node per element.  The runtime rebalances long repeat
subtrees into `aux aux` shapes after a parse; an incremental reparse must take
them back, whatever shape they have."""

import re

import pytest
import tree_sitter

from custody.grammar.tsgen import GrammarError, generate_from_json
from custody.grammar.tsgen.quickbuild import build_from_js, grammar_json_from_js

from grammars import point_at

REPEATS = """
module.exports = grammar({
  name: 'repeats',
  extras: $ => [/\\s/],
  rules: {
    source: $ => repeat($._item),
    _item: $ => choice($.list, $.block, $.word),
    // one-symbol content, and content of two symbols
    list: $ => seq('[', optional(seq($.word, repeat(seq(',', $.word)))), ']'),
    // a hidden rule whose whole body is a repeat1 is itself the helper
    block: $ => seq('{', optional($._words), '}'),
    _words: $ => repeat1(choice($.word, $.list)),
    word: _ => /[a-z0-9]+/,
  },
});
"""


@pytest.fixture(scope="module")
def repeats():
    language, src = build_from_js(REPEATS)
    return tree_sitter.Parser(language), (src / "parser.c").read_text()


def test_tables_have_binary_repeat_reductions_and_repetition_shifts(repeats):
    _, parser_c = repeats
    for helper in ("aux_sym_source_repeat1", "aux_sym_list_repeat1", "aux_sym__words"):
        assert f"REDUCE({helper}, 2, 0, 0), SHIFT_REPEAT(" in parser_c
        # one-child reductions of the helpers are skipped (the goto on the
        # helper is taken straight away, as tree-sitter's tables do)
        assert f"REDUCE({helper}, 1," not in parser_c
    assert re.search(r"\[aux_sym__words\] = \{\.visible = false, \.named = false\}", parser_c)
    assert "sym__words" not in parser_c.replace("aux_sym__words", "")


def test_repeat_trees(repeats):
    parser, _ = repeats
    root = parser.parse(b"[a, b, c] {x [y] z} w").root_node
    assert str(root) == (
        "(source (list (word) (word) (word)) (block (word) (list (word)) (word)) (word))"
    )
    assert str(parser.parse(b"").root_node) == "(source)"


def _empty_edit_everywhere(parser, text: bytes) -> None:
    expected = str(parser.parse(text).root_node)
    assert "ERROR" not in expected
    for at in range(len(text) + 1):
        tree = parser.parse(text)
        tree.edit(at, at, at, point_at(text, at), point_at(text, at), point_at(text, at))
        assert str(parser.parse(text, tree).root_node) == expected, at


@pytest.mark.parametrize("count", [1, 2, 3, 40, 100])
def test_reparse_reuses_rebalanced_repeats(repeats, count):
    parser, _ = repeats
    words = [b"w%d" % i for i in range(count)]
    text = b" ".join(words) + b"\n[" + b", ".join(words) + b"]\n{" + b" ".join(words) + b" [a, b]}\n"
    _empty_edit_everywhere(parser, text)


def test_reparse_after_edits_inside_a_long_repeat(repeats):
    parser, _ = repeats
    text = b"[" + b", ".join(b"w%d" % i for i in range(60)) + b"]"
    for at, old_end, inserted in [(10, 12, b"xy"), (5, 5, b"q, "), (40, 44, b""), (100, 101, b"]")]:
        tree = parser.parse(text)
        new = text[:at] + inserted + text[old_end:]
        end = at + len(inserted)
        tree.edit(at, old_end, end, point_at(text, at), point_at(text, old_end), point_at(new, end))
        assert str(parser.parse(new, tree).root_node) == str(parser.parse(new).root_node)


def _conflict(rules: str) -> str:
    js = "module.exports = grammar({name: 'c', rules: {%s}});" % rules
    with pytest.raises(GrammarError) as caught:
        generate_from_json(grammar_json_from_js(js))
    return str(caught.value)


def test_a_real_conflict_next_to_a_repeat_names_the_rule_using_it():
    message = _conflict("start: $ => seq(repeat('a'), optional('a')),")
    assert "Add a conflicts entry for these rules: [$.start]" in message
    message = _conflict("start: $ => seq($._items, optional('a')),\n_items: $ => repeat1('a'),")
    assert "Add a conflicts entry for these rules: [$.start]" in message
