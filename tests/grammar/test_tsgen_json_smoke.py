"""Our generated JSON parser loads through custody.grammar.language and
matches the official tree-sitter-json parser on hand-picked documents."""

import pytest
import tree_sitter
import tree_sitter_json

from custody.grammar import language

DOCUMENTS = [
    b"{}",
    b"[]",
    b'""',
    b"0",
    b"-12.5e-3",
    b"1E7",
    b"true",
    b"false",
    b"null",
    b'{"a": [1, -2.5e3, true, null, "x\\n\\u1234y"], "b": {}}',
    b' \n\t[1 , 2,{"k":"v"}]\r\n ',
    b'"a // b /* c */"',
    b'" spaced "',
    b'[1, // note\n 2 /* more */]',
    b'{"nested": {"deeper": [[[]], {"x": "\\"\\\\\\/\\b\\f\\n\\r\\t"}]}}',
    '"caf\u00e9 \u2603 \U0001f600"'.encode(),
]


@pytest.fixture(scope="module")
def parsers():
    ours = tree_sitter.Parser(language("json"))
    official = tree_sitter.Parser(tree_sitter.Language(tree_sitter_json.language()))
    return ours, official


def test_language_is_cached_and_abi_14():
    lang = language("json")
    assert lang is language("json")
    assert lang.abi_version == 14


@pytest.mark.parametrize("document", DOCUMENTS)
def test_same_tree_as_official(parsers, document):
    ours, official = parsers
    mine = ours.parse(document).root_node
    theirs = official.parse(document).root_node
    assert not mine.has_error
    assert str(mine) == str(theirs)


def test_node_kinds_match_official():
    ours = language("json")
    official = tree_sitter.Language(tree_sitter_json.language())

    def visible_kinds(lang):
        kinds = set()
        for i in range(lang.node_kind_count):
            if lang.node_kind_is_visible(i):
                kinds.add((lang.node_kind_for_id(i), lang.node_kind_is_named(i)))
        return kinds

    assert visible_kinds(ours) == visible_kinds(official)
    assert ours.field_id_for_name("key") and ours.field_id_for_name("value")
    supertype = ours.id_for_node_kind("_value", True)
    assert supertype and not ours.node_kind_is_visible(supertype)


def test_exponent_plus_sign_follows_rfc(parsers):
    # RFC 8259 allows `e+3`; tree-sitter-json's number token does not.
    ours, official = parsers
    assert str(ours.parse(b"1e+3").root_node) == "(document (number))"
    assert official.parse(b"1e+3").root_node.has_error
