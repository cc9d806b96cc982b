"""The runtime through its cffi binding (custody.runtime.binding)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from custody.runtime import binding

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rt():
    ffi, lib = binding.load()
    yield ffi, lib
    lib.rt_shutdown()


def init(rt, mem_cap=1 << 20, fuel=1000, debug=False):
    ffi, lib = rt
    lib.rt_init(binding.config(ffi, mem_cap, fuel, debug))


def addr(ffi, p) -> int:
    return int(ffi.cast("uintptr_t", p))


def test_alloc_free_statistics(rt):
    ffi, lib = rt
    init(rt)
    a = lib.rt_alloc(100, 1, 0)
    b = lib.rt_alloc(0, 1, 0)
    assert a != ffi.NULL and b != ffi.NULL and a != b
    assert bytes(ffi.buffer(ffi.cast("uint8_t *", a), 100)) == bytes(100)
    a = lib.rt_realloc(a, 100, 250, 1, 0)
    assert binding.stats(ffi, lib) == {
        "alloc_calls": 2, "realloc_calls": 1, "free_calls": 0,
        "bytes_alloc_total": 350, "bytes_freed_total": 100,
        "live_bytes": 250, "peak_live_bytes": 250, "live_allocs": 2, "peak_live_allocs": 2,
        "memcpy_bytes": 100}
    lib.rt_free(a, 250, 1)
    lib.rt_free(b, 0, 1)
    s = binding.stats(ffi, lib)
    assert (s["live_bytes"], s["live_allocs"], s["free_calls"]) == (0, 0, 2)
    lib.rt_mem_epoch_reset()
    assert set(binding.stats(ffi, lib).values()) == {0}


def test_coalesced_neighbours_serve_one_larger_block(rt):
    ffi, lib = rt
    init(rt, mem_cap=4096)
    blocks = [lib.rt_alloc(1000, 1, 0) for _ in range(3)]
    tail = lib.rt_alloc(900, 1, 0)            # leaves top too small for what follows
    starts = [addr(ffi, p) for p in blocks]
    assert starts[1] - starts[0] == starts[2] - starts[1] == 1008
    for i in (2, 0, 1):
        lib.rt_free(blocks[i], 1000, 1)
    merged = lib.rt_alloc(3016, 1, 0)         # three 1008-byte chunks, one 8-byte header
    assert addr(ffi, merged) == starts[0]
    lib.rt_free(merged, 3016, 1)
    lib.rt_free(tail, 900, 1)
    whole = lib.rt_alloc(4096 - 24, 1, 0)     # and everything back into one arena-sized block
    assert addr(ffi, whole) == starts[0]
    lib.rt_free(whole, 4096 - 24, 1)
    assert binding.stats(ffi, lib)["live_allocs"] == 0


def test_borrow_violations_are_counted_and_listed(rt):
    ffi, lib = rt
    init(rt, debug=True)
    o = lib.rt_owner_new(1)
    b = lib.rt_borrow_acquire(o, 2)
    lib.rt_check_owner_move(o, 3)
    lib.rt_check_owner_mutate(o, b"vec_u8.push", 4)
    lib.rt_borrow_release(b)
    view = ffi.new("rt_view *", {"ptr": ffi.NULL, "len": 0, "bid": b})
    lib.rt_check_view(view[0], 5)
    lib.rt_owner_moved(o, 6)
    lib.rt_check_owner_use(o, 7)
    assert lib.rt_violation_count() == 4
    assert binding.violations(ffi, lib) == [
        {"kind": "move_while_borrowed", "node": 3,
         "message": "move while borrowed: the value is borrowed by a view"},
        {"kind": "conflicting_borrow", "node": 4,
         "message": "vec_u8.push while borrowed: the value is borrowed by a view"},
        {"kind": "released_borrow", "node": 5,
         "message": "access through a view whose borrow has ended"},
        {"kind": "use_after_move", "node": 7,
         "message": "use after move: access to a value that was moved away"},
    ]
    m = json.loads(binding.metrics(ffi, lib))
    assert m["debug_stats"] == {"borrow_violations": 4}
    assert [v["node"] for v in m["violations"]] == [3, 4, 5, 7]
    # the nodes that name the owner, where it was moved and the view borrowing it
    assert [(v["owner_node"], v["event_node"], v["view_node"]) for v in m["violations"]] == [
        (1, 0, 2), (1, 0, 2), (1, 0, 0), (1, 6, 0)]
    assert m["trap"] is None and m["leak_free"] is True
    init(rt, debug=False)                     # off: nothing is tracked
    assert lib.rt_owner_new(1) == 0 and lib.rt_violation_count() == 0


def test_drop_helpers_and_conversions(rt):
    ffi, lib = rt
    init(rt, debug=True)
    text = ffi.new("uint8_t[]", b"abc")
    v = lib.rt_runtime_view(text, 3)
    assert v.bid == 0
    owned = ffi.new("rt_bytes *", lib.rt_view_to_bytes(v, 1))
    assert bytes(ffi.buffer(owned.ptr, owned.len)) == b"abc" and owned.oid == 1
    lib.rt_bytes_drop(owned, 2)
    assert owned.ptr == ffi.NULL and owned.oid == 0
    vec = ffi.new("rt_vec_u8 *", {"ptr": lib.rt_alloc(64, 1, 0), "len": 5, "cap": 64,
                                  "oid": lib.rt_owner_new(3)})
    out = ffi.new("rt_bytes *", lib.rt_vec_u8_into_bytes(vec, 4))
    assert vec.ptr == ffi.NULL and out.len == 5 and out.oid == 3
    s = binding.stats(ffi, lib)
    assert s["live_bytes"] == 5 and s["memcpy_bytes"] == 3   # into_bytes did not copy
    lib.rt_bytes_drop(out, 5)
    assert binding.stats(ffi, lib)["live_allocs"] == 0
    assert lib.rt_violation_count() == 0


def test_fuel_and_trap_names(rt):
    ffi, lib = rt
    init(rt, fuel=500)
    assert lib.rt_fuel_used() == 0
    lib.rt_fuel_left = 120
    assert lib.rt_fuel_used() == 380
    names = [ffi.string(lib.rt_trap_name(c)).decode() for c in range(1, 11)]
    assert names == ["fuel", "oom", "bounds", "div_zero", "unwrap", "use_after_free",
                     "bad_input", "unsupported", "sandbox", "unknown"]
    assert lib.RT_TRAP_OOM == 2


def _child(code: str, tmp_path: Path) -> tuple[int, dict]:
    script = textwrap.dedent(f"""
        from custody.runtime import binding
        ffi, lib = binding.load()
        {code}
        print("not reached")
    """)
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       timeout=120, cwd=tmp_path)
    assert "not reached" not in r.stdout
    return r.returncode, json.loads(r.stderr.strip().splitlines()[-1])


def test_traps_exit_the_process_with_a_metrics_line(tmp_path):
    rc, m = _child("lib.rt_init(binding.config(ffi, 4096)); lib.rt_alloc(8000, 1, 7)", tmp_path)
    assert rc == 3 and m["trap"]["code"] == "oom" and m["trap"]["node"] == 7
    rc, m = _child("lib.rt_init(binding.config(ffi, debug_borrows=True)); "
                   "o = lib.rt_owner_new(1); lib.rt_owner_dropped(o, 2); "
                   "lib.rt_check_owner_use(o, 3)", tmp_path)
    assert rc == 3 and m["trap"]["code"] == "use_after_free" and m["trap"]["node"] == 3
    assert m["debug_stats"]["borrow_violations"] == 1


def test_library_is_cached_by_content(tmp_path):
    first = binding.build()
    assert first == binding.build() and first.is_file()
    env = {**os.environ, "CUSTODY_CACHE_DIR": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-c",
                        "from custody.runtime import binding; print(binding.build())"],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    built = Path(r.stdout.strip())
    assert built.parent == tmp_path / "cache" / "binding" and built.is_file()
    assert built.name == first.name           # same sources, compiler and flags: same key


def test_cdef_comes_from_the_header():
    text = binding.cdef_text()
    assert "RT_NORETURN" not in text and "#" not in text
    for name in ("rt_alloc", "rt_metrics_json", "rt_violation_at", "rt_fuel_left", "rt_main"):
        assert name in text
