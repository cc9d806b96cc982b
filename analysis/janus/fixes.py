"""Fixes for Janus findings, as text edits (the seed's planned editor fixes, docs/janus.md):

- JAN-S6003 / JAN-MOVE-0001 (use after move, double move) of a value that is not linear: copy
  before move — `move data` (or a bare argument to an `owned` parameter) becomes `data.clone()`.
- JAN-E3001 (LinearLeak): consume the linear value — insert a call of a function of this file
  that takes a `~T` of the value's type (`close(f)`), before the scope end custody reported.
- JAN-UNSAFE-0001 (dereference outside `unsafe`): wrap the dereference in `unsafe { … }`.
- JAN-PROFILE-0001 (construct forbidden by `:core`/`:script`): switch the file to `:service`.
- JAN-S6001 (region escape), the seed's doctrine ("short-lived: the scratchpad; long-lived: an
  owned value"; the profile table's allocators: `:core` scratchpad + owned, `:service` explicit,
  `:sovereign` manual):
  - copy the value out of the region: `p.to_persistent()` (the seed's own pattern; preferred);
  - allocate it as an owned value instead: `s.alloc(parse(req))` becomes `parse(req)` (when every
    allocation it may come from takes the value as its one argument);
  - by return, in `:service`/`:sovereign`: make the allocator explicit — allocate it from an
    `allocator: Allocator` parameter (`allocator.alloc(…)`, as the seed's `:sovereign` example),
    the parameter added to the signature unless one of type `Allocator` is there. The calls of
    the function in this file are read when the fix is made (`with_allocators`, at the end of each
    check: they live in other units, whose results are reused unchanged): a caller with its own
    `Allocator` parameter passes it; one without is left alone and the title counts it (the fix
    cannot choose an allocator for it). Calls from other files are not seen.
"""
from __future__ import annotations

import dataclasses
import re

from ..findings import Edit, Fix
from ..source import Span
from . import codes as C
from .syntax import Module


def _line_start(data: bytes, at: int) -> int:
    return data.rfind(b"\n", 0, at) + 1


def _indent(data: bytes, at: int) -> str:
    s = _line_start(data, at)
    e = s
    while e < len(data) and data[e:e + 1] in (b" ", b"\t"):
        e += 1
    return data[s:e].decode()


def render(findings, module: Module, linear: set) -> None:
    """The fixes of one unit's findings (edits inside its own text: the unit's result is reused,
    moved, while its text stands)."""
    for f in findings:
        made = []
        if f.code in (C.USE_AFTER_MOVE, C.DOUBLE_MOVE, C.MAYBE_MOVED):
            made = [_copy_before_move(f, module, linear)]
        elif f.code == C.LINEAR_LEAK:
            made = [_consume(f, module)]
        elif f.code == C.RAW_DEREF:
            made = [_wrap_unsafe(f, module)]
        elif f.code == C.PROFILE:
            made = [_switch_profile(f, module)]
        elif f.code == C.REGION_ESCAPE:
            made = [_copy_out(f, module), _owned_value(f, module)]
        for fix in made:
            if fix is not None and not any(x.title == fix.title for x in f.fixes):
                f.fixes.append(fix)


def _copy_before_move(f, module: Module, linear: set):
    req = next((r for r in f.fix_requests if r.kind == "copy_before_move"), None)
    if req is None or req.name in linear:
        return None
    sp = req.span
    text = module.data[sp.start:sp.end].decode("utf-8", "replace")
    if text.startswith("move") and text[4:5].isspace():
        text = text[4:].strip()
    if text != req.name:
        return None
    return Fix(f"copy before move: pass `{req.name}.clone()` instead of moving `{req.name}`",
               (Edit(sp, f"{req.name}.clone()"),), safe=False, preferred=True)


def _consume(f, module: Module):
    if "is not consumed" not in f.message:
        return None
    name = f.message.split("`")[1]
    ty = f.message.split("(", 1)[1].split(")", 1)[0] if "(" in f.message else ""
    consumer = None
    for g in module.functions:
        params = [p for p in g.params if p.name != "self"]
        if len(params) == 1 and params[0].linear and (params[0].type_text == ty or not ty):
            consumer = g
            break
    if consumer is None or not f.related:
        return None
    end = f.related[-1].span
    data = module.data
    tok = data[end.start:end.end]
    at = _line_start(data, end.start)
    if data[at:end.start].strip():
        return None              # the scope end shares its line with code: no clean place
    indent = _indent(data, f.span.start) if tok in (b"end", b"}") else _indent(data, end.start)
    call = f"{consumer.name}({name})"
    return Fix(f"consume the linear value: insert `{call}`", (Edit(Span(at, at), f"{indent}{call}\n"),),
               safe=False, preferred=True)


