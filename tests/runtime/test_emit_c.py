"""The X07 -> C emitter on its own: what it refuses, what the C looks like, that the C compiles.

None of these tests link or run the program (test_programs.py does that)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from custody.runtime.emit_c import emit_program
from custody.runtime.emit_types import mangle

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = ROOT / "tests" / "runtime" / "programs"
INCLUDE = ROOT / "runtime_c" / "include"
CORPUS = sorted(PROGRAMS.glob("*.x07t"))


def entry(solve: str, decls: str = "", imports: str = "") -> bytes:
    return (f"{{\n:kind entry\n:module_id main\n:schema_version x07.x07ast@0.8.0\n"
            f":imports ({imports})\n:decls ({decls})\n:solve {solve}\n}}\n").encode()


def emit(data: bytes, path: str | None = None, **kw):
    return emit_program(path, data, **kw)


def head_span(data: bytes, head: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = data.index(("(" + head).encode(), start + 1)
    return start + 1, start + 1 + len(head.encode())


# ---------------------------------------------------------------- unsupported constructs

@pytest.mark.parametrize("head,solve", [
    ("os.fs.read_file", '(os.fs.read_file (bytes.lit "a.txt"))'),
    ("task.spawn", "(begin (let t (task.spawn 1)) (bytes.alloc 0))"),
    ("std.vec.with_capacity", "(std.vec.as_bytes (std.vec.with_capacity 4))"),
    ("f64.of_i32", "(begin (let x (f64.of_i32 3)) (bytes.alloc 0))"),
    ("kv.get", '(kv.get (bytes.view_lit "k"))'),
])
def test_unsupported_head_is_reported_at_its_exact_span(head, solve):
    data = entry(solve)
    e = emit(data)
    assert e.c_source is None
    assert [f.code for f in e.unsupported] == ["CUS-RUN-0001"]
    f = e.unsupported[0]
    if head == "std.vec.with_capacity":     # the outer std.vec call is reached first
        head = "std.vec.as_bytes"
    start, end = head_span(data, head)
    assert (f.span.start, f.span.end) == (start, end)
    assert f.message == f"custody run does not support `{head}` yet"


def test_unsupported_inside_a_called_defn_is_found():
    decls = ("{:kind defn :name main.f :params () :result bytes "
             ":body (begin (let t (task.sleep 1)) (bytes.alloc 0))}")
    data = entry("(main.f)", decls)
    e = emit(data)
    assert e.c_source is None
    assert e.unsupported[0].span.start == head_span(data, "task.sleep")[0]


def test_defasync_callee_is_unsupported():
    decls = "{:kind defasync :name main.job :params () :result bytes :body (bytes.alloc 0)}"
    data = entry("(await (main.job))", decls)
    e = emit(data)
    assert e.c_source is None
    assert any("defasync" in f.message or "await" in f.message for f in e.unsupported)


def test_uncalled_unsupported_defn_does_not_block_the_run():
    decls = "{:kind defn :name main.unused :params () :result bytes :body (os.fs.read_file (bytes.lit \"x\"))}"
    e = emit(entry("(bytes.alloc 1)", decls))
    assert e.unsupported == [] and e.c_source is not None


def test_pointer_escape_only_inside_unsafe():
    data = entry('(begin (let p (bytes.as_ptr (bytes.lit "x"))) (bytes.alloc 0))')
    e = emit(data)
    assert e.c_source is None
    assert e.unsupported[0].span.start == head_span(data, "bytes.as_ptr")[0]
    assert "unsafe" in e.unsupported[0].message
    ok = emit(entry('(begin (unsafe (let p (bytes.as_ptr (bytes.lit "x")))) (bytes.alloc 0))'))
    assert ok.unsupported == [] and "cus_bytes_leak_ptr" in ok.c_source


def test_try_needs_a_result_returning_function():
    data = entry("(begin (let x (try (result_i32.ok 1))) (bytes.alloc 0))")
    e = emit(data)
    assert e.c_source is None
    assert "result type" in e.unsupported[0].message


def test_entry_defn_signature_is_checked():
    decls = ("{:kind defn :name main.f :params ({:name x :ty i32}) :result i32 :body x}"
             "{:kind defn :name main.g :params ({:name v :ty bytes_view}) :result bytes "
             ":body (view.to_bytes v)}")
    data = entry("(bytes.alloc 0)", decls)
    bad = emit(data, entry="main.f")
    assert bad.c_source is None
    assert "() or (bytes_view)" in bad.unsupported[0].message and "(i32) -> i32" in bad.unsupported[0].message
    assert bad.unsupported[0].span.start == data.index(b"main.f")
    good = emit(data, entry="g")                # the module prefix may be left out
    assert good.unsupported == [] and good.entry == "main.g"
    assert "return f_main_dg(input);" in good.c_source
    missing = emit(data, entry="main.nope")
    assert missing.c_source is None and "no defn" in missing.unsupported[0].message


def test_module_without_solve_needs_an_entry():
    data = (PROGRAMS / "rtlib" / "text.x07t").read_bytes()
    e = emit(data, str(PROGRAMS / "rtlib" / "text.x07t"))
    assert e.c_source is None and "solve" in e.unsupported[0].message


def test_syntax_errors_are_not_translated():
    e = emit(b"{:kind entry :solve (begin (bytes.alloc 0)")
    assert e.c_source is None and e.unsupported[0].code == "CUS-RUN-0001"


# ---------------------------------------------------------------- the shape of the C

def test_translation_unit_shape():
    e = emit(entry("(view.to_bytes input)"))
    c = e.c_source
    assert '#include "custody_rt.h"' in c and '#include "custody_builtins.h"' in c
    assert "static rt_bytes custody_entry(rt_view input)" in c
    assert "int main(void) { return rt_main(custody_entry); }" in c
    assert e.entry == "solve"


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_every_node_id_maps_into_its_file(path):
    data = path.read_bytes()
    e = emit(data, str(path))
    assert e.c_source is not None, e.unsupported
    ids = {int(x) for x in re.findall(r"RT_TICK\((\d+)\)", e.c_source)}
    ids |= {int(x) for x in re.findall(r", (\d+)\)", e.c_source)}
    assert ids and max(ids) < len(e.nodes)
    sizes = {}
    for n in ids - {0}:
        p, span = e.nodes[n]
        size = sizes.setdefault(p, len(Path(p).read_bytes()))
        assert 0 <= span.start < span.end <= size
    # every evaluated node ticks fuel
    assert len({int(x) for x in re.findall(r"RT_TICK\((\d+)\)", e.c_source)}) > 5


def test_nodes_of_an_imported_module_point_into_that_module():
    path = PROGRAMS / "import_module.x07t"
    e = emit(path.read_bytes(), str(path))
    files = {p for p, _ in e.nodes[1:]}
    assert str(path) in files
    assert any(p and p.endswith("rtlib/text.x07t") for p in files)


def test_drop_glue_on_early_return():
    path = PROGRAMS / "early_return_owned.x07t"
    e = emit(path.read_bytes(), str(path))
    # the definition (comments carry no names)
    start = re.search(r"static \w+ " + mangle("main.find_marker") + r"\([^)]*\) \{\n", e.c_source).end()
    fn = e.c_source[start:].split("\n}\n", 1)[0]
    body = fn.splitlines()
    returns = [i for i, line in enumerate(body) if line.strip().startswith("return ")]
    assert len(returns) == 2                       # the early return and the function's end
    early = "\n".join(body[:returns[0]])
    tail = early.rsplit("RT_TICK", 1)[1]           # the code between the return's value and it
    for owner in ("l_seen_", "l_copy_", "l_scratch_"):
        assert re.search(r"cus_drop_\w+\(&" + owner, tail), owner
    # the value returned was moved out of `found`, whose drop is then a no-op
    assert "cus_move_bytes(&l_found_" in early


def test_moves_empty_the_variable_and_views_hold_a_borrow():
    data = entry('(begin (let a (bytes.lit "x")) (let b a) (let v (bytes.view b)) (view.to_bytes v))')
    c = emit(data).c_source
    assert re.search(r"= cus_move_bytes\(&l_a_\d+, \d+\)", c)
    assert re.search(r"l_v_\d+ = cus_borrow\(t\d+, l_b_\d+\.oid, &b\d+, \d+\)", c)
    assert re.search(r"cus_release\(&b\d+\);\s+cus_drop_bytes\(&l_v|cus_release\(&b\d+\);", c)


def test_temporary_borrow_around_a_call():
    data = entry("(begin (let b (bytes.alloc 3)) (let n (bytes.len b)) (bytes.alloc n))")
    c = emit(data).c_source
    m = re.search(r"cus_borrow\(cus_bytes_view\(l_b_\d+, (\d+)\), l_b_\d+\.oid, &(b\d+), \d+\)", c)
    assert m
    after = c[m.end():]
    assert after.index(f"cus_release(&{m.group(2)})") < after.index("cus_drop_bytes(&l_b_")


def test_mutators_check_the_owner():
    data = entry("(begin (let v (vec_u8.with_capacity 1)) (set v (vec_u8.push v 1)) (vec_u8.into_bytes v))")
    c = emit(data).c_source
    assert 'rt_check_owner_mutate(l_v_' in c and '"vec_u8.push"' in c and '"vec_u8.into_bytes"' in c


def test_mangling_is_injective_and_c_safe():
    names = ["main.f", "main_f", "main._f", "main.d", "a-b", "a_x2db", "std.text.ascii.lower"]
    out = [mangle(n) for n in names]
    assert len(set(out)) == len(out)
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", m) for m in out)


def test_unchecked_build_is_accepted_and_marked():
    data = entry('(begin (let a (bytes.lit "x")) (let b a) (bytes.concat a b))')
    e = emit(data, unchecked=True)
    assert e.unsupported == [] and "unchecked build" in e.c_source


# ---------------------------------------------------------------- the C compiles

@pytest.fixture(scope="session")
def cc():
    exe = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if exe is None:
        pytest.skip("no C compiler")
    return exe


def test_corpus_compiles_without_warnings(cc, tmp_path):
    sources = []
    for path in CORPUS:
        e = emit(path.read_bytes(), str(path))
        assert e.c_source is not None, (path.name, e.unsupported)
        out = tmp_path / (path.stem + ".c")
        out.write_text(e.c_source)
        sources.append(out.name)
    builtins = ROOT / "runtime_c" / "src" / "rt_builtins.c"
    r = subprocess.run([cc, "-std=c99", "-Wall", "-Wextra", "-Wno-unused-parameter", "-c",
                        "-I", str(INCLUDE), *sources, str(builtins)],
                       cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "warning" not in r.stderr, r.stderr[-3000:]
