"""The syntactic rules of docs/c.md (those that need no flow): T3, D2, R1, R2, P3, P4, H1, and the
hints P1, P2, P5, P6, L4b (off unless custody.toml turns them on), plus suppression comments
(X15: `// custody: allow MMM-T1` on the finding's line or the line above).

Why apart from the lowering: these read one statement and the callee's summary, never a path;
keeping them out of the CFG keeps the lowering about states only. They use the same summaries
(analysis/c/summaries.py), so a rule never disagrees with the flow about what a callee does.
"""
from __future__ import annotations

import os
import re

from ..findings import Edit, Finding, Fix, Related
from ..source import Span
from .lower import is_extraction, last_component, unwrap
from .summaries import RAW_ALLOCATORS, convention_says_owned, doc_returns, verb_returns
from .syntax import CFunction, CStruct, _unwrap_declarator, prefix_of

HINTS = frozenset({"MMM-P1", "MMM-P2", "MMM-P5", "MMM-P6", "MMM-L4b"})
_OWNERSHIP_WORDS = re.compile(r"ownership|owned|owner|borrow|destroy|free|caller must|do not", re.I)


def _t(data: bytes, node) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _sp(node) -> Span:
    return Span(node.start_byte, node.end_byte)


def _name_node(node):
    """The identifier a field/pointer/subscript expression ends in (what a range covers)."""
    node = unwrap(node)
    while node is not None:
        if node.type == "identifier":
            return node
        if node.type == "field_expression":
            return node.child_by_field_name("field")
        if node.type in ("pointer_expression", "subscript_expression"):
            node = unwrap(node.child_by_field_name("argument"))
            continue
        return None
    return None


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


class _Locals:
    """Pointer depth and const-ness of a function's parameters and locals, by name."""

    def __init__(self, fn: CFunction, data: bytes):
        self.depth: dict[str, int] = {}
        self.const: dict[str, bool] = {}
        for p in fn.params:
            self.depth[p.name] = p.depth
            self.const[p.name] = p.const
        if fn.body is not None:
            for n in _walk(fn.body):
                if n.type == "declaration":
                    const = any(c.type == "type_qualifier" and c.text == b"const" for c in n.children)
                    for d in n.children_by_field_name("declarator"):
                        ident, depth, _ = _unwrap_declarator(d)
                        if ident is not None and ident.type == "identifier":
                            nm = _t(data, ident)
                            self.depth[nm] = depth
                            self.const[nm] = const


# A runtime ownership API (X6, X7): a call whose name says it takes, transfers, drops or claims
# ownership at run time (AgeRun's `ar_data__take_ownership`, `..._transfer_ownership`,
# `..._claim_or_copy`, `..._destroy_if_owned`). A function that hands a borrowed value to one has
# decided that value's ownership at run time, which the prefixes cannot say: destroying it, handing
# it to a sink or returning it as owned there is not reported (D2, T3, R2).
_RUNTIME_CLAIM = re.compile(r"ownership|claim|if_owned", re.I)


class _Exempt:
    """The borrowed-named values of one function that D2, T3 and R2 leave alone, and why."""

    def __init__(self, fn: CFunction, data: bytes, lookup, locs: "_Locals"):
        self.claimed: set[str] = set()       # X6/X7: given to a runtime ownership API here
        self.misnamed: set[str] = set()      # ref_/mut_ holding what an owned-returning call gave (P4 says so)
        self.aliases: set[str] = set()       # X10: ref_/mut_ aliases of an `own_` slot of a struct
        for n in _walk(fn.body):
            t = n.type
            if t == "call_expression":
                f = unwrap(n.child_by_field_name("function"))
                if f is not None and f.type == "identifier" and _RUNTIME_CLAIM.search(_t(data, f)):
                    args = n.child_by_field_name("arguments")
                    for a in (args.named_children if args is not None else ()):
                        nn = _name_node(a)
                        if nn is not None:
                            self.claimed.add(_t(data, nn))
            elif t in ("init_declarator", "assignment_expression"):
                if t == "init_declarator":
                    target, _, _ = _unwrap_declarator(n.child_by_field_name("declarator"))
                    value = n.child_by_field_name("value")
                else:
                    target, value = unwrap(n.child_by_field_name("left")), n.child_by_field_name("right")
                if target is None or target.type != "identifier" or value is None:
                    continue
                nm = _t(data, target)
                if prefix_of(nm) not in ("ref", "mut"):
                    continue
                v = unwrap(value)
                if v is not None and v.type == "field_expression" and prefix_of(last_component(v, data)) == "own":
                    self.aliases.add(nm)
                elif v is not None and v.type == "call_expression":
                    f = unwrap(v.child_by_field_name("function"))
                    s = lookup(_t(data, f)) if f is not None and f.type == "identifier" else None
                    if s is not None and s.returns == "owned" and 0 < locs.depth.get(nm, 1) < 2:
                        self.misnamed.add(nm)

    def why(self, name: str) -> str | None:
        if name in self.claimed:
            return "claimed"
        if name in self.misnamed:
            return "misnamed"
        if name in self.aliases:
            return "alias"
        return None


