"""The X07 builtins custody run translates: how each argument is passed and which C it becomes.

Argument kinds (the ownership facts are X07's, see docs/x07-builtins.md):
  i32 / opt_i32 / res_i32   plain values
  own     an owned value the call consumes (an identifier is moved)
  read    an owned value read in place when it is an identifier (a temporary is consumed)
  mut     the owner a mutator checks, consumes and hands back updated (always argument 0)
  owner   the named owner a view constructor borrows (not moved)
  view    a bytes_view; an owned bytes / vec_u8 is borrowed for the duration of the call
  vview   an option_bytes_view / result_bytes_view value
  text    literal text (not evaluated)
`c` is a C expression over the argument values {a0}, {a1}... and the node id {n}; argument
values are always temporaries or literals, so a template may name one more than once.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    params: tuple[str, ...]
    result: str
    c: str
    view_of: int | None = None     # a view result borrows what this argument borrows
    unsafe: bool = False           # only inside (unsafe ...)
    op: str | None = None          # the operation name a mutator reports


def _s(*params: str) -> tuple[str, ...]:
    return params


_I2 = _s("i32", "i32")

BUILTINS: dict[str, Spec] = {
    # --- i32 operators: wrapping 32-bit words; "/" and "%" unsigned, x/0 = 0 and x%0 = x
    "+": Spec(_I2, "i32", "({a0} + {a1})"),
    "-": Spec(_I2, "i32", "({a0} - {a1})"),
    "*": Spec(_I2, "i32", "({a0} * {a1})"),
    "/": Spec(_I2, "i32", "cus_div({a0}, {a1})"),
    "%": Spec(_I2, "i32", "cus_rem({a0}, {a1})"),
    "=": Spec(_I2, "i32", "(uint32_t)({a0} == {a1})"),
    "!=": Spec(_I2, "i32", "(uint32_t)({a0} != {a1})"),
    "<": Spec(_I2, "i32", "cus_lt({a0}, {a1})"),
    "<=": Spec(_I2, "i32", "cus_le({a0}, {a1})"),
    ">": Spec(_I2, "i32", "cus_lt({a1}, {a0})"),
    ">=": Spec(_I2, "i32", "cus_le({a1}, {a0})"),
    "<u": Spec(_I2, "i32", "(uint32_t)({a0} < {a1})"),
    "<=u": Spec(_I2, "i32", "(uint32_t)({a0} <= {a1})"),
    ">u": Spec(_I2, "i32", "(uint32_t)({a0} > {a1})"),
    ">=u": Spec(_I2, "i32", "(uint32_t)({a0} >= {a1})"),
    "<<u": Spec(_I2, "i32", "cus_shl({a0}, {a1})"),
    ">>u": Spec(_I2, "i32", "cus_shr({a0}, {a1})"),
    "&": Spec(_I2, "i32", "({a0} & {a1})"),
    "|": Spec(_I2, "i32", "({a0} | {a1})"),
    "^": Spec(_I2, "i32", "({a0} ^ {a1})"),
    # --- bytes
    "bytes.len": Spec(_s("view"), "i32", "cus_view_len({a0}, {n})"),
    "bytes.get_u8": Spec(_s("view", "i32"), "i32", "cus_view_get_u8({a0}, {a1}, {n})"),
    "bytes.set_u8": Spec(_s("mut", "i32", "i32"), "bytes", "cus_bytes_set_u8({a0}, {a1}, {a2}, {n})",
                         op="bytes.set_u8"),
    "bytes.alloc": Spec(_s("i32"), "bytes", "cus_bytes_alloc({a0}, {n})"),
    "bytes.empty": Spec((), "bytes", "cus_bytes_empty({n})"),
    "bytes1": Spec(_s("i32"), "bytes", "cus_bytes1({a0}, {n})"),
    "bytes.lit": Spec(_s("text"), "bytes", "cus_bytes_lit({a0}, {n})"),
    "bytes.view_lit": Spec(_s("text"), "bytes_view", "cus_view_lit({a0})"),
    "bytes.slice": Spec(_s("view", "i32", "i32"), "bytes", "cus_bytes_slice({a0}, {a1}, {a2}, {n})"),
    "bytes.copy": Spec(_s("own", "own"), "bytes", "cus_bytes_copy({a0}, {a1}, {n})"),
    "bytes.concat": Spec(_s("own", "own"), "bytes", "cus_bytes_concat({a0}, {a1}, {n})"),
    "bytes.eq": Spec(_s("view", "view"), "i32", "cus_view_eq({a0}, {a1}, {n})"),
    "bytes.cmp_range": Spec(_s("view", "i32", "i32", "view", "i32", "i32"), "i32",
                            "cus_view_cmp_range({a0}, {a1}, {a2}, {a3}, {a4}, {a5}, {n})"),
    "bytes.view": Spec(_s("owner"), "bytes_view", "cus_bytes_view({a0}, {n})", view_of=0),
    "bytes.subview": Spec(_s("owner", "i32", "i32"), "bytes_view",
                          "cus_bytes_subview({a0}, {a1}, {a2}, {n})", view_of=0),
    # the deliberate escape: the buffer is handed out as a pointer and never freed
    "bytes.as_ptr": Spec(_s("own"), "ptr_const_u8", "cus_bytes_leak_ptr({a0}, {n})", unsafe=True),
    # --- views
    "view.len": Spec(_s("view"), "i32", "cus_view_len({a0}, {n})"),
    "view.get_u8": Spec(_s("view", "i32"), "i32", "cus_view_get_u8({a0}, {a1}, {n})"),
    "view.slice": Spec(_s("view", "i32", "i32"), "bytes_view", "cus_view_slice({a0}, {a1}, {a2}, {n})",
                       view_of=0),
    "view.to_bytes": Spec(_s("view"), "bytes", "cus_view_to_bytes({a0}, {n})"),
    "view.eq": Spec(_s("view", "view"), "i32", "cus_view_eq({a0}, {a1}, {n})"),
    "view.cmp_range": Spec(_s("view", "i32", "i32", "view", "i32", "i32"), "i32",
                           "cus_view_cmp_range({a0}, {a1}, {a2}, {a3}, {a4}, {a5}, {n})"),
    # --- vec_u8
    "vec_u8.with_capacity": Spec(_s("i32"), "vec_u8", "cus_vec_new({a0}, {n})"),
    "vec_u8.len": Spec(_s("read"), "i32", "cus_vec_len({a0}, {n})"),
    "vec_u8.cap": Spec(_s("read"), "i32", "cus_vec_cap({a0}, {n})"),
    "vec_u8.get": Spec(_s("read", "i32"), "i32", "cus_vec_get({a0}, {a1}, {n})"),
    "vec_u8.set": Spec(_s("mut", "i32", "i32"), "vec_u8", "cus_vec_set({a0}, {a1}, {a2}, {n})",
                       op="vec_u8.set"),
    "vec_u8.push": Spec(_s("mut", "i32"), "vec_u8", "cus_vec_push({a0}, {a1}, {n})", op="vec_u8.push"),
    "vec_u8.reserve_exact": Spec(_s("mut", "i32"), "vec_u8", "cus_vec_reserve_exact({a0}, {a1}, {n})",
                                 op="vec_u8.reserve_exact"),
    "vec_u8.extend_zeroes": Spec(_s("mut", "i32"), "vec_u8", "cus_vec_extend_zeroes({a0}, {a1}, {n})",
                                 op="vec_u8.extend_zeroes"),
    "vec_u8.clear": Spec(_s("mut"), "vec_u8", "cus_vec_clear({a0}, {n})", op="vec_u8.clear"),
    "vec_u8.extend_bytes": Spec(_s("mut", "view"), "vec_u8", "cus_vec_extend_bytes({a0}, {a1}, {n})",
                                op="vec_u8.extend_bytes"),
    "vec_u8.extend_bytes_range": Spec(_s("mut", "view", "i32", "i32"), "vec_u8",
                                      "cus_vec_extend_bytes_range({a0}, {a1}, {a2}, {a3}, {n})",
                                      op="vec_u8.extend_bytes_range"),
    "vec_u8.into_bytes": Spec(_s("mut"), "bytes", "cus_vec_into_bytes({a0}, {n})", op="vec_u8.into_bytes"),
    "vec_u8.as_view": Spec(_s("owner"), "bytes_view", "cus_vec_as_view({a0}, {n})", view_of=0),
    # --- option / result
    "option_i32.none": Spec((), "option_i32", "cus_opt_i32_make(0u, 0u)"),
    "option_i32.some": Spec(_s("i32"), "option_i32", "cus_opt_i32_make(1u, {a0})"),
    "option_i32.is_some": Spec(_s("opt_i32"), "i32", "{a0}.tag"),
    "option_i32.unwrap_or": Spec(_s("opt_i32", "i32"), "i32", "({a0}.tag ? {a0}.val : {a1})"),
    "option_bytes.none": Spec((), "option_bytes", "cus_opt_bytes_none()"),
    "option_bytes.some": Spec(_s("own"), "option_bytes", "cus_opt_bytes_make(1u, {a0})"),
    "option_bytes.is_some": Spec(_s("read"), "i32", "{a0}.tag"),
    "option_bytes.unwrap_or": Spec(_s("own", "own"), "bytes", "cus_opt_bytes_unwrap_or({a0}, {a1}, {n})"),
    "option_bytes_view.none": Spec((), "option_bytes_view", "cus_opt_view_make(0u, cus_view_lit(\"\", 0))"),
    "option_bytes_view.some": Spec(_s("view"), "option_bytes_view", "cus_opt_view_make(1u, {a0})",
                                   view_of=0),
    "option_bytes_view.is_some": Spec(_s("vview"), "i32", "{a0}.tag"),
    "option_bytes_view.unwrap_or": Spec(_s("vview", "view"), "bytes_view",
                                        "({a0}.tag ? {a0}.val : {a1})", view_of=0),
    "result_i32.ok": Spec(_s("i32"), "result_i32", "cus_res_i32_make(1u, {a0})"),
    "result_i32.err": Spec(_s("i32"), "result_i32", "cus_res_i32_make(0u, {a0})"),
    "result_i32.is_ok": Spec(_s("res_i32"), "i32", "{a0}.tag"),
    "result_i32.err_code": Spec(_s("res_i32"), "i32", "({a0}.tag ? 0u : {a0}.val)"),
    "result_i32.unwrap_or": Spec(_s("res_i32", "i32"), "i32", "({a0}.tag ? {a0}.val : {a1})"),
    "result_bytes.ok": Spec(_s("own"), "result_bytes", "cus_res_bytes_ok({a0})"),
    "result_bytes.err": Spec(_s("i32"), "result_bytes", "cus_res_bytes_err({a0})"),
    "result_bytes.is_ok": Spec(_s("read"), "i32", "{a0}.tag"),
    "result_bytes.err_code": Spec(_s("read"), "i32", "({a0}.tag ? 0u : {a0}.err)"),
    "result_bytes.unwrap_or": Spec(_s("own", "own"), "bytes", "cus_res_bytes_unwrap_or({a0}, {a1}, {n})"),
    "result_bytes_view.ok": Spec(_s("view"), "result_bytes_view", "cus_res_view_ok({a0})", view_of=0),
    "result_bytes_view.err": Spec(_s("i32"), "result_bytes_view", "cus_res_view_err({a0})"),
    "result_bytes_view.is_ok": Spec(_s("vview"), "i32", "{a0}.tag"),
    "result_bytes_view.err_code": Spec(_s("vview"), "i32", "({a0}.tag ? 0u : {a0}.err)"),
    "result_bytes_view.unwrap_or": Spec(_s("vview", "view"), "bytes_view",
                                        "({a0}.tag ? {a0}.ok : {a1})", view_of=0),
    # --- codec / fmt / parse / prng
    "codec.read_u32_le": Spec(_s("view", "i32"), "i32", "cus_codec_read_u32_le({a0}, {a1}, {n})"),
    "codec.write_u32_le": Spec(_s("i32"), "bytes", "cus_codec_write_u32_le({a0}, {n})"),
    "fmt.u32_to_dec": Spec(_s("i32"), "bytes", "cus_fmt_u32_to_dec({a0}, {n})"),
    "fmt.s32_to_dec": Spec(_s("i32"), "bytes", "cus_fmt_s32_to_dec({a0}, {n})"),
    "parse.u32_dec": Spec(_s("view"), "i32", "cus_parse_u32_dec({a0}, {n})"),
    "parse.u32_dec_at": Spec(_s("view", "i32"), "i32", "cus_parse_u32_dec_at({a0}, {a1}, {n})"),
    "prng.lcg_next_u32": Spec(_s("i32"), "i32", "cus_prng_lcg_next_u32({a0})"),
    # --- brands are compile-time only
    "std.brand.erase_bytes_v1": Spec(_s("own"), "bytes", "{a0}"),
    "std.brand.erase_view_v1": Spec(_s("view"), "bytes_view", "{a0}", view_of=0),
    "std.brand.view_v1": Spec(_s("owner"), "bytes_view", "cus_bytes_view({a0}, {n})", view_of=0),
    # --- what ty.clone / ty.drop lower to
    "__internal.bytes.clone_v1": Spec(_s("view"), "bytes", "cus_view_to_bytes({a0}, {n})"),
}

# Heads the function emitter handles itself (forms and calls with their own protocol).
FORMS = frozenset({"begin", "unsafe", "let", "set", "set0", "if", "for", "while", "return",
                   "match", "try", "&&", "||", "__internal.bytes.drop_v1"})
