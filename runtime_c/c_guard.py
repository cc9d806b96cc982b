"""The last check on the emitter's C before anything compiles or runs it.

Why: `custody run` compiles and runs the C that emit_c.py produced from the user's file. The
emitter escapes every piece of user text (c_string for literals, mangle/sanitize for names), but
one slip there (a name in a comment once let `*/ ...` become code) turns a source file into
arbitrary C that runs with the user's rights, possibly before `main`, where nothing of the
runtime is in force yet. This module states, independently of how the emitter works, what a
translation unit it produces looks like, and refuses anything else.

The emitted C is a small language subset:
  * pure printable ASCII plus newlines; no trigraph (`??`), no backslash-newline anywhere, so the
    compiler's phases 1-2 change nothing and the token view here is the compiler's;
  * an optional one-line header comment, then exactly `#include "custody_rt.h"` and
    `#include "custody_builtins.h"`, and no other `#` (no directive, `#pragma`, stringizing);
  * string literals of c_string's alphabet only (printable ASCII without `?`, `\\"`, `\\\\`,
    three-digit octal escapes); no character literals, no other comments, no digraphs
    (`<: :> <% %> %:`), no `$`, `@`, backtick or stray backslash;
  * decimal / hex integer constants, optionally `u`-suffixed;
  * identifiers from a closed set: a few C keywords and types, the runtime names the emitter's
    own source writes (`cus_*`, `rt_*`, `RT_*`), its fixed names (`custody_entry`, `main`,
    `input`, struct fields) and the shapes of its generated names (`f_` + mangle(name),
    `l_<sanitized>_<n>`, `p<n>_<sanitized>`, one letter + digits). So `__attribute__`, `asm`,
    `__asm__`, `_Pragma`, `constructor`, `destructor`, `section`, `typedef`, `extern`... are
    refused as identifiers the emitter never produces;
  * at file scope, every item starts with `static`, except the one `int main(void) {`: no
    external symbol that could interpose on the C library, nothing that runs before `main`.

It is a whole-text scan with a few compiled regexes (literals and the header comment blanked in
one left-to-right pass, then one search for forbidden characters, a set of distinct identifiers,
a pass over braces and semicolons), so it costs little next to the compiler on every run.
"""
from __future__ import annotations

import re

from .compile import RUNTIME_INCLUDE