def field_depths(summaries) -> dict[str, int]:
    """Pointer depth of the fields of the structs this document defines, by field name (read
    once per summary source: every function's lints ask)."""
    known = getattr(summaries, "field_depths", None)
    if known is not None:
        return known
    parsed = getattr(summaries, "parsed", None)
    out: dict[str, int] = {}
    for st in getattr(parsed, "structs", ()) or ():
        for name, _sp_, _ty, depth in st.fields:
            out[name] = max(depth, out.get(name, 0))
    if summaries is not None:
        try:
            summaries.field_depths = out
        except AttributeError:
            pass
    return out


def function_lints(fn: CFunction, data: bytes, path: str | None, lookup, summaries, config) -> list[Finding]:
    out: list[Finding] = []
    hints = config.hints
    locs = _Locals(fn, data)
    locs.fields = field_depths(summaries)
    base = os.path.basename(path) if path else ""
    raw_ok = base in config.raw_allocator_files

    def add(code, severity, node_or_span, msg, related=()):
        sp = node_or_span if isinstance(node_or_span, Span) else _sp(node_or_span)
        out.append(Finding(code, severity, sp, msg, list(related)))

    # ---- declaration-level: P1, P2, P3, P5, P6
    if "MMM-P1" in hints:
        for p in fn.params:
            if p.pointer and p.name and not p.prefix and p.name != "argv" and p.name_span is not None:
                add("MMM-P1", "hint", p.name_span, f"pointer parameter `{p.name}` has no ownership prefix "
                    f"(own_, mut_, ref_ or out_)")
    if "MMM-P2" in hints:
        for p in fn.params:
            if p.prefix == "ref" and p.pointer and not p.const and p.name_span is not None and "ar_log_t" not in p.ty:
                add("MMM-P2", "hint", p.name_span, f"borrowed parameter `{p.name}` is not `const`")
    if fn.body is not None and path and path.endswith(".c") and not fn.is_static and not config.is_mock(path):
        hpath, hdecl = summaries.header_declaration(fn.name)
        if hdecl is not None and len(hdecl.params) == len(fn.params):
            for dp, hp in zip(fn.params, hdecl.params):
                if dp.name_span is None or not hp.name or not hp.pointer:
                    continue
                if dp.prefix != hp.prefix:
                    want = f"`{hp.prefix}_`" if hp.prefix else "no prefix"
                    add("MMM-P3", "warning", dp.name_span,
                        f"parameter `{dp.name}` is `{hp.name}` in {os.path.basename(hpath)}: the prefix differs "
                        f"({want} there). Rename it in the definition",
                        [Related(hp.name_span or hdecl.name_span, f"declared here as `{hp.name}`", hpath)]
                        if hpath else [])
                    fix = _rename(fn, data, dp.name, hp.name)
                    if fix is not None:
                        out[-1].fixes.append(fix)
    declares_api = fn.body is None or fn.is_static
    if declares_api and ("MMM-P5" in hints or "MMM-P6" in hints) and fn.ret_depth > 0 or (
            declares_api and "MMM-P6" in hints and any(p.prefix == "own" for p in fn.params)):
        dr = doc_returns(fn.doc)
        vr = verb_returns(fn.name)
        if "MMM-P5" in hints and dr is not None and vr is not None and dr != vr:
            add("MMM-P5", "hint", fn.name_span, f"`{fn.name}` reads as returning a {vr} value, but its doc "
                f"says {dr}")
        if "MMM-P6" in hints and not _OWNERSHIP_WORDS.search(fn.doc or ""):
            add("MMM-P6", "hint", fn.name_span, f"`{fn.name}` does not document who owns "
                f"{'its result' if fn.ret_depth else 'its own_ parameters'}")
    if fn.body is None:
        return out

    own_sum = summaries.own_summary(fn)
    exempt = _Exempt(fn, data, lookup, locs)
    locs.exempt = exempt
    if "MMM-P1" in hints:
        for n in _walk(fn.body):
            if n.type != "declaration" or (n.parent is not None and n.parent.type == "for_statement"):
                continue
            for d in n.children_by_field_name("declarator"):
                top = d.child_by_field_name("declarator") if d.type == "init_declarator" else d
                if top is None or top.type != "pointer_declarator":
                    continue
                ident, depth, fnptr = _unwrap_declarator(top)
                if ident is not None and ident.type == "identifier" and not fnptr:
                    nm = _t(data, ident)
                    if not prefix_of(nm):
                        add("MMM-P1", "hint", ident, f"pointer local `{nm}` has no ownership prefix "
                            f"(own_, mut_, ref_ or out_)")
    for n in _walk(fn.body):
        t = n.type
        if t == "call_expression":
            _call_lints(n, data, lookup, locs, raw_ok, hints, add)
        elif t == "assignment_expression":
            left, right = n.child_by_field_name("left"), n.child_by_field_name("right")
            l = unwrap(left)
            if l is not None and l.type == "field_expression":
                obj = unwrap(l.child_by_field_name("argument"))
                op = l.child_by_field_name("operator")
                if obj is not None and obj.type == "identifier" and prefix_of(_t(data, obj)) == "ref" \
                        and op is not None and _t(data, op) == "->":
                    add("MMM-R1", "error", obj, f"`{_t(data, obj)}` is borrowed (`ref_`): writing "
                        f"`{_t(data, l)}` mutates a value this function does not own")
            if prefix_of(last_component(left, data)) == "own" and l is not None and l.type != "identifier" \
                    and not _element_of_pointer_array(l, data, locs):
                rn = _name_node(right)
                if rn is not None and prefix_of(_t(data, rn)) == "ref" and unwrap(right).type in (
                        "identifier", "field_expression") and exempt.why(_t(data, rn)) is None:
                    add("MMM-T3", "error", rn, f"borrowed `{_t(data, rn)}` is stored into the owning "
                        f"`{_t(data, left)}`: the owner of `{_t(data, rn)}` will destroy it too")
            if l is not None and l.type == "identifier" and _t(data, n.child_by_field_name("operator")) == "=":
                _p4(l, right, data, lookup, locs, add)
        elif t == "init_declarator":
            ident, _, _ = _unwrap_declarator(n.child_by_field_name("declarator"))
            value = n.child_by_field_name("value")
            if ident is not None and ident.type == "identifier" and value is not None:
                _p4(ident, value, data, lookup, locs, add)
        elif t == "cast_expression":
            v = unwrap(n.child_by_field_name("value"))
            ty = n.child_by_field_name("type")
            if v is not None and v.type == "identifier" and ty is not None:
                nm = _t(data, v)
                tt = _t(data, ty)
                if prefix_of(nm) == "ref" and locs.const.get(nm) and "*" in tt and "const" not in tt:
                    add("MMM-R1", "error", v, f"the cast to `{tt}` drops the `const` of borrowed `{nm}`")
        # (when only the name says owned, only AgeRun's own verbs count: custody's wider list
        # (read, parse, ...) is a guess for bodiless declarations, and the body outranks it)
        elif t == "return_statement" and own_sum is not None and own_sum.returns == "owned" \
                and (own_sum.returns_origin != "its name" or convention_says_owned(fn.name)):
            value = next((c for c in n.named_children if c.type != "comment"), None)
            v = unwrap(value)
            if v is None:
                continue
            if v.type == "identifier" and prefix_of(_t(data, v)) in ("ref", "mut") and exempt.why(_t(data, v)) is None:
                add("MMM-R2", "error", v, f"`{fn.name}` returns an owned value ({own_sum.returns_origin}), but "
                    f"`{_t(data, v)}` is borrowed")
            elif v.type == "call_expression":
                f = unwrap(v.child_by_field_name("function"))
                if f is not None and f.type == "identifier":
                    s = lookup(_t(data, f))
                    if s is not None and s.returns == "borrowed":
                        add("MMM-R2", "error", v, f"`{fn.name}` returns an owned value ({own_sum.returns_origin}), "
                            f"but `{s.name}` returns a borrowed one ({s.returns_origin})")
    return out


