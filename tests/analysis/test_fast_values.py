"""The fast x07text converter (text_form.fast_values) must build exactly the values the
tree-sitter node walk builds, and deferred bodies must come back the same after `release`."""
from __future__ import annotations

import pytest

from custody.analysis.engine import Engine
from custody.analysis.source import Span
from custody.analysis.x07 import cst_values, text_form
from custody.analysis.x07.parse_result import MAX_NESTING
from custody.analysis.x07.values import Value

TRICKY = [
    b'(f -12 -12x -1-2 12 x -0 007 a.b@c +- <u >=u)',
    b'(f "plain" "a\\"b\\\\c\\n\\r\\t" "\\u{1F600}x" "\\u{110000}" "" "semi ; colon" "(not a list)")',
    b'(f #num"1.5" #num"-2e10" #num"oops" true false null trueish nullx)',
    b'{:kind defn :name m.f ; a comment (with a paren\n :params () :body (begin)}',
    b'(a ; comment with \r a carriage return\n b)',
    b'({:a 1 :b (x {:c "d"})} () {} (()))',
    b'(f\x0bx\x0cy\t z)',
]


def same(a: Value, b: Value) -> bool:
    if (a.kind, a.span, a.value, type(a.value), a.has_error) != (b.kind, b.span, b.value, type(b.value), b.has_error):
        return False
    if a.kind == "list":
        return len(a.items) == len(b.items) and all(same(x, y) for x, y in zip(a.items, b.items))
    if a.kind == "map":
        return ([(e.key, e.key_span) for e in a.entries] == [(e.key, e.key_span) for e in b.entries]
                and all(same(x.value, y.value) for x, y in zip(a.entries, b.entries)))
    return True


def walk_and_fast(data: bytes, depth: int = 2):
    tree = text_form.new_parser().parse(data)
    node = tree.root_node.named_children[0]
    assert not tree.root_node.has_error, tree.root_node
    slow = Value(node.type, Span(node.start_byte, node.end_byte))
    slow.items, slow.entries = [], []
    cst_values._fill(text_form.SYNTAX, node, data, slow, depth, [], False)
    built = text_form.fast_values(data, node.start_byte, node.end_byte, depth)
    return slow, built


@pytest.mark.parametrize("data", TRICKY)
def test_fast_values_match_the_node_walk(data):
    slow, built = walk_and_fast(data)
    assert built is not None
    fast = Value(slow.kind, slow.span)
    fast.items, fast.entries = built
    assert same(slow, fast)


def test_too_deep_falls_back_to_the_node_walk():
    levels = MAX_NESTING + 5
    data = b"(" * levels + b"x" + b")" * levels
    _, built = walk_and_fast(data)
    assert built is None


def test_released_body_is_rebuilt_the_same():
    src = (b"{:kind module :module_id m :schema_version x07.x07ast@0.8.0 :imports ()\n"
           b" :decls ({:kind defn :name m.f :params ({:name b :ty bytes}) :result bytes\n"
           b"          :body (begin (let v (bytes.view b)) (let c (view.to_bytes v)) c)})}\n")
    result = Engine().check("m.x07t", src)
    decl = result.parsed.module.decls[0]
    body = decl.body
    assert body.fill is not None            # released after the analysis
    first = body.to_python()
    assert body.fill is None
    spans = [it.span for it in body.items]
    body.release()
    assert body.to_python() == first and [it.span for it in body.items] == spans
    pointers = result.parsed.pointers.by_pointer
    assert pointers["/decls/0/body/1/2"].to_python() == ["bytes.view", "b"]
    assert pointers["/decls/0/body/1/2"].pointer == "/decls/0/body/1/2"