class GuardError(Exception):
    """The translation unit is outside the emitter's subset; `reason` says where and why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_INCLUDES = '#include "custody_rt.h"\n#include "custody_builtins.h"\n'
_COMMENT_BODY = r"[A-Za-z0-9 _:;,.()=-]*"
_HEADER = re.compile(r"(?:/\*" + _COMMENT_BODY + r"\*/\n)?" + re.escape(_INCLUDES))
# c_string's alphabet; a literal that does not match stays a bare `"` and is refused below
# not right after an identifier character: `u8"x"`, `L"x"` are other literal kinds
_LITERAL = re.compile(r'(?<![A-Za-z0-9_])"(?:[^"\\\n?]|\\[0-7]{3}|\\["\\])*"')
_NOT_PRINTABLE = re.compile(r"[^\n -~]")
_FORBIDDEN = re.compile(r"[#\\'\"$@`]|/[*/]|<[:%]|[:%]>|%:|\.[0-9]")
_IDENT = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"\b[0-9][A-Za-z0-9_]*")
_NUMBER_OK = re.compile(r"(?:[0-9]+|0[xX][0-9A-Fa-f]+)[uU]?")
_SCOPE = re.compile(r"[{};]")
_TOP_ITEM = re.compile(r"\s*(?:static\b|int main\(void\) \{|\Z)")
# names the emitter generates from a counter or from a user's name (see emit_fn / emit_types)
_GENERATED = re.compile(r"f_[A-Za-z0-9_]+|l_[A-Za-z0-9_]*_[0-9]+|p[0-9]+_[A-Za-z0-9_]*"
                        r"|[a-z][0-9]+")
_KEYWORDS = frozenset({"static", "int", "void", "return", "if", "else", "for", "while", "do",
                       "break", "continue", "switch", "case", "default", "const", "unsigned",
                       "char", "uint8_t", "uint32_t", "int32_t", "uint64_t", "int64_t"})
_FIXED = frozenset({"main", "custody_entry", "input", "oid", "tag", "val", "ok", "err", "ptr",
                    "len", "cap"})
_RUNTIME_NAME = re.compile(r"\b(?:cus|rt|RT)_[A-Za-z0-9_]+")
# the names the translation unit itself defines besides generated ones (emit_c.emit_program)
_TU_NAMES = frozenset({"cus_input", "cus_solve"})

_allowed: frozenset[str] | None = None


def allowed_identifiers() -> frozenset[str]:
    """The fixed identifiers of the subset: keywords, fixed names, the names the translation unit
    defines itself, and every runtime name (`cus_*`, `rt_*`, `RT_*`) the runtime's public headers
    declare -- what generated code may call is exactly what custody_rt.h and custody_builtins.h
    offer (they ship with the package, so the list never depends on source files being present)."""
    global _allowed
    if _allowed is None:
        names = set(_KEYWORDS) | _FIXED | _TU_NAMES
        for header in ("custody_rt.h", "custody_builtins.h"):
            names.update(_RUNTIME_NAME.findall((RUNTIME_INCLUDE / header).read_text(encoding="utf-8")))
        _allowed = frozenset(names)
    return _allowed


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def check(c_source: str) -> None:
    """Raises GuardError unless `c_source` is inside the emitter's C subset (module docstring)."""
    bad = _NOT_PRINTABLE.search(c_source)
    if bad is not None:
        raise GuardError(f"character {bad.group()!r} at line {_line_of(c_source, bad.start())} "
                         "is not printable ASCII")
    for seq, what in (("??", "a trigraph sequence `??`"),
                      ("\\\n", "a backslash-newline (line splice)")):
        at = c_source.find(seq)
        if at >= 0:
            raise GuardError(f"{what} at line {_line_of(c_source, at)}")
    head = _HEADER.match(c_source)
    if head is None:
        raise GuardError("the translation unit must start with the two runtime #includes "
                         "(after at most one plain comment line)")
    body_start = head.end()
    body = _LITERAL.sub(" 0 ", c_source[body_start:])   # spaces: `u"x"` must not become `u0`
    bad = _FORBIDDEN.search(body)
    if bad is not None:
        tok = bad.group()
        what = {"#": "a preprocessor `#` (only the two runtime #includes are allowed)",
                "'": "a character literal", '"': "a string literal outside c_string's alphabet",
                "\\": "a backslash outside a string literal", "/*": "a comment",
                "//": "a comment"}.get(tok, f"`{tok}`")
        # the line is approximate after blanking literals (they never span lines)
        line = body.count("\n", 0, bad.start()) + _line_of(c_source, body_start)
        raise GuardError(f"{what} near line {line}")
    allowed = allowed_identifiers()
    for ident in set(_IDENT.findall(body)):
        if ident not in allowed and not _GENERATED.fullmatch(ident):
            raise GuardError(f"identifier `{ident}` is not one the emitter produces")
    for num in set(_NUMBER.findall(body)):
        if not _NUMBER_OK.fullmatch(num):
            raise GuardError(f"number `{num}` is not an integer constant the emitter produces")
    depth = 0
    starts = [0]
    for m in _SCOPE.finditer(body):
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                raise GuardError("unbalanced `}` at file scope")
            if depth == 0:
                starts.append(m.end())
        elif depth == 0:
            starts.append(m.end())
    if depth != 0:
        raise GuardError("unbalanced `{` at the end of the translation unit")
    mains = 0
    for s in starts:
        m = _TOP_ITEM.match(body, s)
        if m is None:
            snippet = body[s:s + 40].strip().splitlines()[0] if body[s:].strip() else ""
            raise GuardError(f"a file-scope item that is not `static`: `{snippet}`")
        if m.group().endswith("{"):
            mains += 1
    if mains != 1:
        raise GuardError(f"{mains} definitions of main (the emitter writes exactly one)")


def problem(c_source: str) -> str | None:
    """None when `c_source` passes `check`, else the reason it does not."""
    try:
        check(c_source)
    except GuardError as e:
        return e.reason
    return None
