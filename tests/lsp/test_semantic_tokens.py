"""Semantic tokens: decoded types and modifiers at known identifiers, in both source forms,
with UTF-16 columns after non-ASCII text on the same line."""
from __future__ import annotations


from lsprotocol import types

from custody.lsp.semantic_tokens import TOKEN_MODIFIERS, TOKEN_TYPES, decode, legend, semantic_tokens, semantic_tokens_range
from lsp_client import both_forms as lsp_both_forms

PROGRAM = """{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind defn :name main.weigh :params ({:name p :ty bytes} {:name w :ty bytes_view}) :result i32
 :body (begin (let t (bytes.lit "é😀")) (let k (bytes.len p)) (if (= k 0) (let u p) 0) (bytes.len p))})
:solve (begin
  (let s (bytes.lit "é😀")) (let b (bytes.lit hi)) (let v (bytes.view b))
  (let c b)
  (bytes.concat b c))
}
"""



def both_forms():
    return lsp_both_forms(PROGRAM, "s")


def tokens(snap):
    """{(text of the token, nth occurrence of that text among tokens): (type, modifiers)}."""
    lines = snap.data.decode().split("\n")
    out, seen = {}, {}
    for line, col, n, ty, mods in decode(semantic_tokens(snap).data):
        text = lines[line].encode("utf-16-le")[2 * col:2 * (col + n)].decode("utf-16-le")
        k = seen[text] = seen.get(text, -1) + 1
        out[(text, k)] = (ty, mods)
    return out


def test_legend():
    lg = legend()
    assert lg.token_types == ["variable", "parameter", "function"] == TOKEN_TYPES
    assert lg.token_modifiers == TOKEN_MODIFIERS
    assert "maybeMoved" in lg.token_modifiers and "declaration" in lg.token_modifiers


def test_types_and_modifiers_at_known_identifiers_in_both_forms():
    for snap in both_forms():
        tk = tokens(snap)
        assert tk[("main.weigh", 0)] == ("function", {"declaration"})
        assert tk[("p", 0)] == ("parameter", {"owned", "declaration"})
        assert tk[("w", 0)] == ("parameter", {"view", "declaration"})
        assert tk[("t", 0)] == ("variable", {"owned", "declaration"})
        assert tk[("p", 1)] == ("parameter", {"owned"})            # (bytes.len p)
        assert tk[("p", 2)] == ("parameter", {"owned"})            # (let u p) moves it on one path
        assert tk[("p", 3)] == ("parameter", {"maybeMoved"})       # read after the if
        assert tk[("k", 1)] == ("variable", {"copy"})
        assert tk[("bytes.len", 0)] == ("function", set())
        assert tk[("v", 0)] == ("variable", {"view", "declaration"})
        assert tk[("b", 1)] == ("variable", {"owned"})             # (bytes.view b)
        assert tk[("b", 2)] == ("variable", {"borrowed"})          # (let c b): v still borrows it
        assert tk[("b", 3)] == ("variable", {"moved"})             # (bytes.concat b c)
        assert tk[("bytes.concat", 0)] == ("function", set())


def test_encoding_is_relative_sorted_and_utf16():
    t, j = both_forms()
    # x07t: line 8 holds "é😀" before s's uses; b's declaration column counts the emoji as 2 units
    line = PROGRAM.split("\n")[8]
    toks = decode(semantic_tokens(t).data)
    py_col = line.index("(let b") + len("(let ")
    assert (8, py_col + 1, 1, "variable", {"owned", "declaration"}) in toks
    # JSON on one line: the v after the literal
    text = j.data.decode()
    py_col = text.index('"let", "v"') + len('"let", "')
    toks = decode(semantic_tokens(j).data)
    assert (0, py_col + 2, 1, "variable", {"view", "declaration"}) in toks   # two literals before it
    for snap in (t, j):
        data = semantic_tokens(snap).data
        assert len(data) % 5 == 0
        flat = [(l, c, n) for l, c, n, _, _ in decode(data)]
        assert flat == sorted(flat)
        for (l1, c1, n1), (l2, c2, _) in zip(flat, flat[1:]):
            assert l1 < l2 or c1 + n1 <= c2                     # no overlaps


def test_range_request_returns_the_tokens_inside_it():
    t = both_forms()[0]
    rng = types.Range(start=types.Position(line=9, character=0), end=types.Position(line=10, character=0))
    toks = decode(semantic_tokens_range(t, rng).data)
    assert [(l, ty, frozenset(m)) for l, _, _, ty, m in toks] == [
        (9, "variable", frozenset({"owned", "declaration"})),   # c
        (9, "variable", frozenset({"borrowed"})),               # b
    ]
    full = [x for x in decode(semantic_tokens(t).data) if x[0] == 9]
    assert toks == full