def _rename(fn: CFunction, data: bytes, old: str, new: str) -> Fix | None:
    """Rename a parameter everywhere in its function (not when the new name is taken there)."""
    edits = []
    olb, nb = old.encode(), new.encode()
    for n in _walk(fn.node):
        if n.type == "identifier":
            t = data[n.start_byte:n.end_byte]
            if t == nb:
                return None
            if t == olb:
                edits.append(Edit(_sp(n), new))
    if not edits:
        return None
    return Fix(f"Rename `{old}` to `{new}` as the header declares it", tuple(edits), preferred=True)


def _call_lints(n, data, lookup, locs, raw_ok, hints, add) -> None:
    f = unwrap(n.child_by_field_name("function"))
    if f is None or f.type != "identifier":
        return
    name = _t(data, f)
    if name in RAW_ALLOCATORS and not raw_ok and name not in locs.depth:
        add("MMM-H1", "warning", f, f"raw `{name}`: AgeRun allocates through the AR__HEAP__* macros, which "
            f"track leaks (use `AR__HEAP__{name.upper()}`)")
    s = lookup(name)
    if s is None:
        return
    args_node = n.child_by_field_name("arguments")
    args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
    for i, a in enumerate(args):
        pf = s.param(i)
        if pf is None:
            continue
        o = unwrap(a)
        if o is None or o.type not in ("identifier", "field_expression"):
            continue
        nn = _name_node(o)
        if nn is None:
            continue
        nm = _t(data, nn)
        pre = prefix_of(nm)
        if pre not in ("ref", "mut"):
            continue
        if o.type == "identifier" and locs.depth.get(nm, 1) >= 2:
            continue          # X14: `T **` prefixes describe the elements
        if o.type == "field_expression" and getattr(locs, "fields", {}).get(nm, 1) >= 2:
            continue          # X14, for a `T **` field
        exempt = getattr(locs, "exempt", None)
        if exempt is not None and exempt.why(nm) is not None and (pf.destroys or pf.sink):
            continue          # X6/X7 runtime claims; a misnamed owner (P4 says so once); X10 aliases
        if pf.destroys and pf.prefix == "own":
            add("MMM-D2", "error", nn, f"`{name}` destroys `{nm}`, which is borrowed (`{pre}_`): its owner "
                f"will destroy it too")
        elif pf.sink and pf.prefix == "own":
            add("MMM-T3", "error", nn, f"borrowed `{nm}` is passed to `{pf.name}`, which takes ownership "
                f"({'always' if pf.consumes == 'always' else 'on success'}; {pf.origin}): its owner will "
                f"destroy it too")
        elif pre == "ref" and pf.prefix == "mut" and o.type == "identifier" and "ar_log_t" not in pf.ty \
                and "ownership" not in name:
            add("MMM-R1", "error", nn, f"borrowed `{nm}` (`ref_`) is passed to `{pf.name}`, which may change it")
    if "MMM-L4b" in hints and s.on_success and n.parent is not None and n.parent.type == "expression_statement":
        add("MMM-L4b", "hint", f, f"the result of `{name}` is ignored: it takes its argument only on "
            f"success, so a failure leaks it")


