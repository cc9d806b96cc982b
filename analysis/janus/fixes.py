"""Fixes for Janus findings, as text edits (the seed's planned editor fixes, docs/janus.md):

- JAN-S6003 / JAN-MOVE-0001 (use after move, double move) of a value that is not linear: copy
  before move — `move data` (or a bare argument to an `owned` parameter) becomes `data.clone()`.
- JAN-E3001 (LinearLeak): consume the linear value — insert a call of a function of this file
  that takes a `~T` of the value's type (`close(f)`), before the scope end custody reported.
- JAN-UNSAFE-0001 (dereference outside `unsafe`): wrap the dereference in `unsafe { … }`.
- JAN-PROFILE-0001 (construct forbidden by `:core`/`:script`): switch the file to `:service`.
- JAN-S6001 (region escape): copy the value out of the region: `p.to_persistent()`.
"""
from __future__ import annotations

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
    for f in findings:
        fix = None
        if f.code in (C.USE_AFTER_MOVE, C.DOUBLE_MOVE, C.MAYBE_MOVED):
            fix = _copy_before_move(f, module, linear)
        elif f.code == C.LINEAR_LEAK:
            fix = _consume(f, module)
        elif f.code == C.RAW_DEREF:
            fix = _wrap_unsafe(f, module)
        elif f.code == C.PROFILE:
            fix = _switch_profile(f, module)
        elif f.code == C.REGION_ESCAPE:
            fix = _copy_out(f, module)
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
