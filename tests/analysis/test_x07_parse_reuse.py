"""An edited X07 document is parsed again keeping the declarations the edit did not touch
(analysis/x07/cst_values.py: `Reuse`; module.read_module): those before the edit keep their
values and headers (the same objects), those after it keep their headers (moved, their spans
moved when read); the signature table is taken over while no header changed. Whatever the
edits, the result must be what a fresh parse and a fresh check of the same text give."""
from __future__ import annotations

import random


from custody.analysis.engine import Engine
from custody.lsp.service import Service

from random_edits import change, edit_session

SOURCE = """{
:kind entry
:module_id main
:schema_version x07.x07ast@0.8.0
:imports ()
:decls ({:kind defn :name main.greet :params ({:name name :ty bytes}) :result bytes
         :body (bytes.concat (bytes.lit "hello ") name)}
        {:kind defn :name main.twice :params ({:name b :ty bytes} {:name n :ty i32}) :result bytes
         :body (begin (let c (main.greet b)) (bytes.concat c b))}
        {:kind defn :name main.size :params ({:name v :ty bytes_view}) :result i32
         :body (view.len v)}
        {:kind defn :name main.keep :params ({:name b :ty bytes}) :result bytes
         :body (begin (let v (bytes.view b)) (let w (main.size v)) b)})
:solve (begin
  (let who (view.to_bytes input))
  (let msg (main.greet who))
  (bytes.concat msg who))
}
"""

PIECES = [" ", "x", "\\n", ")", "(", "{", "}", " b", "(bytes.len b)", "main.greet", ":name q", ";c\\n"]


def facts(parsed):
    m = parsed.module
    if m is None:
        return None
    return [(d.kind, d.name, d.name_span, d.value.span, [(p.name, p.span, p.ty) for p in d.params], d.result,
             d.spoiled, sorted((f.code, f.span) for f in d.findings)) for d in m.decls]


def findings(result):
    return sorted((f.code, f.span, f.message) for f in result.findings)


def test_random_edits_match_a_fresh_parse_and_check(tmp_path):
    path = tmp_path / "main.x07t"
    uri = path.as_uri()
    rnd = random.Random(11)
    pieces = [p.replace("\\n", "\n") for p in PIECES]
    for trial in range(10):
        for step, text, snap in edit_session(Service(), uri, SOURCE, rnd, pieces, 25, [0, 0, 1, 2, 9]):
            fresh = Engine().check(str(path), text.encode())
            assert facts(snap.result.parsed) == facts(fresh.parsed), (trial, step)
            assert findings(snap.result) == findings(fresh), (trial, step)


def test_a_keystroke_keeps_the_declarations_before_it_and_moves_those_after(tmp_path):
    path = tmp_path / "main.x07t"
    uri = path.as_uri()
    svc = Service()
    svc.open(uri, 1, SOURCE, None)
    svc.snapshot(uri)
    at = SOURCE.index("(bytes.concat c b)") + len("(bytes.concat c b")

    def type_at(offset, version):
        svc.change(uri, version, [change(SOURCE, offset, offset, " ")])
        return svc.snapshot(uri).result.parsed

    first = type_at(at, 2)
    second = type_at(at + 1, 3)
    by_name = lambda p: {d.name: d for d in p.module.decls}
    a, b = by_name(first), by_name(second)
    # the keystroke fast path (analysis/x07/patch.py) keeps the units' results, not the module's
    # Decl objects: a patched parse builds its module only when read
    assert b["main.greet"].header == a["main.greet"].header     # before the edit: unchanged
    assert b["main.greet"].value.span == a["main.greet"].value.span
    assert b["main.twice"] is not a["main.twice"]
    assert b["main.size"].value.span.start == a["main.size"].value.span.start + 1
    assert b["main.size"].params[0].span.start == a["main.size"].params[0].span.start + 1
    assert b["main.size"].digest == a["main.size"].digest       # its text was not hashed again
