"""The C front-end's handling of gotos that leave scopes, preprocessor branches in function
bodies, the strict form of MMM-T2, and navigation across files (docs/c.md)."""
from __future__ import annotations

from custody.analysis.ownership.ir import Destroy, Drop

from .test_c_frontend import HEADER, check, codes, events, lowered

HEADER_LINES = HEADER.count(b"\n")


def test_goto_out_of_a_block_drops_its_locals_at_the_goto():
    data, low = lowered(b"""int f(int n) {
    { ar_data_t *own_x = ar_data__create_integer(1);
      if (n) goto out;
      ar_data__destroy(own_x); }
out:
    return 0;
}""")
    drops = [e for e in events(low) if isinstance(e, Drop)]
    at_goto = [d for d in drops if data[d.span.start:d.span.end] == b"goto"]
    assert len(at_goto) == 1 and at_goto[0].reason == "return"
    res = check(b"""int f(int n) {
    { ar_data_t *own_x = ar_data__create_integer(1);
      if (n) goto out;
      ar_data__destroy(own_x); }
out:
    return 0;
}""")
    [f] = [f for f in res.findings if f.code == "MMM-L1"]
    assert "leaks here" in f.message and not f.message.endswith("on some paths")


def test_goto_to_a_label_in_the_same_scope_drops_nothing():
    _, low = lowered(b"""int f(int n) {
    ar_data_t *own_x = ar_data__create_integer(1);
    if (n) { goto error; }
    ar_data__destroy(own_x);
    return 0;
error:
    ar_data__destroy(own_x);
    return 1;
}""")
    goto_drops = [e for e in events(low) if isinstance(e, Drop) and e.reason == "return"]
    # only the two returns drop own_x; the goto (leaving only the if's block) does not
    assert len(goto_drops) == 2


def test_goto_to_an_unknown_label_does_not_crash():
    res = check(b"int f(void) { ar_data_t *own_x = ar_data__create_integer(1); goto nowhere; }")
    assert "CUS-SYNTAX-0002" not in codes(res)


def test_preprocessor_branches_are_alternatives():
    both = check(b"""void f(void) {
    ar_data_t *own_x = ar_data__create_integer(1);
#ifdef DEBUG
    ar_data__destroy(own_x);
#else
    ar_data__destroy(own_x);
#endif
}""")
    assert codes(both) == []
    one = check(b"""void f(void) {
    ar_data_t *own_x = ar_data__create_integer(1);
#ifdef DEBUG
    ar_data__destroy(own_x);
#elif defined(OTHER)
    ar_data__get_integer(own_x);
#endif
}""")
    [f] = one.findings
    assert f.code == "MMM-L1" and "on some paths" in f.message
    dead = check(b"""void f(void) {
    ar_data_t *own_x = ar_data__create_integer(1);
    ar_data__destroy(own_x);
#if 0
    ar_data__destroy(own_x);
#else
#endif
}""")
    assert codes(dead) == []


def test_preprocessor_oddities_do_not_crash():
    for src in (b"void f(void) {\n#if\n#endif\n}", b"void f(void) {\n#ifdef X\n#else\n#else\n#endif\n}",
                b"void f(void) {\n#if 1\n ar_data_t *own_x = ar_data__create_integer(1);\n#endif\n}",
                b"void f(int n) { switch (n) {\n#ifdef X\n case 1: break;\n#endif\n } }",
                b"void f(void) {\n#ifdef X\n ar_data_t *own_x = 0;\n#else\n ar_data_t *own_x = 0;\n#endif\n own_x = 0; }"):
        check(src)
    res = check(b"void f(void) {\n#if 1\n ar_data_t *own_x = ar_data__create_integer(1);\n#else\n"
                b" ar_data_t *own_x = 0;\n#endif\n}")
    assert codes(res) == ["MMM-L1"] and "on some paths" not in res.findings[0].message


def _strict(tmp_path, body: bytes, strict: bool = True):
    from custody.analysis.engine import Engine
    if strict:
        (tmp_path / "custody.toml").write_text("[c]\nstrict_null_after_transfer = true\n")
    path = tmp_path / "t.c"
    path.write_bytes(HEADER + body)
    return Engine(batch=False).check(str(path), HEADER + body)


def test_strict_null_after_transfer(tmp_path):
    src = b"""int f(int n) {
    ar_data_t *own_x = ar_data__create_integer(1);
    ar_data_t *own_y = ar_data__create_integer(2);
    if (n) ar_data__destroy(own_x);
    ar_data__destroy(own_y);
    n += 1;
    ar_data__destroy(own_x);
    return n;
}
ar_data_t *g(ar_data_t *own_v) { ar_data_t *own_w = own_v; return own_w; }
"""
    off = _strict(tmp_path, src, strict=False)
    assert "MMM-T2" not in codes(off)
    res = _strict(tmp_path, src)
    t2 = [f for f in res.findings if f.code == "MMM-T2"]
    data = (tmp_path / "t.c").read_bytes()
    assert [data[f.span.start:f.span.end] for f in t2] == [b"own_x", b"own_y"]
    assert t2[0].fixes == []            # an unbraced if body: a line after it would run on both paths
    assert t2[1].fixes and t2[1].fixes[0].safe and "own_y = NULL;" in t2[1].fixes[0].edits[0].new_text
    # the move into own_w is followed by a return of it; the return itself moves nothing to null


def test_strict_null_suppression_and_odd_places(tmp_path):
    src = b"""void f(int n) {
    ar_data_t *own_x = ar_data__create_integer(1);
    ar_data__destroy(own_x); // custody: allow MMM-T2
    own_x = ar_data__create_integer(2);
    switch (n) {
    case 1:
        ar_data__destroy(own_x);
    case 2:
        break;
    }
    for (int i = 0; i < n; i++) ar_data__destroy(own_x);
#ifdef X
    ar_data__destroy(own_x);
#endif
    own_x = NULL;
out:
    ar_data__destroy(own_x);
    if (n) goto out;
}
"""
    res = _strict(tmp_path, src)
    data = (tmp_path / "t.c").read_bytes()
    lines = sorted(data[:f.span.start].count(b"\n") - HEADER_LINES for f in res.findings if f.code == "MMM-T2")
    # the suppressed one is gone; the case body and the loop body are reported; the #ifdef one
    # is followed (after the #endif) by own_x = NULL; the labelled destroy by the if
    assert lines == [6, 10, 16]
    for bad in (b"void f(ar_data_t *own_x) { ar_data__destroy(own_x) }", b"void f(ar_data_t *own_x) {\n#if\n",
                b"void f(ar_data_t *own_x) { else ar_data__destroy(own_x); }"):
        _strict(tmp_path, bad)

