"""Which names X07 accepts, checked where custody reads declarations (and let/for bindings).

Why: X07's own reader (x07c `x07ast.rs` + `validate.rs`, and the x07AST JSON schema) refuses a
declaration whose name is outside its identifier rules, so such a file never builds with X07.
custody used to call it "no ownership problems", and `custody run` carried the name on into C
(where a `*/` in it once became code). Reporting it here, as an error at the name, tells the
user what X07 would say and keeps odd names from looking like valid programs.

The rules, as X07 applies them (the compiler trims surrounding whitespace before checking):
  * symbol (defn / defasync / extern / defrecord / defenum names, export names): one or more
    dot-separated segments, each an ASCII letter or `_` followed by ASCII letters, digits, `_`
    or `-` (`main.helper`, `std.text.utf8.validate_or_empty`, `app.Order`);
  * local name (parameters, record fields, enum variants): an ASCII letter or `_` followed by
    ASCII letters, digits or `_`; a parameter may not be called `input` (it is in scope in
    every body);
  * a let / for binding is an expression atom: any text without whitespace (X07 accepts
    `x-y` or `a*b` there, so custody does too).
Lengths are not checked: the schema's maxLength is not enforced by the compiler.
"""
from __future__ import annotations

import re

from ..findings import Finding
from ..source import Span

CODE = "CUS-AST-0002"

_SYMBOL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*")
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Unicode White_Space (what Rust's str::trim and char::is_whitespace use; Python's isspace differs)
_WS_CHARS = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
             "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_WS = re.compile("[" + re.escape(_WS_CHARS) + "]")

SYMBOL_RULE = ("dot-separated segments, each an ASCII letter or `_` followed by ASCII letters, "
               "digits, `_` or `-` (like main.helper)")
LOCAL_RULE = "an ASCII letter or `_` followed by ASCII letters, digits or `_`"

_FUNCTION_KINDS = ("defn", "defasync", "extern")


def _shown(name: str) -> str:
    text = name if len(name) <= 60 else name[:57] + "..."
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def is_symbol(name: str) -> bool:
    return _SYMBOL.fullmatch(name.strip(_WS_CHARS)) is not None


def is_local_name(name: str) -> bool:
    return _LOCAL.fullmatch(name.strip(_WS_CHARS)) is not None


def _a(what: str) -> str:
    return ("an " if what[0] in "aeiou" else "a ") + what


def _symbol_finding(what: str, name: str, span: Span) -> Finding | None:
    if is_symbol(name):
        return None
    return Finding(CODE, "error", span, f"X07 does not accept {_shown(name)} as {_a(what)}: "
                                        f"{_a(what)} is {SYMBOL_RULE}")


def _local_finding(what: str, name: str, span: Span) -> Finding | None:
    if is_local_name(name):
        return None
    return Finding(CODE, "error", span, f"X07 does not accept {_shown(name)} as {_a(what)}: "
                                        f"{_a(what)} is {LOCAL_RULE}")


def _named_items(dv, key: str, name: str) -> Span:
    """The span of the `name` entry of the first item of list `key` whose name is `name`."""
    lv = dv.get(key)
    if lv is not None and lv.kind == "list":
        for it in lv.items:
            if it.kind == "map":
                nv = it.get("name")
                if nv is not None and nv.kind == "str" and nv.value == name:
                    return nv.span
    return dv.span


def decl_findings(d) -> list[Finding]:
    """Findings for the names of one declaration (a module.Decl) that X07 would refuse, and
    for a function's contract clauses (lints.contract_findings)."""
    out: list[Finding] = []
    kind = d.kind
    if d.name is not None and d.name_span is not None:
        if kind in _FUNCTION_KINDS:
            f = _symbol_finding("function name", d.name, d.name_span)
        elif kind == "defrecord":
            f = _symbol_finding("record name", d.name, d.name_span)
        elif kind == "defenum":
            f = _symbol_finding("enum name", d.name, d.name_span)
        else:
            f = None
        if f is not None:
            out.append(f)
    if kind in _FUNCTION_KINDS:
        for p in d.params:
            f = _local_finding("parameter name", p.name, p.span)
            if f is None and p.name.strip(_WS_CHARS) == "input":
                f = Finding(CODE, "error", p.span, "X07 does not accept \"input\" as a parameter "
                            "name: `input` is in scope in every body; rename it (data, payload, buf)")
            if f is not None:
                out.append(f)
    elif kind == "defrecord":
        for fname, _ in d.fields:
            if not is_local_name(fname):
                out.append(_local_finding("record field name", fname,
                                          _named_items(d.value, "fields", fname)))
    elif kind == "defenum":
        for vname, _ in d.variants:
            if not is_local_name(vname):
                out.append(_local_finding("enum variant name", vname,
                                          _named_items(d.value, "variants", vname)))
    elif kind == "export":
        nv = d.value.get("names") if d.value.kind == "map" else None
        if nv is not None and nv.kind == "list":
            for x in nv.items:
                if x.kind == "str" and not is_symbol(x.value):
                    out.append(_symbol_finding("exported name", x.value, x.span))
    if kind in _CONTRACT_KINDS:
        out += _contract_findings(d)
    return out


# A function's contract clauses are checked here too: this is the one hook module.py calls per
# declaration (the body is analysed per function elsewhere, and is handed over without its
# declaration). Contracts may call builtins only, so they need no module signatures.
_CONTRACT_KINDS = ("defn", "defasync")
_contracts = None


def _contract_findings(d) -> list[Finding]:
    global _contracts
    if _contracts is None:
        from .lints import contract_findings   # late: lints -> lower -> names
        _contracts = contract_findings
    return _contracts(d)


def binding_finding(name: str, span: Span) -> Finding | None:
    """A let / for binding name X07 would refuse (an atom holding whitespace, or empty)."""
    if name and _WS.search(name) is None:
        return None
    return Finding(CODE, "error", span, f"X07 does not accept {_shown(name)} as a local name: a "
                                        "binding is an atom, non-empty and without whitespace "
                                        f"(usually {LOCAL_RULE})")
