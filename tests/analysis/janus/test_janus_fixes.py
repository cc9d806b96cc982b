"""Janus's region-escape fixes (analysis/janus/fixes.py) beyond the case files' round trips: which
fixes each profile offers (the seed's allocator row: `:core` scratchpad + owned, `:service`
explicit, `:sovereign` manual, `:script` GC), when the owned-value fix cannot be made, and the
"make allocator explicit" fix made from the document as it is at each check (its callers live in
other units, whose results are reused)."""
from __future__ import annotations

import textwrap

import pytest

from custody.analysis.engine import Engine
from custody.analysis.findings import apply_edits

ESCAPE = """\
profile :{profile}

func parse_request(req: Request) -> Parsed do
    with_scratchpad |s| do
        let parsed = s.alloc(parse(req))
        return parsed
    end
end
"""


def titles(text: str, path: str = "/tmp/custody-janus-fixes/a.jan") -> list[list[str]]:
    result = Engine().check(path, text.encode())
    return [[x.title for x in f.fixes] for f in result.findings]


COPY_OUT = "copy the value out of the region: `.to_persistent()`"
OWNED = "allocate `parsed` as an owned value: `parse(req)` instead of `s.alloc(parse(req))`"
EXPLICIT = "make allocator explicit: allocate `parsed` from a new `allocator: Allocator` parameter"


@pytest.mark.parametrize("profile, offered", [
    ("core", [[COPY_OUT, OWNED]]),
    ("service", [[COPY_OUT, OWNED, EXPLICIT]]),
    ("sovereign", [[COPY_OUT, OWNED, EXPLICIT]]),
    ("script", []),                                # GC: no escape checked
    ("min", [[COPY_OUT, OWNED]]),                  # a profile the seed's table does not list
])
def test_each_profile_offers_the_fixes_of_its_allocators(profile, offered):
    assert titles(ESCAPE.format(profile=profile)) == offered


def test_no_profile_is_core_semantics_no_explicit_allocator():
    assert titles(ESCAPE.split("\n", 1)[1]) == [[COPY_OUT, OWNED]]


def test_every_region_fix_changes_what_the_program_does_so_none_is_safe():
    result = Engine().check("/tmp/custody-janus-fixes/a.jan", ESCAPE.format(profile="service").encode())
    assert [x.safe for f in result.findings for x in f.fixes] == [False, False, False]
    assert [x.preferred for f in result.findings for x in f.fixes] == [True, False, False]


def test_no_owned_value_fix_when_the_allocation_is_not_of_one_value():
    text = textwrap.dedent("""\
        profile :service

        func buffer() -> Buffer do
            region r do
                let b = r.alloc(Buffer, 1024)
                return b
            end
        end
        """)
    assert titles(text) == [[COPY_OUT, "make allocator explicit: allocate `b` from a new `allocator: Allocator` "
                                       "parameter"]]


CALLER = """\
profile :service

func main(heap: Allocator) do
    print(1)
end

""" + ESCAPE.split("\n", 2)[2]


def explicit_fix(engine: Engine, text: str, path: str):
    result = engine.check(path, text.encode())
    (f,) = result.findings
    return result, next(x for x in f.fixes if x.title.startswith("make allocator explicit"))


def test_the_callers_are_read_at_each_check_not_kept_with_the_escaping_function():
    engine = Engine()
    path = "/tmp/custody-janus-fixes/callers.jan"
    _, fix = explicit_fix(engine, CALLER, path)
    assert fix.title == EXPLICIT
    # a call written in the caller (above the function): its unit is re-analysed, the escaping
    # function's result is reused, moved; the fix still passes the caller's allocator, at the right place
    edited = CALLER.replace("print(1)", "print(parse_request(make()))\n    log(parse_request(x))")
    result, fix = explicit_fix(engine, edited, path)
    assert result.analysis.reused == 1
    assert fix.title == EXPLICIT + " (2 calls in this file pass the caller's allocator)"
    fixed = apply_edits(edited.encode(), list(fix.edits)).decode()
    assert "print(parse_request(make(), heap))\n    log(parse_request(x, heap))" in fixed
    assert "func parse_request(req: Request, allocator: Allocator) -> Parsed do" in fixed
    assert "let parsed = allocator.alloc(parse(req))" in fixed
    # the caller loses its allocator: the calls are left, and the title says so
    edited = edited.replace("heap: Allocator", "")
    _, fix = explicit_fix(engine, edited, path)
    assert fix.title == EXPLICIT + " (2 calls in this file still need an allocator argument)"
    assert "print(parse_request(make()))" in apply_edits(edited.encode(), list(fix.edits)).decode()
