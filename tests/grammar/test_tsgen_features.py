"""Small grammars exercising the generator's features, each checked against
the S-expressions (and node metadata) the tree-sitter runtime reports."""

import json

import pytest
import tree_sitter

from custody.grammar.tsgen.quickbuild import build_from_js


def build(grammar_js: str):
    language, src = build_from_js(grammar_js)
    return language, tree_sitter.Parser(language), src


def sexp(parser, text: bytes) -> str:
    return str(parser.parse(text).root_node)


ALIASES = """
module.exports = grammar({
  name: 'aliases',
  rules: {
    source: $ => repeat(choice($.decl, $.use, $.tagged)),
    // production-level named alias to a new name
    decl: $ => seq('let', alias($.ident, $.binding), '=', $.ident, ';'),
    // anonymous alias of a named rule, and a string aliased to another string
    use: $ => seq('use', alias($.ident, 'module'), alias('as', 'AS'), $.ident, ';'),
    // _label is aliased the same way at its only use: a symbol-level alias
    tagged: $ => seq('#', alias($._label, $.tag), optional(alias($.number, $.ident))),
    _label: _ => /[A-Z]+/,
    number: _ => /[0-9]+/,
    ident: _ => /[a-z]+/,
  },
});
"""


def test_aliases():
    language, parser, _ = build(ALIASES)
    assert sexp(parser, b"let x = y;") == "(source (decl (binding) (ident)))"
    tree = parser.parse(b"use m as n;")
    use = tree.root_node.children[0]
    assert [(c.type, c.is_named) for c in use.children] == [
        ("use", False), ("module", False), ("AS", False), ("ident", True), (";", False)
    ]
    assert sexp(parser, b"# ABC 42") == "(source (tagged (tag) (ident)))"
    # the symbol-level alias renamed the hidden rule itself
    assert language.id_for_node_kind("tag", True) != 0
    assert not language.id_for_node_kind("_label", True)
    # an alias to an existing name reuses that node kind
    number_as_ident = parser.parse(b"# A 7").root_node.children[0].children[-1]
    assert number_as_ident.type == "ident"
    assert number_as_ident.kind_id == language.id_for_node_kind("ident", True)


FIELDS = """
module.exports = grammar({
  name: 'fields',
  rules: {
    source: $ => repeat(choice($.assign, $.call, $.list)),
    // fields written inside a hidden rule show up on the visible parent
    assign: $ => seq($._target, '=', field('value', $.ident), ';'),
    _target: $ => seq(field('name', $.ident), optional(seq('.', field('member', $.ident)))),
    // a field on a hidden rule applies to each of its children
    call: $ => seq(field('function', $.ident), '(', optional(field('arguments', $._args)), ')', ';'),
    _args: $ => seq($.ident, repeat(seq(',', $.ident))),
    // a field inside a repeat
    list: $ => seq('[', repeat(field('item', $.ident)), ']'),
    ident: _ => /[a-z]+/,
  },
});
"""


def test_fields():
    language, parser, _ = build(FIELDS)
    assert sexp(parser, b"a.b = c;") == "(source (assign name: (ident) member: (ident) value: (ident)))"
    assert sexp(parser, b"a = c;") == "(source (assign name: (ident) value: (ident)))"
    assert sexp(parser, b"f(x, y);") == "(source (call function: (ident) arguments: (ident) arguments: (ident)))"
    assert sexp(parser, b"[a b c]") == "(source (list item: (ident) item: (ident) item: (ident)))"
    tree = parser.parse(b"a.b = c; f(x, y, z);")
    assign, call = tree.root_node.children
    assert assign.child_by_field_name("name").text == b"a"
    assert assign.child_by_field_name("member").text == b"b"
    assert assign.child_by_field_name("value").text == b"c"
    # as in tree-sitter, every child of the hidden rule carries the field, commas too
    arguments = call.children_by_field_name("arguments")
    assert [n.text for n in arguments if n.is_named] == [b"x", b"y", b"z"]
    assert [n.text for n in arguments if not n.is_named] == [b",", b","]
    assert sorted(language.field_name_for_id(i) for i in range(1, language.field_count + 1)) == sorted(
        ["arguments", "function", "item", "member", "name", "value"]
    )


IMMEDIATE = """
module.exports = grammar({
  name: 'immediate',
  extras: $ => [/\\s/, $.comment],
  rules: {
    source: $ => repeat($._expr),
    _expr: $ => choice($.call, $.ident),
    call: $ => seq($.ident, token.immediate('('), optional($._expr), ')'),
    ident: _ => /[a-z]+/,
    comment: _ => token(seq('#', /.*/)),
  },
});
"""


