"""Unit tests for the pieces under the lexer: character sets, the JS regex
subset parser, and the DSL shim's handling of grammar.js."""

import json

import pytest

from custody.grammar.tsgen import GrammarError
from custody.grammar.tsgen.charset import MAX_CHAR, CharSet, partition
from custody.grammar.tsgen.quickbuild import grammar_json_from_js
from custody.grammar.tsgen.regex import parse_regex


def test_charset_operations():
    a = CharSet([(ord("a"), ord("f")), (ord("x"), ord("z"))])
    b = CharSet.range(ord("d"), ord("y"))
    assert a.intersect(b).ranges == ((ord("d"), ord("f")), (ord("x"), ord("y")))
    assert a.union(b).ranges == ((ord("a"), ord("z")),)
    assert a.difference(b).ranges == ((ord("a"), ord("c")), (ord("z"), ord("z")))
    # negation never includes code point 0 (end of input for the runtime)
    assert CharSet.of("a").negate().ranges == ((1, ord("a") - 1), (ord("a") + 1, MAX_CHAR))
    # disjoint pieces, grouped by which input sets contain them
    pieces = dict((members, piece.ranges) for piece, members in partition([a, b]))
    assert pieces[(0,)] == ((ord("a"), ord("c")), (ord("z"), ord("z")))
    assert pieces[(0, 1)] == ((ord("d"), ord("f")), (ord("x"), ord("y")))
    assert pieces[(1,)] == ((ord("g"), ord("w")),)


def chars_of(tree):
    assert tree[0] == "chars", tree
    return tree[1]


@pytest.mark.parametrize(
    "pattern, inside, outside",
    [
        (r"\d", "07", "a"),
        (r"\w", "aZ_9", "-"),
        (r"\s", " \t\n\r\x0b\x0c", "a"),
        (r"[^\\\"\n]", "a\t", '\\"\n'),
        (r"[a-cx-z]", "abxz", "dw"),
        (r"[\u0041-\u0043]", "ABC", "D"),
        (r"\u{1F600}", "\U0001F600", "a"),
        (r"\x41", "A", "B"),
        (r".", "a\t\U0001F600", "\n"),
        (r"[\d.]", "5.", "a"),
        (r"[-+]", "-+", "a"),
    ],
)
def test_character_classes(pattern, inside, outside):
    chars = chars_of(parse_regex(pattern))
    for ch in inside:
        assert ord(ch) in chars, (pattern, ch)
    for ch in outside:
        assert ord(ch) not in chars, (pattern, ch)


def test_structure_of_quantifiers_groups_and_alternation():
    assert parse_regex("a{2,3}")[0] == "repeat" and parse_regex("a{2,3}")[2:] == (2, 3)
    assert parse_regex("a{2,}")[2:] == (2, None)
    assert parse_regex("a{4}")[2:] == (4, 4)
    assert parse_regex("(?:ab)+?")[0] == "repeat"
    tree = parse_regex("ab|cd|e")
    assert tree[0] == "choice" and len(tree[1]) == 3
    assert parse_regex("x{,2}")[0] == "seq"  # not a quantifier in JS: literal text


def test_case_insensitive_flag():
    chars = chars_of(parse_regex("[a-c]", "i"))
    assert all(ord(c) in chars for c in "abcABC")


@pytest.mark.parametrize("pattern", ["^a", "a$", r"\bword", "(?=a)", r"\p{L}", r"(a)\1"])
def test_unsupported_constructs_are_rejected(pattern):
    with pytest.raises(GrammarError):
        parse_regex(pattern)


def test_dsl_produces_grammar_json():
    data = json.loads(grammar_json_from_js("""
module.exports = grammar({
  name: 'dsl_check',
  extras: $ => [/\\s/, $.comment],
  word: $ => $.id,
  inline: $ => [$._x],
  supertypes: $ => [$._x],
  conflicts: $ => [[$.a, $.b]],
  precedences: $ => [['p', $.a]],
  rules: {
    a: $ => seq(optional($.id), repeat1(choice('x', /y+/i)), field('f', $.b), alias($.id, $.renamed), alias($.id, 'anon')),
    b: $ => prec.left(prec.right(2, prec.dynamic(-1, token(prec(3, 'z'))))),
    _x: $ => choice($.a, token.immediate('q'), blank()),
    id: _ => /[a-z]+/,
    comment: _ => token(seq('#', /.*/)),
  },
});
"""))
    assert data["name"] == "dsl_check" and data["word"] == "id"
    assert list(data["rules"]) == ["a", "b", "_x", "id", "comment"]
    assert data["extras"] == [{"type": "PATTERN", "value": "\\s"}, {"type": "SYMBOL", "name": "comment"}]
    assert data["inline"] == ["_x"] and data["supertypes"] == ["_x"] and data["conflicts"] == [["a", "b"]]
    assert data["precedences"] == [[{"type": "STRING", "value": "p"}, {"type": "SYMBOL", "name": "a"}]]
    members = data["rules"]["a"]["members"]
    assert members[0] == {"type": "CHOICE", "members": [{"type": "SYMBOL", "name": "id"}, {"type": "BLANK"}]}
    assert members[1]["type"] == "REPEAT1"
    assert members[1]["content"]["members"][1] == {"type": "PATTERN", "value": "y+", "flags": "i"}
    assert members[2] == {"type": "FIELD", "name": "f", "content": {"type": "SYMBOL", "name": "b"}}
    assert members[3] == {"type": "ALIAS", "content": {"type": "SYMBOL", "name": "id"}, "named": True, "value": "renamed"}
    assert members[4]["named"] is False and members[4]["value"] == "anon"
    b = data["rules"]["b"]
    assert b["type"] == "PREC_LEFT" and b["value"] == 0
    assert b["content"]["type"] == "PREC_RIGHT" and b["content"]["content"]["type"] == "PREC_DYNAMIC"
    assert data["rules"]["_x"]["members"][1]["type"] == "IMMEDIATE_TOKEN"


@pytest.mark.parametrize(
    "body, message",
    [
        ("rules: { a: $ => $.missing }", "Undefined symbol 'missing'"),
        ("externals: $ => [/x+/], rules: { a: $ => 'a' }", "externals entries must be"),
        ("rules: { a: $ => prec('x') }", "prec() needs both"),
    ],
)
def test_dsl_errors_are_readable(body, message):
    with pytest.raises(GrammarError) as caught:
        grammar_json_from_js("module.exports = grammar({ name: 'bad', %s });" % body)
    assert message in str(caught.value)
