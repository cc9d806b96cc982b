"""x07text's generated node-types.json has exactly the nodes custody relies on."""

from __future__ import annotations

import json

from corpus_runner import GRAMMAR_DIR

NODE_TYPES = GRAMMAR_DIR / "x07text" / "src" / "node-types.json"
VALUES = {"atom", "false", "integer", "list", "map", "null", "rawnum", "string", "true"}


def _types() -> dict[str, dict]:
    return {entry["type"]: entry for entry in json.loads(NODE_TYPES.read_text()) if entry["named"]}


def test_named_node_types() -> None:
    assert set(_types()) == VALUES | {
        "document", "pair", "key", "string_content", "escape_sequence", "comment"}


def test_structure() -> None:
    types = _types()
    assert types["document"].get("root") is True
    assert types["comment"].get("extra") is True
    assert {t["type"] for t in types["document"]["children"]["types"]} == VALUES
    head = types["list"]["fields"]["head"]
    assert {t["type"] for t in head["types"]} == VALUES and not head["multiple"]
    assert {t["type"] for t in types["map"]["children"]["types"]} == {"pair"}
    pair = types["pair"]["fields"]
    assert [t["type"] for t in pair["key"]["types"]] == ["key"] and pair["key"]["required"]
    assert {t["type"] for t in pair["value"]["types"]} == VALUES and pair["value"]["required"]
    assert {t["type"] for t in types["string"]["children"]["types"]} == {
        "string_content", "escape_sequence"}
