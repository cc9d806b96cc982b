"""LR conflicts: unresolved ones are reported readably; prec / prec.left /
prec.right / named precedences / prec.dynamic resolve them the tree-sitter way;
declared `conflicts` are kept for the GLR runtime."""

import pytest
import tree_sitter

from custody.grammar.tsgen import GrammarError, generate_from_json
from custody.grammar.tsgen.quickbuild import build_from_js, grammar_json_from_js


def parse(grammar_js: str, text: bytes) -> str:
    language, _ = build_from_js(grammar_js)
    return str(tree_sitter.Parser(language).parse(text).root_node)


def conflict_message(grammar_js: str) -> str:
    with pytest.raises(GrammarError) as caught:
        generate_from_json(grammar_json_from_js(grammar_js))
    return str(caught.value)


AMBIGUOUS = """
module.exports = grammar({
  name: 'ambiguous',
  rules: {
    expr: $ => choice(seq($.expr, '+', $.expr), 'x'),
  },
});
"""


def test_ambiguous_grammar_is_rejected_with_readable_message():
    message = conflict_message(AMBIGUOUS)
    assert message.startswith("Unresolved conflict for symbol sequence:")
    # the symbol sequence, the dot and the conflicting lookahead
    assert "expr  '+'  expr  •  '+'  …" in message
    # both interpretations, naming the rule
    assert "(expr  expr  '+'  expr)  •  '+'" in message
    assert "(expr  expr  •  '+'  expr)" in message
    # the ways out
    assert "prec.left / prec.right" in message
    assert "conflicts entry" in message and "$.expr" in message


def test_reduce_reduce_conflict_names_both_rules():
    message = conflict_message("""
module.exports = grammar({
  name: 'rr',
  rules: {
    start: $ => choice(seq($.name, ';'), seq($.label, ';')),
    name: $ => $.ident,
    label: $ => $.ident,
    ident: _ => /[a-z]+/,
  },
});
""")
    assert "Unresolved conflict" in message
    assert "•  ';'" in message
    assert "(name  ident)" in message and "(label  ident)" in message
    assert "[$.label, $.name]" in message


ARITHMETIC = """
module.exports = grammar({
  name: 'arith',
  rules: {
    program: $ => $._expr,
    _expr: $ => choice($.sum, $.product, $.power, $.negation, $.number, $.group),
    sum: $ => prec.left(1, seq(field('left', $._expr), field('op', choice('+', '-')), field('right', $._expr))),
    product: $ => prec.left(2, seq(field('left', $._expr), field('op', choice('*', '/')), field('right', $._expr))),
    power: $ => prec.right(4, seq(field('left', $._expr), '^', field('right', $._expr))),
    negation: $ => prec(3, seq('-', $._expr)),
    group: $ => seq('(', $._expr, ')'),
    number: _ => /\\d+/,
  },
});
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        (b"1+2*3", "(program (sum left: (number) right: (product left: (number) right: (number))))"),
        (b"1*2+3", "(program (sum left: (product left: (number) right: (number)) right: (number)))"),
        (b"1-2-3", "(program (sum left: (sum left: (number) right: (number)) right: (number)))"),
        (b"8/4/2", "(program (product left: (product left: (number) right: (number)) right: (number)))"),
        (b"2^3^4", "(program (power left: (number) right: (power left: (number) right: (number))))"),
        (b"-2^2", "(program (negation (power left: (number) right: (number))))"),
        (b"-2*3", "(program (product left: (negation (number)) right: (number)))"),
        (b"(1+2)*3", "(program (product left: (group (sum left: (number) right: (number))) right: (number)))"),
    ],
)
def test_precedence_and_associativity(text, expected):
    assert parse(ARITHMETIC, text) == expected


NAMED_PRECEDENCES = """
module.exports = grammar({
  name: 'named_prec',
  precedences: $ => [['times', 'plus']],
  rules: {
    expr: $ => choice($.plus, $.times, $.n),
    plus: $ => prec.left('plus', seq($.expr, '+', $.expr)),
    times: $ => prec.left('times', seq($.expr, '*', $.expr)),
    n: _ => /\\d/,
  },
});
"""


def test_named_precedences_follow_the_precedences_list():
    assert parse(NAMED_PRECEDENCES, b"1+2*3") == "(expr (plus (expr (n)) (expr (times (expr (n)) (expr (n))))))"
    assert parse(NAMED_PRECEDENCES, b"1*2+3") == "(expr (plus (expr (times (expr (n)) (expr (n)))) (expr (n))))"


GLR = """
module.exports = grammar({
  name: 'glr_%s',
  conflicts: $ => [[$.name, $.label]],
  rules: {
    start: $ => choice(seq($.name, ';'), seq($.label, ';')),
    name: $ => prec.dynamic(%d, $.ident),
    label: $ => prec.dynamic(%d, $.ident),
    ident: _ => /[a-z]+/,
  },
});
"""


def test_declared_conflict_is_kept_and_dynamic_precedence_picks():
    assert parse(GLR % ("a", 1, 0), b"abc;") == "(start (name (ident)))"
    assert parse(GLR % ("b", 0, 1), b"abc;") == "(start (label (ident)))"


def test_equal_precedence_without_associativity_is_still_a_conflict():
    message = conflict_message("""
module.exports = grammar({
  name: 'noassoc',
  rules: {
    expr: $ => choice(prec(1, seq($.expr, '+', $.expr)), 'x'),
  },
});
""")
    assert "expr  '+'  expr  •  '+'" in message
    assert "precedence: 1" in message
