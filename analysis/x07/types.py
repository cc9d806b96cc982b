"""X07 type names -> ownership classes (the only place that knows which X07 types are owned)."""
from __future__ import annotations

from functools import lru_cache

# Move-only types, as the X07 C backend's is_owned_ty has them (result_i32/option_i32 are plain values).
OWNED = {
    "bytes", "vec_u8", "option_bytes", "result_bytes", "result_result_bytes",
    "task_select_evt_v1", "option_task_select_evt_v1",
}
VIEWS = {"bytes_view", "option_bytes_view", "result_bytes_view"}
COPY = {"i32", "u32", "f64", "option_i32", "result_i32", "iface", "task_slot_v1", "never"}
# Values that carry success or failure: computing one and never looking at it loses the error.
# (result_i32 is copied, not moved, but its error is lost just the same.)
MUST_CONSUME = {"result_bytes", "result_result_bytes", "option_bytes", "result_i32"}


def base(ty: str | None) -> str | None:
    """`bytes@app.Order` -> `bytes`."""
    if ty is None:
        return None
    return ty.split("@", 1)[0]


@lru_cache(maxsize=4096)   # called for every argument of every call; type names repeat
def own_class(ty: str | None) -> str:
    b = base(ty)
    if b is None or b in ("any", "unknown"):
        return "unknown"
    if b in OWNED:
        return "owned"
    if b in VIEWS:
        return "view"
    if b in COPY or b.startswith("ptr_"):
        return "copy"
    return "unknown"


def must_consume(ty: str | None) -> bool:
    return base(ty) in MUST_CONSUME


def unwrap_try(ty: str | None) -> str | None:
    """Type of `try e` for a result type: the ok payload."""
    b = base(ty)
    brand = ty.split("@", 1)[1] if ty and "@" in ty else None
    inner = {
        "result_bytes": "bytes", "result_bytes_view": "bytes_view", "result_i32": "i32",
        "result_result_bytes": "result_bytes", "result_f64": "f64", "result_vec_u8": "vec_u8",
        "option_bytes": "bytes", "option_bytes_view": "bytes_view", "option_i32": "i32",
    }.get(b or "")
    if inner and brand and inner in ("bytes", "bytes_view"):
        return f"{inner}@{brand}"
    return inner
