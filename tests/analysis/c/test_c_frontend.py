"""The C front-end (analysis/c/) on small snippets written from docs/c.md: the IR events the
lowering emits, summaries and their provenance, lints, fixes, caching and bad input."""
from __future__ import annotations

from custody.analysis.c.summaries import Summaries, Workspace, doc_consumes, doc_returns, verb_returns
from custody.analysis.c.lower import lower_function
from custody.analysis.c.syntax import parse
from custody.analysis.engine import Engine
from custody.analysis.findings import apply_edits
from custody.analysis.ownership.ir import Bind, Clear, Destroy, Drop, Kept, Move, Opaque, Refine, Use

HEADER = b"""
typedef struct ar_data_s ar_data_t;
/** @note Ownership: Returns an owned value that caller must destroy. */
ar_data_t *ar_data__create_integer(int value);
/** @note Ownership: Takes ownership and destroys it. */
void ar_data__destroy(ar_data_t *own_data);
/** @note Ownership: Takes ownership of own_value only on success; caller must destroy on failure. */
bool ar_data__set_map_data(ar_data_t *mut_map, const char *ref_key, ar_data_t *own_value);
/** @note Ownership: Function takes ownership of own_message. */
bool ar_agent__send(ar_data_t *mut_agent, ar_data_t *own_message);
/** @note Ownership: Returns a borrowed reference. Do not free. */
ar_data_t *ar_data__get_map_data(const ar_data_t *ref_map, const char *ref_key);
int ar_data__get_integer(const ar_data_t *ref_data);
"""


def lowered(body: bytes, name: str = "f"):
    data = HEADER + body
    p = parse("t.c", data)
    s = Summaries(Workspace({}), "t.c", p)
    fn = next(f for f in p.functions if f.name == name and f.body is not None)
    low = lower_function(fn, data, s.lookup, self_summary=s.lookup(name))
    return data, low


def events(low):
    return [ev for b in low.fn.blocks for ev in b.events]


def check(src: bytes, path: str = "/nonexistent/t.c"):
    return Engine(batch=False).check(path, HEADER + src)


def codes(res):
    return [f.code for f in res.findings]


def test_destroy_and_drop_events_and_tracked_locals():
    data, low = lowered(b"void f(void) { ar_data_t *own_x = ar_data__create_integer(1); ar_data__destroy(own_x); }")
    evs = events(low)
    kinds = [type(e).__name__ for e in evs]
    assert kinds == ["Bind", "Destroy", "Drop"]
    assert evs[2].reason == "scope" and data[evs[2].span.start:evs[2].span.end] == b"}"
    loc = low.fn.locals[0]
    assert loc.name == "own_x" and loc.cls == "owned" and loc.must_consume and loc.kind == "let"
    assert low.fn.codes["leak"] == "MMM-L1"


def test_null_test_refines_each_edge_first():
    _, low = lowered(b"void f(ar_data_t *own_x) { if (!own_x) { return; } ar_data__destroy(own_x); }")
    heads = [b.events[0] for b in low.fn.blocks if b.events and isinstance(b.events[0], Refine)]
    assert sorted(r.null for r in heads) == [False, True]


def test_return_moves_before_its_drops():
    _, low = lowered(b"ar_data_t *f(void) { ar_data_t *own_x = ar_data__create_integer(1); return own_x; }")
    evs = events(low)
    mv = next(i for i, e in enumerate(evs) if isinstance(e, Move))
    dr = next(i for i, e in enumerate(evs) if isinstance(e, Drop) and e.reason == "return")
    assert mv < dr and evs[mv].into == "by return"


def test_on_success_sink_keeps_on_failure_edge():
    _, low = lowered(b"bool f(ar_data_t *mut_m) { ar_data_t *own_v = ar_data__create_integer(1);"
                     b" if (!ar_data__set_map_data(mut_m, \"k\", own_v)) { ar_data__destroy(own_v); return false; }"
                     b" return true; }")
    evs = events(low)
    assert any(isinstance(e, Kept) and e.callee == "ar_data__set_map_data" for e in evs)
    assert any(isinstance(e, Move) and "on success" in e.into for e in evs)


def test_unknown_callee_is_opaque_and_ref_param_lends():
    _, low = lowered(b"void f(void) { ar_data_t *own_x = ar_data__create_integer(1);"
                     b" ar_data__get_integer(own_x); mystery(own_x); }")
    evs = events(low)
    assert any(isinstance(e, Use) and e.how == "borrow" for e in evs)
    assert any(isinstance(e, Opaque) and e.callee == "mystery" for e in evs)


def test_findings_double_destroy_leak_and_use_after_transfer():
    r = check(b"void f(void) { ar_data_t *own_x = ar_data__create_integer(1); ar_data__destroy(own_x);"
              b" ar_data__destroy(own_x); }\n"
              b"void g(void) { ar_data_t *own_y = ar_data__create_integer(1); }\n"
              b"void h(ar_data_t *mut_a) { ar_data_t *own_m = ar_data__create_integer(1); ar_agent__send(mut_a, own_m);"
              b" ar_data__get_integer(own_m); }\n")
    assert sorted(codes(r)) == ["MMM-D1", "MMM-L1", "MMM-T1"]


