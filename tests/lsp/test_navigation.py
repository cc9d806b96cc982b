"""Outline, definition, references and rename, in both source forms, across an import."""
from __future__ import annotations

import json

import pytest
from lsprotocol import types

from custody.analysis.source import LineIndex, Position
from custody.lsp.navigation import definition, document_symbols, prepare_rename, references, rename
from custody.lsp.service import Service

LIB = """{
:kind module
:module_id lib.util
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind defn :name lib.util.take :params ({:name b :ty bytes}) :result i32 :body (bytes.len b)})
}
"""

MAIN = """{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports (lib.util)
:decls ({:kind defn :name main.keep :params ({:name p :ty bytes}) :result bytes :body p}
{:kind defrecord :name main.Pt :fields ({:name x :ty i32} {:name y :ty i32})}
{:kind defenum :name main.Op :variants ({:name Add :payload i32} {:name Nop})})
:solve (begin
  (let s (bytes.lit "é😀")) (let b (bytes.lit hi)) (let n (lib.util.take (main.keep b)))
  (let pt (main.Pt.make 1 2))
  (let c (main.keep (bytes.lit x)))
  (for i 0 n (set c (main.keep c)))
  (bytes.len b)
  c)
}
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "util.x07t").write_text(LIB)
    (tmp_path / "main.x07t").write_text(MAIN)
    svc = Service()
    t_uri = (tmp_path / "main.x07t").as_uri()
    svc.open(t_uri, 1, MAIN)
    t = svc.snapshot(t_uri)
    j_text = json.dumps(t.result.parsed.parse.root.to_python(), ensure_ascii=False)   # one line
    (tmp_path / "main.x07.json").write_text(j_text)
    j_uri = (tmp_path / "main.x07.json").as_uri()
    svc.open(j_uri, 1, j_text)
    return svc, tmp_path, [t, svc.snapshot(j_uri)]


def is_json(snap) -> bool:
    return snap.path.endswith(".json")


def ident(snap, name: str) -> str:
    return f'"{name}"' if is_json(snap) else name


def find(snap, text_needle: str, json_needle: str | None = None, nth: int = 0) -> int:
    """Byte offset of the identifier the needle ends with (needles end with a whole identifier;
    in JSON without its closing quote). The identifier is the needle's tail after its last space,
    bracket or quote."""
    text = snap.data.decode()
    needle = json_needle if is_json(snap) and json_needle is not None else text_needle
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    name = needle.replace("(", " ").replace("[", " ").replace('"', " ").split(" ")[-1]
    return len(text[:at + len(needle) - len(name)].encode())


def token_range(snap, offset: int, name: str, quoted: bool) -> tuple:
    """((line, char), (line, char)) of the identifier `name` at offset, with its quotes in JSON
    when `quoted`."""
    q = 1 if quoted and is_json(snap) else 0
    idx = LineIndex(snap.data)
    s, e = idx.position(offset - q), idx.position(offset + len(name.encode()) + q)
    return (s.line, s.character), (e.line, e.character)


def rng(r: types.Range) -> tuple:
    return (r.start.line, r.start.character), (r.end.line, r.end.character)


def apply(data: bytes, edit: types.WorkspaceEdit, uri: str) -> str:
    idx = LineIndex(data)
    out = data
    spans = [(idx.offset(Position(e.range.start.line, e.range.start.character)),
              idx.offset(Position(e.range.end.line, e.range.end.character)), e.new_text) for e in edit.changes[uri]]
    for s, e, new in sorted(spans, reverse=True):
        out = out[:s] + new.encode() + out[e:]
    return out.decode()


def test_document_symbols(project):
    _, _, snaps = project
    K = types.SymbolKind
    for snap in snaps:
        [root] = document_symbols(snap)
        assert (root.name, root.kind) == ("main", K.Module)
        assert [(c.name, c.kind) for c in root.children] == [
            ("main.keep", K.Function), ("main.Pt", K.Struct), ("main.Op", K.Enum), ("solve", K.Function)]
        keep, pt, op, solve = root.children
        assert [(c.name, c.kind) for c in keep.children] == [("p", K.Variable)]
        assert keep.detail == "defn (p: bytes) -> bytes"
        assert [(c.name, c.kind) for c in pt.children] == [("x", K.Field), ("y", K.Field)]
        assert [c.name for c in op.children] == ["Add", "Nop"] and op.children[0].kind == K.EnumMember
        assert [c.name for c in solve.children] == ["s", "b", "n", "pt", "c", "i"]
        b = solve.children[1]
        # UTF-16: "é😀" earlier on b's line counts 3 units
        line = snap.data.decode().split("\n")[b.selection_range.start.line]
        py = line.index(ident(snap, "b"), line.index("é😀"))
        assert b.selection_range.start.character == py + 1
        assert rng(keep.selection_range) == token_range(snap, find(snap, ":name main.keep", '"name": "main.keep'), "main.keep", True)


def test_definition_of_bindings_functions_and_imports(project):
    svc, root, snaps = project
    for snap in snaps:
        resolver = svc.engine.resolver(snap.path)
        b_def = find(snap, "(let b", '"let", "b')
        [loc] = definition(snap, find(snap, "(bytes.len b", '"bytes.len", "b'), resolver)
        assert loc.uri == snap.uri and rng(loc.range) == token_range(snap, b_def, "b", True)
        [loc] = definition(snap, find(snap, "(set c (main.keep c", '"main.keep", "c'), resolver)
        assert rng(loc.range) == token_range(snap, find(snap, "(let c", '"let", "c'), "c", True)
        # a function of this module, a record constructor
        [loc] = definition(snap, find(snap, "(main.keep", '["main.keep'), resolver)
        assert rng(loc.range) == token_range(snap, find(snap, ":name main.keep", '"name": "main.keep'), "main.keep", True)
        [loc] = definition(snap, find(snap, "(main.Pt.make", '["main.Pt.make'), resolver)
        assert rng(loc.range) == token_range(snap, find(snap, ":name main.Pt", '"name": "main.Pt'), "main.Pt", True)
        # an imported function and the import itself
        [loc] = definition(snap, find(snap, "(lib.util.take", '["lib.util.take'), resolver)
        assert loc.uri == (root / "lib" / "util.x07t").as_uri()
        col = LIB.split("\n")[5].index("lib.util.take")
        assert rng(loc.range) == ((5, col), (5, col + len("lib.util.take")))
        [loc] = definition(snap, find(snap, ":imports (lib.util", '["lib.util'), resolver)
        assert loc.uri == (root / "lib" / "util.x07t").as_uri() and rng(loc.range) == ((2, 11), (2, 19))
        assert definition(snap, find(snap, "(bytes.len", '["bytes.len'), resolver) == []     # a builtin
        assert definition(snap, 0, resolver) == []


def test_definition_of_an_imported_function_reads_the_file_again(project):
    svc, root, snaps = project
    t = snaps[0]
    take = find(t, "(lib.util.take")
    lib = root / "lib" / "util.x07t"
    lib.write_text("; moved down\n;two lines\n" + LIB)                   # same signatures
    svc.change(t.uri, 2, [types.TextDocumentContentChangeWholeDocument(text=MAIN + "\n")])
    t2 = svc.snapshot(t.uri)
    assert t2.result.analysis.reused >= 1                                # solve kept its old call facts
    call = next(c for fr in t2.result.analysis.functions for c in fr.calls if c.callee == "lib.util.take")
    assert lib.read_bytes()[call.sig.span.start:call.sig.span.end] != b"lib.util.take"   # stale span
    [loc] = definition(t2, take, svc.engine.resolver(t2.path))
    assert loc.range.start.line == 7


def test_references(project):
    svc, _, snaps = project
    for snap in snaps:
        at = find(snap, "(let b", '"let", "b')
        uses = [find(snap, "(main.keep b", '"main.keep", "b'), find(snap, "(bytes.len b", '"bytes.len", "b')]
        got = [rng(l.range) for l in references(snap, uses[1], True)]
        assert got == [token_range(snap, o, "b", True) for o in [at] + uses]
        assert [rng(l.range) for l in references(snap, at, False)] == [token_range(snap, o, "b", True) for o in uses]
        heads = [find(snap, "(main.keep", '["main.keep', nth=k) for k in range(3)]
        decl = find(snap, ":name main.keep", '"name": "main.keep')
        got = [rng(l.range) for l in references(snap, heads[2], True, svc.engine.resolver(snap.path))]
        assert got == [token_range(snap, o, "main.keep", True) for o in [decl] + heads]
        got = [rng(l.range) for l in references(snap, decl, False)]        # from the declaration
        assert got == [token_range(snap, o, "main.keep", True) for o in heads]
        assert references(snap, 0, True) == []


def test_prepare_rename_and_rename_rechecks_with_the_same_findings(project):
    svc, root, snaps = project
    for snap in snaps:
        before = [f.code for f in snap.findings]
        assert before == ["X07-MOVE-0901"]
        at = find(snap, "(bytes.len b", '"bytes.len", "b')
        r = prepare_rename(snap, at)
        assert rng(r) == token_range(snap, at, "b", False)                   # without the quotes
        assert prepare_rename(snap, find(snap, "(bytes.len", '["bytes.len')) is None
        edit = rename(snap, at, "data")
        assert len(edit.changes[snap.uri]) == 3                            # its let and two uses
        text = apply(snap.data, edit, snap.uri)
        if is_json(snap):
            json.loads(text)
            assert '"let", "data"' in text and '"bytes.len", "data"' in text
        else:
            assert "(let data (bytes.lit hi))" in text and "(bytes.len data)" in text
        other = Service()
        uri = (root / ("renamed" + (".x07.json" if is_json(snap) else ".x07t"))).as_uri()
        other.open(uri, 1, text)
        after = other.snapshot(uri).findings
        assert [f.code for f in after] == before
        assert after[0].message == 'use after move: "data"'
        # loop variable and a set target
        c_edit = rename(snap, find(snap, "(set c", '"set", "c'), "acc")
        renamed = apply(snap.data, c_edit, snap.uri)
        assert ('"set", "acc", ["main.keep", "acc"]' if is_json(snap) else "(set acc (main.keep acc))") in renamed
        assert len(c_edit.changes[snap.uri]) == 4


def test_rename_refusals(project):
    _, _, snaps = project
    for snap in snaps:
        at = find(snap, "(bytes.len b", '"bytes.len", "b')
        for bad in ("1b", "a.b", "x y", "", "input", 'q"'):
            with pytest.raises(ValueError, match="not a valid X07 local name"):
                rename(snap, at, bad)
        with pytest.raises(ValueError, match='"n" is already a binding in solve'):
            rename(snap, at, "n")
        p = find(snap, ":name p", '"name": "p')
        assert rename(snap, p, "b") is not None                            # b lives in another function
        assert rename(snap, find(snap, "(bytes.len", '["bytes.len'), "x") is None
