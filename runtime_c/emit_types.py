"""X07 value types as the C emitter sees them: C spellings, ownership classes, drop and move glue.

Brands (`bytes@app.Order`) are compile-time tags only, so every type is reduced to its base here;
`u32` is X07's alias of `i32`.
"""
from __future__ import annotations

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


def c_string(data: bytes) -> str:
    """A C string literal holding exactly `data` (octal escapes for anything not plain ASCII)."""
    out = []
    for b in data:
        ch = chr(b)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 32 <= b < 127 and ch != "?":
            out.append(ch)
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '"'


def mangle(name: str) -> str:
    """An X07 name as a C identifier; injective: `_` doubles, `.` -> `_d`, others -> `_xHH`."""
    out = []
    for ch in name:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch == "_":
            out.append("__")
        elif ch == ".":
            out.append("_d")
        else:
            out.append("".join(f"_x{b:02x}" for b in ch.encode("utf-8")))
    return "".join(out)


def sanitize(name: str) -> str:
    """A readable (not necessarily injective) C fragment for a local's X07 name."""
    s = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in name)
    return s[:24]