def test_always_sink_learned_from_body_beats_on_success_doc():
    src = (b"/** @param own_m ownership is transferred on success */\n"
           b"bool send2(ar_data_t *mut_a, ar_data_t *own_m);\n"
           b"bool send2(ar_data_t *mut_a, ar_data_t *own_m) { if (!mut_a) { ar_data__destroy(own_m); return false; }"
           b" return ar_agent__send(mut_a, own_m); }\n"
           b"bool caller(ar_data_t *mut_a) { ar_data_t *own_r = ar_data__create_integer(1);"
           b" if (!send2(mut_a, own_r)) { ar_data__destroy(own_r); return false; } return true; }\n")
    r = check(src)
    assert codes(r) == ["MMM-D1"]
    data = HEADER + src
    p = parse("t.c", data)
    s = Summaries(Workspace({}), "t.c", p).lookup("send2")
    assert s.params[1].consumes == "always" and s.params[1].origin == "its implementation"


def test_lints_d2_t3_h1_p4_and_suppression():
    r = check(b"void f(ar_data_t *mut_d, ar_data_t *ref_a) { ar_data__destroy(mut_d); ar_agent__send(ref_a, ref_a); }\n"
              b"void g(void) { char *own_s = malloc(3); AR__HEAP__FREE(own_s); }\n"
              b"void h(const ar_data_t *ref_m) { ar_data_t *own_v = ar_data__get_map_data(ref_m, \"k\"); (void)own_v; }\n"
              b"void k(ar_data_t *mut_d) {\n    // custody: allow MMM-D2\n    ar_data__destroy(mut_d);\n}\n")
    assert sorted(codes(r)) == ["MMM-D2", "MMM-H1", "MMM-P4", "MMM-R1", "MMM-T3"]   # R1: ref_a into mut_agent


def test_fixes_insert_null_and_destroy():
    src = b"void f(void) {\n    ar_data_t *own_x = ar_data__create_integer(1);\n    return;\n}\n"
    r = check(src)
    f = next(f for f in r.findings if f.code == "MMM-L1")
    out = apply_edits(HEADER + src, list(f.fixes[0].edits))
    assert b"    ar_data__destroy(own_x);\n    return;" in out


def test_syntax_error_spoils_only_its_function():
    r = check(b"void bad(void) { int x = ; ar_data_t *own_q = ar_data__create_integer(1); }\n"
              b"void good(void) { ar_data_t *own_x = ar_data__create_integer(1); }\n")
    assert "CUS-SYNTAX-0001" in codes(r) and "MMM-L1" in codes(r)


def test_never_crashes_on_bad_input():
    for data in [b"\xff\xfe\x00garbage{{{", b"", b"}" * 1000, b"void f(void) {" + b"(" * 5000 + b"}",
                 b"int f(void) { return " + b"(" * 3000 + b"1" + b")" * 3000 + b"; }"]:
        Engine(batch=True).check("x.c", data)
        Engine(batch=False).check("x.h", data)


def test_unchanged_functions_are_reused_and_moved():
    eng = Engine()
    body = b"void g(void) { ar_data_t *own_y = ar_data__create_integer(1); }\n"
    first = eng.check("/nonexistent/t.c", HEADER + body)
    second = eng.check("/nonexistent/t.c", HEADER + b"\n\n" + body)
    assert second.analysis.reused >= 1
    assert [f.span.start + 2 for f in first.findings] == [f.span.start for f in second.findings]


def test_doc_and_name_sources():
    assert doc_returns("/** @note Ownership: Returns a borrowed reference. Do not free. */") == "borrowed"
    assert doc_returns("/** @return Newly created node (owned by caller) */") == "owned"
    assert doc_consumes("/** @param own_m Message (ownership is transferred on success) */", ["own_m"]) == {
        "own_m": "on_success"}
    assert verb_returns("ar_data__create_map") == "owned" and verb_returns("ar_map__get") == "borrowed"
    assert verb_returns("_make_thing") == "owned" and verb_returns("ar_x__count") is None


def test_custody_toml_overrides(tmp_path):
    (tmp_path / "custody.toml").write_text('[c]\nhints = ["MMM-L4b"]\n[c.functions.ar_agent__send]\n'
                                           'consumes = { own_message = "on_success" }\n')
    src = (b"bool f(ar_data_t *mut_a) { ar_data_t *own_m = ar_data__create_integer(1);"
           b" if (!ar_agent__send(mut_a, own_m)) { ar_data__destroy(own_m); return false; } return true; }\n"
           b"void g(ar_data_t *mut_m) { ar_data_t *own_v = ar_data__create_integer(1);"
           b" ar_data__set_map_data(mut_m, \"k\", own_v); }\n")
    path = tmp_path / "t.c"
    path.write_bytes(HEADER + src)
    r = Engine().check(str(path), HEADER + src)
    assert codes(r) == ["MMM-L4b"]


def test_front_end_contract_bits():
    from custody.analysis.languages import LANGUAGES

    lang = LANGUAGES.pick("x.c")
    assert lang.name == "c" and LANGUAGES.pick("x.h") is lang and LANGUAGES.pick(None, "c") is lang
    r = Engine().check("/nonexistent/t.c", HEADER + b"typedef struct ar_s { ar_data_t *own_d; } ar_t;\n"
                       b"void f(ar_data_t *mut_a) { ar_data_t *own_m = ar_data__create_integer(1);"
                       b" ar_agent__send(mut_a, own_m); }\n")
    names = [s.name for s in lang.outline(r)]
    assert "f" in names and "ar_t" in names
    call = next(c for c in lang.calls(r) if c.callee == "ar_agent__send")
    cs = lang.call_summary(call)
    assert cs.signature.startswith("bool ar_agent__send(") and cs.arguments[1] == ("own_message", "transfers")
    assert lang.vocabulary.passing["transfers"] == "transfers (always)"
    assert "return" in lang.vocabulary.reserved_names
    p = r.model.point_at(call.span.end - 3)
    assert p is not None and p.name == "own_m" and p.hint == "transferred"
