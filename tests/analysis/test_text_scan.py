"""The batch check's scan of a well-formed `.x07t` (analysis/x07/text_scan.py) against the
tree-sitter path: where the scan reads a file, every value (declarations and bodies included)
must be the tree path's, span for span; where tree-sitter would report anything, the scan must
give up (at once, or with `Doubt` when the value holding the error is converted); and the CLI's
check (`server/batch.checked`) must report exactly what the check without the scan reports.
Case files, generated modules in many layouts, broken files, and random text (hypothesis)."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custody.analysis.engine import Engine
from custody.analysis.optimistic import allowed
from custody.analysis.x07 import text_form, text_scan
from custody.analysis.x07.cst_values import parse_tree
from custody.batch import checked

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_batch_mode import findings_of, generated_module  # noqa: E402

CASES = sorted((Path(__file__).resolve().parent.parent / "cases").rglob("*.x07t"))


def dump(v, out: list) -> None:
    out.append((v.kind, v.span.start, v.span.end, v.value, type(v.value).__name__, v.has_error))
    if v.kind == "list":
        out.append(len(v.items))
        for x in v.items:
            dump(x, out)
    elif v.kind == "map":
        out.append(tuple((e.key, e.key_span.start, e.key_span.end) for e in v.entries))
        for e in v.entries:
            dump(e.value, out)


def tree_path(data: bytes):
    """(values, findings) of the tree-sitter path, every deferred value converted."""
    parsed = parse_tree(text_form.SYNTAX, text_form.new_parser(), data)
    out: list = []
    if parsed.root is not None:
        dump(parsed.root, out)
    return out, parsed.findings + [f for f in parsed.deep if f not in parsed.findings]


def compare(data: bytes) -> str:
    """'scanned', 'declined' (scan gave None) or 'doubted' (Doubt when converting), after checking
    that a scanned file's values are the tree path's and that tree-sitter finds nothing wrong
    with a file the scan did not decline or doubt."""
    values, findings = tree_path(data)
    scanned = text_scan.scan(data)
    if scanned is None:
        return "declined"
    assert scanned.tree is None and scanned.findings == [] and scanned.deep == []
    out: list = []
    try:
        dump(scanned.root, out)
    except text_scan.Doubt:
        assert findings, "the scan doubted a file tree-sitter parses cleanly"
        return "doubted"
    assert findings == [], f"the scan read a file with findings {findings}"
    assert out == values
    return "scanned"


def decls_of(parsed_root, data: bytes) -> list:
    """What module.read_module makes of the declarations (headers and their findings)."""
    from custody.analysis.x07.module import DeclCache, read_module
    m = read_module(parsed_root, data, [], DeclCache())
    return [(d.kind, d.name, d.name_span, [(p.name, p.span, p.ty, p.brand) for p in d.params], d.result,
             d.has_body, d.spoiled, d.fields, d.variants, d.names, d.value.span,
             [(f.code, f.span, f.message) for f in d.findings], d.header) for d in m.decls] + [m.findings]


def same_decls(data: bytes) -> None:
    """The declarations read from a scan (some straight from their text) are the tree path's."""
    scanned = text_scan.scan(data)
    if scanned is None:
        return
    tree = parse_tree(text_form.SYNTAX, text_form.new_parser(), data)
    assert decls_of(scanned.root, data) == decls_of(tree.root, data)


@pytest.fixture
def split_small(monkeypatch):
    """Batch checks split any file among their workers (not only files of 2,000+ functions)."""
    from functools import partial

    from custody.analysis.x07 import check
    monkeypatch.setattr(check, "begin", partial(check.begin, parallel_min=1))


def same_report(path: str, data: bytes, workers: int = 1):
    """The CLI's check (scan allowed) against the check without it: the same findings."""
    plain = Engine(batch=True)
    plain.workers = workers
    fast = Engine(batch=True)
    fast.workers = workers
    want = plain.check(path, data)
    got = checked(fast, path, data)
    assert findings_of(got.analysis) == findings_of(want.analysis)
    return got


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(c.parents[1])) for c in CASES])
def test_case_files(case):
    data = case.read_bytes()
    compare(data)
    same_decls(data)
    same_report(str(case), data)


def test_most_case_files_are_scanned():
    got = [compare(c.read_bytes()) for c in CASES]
    assert got.count("scanned") >= len(CASES) // 2, got


