"""Every query file of every grammar compiles, and x07text's capture the right nodes."""

from __future__ import annotations

import pytest

tree_sitter = pytest.importorskip("tree_sitter")

from corpus_runner import GRAMMAR_DIR  # noqa: E402
from grammars import SAMPLES, built_grammar_names, language  # noqa: E402

QUERY_FILES = sorted(GRAMMAR_DIR.glob("*/queries/*.scm"))


def _language_for(path):
    name = path.parent.parent.name
    if name not in built_grammar_names():
        pytest.skip(f"the {name} parser is not built")
    return language(name)


@pytest.mark.parametrize(
    "path", QUERY_FILES, ids=[f"{p.parent.parent.name}/{p.name}" for p in QUERY_FILES]
)
def test_query_compiles(path) -> None:
    query = tree_sitter.Query(_language_for(path), path.read_text(encoding="utf-8"))
    assert query.pattern_count > 0


def _captures(query_name: str, source: bytes) -> dict[str, list[bytes]]:
    path = GRAMMAR_DIR / "x07text" / "queries" / query_name
    lang = _language_for(path)
    query = tree_sitter.Query(lang, path.read_text(encoding="utf-8"))
    tree = tree_sitter.Parser(lang).parse(source)
    found = tree_sitter.QueryCursor(query).captures(tree.root_node)
    return {name: [node.text for node in nodes] for name, nodes in found.items()}


def test_x07text_highlights() -> None:
    caps = _captures("highlights.scm", (SAMPLES / "checksum.x07t").read_bytes())
    assert b":kind" in caps["property"]
    assert b"begin" in caps["keyword"] and b"let" in caps["keyword"]
    assert b"view.len" in caps["function.call"]
    assert b"main.checksum" in caps["function"]
    assert b"defn" in caps["type"] and b"bytes_view" in caps["type"]
    assert b"main" in caps["module"]
    assert b"-1" in caps["number"] and b'#num"0.75"' in caps["number.float"]
    assert caps["boolean"] == [b"true"] and caps["constant.builtin"] == [b"null"]
    assert b"\\u{1F600}" in caps["string.escape"]
    assert any(text.startswith(b"; A small entry module") for text in caps["comment"])


def test_x07text_locals() -> None:
    source = b"{:kind defn :params ({:name b :ty bytes}) :body (begin (let v (bytes.view b)) v)}"
    caps = _captures("locals.scm", source)
    assert sorted(caps["local.definition"]) == [b"b", b"v"]
    assert len(caps["local.scope"]) == 2  # the declaration map and the begin
    assert b"v" in caps["local.reference"]


def test_x07text_folds() -> None:
    caps = _captures("folds.scm", b"{:a (f (g))}")
    assert sorted(caps["fold"]) == [b"(f (g))", b"(g)", b"{:a (f (g))}"]
