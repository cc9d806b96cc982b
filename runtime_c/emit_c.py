"""X07 -> C for `custody run`: one translation unit per program, on custody's bundled runtime.

`emit_program` parses the file with custody's own front-end, finds the imported modules custody
can resolve, and translates the entry (`solve`, or a chosen defn) and every function it reaches
into C99 that includes custody_rt.h and custody_builtins.h. Anything it cannot translate
faithfully is reported as CUS-RUN-0001 at the construct's head, and then no C is produced: a
program is never run on a wrong translation.

Node ids: every evaluated AST node gets an id (an index into `Emitted.nodes`, id 0 is a dummy);
the C ticks fuel with it and passes it to every runtime call, so traps and borrow violations
map back to a byte range of the file that holds the node (the program or an imported module).

Breaking the rules on purpose (for testing the runtime's checks): the C is the same for checked
and unchecked programs, and always survives a violation: a moved-out variable is emptied and
keeps its owner id, so a use after move reaches the borrow table (rt_check_owner_use) instead of
memory. `unchecked=True` only records that the caller skipped the static check. Inside
`(unsafe ...)`, `bytes.as_ptr` consumes its bytes and never frees them: the deliberate way to
leak (the run reports it); outside unsafe it is reported as unsupported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from custody.analysis.findings import Finding
from custody.analysis.source import Span
from custody.analysis.x07.document import parse_source
from custody.analysis.x07.module import FUNCTION_KINDS, Decl
from custody.analysis.x07.names import CODE as NAME_CODE
from custody.analysis.x07.values import Value

from . import c_guard
from .emit_fn import FnEmitter
from .emit_types import C_TYPE, Unsupported, base, mangle

UNSUPPORTED = "CUS-RUN-0001"
BUILD = "CUS-RUN-0005"          # the guard refused the translation: a custody bug, never run
SUPPORTED_TYPES = frozenset(C_TYPE) - {"ptr_const_u8"}


@dataclass
class Emitted:
    c_source: str | None                 # a complete C99 translation unit; None when unsupported
    nodes: list[tuple[str | None, Span]]  # node id -> (file path, byte span); id 0 is a dummy
    unsupported: list[Finding]           # CUS-RUN-0001 findings (spans in the program's file)
    entry: str                           # "solve" or the defn that is run


def can_be_entry(param_types, result: str | None) -> bool:
    """What `custody run --entry` can run on its own: a defn taking nothing or the input (one
    bytes_view) and returning bytes (brands aside)."""
    return [base(t) for t in param_types] in ([], ["bytes_view"]) and base(result) == "bytes"


@dataclass
class FnDef:
    name: str
    params: list[tuple[str, str]]        # (X07 name, base type)
    result: str
    body: Value
    path: str | None
    decl: Decl
    cname: str = ""


@dataclass
class Program:
    path: str | None
    nodes: list[tuple[str | None, Span]] = field(default_factory=list)
    node_ids: dict = field(default_factory=dict)
    fns: dict[str, FnDef] = field(default_factory=dict)
    records: dict[str, list[str]] = field(default_factory=dict)
    enums: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    bad_decls: dict[str, tuple[Decl, str | None]] = field(default_factory=dict)
    queue: list[str] = field(default_factory=list)
    module_of_path: dict[str, Span] = field(default_factory=dict)   # imported file -> import span

    def __post_init__(self):
        self.nodes.append((self.path, Span(0, 0)))      # id 0: no node

    def node(self, path: str | None, v: Value) -> int:
        key = (path, v.span.start, v.span.end, v.kind)
        n = self.node_ids.get(key)
        if n is None:
            n = self.node_ids[key] = len(self.nodes)
            self.nodes.append((path, v.span))
        return n

    def function(self, name: str) -> FnDef | None:
        fn = self.fns.get(name)
        if fn is None and name in self.bad_decls:
            d, path = self.bad_decls[name]
            raise Unsupported(d.kind, d.name_span or d.value.span, path,
                              self.bad_decls_message(name))
        return fn

    def bad_decls_message(self, name: str) -> str:
        d, _ = self.bad_decls[name]
        if d.kind != "defn":
            return f"custody run does not support `{d.kind}` yet"
        tys = [p.ty or "?" for p in d.params] + [d.result or "?"]
        bad = next((t for t in tys if base(t) not in SUPPORTED_TYPES), "?")
        return f"custody run does not support `{bad}` yet"

    def require(self, name: str) -> str:
        fn = self.fns[name]
        if not fn.cname:
            fn.cname = mangle(name)
            self.queue.append(name)
        return fn.cname

    def record_op(self, head: str):
        rec, _, field_name = head.rpartition(".")
        fields = self.records.get(rec)
        if fields is None:
            return None
        if field_name == "make":
            return rec, fields, None
        if field_name in fields:
            return rec, fields, field_name
        return None

    def enum_variant(self, head: str):
        enum, _, variant = head.rpartition(".")
        variants = self.enums.get(enum)
        if variants is None:
            return None
        for k, (name, payload) in enumerate(variants):
            if name == variant:
                return enum, k, payload
        return None

    def add_module(self, decls: list[Decl], path: str | None):
        for d in decls:
            if d.name is None or d.spoiled:
                continue
            if d.kind in FUNCTION_KINDS or d.kind == "extern":
                params = [(p.name, base(p.ty)) for p in d.params]
                result = base(d.result)
                ok = (d.kind == "defn" and d.body is not None and result in SUPPORTED_TYPES
                      and all(t in SUPPORTED_TYPES for _, t in params))
                if ok:
                    self.fns[d.name] = FnDef(d.name, params, result, d.body, path, d)
                else:
                    self.bad_decls[d.name] = (d, path)
            elif d.kind == "defrecord":
                if all(base(t) == "i32" for _, t in d.fields):
                    self.records[d.name] = [f for f, _ in d.fields]
            elif d.kind == "defenum":
                self.enums[d.name] = [(name, payload is not None) for name, payload in d.variants]


def _load_imports(prog: Program, imports, resolver, main_path: str | None, seen: set,
                  via: Span | None):
    for mid, span in imports:
        if mid in seen or resolver is None:
            continue
        seen.add(mid)
        found = resolver.find(mid)
        if found is None:
            continue
        path = found[0]
        opened = resolver.overlay.get(str(path)) if getattr(resolver, "overlay", None) else None
        try:
            data = opened[1] if opened is not None else Path(path).read_bytes()
        except OSError:
            continue
        parsed = parse_source(str(path), data)
        if parsed.module is None:
            continue
        prog.module_of_path[str(path)] = via or span
        prog.add_module(parsed.module.decls, str(path))
        _load_imports(prog, parsed.module.imports, resolver, main_path, seen, via or span)


def _finding(prog: Program, main_path: str | None, u: Unsupported) -> Finding:
    if u.path == main_path or u.path is None:
        return Finding(UNSUPPORTED, "error", u.span, u.message)
    span = prog.module_of_path.get(str(u.path), Span(0, 0))
    return Finding(UNSUPPORTED, "error", span, f"{u.message} (in {u.path})")


def _signature(fn: FnDef) -> str:
    params = ", ".join(t for _, t in fn.params)
    return f"({params}) -> {fn.result}"


def emit_program(path: str | None, data: bytes, *, entry: str | None = None, resolver=None,
                 unchecked: bool = False) -> Emitted:
    prog = Program(path)
    form = None
    if path is None:    # no file name to tell the form: x07AST JSON opens with `{"`
        form = "json" if re.match(rb'\s*\{\s*"', data) else "x07text"
    parsed = parse_source(path, data, form)
    # A name X07 refuses (CUS-AST-0002) is the static check's to report, like an ownership error;
    # the translation never depends on what a name holds (mangle / sanitize / no comments).
    errors = [f for f in parsed.findings if f.severity == "error" and f.code != NAME_CODE]
    entry_name = entry or "solve"
    if parsed.module is None or errors:
        first = errors[0] if errors else None
        span = first.span if first else Span(0, 0)
        why = first.message if first else "the file is not an X07 module"
        return Emitted(None, prog.nodes, [Finding(UNSUPPORTED, "error", span,
                       f"custody run cannot translate a file with errors: {why}")], entry_name)
    module = parsed.module
    if resolver is None and path is not None:
        from custody.analysis.x07.signatures import ModuleResolver
        resolver = ModuleResolver.for_file(path)
    prog.add_module(module.decls, path)
    _load_imports(prog, module.imports, resolver, path, {module.module_id}, None)

    findings: list[Finding] = []
    functions: list[str] = []
    prototypes: list[str] = []
    entry_call = None
    solve_fn: FnDef | None = None
    if entry is None:
        if module.solve is None:
            span = module.root.span if module.root is not None else Span(0, 0)
            findings.append(Finding(UNSUPPORTED, "error", Span(span.start, span.start),
                                    "custody run needs a `solve` to run: this module has none; "
                                    "pass the name of a defn taking () or (bytes_view) and "
                                    "returning bytes as the entry"))
        else:
            solve_fn = FnDef("solve", [], "bytes", module.solve, path, None, "cus_solve")
            entry_call = "cus_solve()"
    else:
        name = entry
        fn = prog.fns.get(name)
        if fn is None and module.module_id and not name.startswith(module.module_id + "."):
            name = f"{module.module_id}.{entry}"
            fn = prog.fns.get(name)
        if fn is None:
            bad = prog.bad_decls.get(entry) or prog.bad_decls.get(name)
            span = (bad[0].name_span if bad else None) or Span(0, 0)
            findings.append(Finding(UNSUPPORTED, "error", span,
                                    f"custody run cannot run `{entry}`: " +
                                    (prog.bad_decls_message(bad[0].name) if bad else
                                     "no defn of that name in this module")))
        elif not can_be_entry([t for _, t in fn.params], fn.result):
            findings.append(Finding(UNSUPPORTED, "error", fn.decl.name_span or Span(0, 0),
                                    f"custody run can run a defn taking () or (bytes_view) and "
                                    f"returning bytes; `{fn.name}` is {_signature(fn)}"))
        else:
            entry_name = fn.name
            cname = prog.require(fn.name)
            entry_call = f"{cname}({'input' if fn.params else ''})"

    def emit_one(fn: FnDef, cname: str):
        em = FnEmitter(prog, fn.path, fn.name, fn.params, fn.result)
        try:
            body_node = fn.body
            decls, lines = em.emit_function(fn.body, body_node)
        except Unsupported as u:
            findings.append(_finding(prog, path, u))
            return
        sig = f"static {C_TYPE[fn.result]} {cname}({', '.join(f'{t} {n}' for t, n in em.params) or 'void'})"
        prototypes.append(sig + ";")
        functions.append(f"{sig} {{\n" + "\n".join(decls + lines) + "\n}\n")

    if solve_fn is not None:
        emit_one(solve_fn, "cus_solve")
    while prog.queue:
        name = prog.queue.pop(0)
        emit_one(prog.fns[name], prog.fns[name].cname)

    if findings:
        findings.sort(key=lambda f: f.sort_key())
        return Emitted(None, prog.nodes, findings, entry_name)
    # No user text in comments: a name or path holding `*/` would end the comment and become code.
    parts = [
        f"/* custody run: {'unchecked' if unchecked else 'checked'} build; generated, do not edit */",
        '#include "custody_rt.h"',
        '#include "custody_builtins.h"',
        "",
        "static rt_view cus_input;",
        "",
        *prototypes,
        "",
        *functions,
        "static rt_bytes custody_entry(rt_view input) {",
        "    cus_input = input;",
        f"    return {entry_call};",
        "}",
        "",
        "int main(void) { return rt_main(custody_entry); }",
        "",
    ]
    c_source = "\n".join(parts)
    refused = c_guard.problem(c_source)
    if refused is not None:
        return Emitted(None, prog.nodes, [Finding(
            BUILD, "error", Span(0, 0),
            f"internal error: custody's C guard refused the translation of this program "
            f"({refused}); it was not compiled or run; please report it")], entry_name)
    return Emitted(c_source, prog.nodes, [], entry_name)