def test_token_immediate_hidden_rules_and_extras():
    _, parser, _ = build(IMMEDIATE)
    assert sexp(parser, b"f(x)") == "(source (call (ident) (ident)))"
    assert sexp(parser, b"f(g(x)) y") == "(source (call (ident) (call (ident) (ident))) (ident))"
    # a separator between the name and '(' is not allowed
    assert parser.parse(b"f (x)").root_node.has_error
    # named extras may appear anywhere, separators between any tokens
    assert sexp(parser, b"f( # note\n  x )") == "(source (call (ident) (comment) (ident)))"
    assert sexp(parser, b"# only a comment") == "(source (comment))"


KEYWORDS = """
module.exports = grammar({
  name: 'keywords',
  word: $ => $.ident,
  rules: {
    source: $ => repeat($._stmt),
    _stmt: $ => choice($.if_stmt, $.print),
    if_stmt: $ => seq('if', $.ident, 'then', $._stmt),
    print: $ => seq('print', $.ident),
    ident: _ => /[a-z_]+/,
  },
});
"""


def test_word_token_and_keyword_extraction():
    _, parser, src = build(KEYWORDS)
    parser_c = (src / "parser.c").read_text()
    assert "ts_lex_keywords" in parser_c and ".keyword_capture_token = sym_ident" in parser_c
    assert sexp(parser, b"if x then print y") == "(source (if_stmt (ident) (print (ident))))"
    # keywords only match whole words
    assert sexp(parser, b"print iffy") == "(source (print (ident)))"
    assert sexp(parser, b"print then_x") == "(source (print (ident)))"
    # where a keyword is not valid, the word stays an identifier
    assert sexp(parser, b"print if") == "(source (print (ident)))"
    assert parser.parse(b"printx y").root_node.has_error


INLINE_SUPERTYPES = """
module.exports = grammar({
  name: 'inline_super',
  inline: $ => [$._operand],
  supertypes: $ => [$._literal],
  rules: {
    source: $ => repeat($.pair),
    pair: $ => seq(field('left', $._operand), ':', field('right', $._operand)),
    _operand: $ => choice($._literal, $.ident),
    _literal: $ => choice($.number, $.string),
    number: _ => /\\d+/,
    string: _ => /'[^']*'/,
    ident: _ => /[a-z]+/,
  },
});
"""


def test_inline_and_supertypes():
    language, parser, src = build(INLINE_SUPERTYPES)
    assert sexp(parser, b"a:1 'x':b") == (
        "(source (pair left: (ident) right: (number)) (pair left: (string) right: (ident)))"
    )
    # the inlined rule is gone, the supertype stays as a hidden named symbol
    assert not language.id_for_node_kind("_operand", True)
    literal = language.id_for_node_kind("_literal", True)
    assert literal != 0 and not language.node_kind_is_visible(literal)
    node_types = json.loads((src / "node-types.json").read_text())
    supertype = next(n for n in node_types if n["type"] == "_literal")
    assert supertype["subtypes"] == [{"type": "number", "named": True}, {"type": "string", "named": True}]
    pair = next(n for n in node_types if n["type"] == "pair")
    assert pair["fields"]["left"]["types"] == [
        {"type": "_literal", "named": True},
        {"type": "ident", "named": True},
    ]


LEXING = r"""
module.exports = grammar({
  name: 'lexing',
  rules: {
    source: $ => repeat(choice($.hex, $.float, $.int, $.kw, $.ident, $.emoji, $.quoted, $.tag, $.mention)),
    hex: _ => /0[xX][0-9a-fA-F]{1,4}/,
    float: _ => /\d+\.\d*(?:[eE][+-]?\d+)?/,
    int: _ => /\d+/,
    kw: _ => 'let',
    ident: _ => /[a-z][a-z0-9_]*/,
    emoji: _ => /[\u{1F600}-\u{1F64F}]+/u,
    quoted: _ => /"(?:[^"\\]|\\.)*"/,
    tag: _ => token(prec(2, /@[a-z]/)),
    mention: _ => /@[a-z]+/,
  },
});
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        # longest match; a string beats a pattern on the same text
        (b"let lets x_1", "(source (kw) (ident) (ident))"),
        # bounded repetition {1,4}: the fifth digit starts a new token
        (b"0x1F 0x12345", "(source (hex) (hex) (int))"),
        (b"12 1.5e-3 7.", "(source (int) (float) (float))"),
        ("\U0001F600\U0001F603 ok".encode(), "(source (emoji) (ident))"),
        (b'"a\\"b" "c"', "(source (quoted) (quoted))"),
        # lexical precedence beats length: `@a` wins over the longer `@abc`
        (b"@abc", "(source (tag) (ident))"),
    ],
)
def test_lexical_rules(text, expected):
    _, parser, _ = build(LEXING)
    tree = parser.parse(text)
    assert str(tree.root_node) == expected