def test_generated_modules_are_scanned_and_report_the_same(split_small):
    for seed in (1, 2, 3):
        data = generated_module(50, seed)
        assert compare(data) == "scanned"
        same_decls(data)
        for workers in (1, 2):
            with allowed():
                e = Engine(batch=True)
                e.workers = workers
                assert e.check("gen.x07t", data).parsed.parse.tree is None
            same_report("gen.x07t", data, workers)


# ---------------------------------------------------------------- layouts and lexical corners

HEAD = b"{:kind module :module_id m :schema_version x07.x07ast@0.8.0 :imports (std.bytes)\n :decls (\n"
TAIL = b" )}\n"
F = b"  {:kind defn :name m.f%d :params ({:name b :ty bytes} {:name k :ty i32}) :result i32\n   :body %s}\n"
BODIES = [
    b"(begin (let c b) (bytes.len b))",
    b'(begin (let s (bytes.lit "a \\"(b\\" ; c\\n\\u{1F600}")) (bytes.len b))',
    b'(begin ; a comment ( with ) brackets\n  (let x #num"1.5") (bytes.len b))',
    b"(begin (let x -12) (let y -12x) (let z -1-2) (let w 007) k)",
    b"(if (< k 0) (let x b) (begin (bytes.len b)))",
    b"(begin (let m {:a 1 :b (x {:c \"d\"})}) k)",
    b"(begin\n\t(let c b)\x0b\x0c(bytes.len c))",
    b"k",
]


def module(*decls: bytes, head: bytes = HEAD, tail: bytes = TAIL) -> bytes:
    return head + b"".join(decls) + tail


def usual(i: int, body: bytes) -> bytes:
    return F % (i, body)


LAYOUTS = {
    "usual": module(*[usual(i, b) for i, b in enumerate(BODIES)]),
    "meta after the body": module(b"  {:kind defn :name m.g :params () :result i32\n   :body (begin 1)\n"
                                  b"   :meta {:doc \"x (y\" :w #num\"0.5\" :p false :o null}}\n", usual(1, BODIES[0])),
    "keys in another order": module(b"  {:name m.g :kind defn :result i32 :body (begin (let c 1) c) :params ()}\n",
                                    usual(1, BODIES[0])),
    "body first": module(b"  {:body (begin (let c 1) c) :kind defn :name m.g :params () :result i32}\n"),
    "params on their own lines": module(b"  {:kind defn :name m.g\n   :params ({:name b :ty bytes}\n"
                                        b"             {:name k :ty i32})\n   :result i32\n   :body (bytes.len b)}\n",
                                        usual(2, BODIES[4])),
    "one line": module(b"  {:kind defn :name m.g :params () :result i32 :body (begin 1)} "
                       b"{:kind defn :name m.h :params () :result i32 :body (begin 2)}\n"),
    "first declaration on the list's line": HEAD[:-1] + usual(0, BODIES[0])[2:] + TAIL,
    "comments between declarations": module(usual(0, BODIES[0]), b"  ; a comment { with ( brackets\n\n",
                                            usual(1, BODIES[1]), b"  ; } trailing\n"),
    "comment after a declaration": module(b"  {:kind defn :name m.g :params () :result i32 :body (begin 1)} ; }\n",
                                          usual(1, BODIES[0])),
    "comment before the root": b"; leading ( comment\n" + module(usual(0, BODIES[0])) + b"; trailing }\n",
    "no declarations": module(),
    "other kinds": module(b"  {:kind defrecord :name m.R :fields ({:name a :ty i32})}\n",
                          b"  {:kind defenum :name m.E :variants ({:name A} {:name B :payload i32})}\n",
                          b"  {:kind extern :name m.x :params ({:name a :ty i32}) :result i32}\n",
                          b"  {:kind export :names (m.f0)}\n", usual(0, BODIES[0])),
    "solve after decls": module(usual(0, BODIES[0]), tail=b" )\n :solve (begin (let c (bytes.alloc 1)) c)}\n"),
    "decls before other keys": b"{:decls (\n" + usual(0, BODIES[0]) + b" ) :kind module :module_id m :imports ()}\n",
    "tabs and CRLF": module(usual(0, BODIES[0]).replace(b"\n", b"\r\n").replace(b"  ", b"\t")),
    "a map body": module(b"  {:kind defn :name m.g :params () :result i32 :body {:a 1}}\n"),
    "a scalar body": module(b"  {:kind defn :name m.g :params () :result i32 :body 7}\n"),
    "no body": module(b"  {:kind defn :name m.g :params () :result i32}\n"),
    "a body on a non-function": module(b"  {:kind defconst :name m.c :body (begin (x y))}\n"),
    "a string name": module(b"  {:kind defn :name \"m.g\" :params () :result i32 :body (begin 1)}\n"),
    "odd names and types": module(b"  {:kind defn :name true :params () :result i32 :body (begin 1)}\n",
                                  b"  {:kind defasync :name m.a :params ({:name null :ty i32} {:name input :ty -1}"
                                  b" {:name -9x :ty bytes} {:name x :ty true}) :result null :body (begin 1)}\n",
                                  b"  {:kind defn :name m.bad-name! :params ({:name a.b :ty i32}) :result bytes_view"
                                  b" :body (begin 1)}\n",
                                  b"  {:kind defn :name m.c :params () :result i32 :body (begin 1)\n"
                                  b"   :requires ({:expr (< 1 2)})}\n",
                                  b"  {:kind defn :name m.d :params () :result i32 :body (begin (f \"a:b\"))}\n",
                                  b"  {:kind defn :name m.d :params () :result i32 :body (begin 1)}\n"),
    "duplicate keys": b"{:kind module :kind module :module_id m :imports () :decls (\n" + usual(0, BODIES[0])
                      + b"  {:kind defn :name m.a :name m.b :params () :params ({:name x :ty i32}) :result i32"
                      b" :body (begin 1)}\n" + TAIL,
    "keys that change a header after the body": module(
        b"  {:kind defn :name m.a :params () :result bytes :body (begin (bytes.alloc 1))\n   :result_brand B}\n",
        b"  {:kind defn :name m.b :params ({:name x :ty bytes :brand B}) :result i32 :body (begin 1)}\n",
        b"  {:kind defn :name m.c :params ({:name b :ty bytes}) :result i32 :body (begin 1)\n"
        b"   :ensures ({:expr (let c b)})}\n",
        b"  {:kind extern :name m.x :params ({:name a :ty i32}) :result i32 :body (begin 1)}\n",
        b"  {:kind defasync :name m.y :params ({:name input :ty i32}) :result i32 :body (begin 1)}\n",
        b"  {:kind defn :name m..z :params ({:name a-b :ty i32}) :result i32 :body (begin 1)}\n"),
    "unicode in a string": module(usual(0, '(begin (let s (bytes.lit "héllo — ☃")) (bytes.len b))'.encode())),
}

