"""X07 value types as the C emitter sees them: C spellings, ownership classes, drop and move glue.

Brands (`bytes@app.Order`) are compile-time tags only, so every type is reduced to its base here;
`u32` is X07's alias of `i32`.
"""
from __future__ import annotations

import re

from custody.analysis.source import Span

# X07 base type -> C type (custody_rt.h / custody_builtins.h)
C_TYPE: dict[str, str] = {
    "i32": "uint32_t",
    "bytes": "rt_bytes",
    "bytes_view": "rt_view",
    "vec_u8": "rt_vec_u8",
    "option_i32": "cus_opt_i32",
    "result_i32": "cus_res_i32",
    "option_bytes": "cus_opt_bytes",
    "result_bytes": "cus_res_bytes",
    "option_bytes_view": "cus_opt_view",
    "result_bytes_view": "cus_res_view",
    "ptr_const_u8": "const uint8_t *",
}

OWNED = frozenset({"bytes", "vec_u8", "option_bytes", "result_bytes"})
VIEWS = frozenset({"bytes_view", "option_bytes_view", "result_bytes_view"})
# owned values that carry an owner id of their own (option/result carry theirs inside)
HAS_OID = frozenset({"bytes", "vec_u8"})

DROP_FN = {"bytes": "cus_drop_bytes", "vec_u8": "cus_drop_vec",
           "option_bytes": "cus_drop_opt_bytes", "result_bytes": "cus_drop_res_bytes"}
MOVE_FN = {"bytes": "cus_move_bytes", "vec_u8": "cus_move_vec",
           "option_bytes": "cus_move_opt_bytes", "result_bytes": "cus_move_res_bytes"}
TAKE_FN = {"bytes": "cus_take_bytes", "vec_u8": "cus_take_vec"}

NEVER = "never"   # the type of `return` and of forms that always return


class Unsupported(Exception):
    """A construct custody run cannot translate; `span` is the head (or the construct) in `path`."""

    def __init__(self, head: str, span: Span, path: str | None, message: str | None = None):
        super().__init__(message or f"custody run does not support `{head}` yet")
        self.head = head
        self.span = span
        self.path = path
        self.message = message or f"custody run does not support `{head}` yet"


def base(ty: str | None) -> str | None:
    if ty is None:
        return None
    b = ty.split("@", 1)[0]
    return "i32" if b == "u32" else b


def c_type(ty: str) -> str:
    return C_TYPE[ty]


def zero(ty: str) -> str:
    """An initialiser for a hoisted local of type `ty` (a moved-out / empty value)."""
    return "0" if ty in ("i32", "ptr_const_u8") else "{0}"


def is_owned(ty: str | None) -> bool:
    return ty in OWNED


def is_view(ty: str | None) -> bool:
    return ty in VIEWS


def literal_bytes(text: str) -> bytes:
    """The bytes of an X07 literal's text. UTF-8, and total: a lone surrogate (JSON `"\\ud800"`,
    or a surrogateescape'd byte) keeps its code point's 3-byte form instead of raising."""
    return text.encode("utf-8", "surrogatepass")


def c_string(data: bytes) -> str:
    """A C string literal holding exactly `data`: the only way user text enters the C source.

    Printable ASCII other than `"`, `\\` and `?` stands for itself; `"` and `\\` are
    backslash-escaped; everything else (NUL, control characters, newline, bytes >= 0x7f, and `?`,
    so no trigraph such as `??/` can form) is a three-digit octal escape, which never swallows a
    following digit. The result is pure printable ASCII on one line.
    """
    out = []
    for b in data:
        if b == 0x22 or b == 0x5C:
            out.append("\\" + chr(b))
        elif 0x20 <= b < 0x7F and b != 0x3F:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '"'


_MANGLE_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9]*_")


def mangle(name: str, prefix: str = "f_") -> str:
    """An X07 name as a complete C identifier: `prefix` + an injective escape of `name`.

    ASCII letters and digits stand for themselves; `_` doubles to `__`; `.` becomes `_d`; any
    other ASCII character becomes `_x` + 2 hex digits; any other code point (non-ASCII, lone
    surrogates from surrogateescape included) becomes `_u` + 6 hex digits. After a `_` the next
    character says how many follow, so the escape decodes uniquely (injective); every Python str
    has one (total). The prefix starts with a letter and has no `__`, so the result is never a C
    keyword, never a reserved identifier (`__x`, `_X`) and never a runtime (`rt_`, `cus_`) name.
    """
    if not _MANGLE_PREFIX.fullmatch(prefix) or prefix in ("rt_", "cus_", "RT_"):
        raise ValueError(f"mangle prefix {prefix!r} must be a letter, letters/digits, then `_`, "
                         "and not a runtime prefix")
    out = [prefix]
    for ch in name:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch == "_":
            out.append("__")
        elif ch == ".":
            out.append("_d")
        elif ch.isascii():
            out.append(f"_x{ord(ch):02x}")
        else:
            out.append(f"_u{ord(ch):06x}")
    return "".join(out)


def sanitize(name: str) -> str:
    """A readable C fragment for a local's X07 name: ASCII letters, digits and `_` only, at most
    24 of them. Not injective; the emitter makes C locals unique with a counter after it."""
    s = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in name)
    return s[:24]
