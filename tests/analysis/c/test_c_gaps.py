"""The C front-end's handling of gotos that leave scopes, preprocessor branches in function
bodies, the strict form of MMM-T2, and navigation across files (docs/c.md)."""
from __future__ import annotations

from custody.analysis.ownership.ir import Destroy, Drop

from .test_c_frontend import check, codes, events, lowered


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