BROKEN = {
    "unclosed body": module(usual(0, b"(begin (let c b) (bytes.len b)"), usual(1, BODIES[0])),
    "extra closer": module(usual(0, b"(begin (let c b)) (bytes.len b))"), usual(1, BODIES[0])),
    "unterminated string": module(usual(0, b'(begin (let s (bytes.lit "abc)) (bytes.len b))')),
    "stray character": module(usual(0, b"(begin (let c b) [bytes.len b])")),
    "bad key": module(usual(0, b"(begin (let c b) (bytes.len :1))")),
    "key in a list": module(usual(0, b"(begin (let c b) (bytes.len :b))")),
    "value without key": module(b"  {:kind defn :name m.g 5 :params () :result i32 :body (begin 1)}\n"),
    "two bodies": module(b"  {:kind defn :name m.g :params () :result i32 :body (begin 1) :body (begin 2)}\n"),
    "bad escape": module(usual(0, b'(begin (let s (bytes.lit "a\\qb")) k)')),
    "two top-level values": module(usual(0, BODIES[0])) + b"{:kind module}\n",
    "mismatched brackets": module(usual(0, b"(begin (let c b} (bytes.len b))")),
    "missing decls closer": HEAD + usual(0, BODIES[0]) + b"}\n",
    "not a map": b"(kind module)\n",
    "empty": b"",
    "deep": module(usual(0, b"(begin " * 250 + b"k" + b")" * 250)),
    "deep in the header": module(b"  {:kind defn :name m.g :meta " + b"(" * 250 + b")" * 250
                                 + b" :params () :result i32 :body (begin 1)}\n"),
    "deep outside decls": HEAD[:-len(b" :decls (\n")] + b" :x " + b"(" * 250 + b")" * 250 + b" :decls ()}\n",
    "non-utf8": module(usual(0, b'(begin (let s (bytes.lit "\xff")) k)')),
    "nul byte": module(usual(0, b"(begin (let c b)\x00 k)")),
    "nul in a comment": module(usual(0, b"(begin ; a\x00b\n k)")),
    "nul in a string": module(usual(0, b'(begin (f "a\x00b") k)')),
    "nul in a rawnum": module(usual(0, b'(begin (f #num"1\x00") k)')),
    "nul in a leading comment": b"; \x00\n" + module(usual(0, BODIES[0])),
    "rawnum with escape": module(usual(0, b'(begin (let x #num"1\\"") k)')),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layouts_read_as_the_tree_reads_them(name):
    data = LAYOUTS[name]
    assert compare(data) == "scanned", name
    same_decls(data)
    same_report("m.x07t", data)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_fall_back(name):
    data = BROKEN[name]
    assert compare(data) in ("declined", "doubted")
    same_report("m.x07t", data)


def test_a_syntax_error_found_in_a_worker_is_reported_by_tree_sitter(split_small, monkeypatch):
    """A body converted only in a forked worker is where the scan learns of the error: the whole
    check is done again on the tree-sitter path, and its syntax error reported."""
    from custody.analysis import forked
    from custody.analysis.x07 import check

    forks = []
    real_fork = forked.os.fork

    def counting_fork():
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(forked.os, "fork", counting_fork)
    monkeypatch.setattr(check, "fork_map", forked.fork_map)
    good = generated_module(60, 4)
    cut = good.rindex(b":body (") + len(b":body (")       # the last function: the child's piece
    data = good[:cut] + b"begin ]" + good[cut:]
    assert compare(data) == "doubted"
    fast = Engine(batch=True)
    fast.workers = 2
    got = checked(fast, "gen.x07t", data)
    assert len(forks) == 2          # the scanned check forked (and doubted), then the tree path's
    assert got.parsed.parse.tree is not None
    assert any(f.code == "CUS-SYNTAX-0001" for f in got.findings)
    same_report("gen.x07t", data, workers=2)


# ---------------------------------------------------------------- random text

ATOMS = [b"begin", b"let", b"x", b"-12", b"12", b"-1-2", b"-12x", b"true", b"null", b"a.b@c", b"<u", b"+"]
STRINGS = [b'"a"', b'"a\\"b"', b'"\\u{1F600}"', b'"(("', b'"; not a comment"', b'#num"1.5"', b'""']
KEYS = [b":a", b":name", b":kind", b":body", b":b-c"]


@st.composite
def values(draw, depth=0):
    kind = draw(st.sampled_from(["atom", "string", "list", "map"] if depth < 4 else ["atom", "string"]))
    if kind == "atom":
        return draw(st.sampled_from(ATOMS))
    if kind == "string":
        return draw(st.sampled_from(STRINGS))
    sep = draw(st.sampled_from([b" ", b"\n   ", b"\t", b" ; c ( }\n"]))
    if kind == "list":
        items = draw(st.lists(values(depth + 1), max_size=4))
        return b"(" + sep.join(items) + b")"
    pairs = draw(st.lists(st.tuples(st.sampled_from(KEYS), values(depth + 1)), max_size=3))
    return b"{" + sep.join(k + b" " + v for k, v in pairs) + b"}"


@st.composite
def modules(draw):
    decls = []
    for i in range(draw(st.integers(0, 4))):
        body = draw(values(1))
        if draw(st.booleans()):
            decls.append(usual(i, body))
        else:
            extra = draw(values(2))
            decls.append(b"  {:kind defn :name m.f%d\n   :params ()\n   :result i32 :body %s :meta %s}\n" % (i, body, extra))
    data = module(*decls)
    edits = draw(st.lists(st.tuples(st.integers(0, len(data)), st.integers(0, 3),
                                    st.sampled_from([b"", b"(", b")", b"{", b"}", b'"', b";", b":", b"\n", b" ",
                                                     b"x", b"\\", b"#", b"[", b"-1", b"\x00", b"\r", b"\x0b",
                                                     "é".encode()])), max_size=2))
    for at, cut, text in edits:
        data = data[:at] + text + data[at + cut:]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_random_text_scans_as_the_tree_reads_it(data):
    if compare(data) == "scanned":
        same_decls(data)