def _wrap_unsafe(f, module: Module):
    req = next((r for r in f.fix_requests if r.kind == "wrap_unsafe"), None)
    if req is None:
        return None
    text = module.data[req.span.start:req.span.end].decode("utf-8", "replace")
    return Fix("wrap the dereference in `unsafe { … }`", (Edit(req.span, f"unsafe {{ {text} }}"),),
               safe=False, preferred=True)


def _switch_profile(f, module: Module):
    if module.profile_span is None:
        return None
    return Fix("switch the file to `profile :service`", (Edit(module.profile_span, "profile :service"),),
               safe=False, preferred=True)


def _copy_out(f, module: Module):
    req = next((r for r in f.fix_requests if r.kind == "copy_out_of_region"), None)
    if req is None:
        return None
    return Fix("copy the value out of the region: `.to_persistent()`",
               (Edit(Span(req.span.end, req.span.end), ".to_persistent()"),), safe=False, preferred=True)


def _owned_value(f, module: Module):
    """`s.alloc(e)` -> `e`: the value is an owned value, freed by its owner, not by the region."""
    reqs = [r for r in f.fix_requests if r.kind == "owned_not_region"]
    if not reqs or any(len(r.extra) != 1 for r in reqs):
        return None
    data = module.data
    edits = tuple(Edit(r.span, data[r.extra[0].start:r.extra[0].end].decode("utf-8", "replace")) for r in reqs)
    if len(reqs) == 1:
        was = data[reqs[0].span.start:reqs[0].span.end].decode("utf-8", "replace")
        how = f"`{edits[0].new_text}` instead of `{was}`"
    else:
        how = f"not from the region ({len(reqs)} allocations)"
    return Fix(f"allocate `{reqs[0].name}` as an owned value: {how}", edits, safe=False)


# ---- make the allocator explicit (across units: made at the end of each check) ---------------

ALLOCATOR_TYPE = "Allocator"
_ALLOCATOR = re.compile(r"\bAllocator\b")
_EXPLICIT_PROFILES = ("service", "sovereign")


def with_allocators(findings: list, module: Module) -> list:
    """The findings, each J7 escape by return in `:service`/`:sovereign` given (as a copy: the
    unit results holding the originals are reused by later checks) its "make allocator explicit"
    fix, made from the document as it is now."""
    if module.profile not in _EXPLICIT_PROFILES:
        return findings
    out = None
    for i, f in enumerate(findings):
        if f.code != C.REGION_ESCAPE or not any(r.kind == "explicit_allocator" for r in f.fix_requests):
            continue
        fix = _explicit_allocator(f, module)
        if fix is None:
            continue
        if out is None:
            out = list(findings)
        out[i] = dataclasses.replace(f, fixes=[x for x in f.fixes if x.title != fix.title] + [fix])
    return findings if out is None else out


def _allocator_param(g) -> str | None:
    return next((p.name for p in g.params if _ALLOCATOR.search(p.type_text or "")), None)


def _explicit_allocator(f, module: Module):
    reqs = [r for r in f.fix_requests if r.kind == "explicit_allocator"]
    fn = _function_at(module, f.span)
    if fn is None or fn.body is None:
        return None
    data = module.data
    edits = []
    name = _allocator_param(fn)
    if name is None:
        name = _fresh_name(data[fn.span.start:fn.span.end].decode("utf-8", "replace"), "allocator")
        added = _add_parameter(data, fn, f"{name}: {ALLOCATOR_TYPE}")
        if added is None:
            return None
        edits.append(added)
        where = f"a new `{name}: {ALLOCATOR_TYPE}` parameter"
    else:
        where = f"its `{name}` parameter"
    edits += [Edit(r.span, name) for r in reqs]
    passed = left = 0
    if not _allocator_param(fn):
        for caller, call in _calls_of(module, fn):
            theirs = name if caller is fn else _allocator_param(caller)
            arg = _add_argument(data, call, theirs) if theirs else None
            if arg is None:
                left += 1
            else:
                edits.append(arg)
                passed += 1
    notes = []
    if passed:
        notes.append(f"{_calls(passed)} in this file pass{'es' if passed == 1 else ''} the caller's allocator")
    if left:
        notes.append(f"{_calls(left)} in this file still need{'s' if left == 1 else ''} an allocator argument")
    title = (f"make allocator explicit: allocate `{reqs[0].name}` from {where}"
             + (f" ({'; '.join(notes)})" if notes else ""))
    return Fix(title, tuple(sorted(edits, key=lambda e: e.span)), safe=False)