def _element_of_pointer_array(node, data, locs) -> bool:
    """`own_refs[i]` where own_refs is a `T **` (X14: the prefix says what the elements are)."""
    if node.type != "subscript_expression":
        return False
    base = unwrap(node.child_by_field_name("argument"))
    nn = _name_node(base) if base is not None else None
    if nn is None:
        return False
    nm = _t(data, nn)
    depth = locs.depth.get(nm) if base.type == "identifier" else getattr(locs, "fields", {}).get(nm)
    return depth is not None and depth >= 2


def _p4(ident, value, data, lookup, locs, add) -> None:
    v = unwrap(value)
    if v is None or v.type != "call_expression":
        return
    f = unwrap(v.child_by_field_name("function"))
    if f is None or f.type != "identifier":
        return
    s = lookup(_t(data, f))
    if s is None:
        return
    nm = _t(data, ident)
    pre = prefix_of(nm)
    depth = locs.depth.get(nm, 1)
    if depth >= 2 or depth == 0:
        return                  # X14 (`T **`), and ids that carry a prefix
    if pre == "own" and s.returns == "borrowed":
        args_node = v.child_by_field_name("arguments")
        args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
        if args and prefix_of(last_component(args[0], data)) == "own" and is_extraction(s.name):
            return              # X1: extraction by the container's owner
        add("MMM-P4", "warning", ident, f"`{nm}` is `own_`, but `{s.name}` returns a borrowed value "
            f"({s.returns_origin}): custody stops tracking it")
    elif pre in ("ref", "mut") and s.returns == "owned":
        add("MMM-P4", "warning", ident, f"`{nm}` is `{pre}_`, but `{s.name}` returns an owned value "
            f"({s.returns_origin}): name it `own_...` and destroy or hand it on")


def struct_lints(st: CStruct, config) -> list[Finding]:
    out = []
    if "MMM-P1" in config.hints:
        for name, sp, ty, depth in st.fields:
            if depth == 1 and not prefix_of(name):
                out.append(Finding("MMM-P1", "hint", sp, f"pointer field `{name}` has no ownership prefix"))
    return out


_ALLOW = re.compile(rb"custody:\s*allow\s+([A-Za-z0-9_\-, \t]+)")


def suppressed(data: bytes, findings: list[Finding], index) -> list[Finding]:
    """Drop the findings a `// custody: allow CODE` comment on their line or the line above silences."""
    if b"custody:" not in data:
        return findings
    allow: dict[int, set] = {}
    for m in _ALLOW.finditer(data):
        line = data.count(b"\n", 0, m.start())
        codes = {c for c in re.split(r"[\s,]+", m.group(1).decode("ascii", "replace")) if c}
        allow.setdefault(line, set()).update(codes)
    out = []
    for f in findings:
        line = data.count(b"\n", 0, f.span.start)
        if f.code in allow.get(line, ()) or f.code in allow.get(line - 1, ()):
            continue
        out.append(f)
    return out
