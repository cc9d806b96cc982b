"""Error recovery in x07text, on a whole module (tests/grammar/samples/checksum.x07t).

Each case damages the first declaration (`main.checksum`, lines 8-16) and
compares with the clean parse.

Local damage (a stray `:`, `@` or `}`, a bad escape, a string left open while
typing, a list left open before the next `:key`, an extra `)` at the end of a
body) leaves everything after the declaration exactly as in the clean parse.

An unbalanced bracket in the middle of a body is the limit: the list left
open takes the following declarations as its items (a map is a valid list
item), and the tree-sitter runtime prefers skipping the first `}` it cannot
use over inserting a MISSING `)` (by its error costs, skipping a one-character
token is slightly cheaper than a missing token: 601 against 610), then drops
the MISSING version once a couple hundred nodes have followed.  In a short document the
MISSING `)` wins (see the corpus, errors.txt).  What holds there too: the
first error below the root is inside the damaged declaration, so a
diagnostic points at it.
"""

from __future__ import annotations

import pytest

tree_sitter = pytest.importorskip("tree_sitter")

from grammars import SAMPLES, built_grammar_names, language  # noqa: E402

SOURCE = (SAMPLES / "checksum.x07t").read_bytes()
DAMAGED_DECL_ROWS = range(7, 16)  # 0-based rows of `main.checksum`

LOCAL = {
    "stray colon": (b"(let acc 0)", b"(let : acc 0)"),
    "colon key as a value": (b"(set acc", b"(set :"),
    "stray close brace": (b"(let acc 0)", b"(let acc 0})"),
    "stray at sign": (b"data i", b"data @i"),
    "unknown escape": (b"(set acc", b'(set "\\q" acc'),
    "string left open while typing": (b"(let acc 0)", b'(let acc "oops\n     0)'),
    "list left open before a key": (b"({:name data :ty bytes_view})", b"({:name data :ty bytes_view}"),
    "extra paren at the end of a body": (b"     acc)}", b"     acc))}"),
    "map left open before a paren": (b"(+ (* acc 31)", b"{:x (+ (* acc 31)"),
}
UNBALANCED = {
    "paren left open mid body": (b"(let acc 0)", b"(let acc 0"),
    "paren left open before the closing brace": (b"     acc)}", b"     acc}"),
    "string swallowing the closing parens": (b"(let acc 0)", b'(let acc 0 "oops'),
    "extra paren mid body": (b"(let acc 0)", b"(let acc 0))"),
    "open paren missing": (b"(let acc 0)", b"let acc 0)"),
    "map left open in a list": (b"({:name data :ty bytes_view})", b"({:name data :ty bytes_view)"),
}


def _parser():
    if "x07text" not in built_grammar_names():
        pytest.skip("the x07text parser is not built")
    return tree_sitter.Parser(language("x07text"))


def _damage(old: bytes, new: bytes) -> bytes:
    assert SOURCE.count(old) >= 1
    return SOURCE.replace(old, new, 1)


def _module_parts(root) -> dict[bytes, str]:
    """The module map's pairs (key text -> value S-expression), comments aside."""
    module = [node for node in root.named_children if node.type == "map"][-1]
    return {
        pair.child_by_field_name("key").text: str(pair.child_by_field_name("value"))
        for pair in module.named_children
        if pair.type == "pair"
    }


def _declarations(root) -> list[str]:
    module = [node for node in root.named_children if node.type == "map"][-1]
    for pair in module.named_children:
        if pair.type == "pair" and pair.child_by_field_name("key").text == b":decls":
            items = pair.child_by_field_name("value").named_children
            return [str(node) for node in items if node.type != "comment"]
    raise AssertionError("no :decls")


@pytest.mark.parametrize("damage", LOCAL, ids=list(LOCAL))
def test_local_damage_leaves_the_rest_of_the_module_parsed(damage: str) -> None:
    parser = _parser()
    clean = parser.parse(SOURCE).root_node
    tree = parser.parse(_damage(*LOCAL[damage]))
    root = tree.root_node
    assert root.has_error and root.type == "document"
    decls, clean_decls = _declarations(root), _declarations(clean)
    assert len(decls) == len(clean_decls) == 5
    assert decls[1:] == clean_decls[1:]
    parts, clean_parts = _module_parts(root), _module_parts(clean)
    assert {k: v for k, v in parts.items() if k != b":decls"} == {
        k: v for k, v in clean_parts.items() if k != b":decls"
    }


def _first_error_below_root(root):
    found = []

    def walk(node):
        if node != root and (node.type == "ERROR" or node.is_missing):
            found.append(node)
        for child in node.children:
            if child.has_error or child.is_missing or child.type == "ERROR":
                walk(child)

    walk(root)
    return min(found, key=lambda node: node.start_byte) if found else None


@pytest.mark.parametrize("damage", UNBALANCED, ids=list(UNBALANCED))
def test_unbalanced_bracket_is_reported_inside_the_damaged_declaration(damage: str) -> None:
    parser = _parser()
    root = parser.parse(_damage(*UNBALANCED[damage])).root_node
    assert root.has_error
    first = _first_error_below_root(root)
    assert first is not None
    assert first.start_point.row in DAMAGED_DECL_ROWS, (first, str(root)[:300])