def _calls(n: int) -> str:
    return f"{n} call" + ("s" if n != 1 else "")


def _function_at(module: Module, span: Span):
    best = None
    for g in module.functions:
        if g.has_body and g.span.start <= span.start and span.end <= g.span.end:
            if best is None or g.span.end - g.span.start < best.span.end - best.span.start:
                best = g
    return best


def _fresh_name(text: str, base: str) -> str:
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    name, n = base, 1
    while name in words:
        n += 1
        name = f"{base}{n}"
    return name


def _closing(data: bytes, at: int, open_: bytes, close: bytes) -> int | None:
    """The offset of the bracket closing the one at `at` (strings and comments skipped)."""
    depth = 0
    i, n = at, len(data)
    while i < n:
        c = data[i:i + 1]
        if c == b'"':
            j = i + 1
            while j < n and data[j:j + 1] not in (b'"', b"\n"):
                j += 2 if data[j:j + 1] == b"\\" else 1
            i = j + 1
            continue
        if data.startswith(b"//", i):
            j = data.find(b"\n", i)
            i = n if j < 0 else j
            continue
        if c in (b"(", b"[", b"{"):
            depth += 1
        elif c in (b")", b"]", b"}"):
            depth -= 1
            if depth == 0:
                return i if c == close else None
        i += 1
    return None


def _parameter_list(data: bytes, fn) -> tuple[int, int] | None:
    """(offset of `(`, offset of its `)`) of a function's parameters: after its name and any
    generic parameters `<T>`."""
    i = fn.name_span.end
    while i < fn.span.end and data[i:i + 1].isspace():
        i += 1
    if data[i:i + 1] == b"<":
        depth = 0
        while i < fn.span.end:
            depth += (data[i:i + 1] == b"<") - (data[i:i + 1] == b">")
            i += 1
            if depth == 0:
                break
        while i < fn.span.end and data[i:i + 1].isspace():
            i += 1
    if data[i:i + 1] != b"(":
        return None
    close = _closing(data, i, b"(", b")")
    return (i, close) if close is not None and close < fn.span.end else None


def _append(data: bytes, open_at: int, close_at: int, item: str) -> Edit:
    """An edit appending `item` to the bracketed list data[open_at:close_at + 1]: into an empty
    list, after a trailing comma, or after the last item with a comma; on a line of its own when
    the list ends on a line of its own."""
    inner = data[open_at + 1:close_at]
    if not inner.strip():
        return Edit(Span(open_at + 1, close_at), item)
    last = open_at + 1 + len(inner.rstrip())          # end of the last item (or its comma)
    trailing = data[last - 1:last] == b","
    if b"\n" in data[last:close_at]:                   # `)` on its own line: the items one a line
        line_start = data.rfind(b"\n", 0, last) + 1
        indent = data[line_start:last]
        indent = indent[:len(indent) - len(indent.lstrip())].decode()
        return Edit(Span(last, last), ("" if trailing else ",") + f"\n{indent}{item}" + ("," if trailing else ""))
    return Edit(Span(last, last), f" {item}" if trailing else f", {item}")


def _add_parameter(data: bytes, fn, param: str) -> Edit | None:
    got = _parameter_list(data, fn)
    return None if got is None else _append(data, got[0], got[1], param)


def _add_argument(data: bytes, call, arg: str) -> Edit | None:
    close = call.span.end - 1
    if data[close:close + 1] != b")":
        return None
    open_at = call.callee.span.end
    while open_at < close and data[open_at:open_at + 1] != b"(":
        open_at += 1
    if _closing(data, open_at, b"(", b")") != close:
        return None
    return _append(data, open_at, close, arg)


def _calls_of(module: Module, fn):
    """(calling function, call) for each call by name of `fn` in this file, resolved as the
    lowering resolves a callee (a top-level function of that name first)."""
    same = [g for g in module.functions if g.name == fn.name]
    target = next((g for g in same if g.container is None), same[0] if same else None)
    if target is None or (target.span, target.name) != (fn.span, fn.name):
        return
    for g in module.functions:
        if not g.has_body or g.body is None:
            continue
        for n in g.body.walk():
            if n.kind == "call" and n.callee.kind == "name" and n.callee.name == fn.name:
                yield g, n
