"""X07 builtin and stdlib signature table read by the ownership analysis.

Plain data collected from the X07 compiler and stdlib sources (x07lang/x07, toolchain
v0.2.17). The wording here is ours; the facts (names, parameter and result types,
diagnostic texts) are X07's. See docs/x07-builtins.md for the ownership facts that the
types alone do not tell.

How an analysis reads a ``Sig``:

* An argument in a parameter slot of an owned type (``bytes``, ``vec_u8``,
  ``option_bytes``, ``result_bytes``, ``result_result_bytes``, select events) is moved
  by the call, unless its index is listed in ``reads`` (an identifier there is read in
  place), ``needs_ident_owner`` (the call borrows the named owner) or ``mutates``.
* A ``bytes_view`` parameter borrows its argument for the duration of the call. When
  ``auto_borrow`` is set the argument may also be an owned ``bytes``/``vec_u8`` value and
  the call takes a temporary borrow of it (no move). Without it the argument must already
  be a view (the compiler rejects ``bytes`` there with "<op> expects bytes_view").
* A view-typed result borrows from the args listed in ``view_of``. A view-typed result
  with an empty ``view_of`` borrows nothing the program owns (a runtime view, see
  ``RUNTIME_VIEWS``).
* ``any`` marks a polymorphic slot; a comment on the entry says how its type is fixed.
  Pseudo types ``text`` and ``symbol`` mark literal arguments that are not expressions.

Source comments name files of the x07lang/x07 repository; bare ``*.rs`` names are in
``crates/x07c/src/``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sig:
    # parameter types; "..." as the last entry means variadic of the previous type
    params: tuple[str, ...]
    # result type
    result: str
    # for view-typed results: indexes of the args the returned view borrows from
    view_of: tuple[int, ...] = ()
    # args that must be a named local owner (the call borrows it; it is not moved)
    needs_ident_owner: tuple[int, ...] = ()
    # owner arg the op consumes and hands back (updated) after its own borrow check;
    # the compiler reports "<op> while borrowed" for it
    mutates: int | None = None
    # args that are literal text or a symbol, not evaluated expressions
    literal_args: tuple[int, ...] = ()
    # requires an enclosing (unsafe ...) block
    unsafe: bool = False
    # owned-typed args that, when given as an identifier, are read in place (not moved)
    reads: tuple[int, ...] = ()
    # bytes_view params also accept an owned bytes/vec_u8 argument (temporary borrow)
    auto_borrow: bool = False


# --------------------------------------------------------------------------------------
# Type vocabulary (crates/x07c/src/types.rs Ty::parse_named, crates/x07c/src/c_emit.rs)
# --------------------------------------------------------------------------------------

# Types a program can spell in x07AST ("u32" is accepted as an alias of i32).
X07_TYPES: frozenset[str] = frozenset(
    {
        "i32",
        "u32",
        "f64",
        "bytes",
        "bytes_view",
        "vec_u8",
        "option_i32",
        "option_bytes",
        "option_bytes_view",
        "result_i32",
        "result_bytes",
        "result_bytes_view",
        "result_result_bytes",
        "iface",
        "ptr_const_u8",
        "ptr_mut_u8",
        "ptr_const_void",
        "ptr_mut_void",
        "ptr_const_i32",
        "ptr_mut_i32",
    }
)

# Compiler-internal value types that builtins produce but programs cannot spell
# (the language guide presents them as i32 / option_i32), plus "never" (os.process.exit).
INTERNAL_TYPES: frozenset[str] = frozenset(
    {"task_slot_v1", "task_select_evt_v1", "option_task_select_evt_v1", "never"}
)

# Pseudo types used only in this table.
PSEUDO_TYPES: frozenset[str] = frozenset({"any", "text", "symbol"})

KNOWN_TYPES: frozenset[str] = X07_TYPES | INTERNAL_TYPES | PSEUDO_TYPES

# Move-only types: passing one to an owned parameter moves it; dropped at scope end.
# (c_emit.rs is_owned_ty.) option_i32 / result_i32 are plain values for the compiler.
OWNED_TYPES: frozenset[str] = frozenset(
    {
        "bytes",
        "vec_u8",
        "option_bytes",
        "result_bytes",
        "result_result_bytes",
        "task_select_evt_v1",
        "option_task_select_evt_v1",
    }
)

# Borrowed, freely copyable types that carry a borrow source (c_emit.rs is_view_like_ty).
VIEW_TYPES: frozenset[str] = frozenset({"bytes_view", "option_bytes_view", "result_bytes_view"})


def is_owned_type(ty: str) -> bool:
    return ty in OWNED_TYPES


def is_view_type(ty: str) -> bool:
    return ty in VIEW_TYPES


def _s(*params: str) -> tuple[str, ...]:
    return tuple(params)


_I2 = _s("i32", "i32")
_REQ_CAPS = _s("bytes", "bytes")  # OS worlds: (bytes req, bytes caps); both are moved

# --------------------------------------------------------------------------------------
# Core builtins
# --------------------------------------------------------------------------------------

_CORE: dict[str, Sig] = {
    # --- i32 operators (crates/x07c/src/typecheck.rs add_builtin_sigs; c_emit_builtins.rs
    # emit_binop_to). All are (i32, i32) -> i32. "/" and "%" are unsigned; "/" by 0 gives 0,
    # "%" by 0 gives the numerator. Shifts exist only as "<<u" / ">>u" (amount masked by
    # 31). There are no separate u32 operators: u32 is an alias of i32 and unsigned
    # comparisons are "<u" "<=u" ">u" ">=u". "&&" / "||" short-circuit, "&" / "|" do not.
    "+": Sig(_I2, "i32"),
    "-": Sig(_I2, "i32"),
    "*": Sig(_I2, "i32"),
    "/": Sig(_I2, "i32"),
    "%": Sig(_I2, "i32"),
    "=": Sig(_I2, "i32"),
    "!=": Sig(_I2, "i32"),
    "<": Sig(_I2, "i32"),
    "<=": Sig(_I2, "i32"),
    ">": Sig(_I2, "i32"),
    ">=": Sig(_I2, "i32"),
    "<u": Sig(_I2, "i32"),
    "<=u": Sig(_I2, "i32"),
    ">u": Sig(_I2, "i32"),
    ">=u": Sig(_I2, "i32"),
    "<<u": Sig(_I2, "i32"),
    ">>u": Sig(_I2, "i32"),
    "&": Sig(_I2, "i32"),
    "|": Sig(_I2, "i32"),
    "^": Sig(_I2, "i32"),
    "&&": Sig(_I2, "i32"),
    "||": Sig(_I2, "i32"),
    "i32.lit": Sig(_s("i32"), "i32", literal_args=(0,)),
    # --- f64 scalar, schema >= 0.9.0 (typecheck.rs add_builtin_sigs; c_emit_builtins.rs
    # emit_f64_*). No f64 literal and no f64 comparison exist.
    "f64.add": Sig(_s("f64", "f64"), "f64"),
    "f64.sub": Sig(_s("f64", "f64"), "f64"),
    "f64.mul": Sig(_s("f64", "f64"), "f64"),
    "f64.div": Sig(_s("f64", "f64"), "f64"),
    "f64.of_i32": Sig(_s("i32"), "f64"),
    "f64.to_i32_trunc": Sig(_s("f64"), "i32"),
    # --- math.f64.* (c_emit_types.rs infer; values are 8-byte f64 encodings in bytes).
    # Arguments go through emit_expr_as_bytes_view, so bytes / vec_u8 are borrowed.
    "math.f64.add_v1": Sig(_s("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "math.f64.sub_v1": Sig(_s("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "math.f64.mul_v1": Sig(_s("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "math.f64.div_v1": Sig(_s("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "math.f64.pow_v1": Sig(_s("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "math.f64.atan2_v1": Sig(_s("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "math.f64.min_v1": Sig(_s("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "math.f64.max_v1": Sig(_s("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "math.f64.sqrt_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.neg_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.abs_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.sin_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.cos_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.tan_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.exp_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.log_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.floor_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.ceil_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.fmt_shortest_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.to_bits_u64le_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "math.f64.parse_v1": Sig(_s("bytes_view"), "result_bytes", auto_borrow=True),
    "math.f64.from_i32_v1": Sig(_s("i32"), "bytes"),
    "math.f64.to_i32_trunc_v1": Sig(_s("bytes_view"), "result_i32", auto_borrow=True),
    # --- bytes.* (typecheck.rs add_builtin_sigs; c_emit_builtins.rs emit_bytes_*;
    # c_emit_types.rs infer). Only len/get_u8/slice/eq/cmp_range auto-borrow.
    "bytes.len": Sig(_s("bytes_view"), "i32", auto_borrow=True),
    "bytes.get_u8": Sig(_s("bytes_view", "i32"), "i32", auto_borrow=True),
    "bytes.set_u8": Sig(_s("bytes", "i32", "i32"), "bytes", mutates=0),
    "bytes.alloc": Sig(_s("i32"), "bytes"),
    "bytes.empty": Sig((), "bytes"),
    "bytes1": Sig(_s("i32"), "bytes"),  # one-byte bytes value
    "bytes.lit": Sig(_s("text"), "bytes", literal_args=(0,)),
    "bytes.view_lit": Sig(_s("text"), "bytes_view", literal_args=(0,)),  # runtime view
    # copies a sub-range out of a (borrowed) view
    "bytes.slice": Sig(_s("bytes_view", "i32", "i32"), "bytes", auto_borrow=True),
    # both args are owned and both are consumed (the builtin, unlike std.bytes.copy)
    "bytes.copy": Sig(_s("bytes", "bytes"), "bytes"),
    # both args are owned and both are consumed (the builtin, unlike std.bytes.concat)
    "bytes.concat": Sig(_s("bytes", "bytes"), "bytes"),
    "bytes.eq": Sig(_s("bytes_view", "bytes_view"), "i32", auto_borrow=True),
    "bytes.cmp_range": Sig(
        _s("bytes_view", "i32", "i32", "bytes_view", "i32", "i32"), "i32", auto_borrow=True
    ),
    # declared type is bytes but the call borrows the named owner
    "bytes.view": Sig(_s("bytes"), "bytes_view", view_of=(0,), needs_ident_owner=(0,)),
    "bytes.subview": Sig(
        _s("bytes", "i32", "i32"), "bytes_view", view_of=(0,), needs_ident_owner=(0,)
    ),
    # pointer escapes (standalone worlds with the unsafe capability; no unsafe block).
    # The bytes argument goes through a plain owned evaluation, so an identifier is moved.
    "bytes.as_ptr": Sig(_s("bytes"), "ptr_const_u8"),
    "bytes.as_mut_ptr": Sig(_s("bytes"), "ptr_mut_u8"),
    # --- view.* (typecheck.rs; c_emit_builtins.rs emit_view_*). These take bytes_view
    # strictly: passing owned bytes is a type error, write (bytes.view b) instead.
    "view.len": Sig(_s("bytes_view"), "i32"),
    "view.get_u8": Sig(_s("bytes_view", "i32"), "i32"),
    "view.slice": Sig(_s("bytes_view", "i32", "i32"), "bytes_view", view_of=(0,)),
    "view.to_bytes": Sig(_s("bytes_view"), "bytes"),  # copies into a fresh owned buffer
    "view.eq": Sig(_s("bytes_view", "bytes_view"), "i32"),
    "view.cmp_range": Sig(_s("bytes_view", "i32", "i32", "bytes_view", "i32", "i32"), "i32"),
    "view.as_ptr": Sig(_s("bytes_view"), "ptr_const_u8"),
    # --- vec_u8.* (typecheck.rs; c_emit_builtins.rs emit_vec_u8_*). Mutators check the
    # borrow first ("vec_u8.push while borrowed: ..."), then consume the vector and return
    # it updated: write (set v (vec_u8.push v x)). len/cap/get read an identifier in place.
    "vec_u8.with_capacity": Sig(_s("i32"), "vec_u8"),
    "vec_u8.len": Sig(_s("vec_u8"), "i32", reads=(0,)),
    "vec_u8.cap": Sig(_s("vec_u8"), "i32", reads=(0,)),
    "vec_u8.get": Sig(_s("vec_u8", "i32"), "i32", reads=(0,)),
    "vec_u8.set": Sig(_s("vec_u8", "i32", "i32"), "vec_u8", mutates=0),
    "vec_u8.push": Sig(_s("vec_u8", "i32"), "vec_u8", mutates=0),
    "vec_u8.reserve_exact": Sig(_s("vec_u8", "i32"), "vec_u8", mutates=0),
    "vec_u8.extend_zeroes": Sig(_s("vec_u8", "i32"), "vec_u8", mutates=0),
    "vec_u8.clear": Sig(_s("vec_u8"), "vec_u8", mutates=0),
    "vec_u8.extend_bytes": Sig(_s("vec_u8", "bytes_view"), "vec_u8", mutates=0, auto_borrow=True),
    "vec_u8.extend_bytes_range": Sig(
        _s("vec_u8", "bytes_view", "i32", "i32"), "vec_u8", mutates=0, auto_borrow=True
    ),
    # finishes the builder: consumes v (no copy) and returns its buffer as bytes
    "vec_u8.into_bytes": Sig(_s("vec_u8"), "bytes", mutates=0),
    "vec_u8.as_view": Sig(_s("vec_u8"), "bytes_view", view_of=(0,), needs_ident_owner=(0,)),
    "vec_u8.as_ptr": Sig(_s("vec_u8"), "ptr_const_u8"),
    "vec_u8.as_mut_ptr": Sig(_s("vec_u8"), "ptr_mut_u8"),
    # --- option_* (typecheck.rs; c_emit_builtins.rs emit_option_*)
    "option_i32.none": Sig((), "option_i32"),
    "option_i32.some": Sig(_s("i32"), "option_i32"),
    "option_i32.is_some": Sig(_s("option_i32"), "i32"),
    "option_i32.unwrap_or": Sig(_s("option_i32", "i32"), "i32"),
    "option_bytes.none": Sig((), "option_bytes"),
    "option_bytes.some": Sig(_s("bytes"), "option_bytes"),
    "option_bytes.is_some": Sig(_s("option_bytes"), "i32", reads=(0,)),
    "option_bytes.unwrap_or": Sig(_s("option_bytes", "bytes"), "bytes"),
    "option_bytes_view.none": Sig((), "option_bytes_view"),  # carries no borrow
    "option_bytes_view.some": Sig(_s("bytes_view"), "option_bytes_view", view_of=(0,)),
    "option_bytes_view.is_some": Sig(_s("option_bytes_view"), "i32"),
    # default is evaluated only when the option is none; both sources must agree
    "option_bytes_view.unwrap_or": Sig(
        _s("option_bytes_view", "bytes_view"), "bytes_view", view_of=(0, 1)
    ),
    # --- result_* (typecheck.rs; c_emit_builtins.rs emit_result_*). No constructors exist
    # for result_result_bytes; it comes from task.try_join.result_bytes and friends.
    "result_i32.ok": Sig(_s("i32"), "result_i32"),
    "result_i32.err": Sig(_s("i32"), "result_i32"),
    "result_i32.is_ok": Sig(_s("result_i32"), "i32"),
    "result_i32.err_code": Sig(_s("result_i32"), "i32"),
    "result_i32.unwrap_or": Sig(_s("result_i32", "i32"), "i32"),
    "result_bytes.ok": Sig(_s("bytes"), "result_bytes"),
    "result_bytes.err": Sig(_s("i32"), "result_bytes"),
    "result_bytes.is_ok": Sig(_s("result_bytes"), "i32", reads=(0,)),
    "result_bytes.err_code": Sig(_s("result_bytes"), "i32", reads=(0,)),
    "result_bytes.unwrap_or": Sig(_s("result_bytes", "bytes"), "bytes"),
    "result_bytes_view.ok": Sig(_s("bytes_view"), "result_bytes_view", view_of=(0,)),
    "result_bytes_view.err": Sig(_s("i32"), "result_bytes_view"),  # carries no borrow
    "result_bytes_view.is_ok": Sig(_s("result_bytes_view"), "i32"),
    "result_bytes_view.err_code": Sig(_s("result_bytes_view"), "i32"),
    "result_bytes_view.unwrap_or": Sig(
        _s("result_bytes_view", "bytes_view"), "bytes_view", view_of=(0, 1)
    ),
    "result_result_bytes.is_ok": Sig(_s("result_result_bytes"), "i32", reads=(0,)),
    "result_result_bytes.err_code": Sig(_s("result_result_bytes"), "i32", reads=(0,)),
    "result_result_bytes.unwrap_or": Sig(
        _s("result_result_bytes", "result_bytes"), "result_bytes"
    ),
    # --- codec / fmt / parse / prng builtins (typecheck.rs; c_emit_types.rs infer)
    "codec.read_u32_le": Sig(_s("bytes_view", "i32"), "i32", auto_borrow=True),
    "codec.write_u32_le": Sig(_s("i32"), "bytes"),
    "fmt.u32_to_dec": Sig(_s("i32"), "bytes"),
    "fmt.s32_to_dec": Sig(_s("i32"), "bytes"),
    "parse.u32_dec": Sig(_s("bytes_view"), "i32"),
    "parse.u32_dec_at": Sig(_s("bytes_view", "i32"), "i32"),
    "prng.lcg_next_u32": Sig(_s("i32"), "i32"),
    # --- std.brand.* are compiler builtins, not module functions (typecheck.rs infer_call;
    # c_emit_builtins.rs emit_std_brand_*; c_emit_core.rs borrow_of_view_expr).
    # brand_id / validator_id are identifier symbols. Brands are compile-time only.
    "std.brand.erase_bytes_v1": Sig(_s("bytes"), "bytes"),  # moves its argument
    "std.brand.erase_view_v1": Sig(_s("bytes_view"), "bytes_view", view_of=(0,)),
    "std.brand.view_v1": Sig(_s("bytes"), "bytes_view", view_of=(0,), needs_ident_owner=(0,)),
    "std.brand.assume_bytes_v1": Sig(
        _s("symbol", "bytes"), "bytes", literal_args=(0,), unsafe=True
    ),
    "std.brand.cast_bytes_v1": Sig(
        _s("symbol", "symbol", "bytes"), "result_bytes", literal_args=(0, 1)
    ),
    "std.brand.cast_view_copy_v1": Sig(
        _s("symbol", "symbol", "bytes_view"), "result_bytes", literal_args=(0, 1)
    ),
    "std.brand.cast_view_v1": Sig(
        _s("symbol", "symbol", "bytes_view"),
        "result_bytes_view",
        view_of=(2,),
        literal_args=(0, 1),
    ),
    "std.brand.to_bytes_preserve_if_full_v1": Sig(_s("bytes_view"), "bytes"),  # copies
    # --- __internal.* helpers used by stdlib modules and generic lowering (ty.clone /
    # ty.drop lower to __internal.bytes.clone_v1 / drop_v1; see generics.rs)
    "__internal.brand.assume_view_v1": Sig(
        _s("symbol", "bytes_view"), "bytes_view", view_of=(1,), literal_args=(0,)
    ),
    "__internal.brand.view_to_bytes_preserve_brand_v1": Sig(_s("bytes_view"), "bytes"),
    "__internal.result_bytes.unwrap_ok_v1": Sig(_s("result_bytes"), "bytes"),
    "__internal.bytes.alloc_aligned_v1": Sig(_I2, "bytes"),
    "__internal.bytes.clone_v1": Sig(_s("bytes"), "bytes", reads=(0,)),
    "__internal.bytes.drop_v1": Sig(_s("bytes"), "i32", mutates=0),
    # --- interfaces, streaming readers, world-bound fs/kv/rr (c_emit_types.rs infer;
    # c_emit_builtins.rs / c_emit_worlds.rs emitters)
    "iface.make_v1": Sig(_I2, "iface"),
    # any: bytes (moved), bytes_view (copied into the reader) or vec_u8 (moved via into_bytes)
    "io.open_read_bytes": Sig(_s("any"), "iface"),
    "io.read": Sig(_s("iface", "i32"), "bytes"),
    "bufread.new": Sig(_s("iface", "i32"), "i32"),
    "bufread.fill": Sig(_s("i32"), "bytes_view"),  # runtime view into the reader buffer
    "bufread.consume": Sig(_I2, "i32"),
    "fs.read": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "fs.read_async": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "fs.open_read": Sig(_s("bytes_view"), "iface", auto_borrow=True),
    "fs.list_dir": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "kv.get": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "kv.get_async": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "kv.get_stream": Sig(_s("bytes_view"), "iface", auto_borrow=True),
    "kv.set": Sig(_s("bytes", "bytes"), "i32"),
    "rr.open_v1": Sig(_s("bytes_view"), "result_i32", auto_borrow=True),
    "rr.close_v1": Sig(_s("i32"), "i32"),
    "rr.stats_v1": Sig(_s("i32"), "bytes"),
    "rr.next_v1": Sig(
        _s("i32", "bytes_view", "bytes_view", "bytes_view"), "result_bytes", auto_borrow=True
    ),
    "rr.append_v1": Sig(_s("i32", "bytes_view"), "result_i32", auto_borrow=True),
    "rr.current_v1": Sig((), "i32"),
    "rr.entry_resp_v1": Sig(_s("bytes_view"), "bytes", auto_borrow=True),
    "rr.entry_err_v1": Sig(_s("bytes_view"), "i32", auto_borrow=True),
    "scratch_u8_fixed_v1.new": Sig(_s("i32"), "i32"),
    "scratch_u8_fixed_v1.clear": Sig(_s("i32"), "i32"),
    "scratch_u8_fixed_v1.len": Sig(_s("i32"), "i32"),
    "scratch_u8_fixed_v1.cap": Sig(_s("i32"), "i32"),
    "scratch_u8_fixed_v1.as_view": Sig(_s("i32"), "bytes_view"),  # runtime view
    "scratch_u8_fixed_v1.try_write": Sig(_s("i32", "bytes_view"), "result_i32", auto_borrow=True),
    "scratch_u8_fixed_v1.drop": Sig(_s("i32"), "i32"),
    # --- regex / jsonschema / JSON canonicalization natives (c_emit_types.rs infer;
    # views are required, no auto-borrow)
    "regex.compile_opts_v1": Sig(_s("bytes_view", "i32"), "bytes"),
    "regex.exec_from_v1": Sig(_s("bytes_view", "bytes_view", "i32"), "bytes"),
    "regex.exec_caps_from_v1": Sig(_s("bytes_view", "bytes_view", "i32"), "bytes"),
    "regex.find_all_x7sl_v1": Sig(_s("bytes_view", "bytes_view", "i32"), "bytes"),  # branded X7SL
    "regex.split_v1": Sig(_s("bytes_view", "bytes_view", "i32"), "bytes"),  # branded X7SL
    "regex.replace_all_v1": Sig(_s("bytes_view", "bytes_view", "bytes_view", "i32"), "bytes"),
    "jsonschema.compile_v1": Sig(_s("bytes_view"), "bytes"),
    "jsonschema.validate_v1": Sig(_s("bytes_view", "bytes_view"), "bytes"),
    "json.jcs.canon_doc_v1": Sig(_s("bytes_view", "i32", "i32", "i32"), "bytes"),
    # --- u32 hash map / set handles (language guide "Maps / Sets"; c_emit_types.rs infer)
    "map_u32.new": Sig(_s("i32"), "i32"),
    "map_u32.len": Sig(_s("i32"), "i32"),
    "map_u32.get": Sig(_s("i32", "i32", "i32"), "i32"),
    "map_u32.set": Sig(_s("i32", "i32", "i32"), "i32"),
    "map_u32.contains": Sig(_I2, "i32"),
    "map_u32.remove": Sig(_I2, "i32"),
    "map_u32.dump_kv_u32le_u32le": Sig(_s("i32"), "bytes"),
    "set_u32.new": Sig(_s("i32"), "i32"),
    "set_u32.contains": Sig(_I2, "i32"),
    "set_u32.add": Sig(_I2, "i32"),
    "set_u32.remove": Sig(_I2, "i32"),
    "set_u32.dump_u32le": Sig(_s("i32"), "bytes"),
    # --- handle-based generic containers behind std.vec_value / std.hash_map_value
    # (c_emit_types.rs infer). The push_*/get_*/set_* and map_value.*_<ty> families are
    # instantiated per element type and are not listed.
    "vec_value.with_capacity_v1": Sig(_I2, "i32"),
    "vec_value.len": Sig(_s("i32"), "i32"),
    "vec_value.reserve_exact": Sig(_I2, "i32"),
    "vec_value.pop": Sig(_s("i32"), "i32"),
    "vec_value.clear": Sig(_s("i32"), "i32"),
    "map_value.new_v1": Sig(_s("i32", "i32", "i32"), "i32"),
    "map_value.len": Sig(_s("i32"), "i32"),
    "map_value.clear": Sig(_s("i32"), "i32"),
    # --- tasks and channels (language guide "Concurrency"; c_emit_types.rs infer;
    # c_emit_async.rs). Task handles are i32 in x07AST. await / task.join.* / chan.bytes
    # send/recv are only allowed in solve and defasync bodies.
    "await": Sig(_s("i32"), "bytes"),  # alias of task.join.bytes
    "task.spawn": Sig(_s("i32"), "i32"),
    "task.is_finished": Sig(_s("i32"), "i32"),
    "task.try_join.bytes": Sig(_s("i32"), "result_bytes"),
    "task.join.bytes": Sig(_s("i32"), "bytes"),
    "task.try_join.result_bytes": Sig(_s("i32"), "result_result_bytes"),
    "task.join.result_bytes": Sig(_s("i32"), "result_bytes"),
    "task.yield": Sig((), "i32"),
    "task.sleep": Sig(_s("i32"), "i32"),
    "task.cancel": Sig(_s("i32"), "i32"),
    # the argument must be an immediate defasync call expression
    "task.scope.start_soon_v1": Sig(_s("i32"), "i32"),
    "task.scope.cancel_all_v1": Sig((), "i32"),
    "task.scope.wait_all_v1": Sig((), "i32"),
    "task.scope.async_let_bytes_v1": Sig(_s("i32"), "task_slot_v1"),
    "task.scope.async_let_result_bytes_v1": Sig(_s("i32"), "task_slot_v1"),
    "task.scope.await_slot_bytes_v1": Sig(_s("task_slot_v1"), "bytes"),
    "task.scope.await_slot_result_bytes_v1": Sig(_s("task_slot_v1"), "result_bytes"),
    "task.scope.try_await_slot.bytes_v1": Sig(_s("task_slot_v1"), "result_bytes"),
    "task.scope.try_await_slot.result_bytes_v1": Sig(
        _s("task_slot_v1"), "result_result_bytes"
    ),
    "task.scope.slot_is_finished_v1": Sig(_s("task_slot_v1"), "i32"),
    "task.scope.slot_to_i32_v1": Sig(_s("task_slot_v1"), "i32"),
    "task.scope.slot_from_i32_v1": Sig(_s("i32"), "task_slot_v1"),
    # select events are owned (dropped at scope end). tag/case_index/src_id only read the
    # event in defasync bodies (c_emit_async.rs); the non-async emitter moves it into a
    # temporary (c_emit_async.rs emit_task_select_evt_tag_v1_to) -- see the note doc.
    "task.select_evt.tag_v1": Sig(_s("task_select_evt_v1"), "i32", reads=(0,)),
    "task.select_evt.case_index_v1": Sig(_s("task_select_evt_v1"), "i32", reads=(0,)),
    "task.select_evt.src_id_v1": Sig(_s("task_select_evt_v1"), "i32", reads=(0,)),
    "task.select_evt.take_bytes_v1": Sig(_s("task_select_evt_v1"), "bytes"),
    "task.select_evt.drop_v1": Sig(_s("task_select_evt_v1"), "i32"),
    "chan.bytes.new": Sig(_s("i32"), "i32"),
    "chan.bytes.try_send": Sig(_s("i32", "bytes_view"), "i32", auto_borrow=True),  # copies
    "chan.bytes.send": Sig(_s("i32", "bytes"), "i32"),  # moves the payload
    "chan.bytes.try_recv": Sig(_s("i32"), "result_bytes"),
    "chan.bytes.recv": Sig(_s("i32"), "bytes"),
    "chan.bytes.close": Sig(_s("i32"), "i32"),
    # --- raw pointers (standalone worlds; c_emit_types.rs infer). unsafe=True: needs an
    # (unsafe ...) block ("unsafe-required: <head>"); the others only need the capability.
    "ptr.null": Sig((), "ptr_mut_void"),
    # any: a raw pointer; the result is its const counterpart
    "ptr.as_const": Sig(_s("any"), "any"),
    # the first arg is a pointer type name; the result has that type
    "ptr.cast": Sig(_s("symbol", "any"), "any", literal_args=(0,), unsafe=True),
    # the arg must be a local identifier; address of its storage
    "addr_of": Sig(_s("any"), "ptr_const_void", needs_ident_owner=(0,)),
    "addr_of_mut": Sig(_s("any"), "ptr_mut_void", needs_ident_owner=(0,)),
    # any: a non-void raw pointer; the result has the same pointer type
    "ptr.add": Sig(_s("any", "i32"), "any", unsafe=True),
    "ptr.sub": Sig(_s("any", "i32"), "any", unsafe=True),
    "ptr.offset": Sig(_s("any", "i32"), "any", unsafe=True),
    # any: ptr_const_u8 or ptr_mut_u8 (read_i32: ptr_const_i32 or ptr_mut_i32)
    "ptr.read_u8": Sig(_s("any"), "i32", unsafe=True),
    "ptr.write_u8": Sig(_s("ptr_mut_u8", "i32"), "i32", unsafe=True),
    "ptr.read_i32": Sig(_s("any"), "i32", unsafe=True),
    "ptr.write_i32": Sig(_s("ptr_mut_i32", "i32"), "i32", unsafe=True),
    "memcpy": Sig(_s("ptr_mut_void", "ptr_const_void", "i32"), "i32", unsafe=True),
    "memmove": Sig(_s("ptr_mut_void", "ptr_const_void", "i32"), "i32", unsafe=True),
    "memset": Sig(_s("ptr_mut_void", "i32", "i32"), "i32", unsafe=True),
    # --- OS world builtins, run-os / run-os-sandboxed only (language guide "Standalone OS
    # builtins"; c_emit_types.rs infer). bytes arguments are moved: copy first to reuse.
    "os.fs.read_file": Sig(_s("bytes"), "bytes"),
    "os.fs.write_file": Sig(_s("bytes", "bytes"), "i32"),
    "os.fs.read_all_v1": Sig(_REQ_CAPS, "result_bytes"),
    "os.fs.write_all_v1": Sig(_s("bytes", "bytes", "bytes"), "result_i32"),
    "os.fs.append_all_v1": Sig(_s("bytes", "bytes", "bytes"), "result_i32"),
    "os.fs.mkdirs_v1": Sig(_REQ_CAPS, "result_i32"),
    "os.fs.remove_file_v1": Sig(_REQ_CAPS, "result_i32"),
    "os.fs.remove_dir_all_v1": Sig(_REQ_CAPS, "result_i32"),
    "os.fs.rename_v1": Sig(_s("bytes", "bytes", "bytes"), "result_i32"),
    "os.fs.list_dir_sorted_text_v1": Sig(_REQ_CAPS, "result_bytes"),
    "os.fs.walk_glob_sorted_text_v1": Sig(_s("bytes", "bytes", "bytes"), "result_bytes"),
    "os.fs.stat_v1": Sig(_REQ_CAPS, "result_bytes"),
    "os.fs.stream_open_write_v1": Sig(_REQ_CAPS, "result_i32"),
    "os.fs.stream_write_all_v1": Sig(_s("i32", "bytes_view"), "result_i32"),
    "os.fs.stream_close_v1": Sig(_s("i32"), "result_i32"),
    "os.fs.stream_drop_v1": Sig(_s("i32"), "i32"),
    "os.fs.stream_open_read_v1": Sig(_REQ_CAPS, "result_i32"),
    "os.fs.stream_read_some_v1": Sig(_I2, "result_bytes"),
    "os.fs.stream_close_read_v1": Sig(_s("i32"), "result_i32"),
    "os.fs.stream_drop_read_v1": Sig(_s("i32"), "i32"),
    "os.archive.tar_extract_to_fs_v1": Sig(_s("bytes", "bytes", "bytes", "bytes", "bytes"), "bytes"),
    "os.archive.tgz_extract_to_fs_v1": Sig(_s("bytes", "bytes", "bytes", "bytes", "bytes"), "bytes"),
    "os.archive.zip_extract_to_fs_v1": Sig(_s("bytes", "bytes", "bytes", "bytes", "bytes"), "bytes"),
    "os.stdio.read_line_v1": Sig(_s("bytes"), "result_bytes"),
    "os.stdio.write_stdout_v1": Sig(_REQ_CAPS, "result_i32"),
    "os.stdio.write_stderr_v1": Sig(_REQ_CAPS, "result_i32"),
    "os.stdio.flush_stdout_v1": Sig((), "result_i32"),
    "os.stdio.flush_stderr_v1": Sig((), "result_i32"),
    "os.rand.bytes_v1": Sig(_s("i32", "bytes"), "result_bytes"),
    "os.rand.u64_v1": Sig(_s("bytes"), "result_bytes"),
    "os.db.sqlite.open_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.sqlite.query_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.sqlite.exec_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.sqlite.close_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.pg.open_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.pg.query_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.pg.exec_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.pg.close_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.mysql.open_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.mysql.query_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.mysql.exec_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.mysql.close_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.redis.open_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.redis.cmd_v1": Sig(_REQ_CAPS, "bytes"),
    "os.db.redis.close_v1": Sig(_REQ_CAPS, "bytes"),
    "os.obj.s3.dispatch_v1": Sig(_REQ_CAPS, "bytes"),
    "os.env.get": Sig(_s("bytes"), "bytes"),
    "os.time.now_unix_ms": Sig((), "i32"),
    "os.time.now_instant_v1": Sig((), "bytes"),
    "os.time.sleep_ms_v1": Sig(_s("i32"), "i32"),
    "os.time.local_tzid_v1": Sig((), "bytes"),
    "os.time.tzdb_is_valid_tzid_v1": Sig(_s("bytes_view"), "i32"),
    "os.time.tzdb_offset_duration_v1": Sig(_s("bytes_view", "i32", "i32"), "bytes"),
    "os.time.tzdb_snapshot_id_v1": Sig((), "bytes"),
    "process.set_exit_code_v1": Sig(_s("i32"), "i32"),
    "os.process.exit": Sig(_s("i32"), "never"),
    "os.process.spawn_capture_v1": Sig(_REQ_CAPS, "i32"),
    "os.process.spawn_piped_v1": Sig(_REQ_CAPS, "i32"),
    "os.process.try_join_capture_v1": Sig(_s("i32"), "option_bytes"),
    "os.process.join_capture_v1": Sig(_s("i32"), "bytes"),  # yield boundary
    "std.os.process.join_capture_v1": Sig(_s("i32"), "bytes"),  # builtin alias
    "os.process.stdout_read_v1": Sig(_I2, "bytes"),
    "os.process.stderr_read_v1": Sig(_I2, "bytes"),
    "os.process.stdin_write_v1": Sig(_s("i32", "bytes"), "i32"),
    "os.process.stdin_close_v1": Sig(_s("i32"), "i32"),
    "os.process.try_wait_v1": Sig(_s("i32"), "i32"),
    "os.process.join_exit_v1": Sig(_s("i32"), "i32"),  # yield boundary
    "std.os.process.join_exit_v1": Sig(_s("i32"), "i32"),  # builtin alias
    "os.process.take_exit_v1": Sig(_s("i32"), "i32"),
    "os.process.kill_v1": Sig(_I2, "i32"),
    "os.process.drop_v1": Sig(_s("i32"), "i32"),
    "os.process.run_capture_v1": Sig(_REQ_CAPS, "bytes"),
    "os.net.http_request": Sig(_s("bytes"), "bytes"),  # currently traps; reserved
}

# --------------------------------------------------------------------------------------
# Stdlib module functions. These are ordinary defn calls (c_emit_builtins.rs
# emit_user_call_to): owned params move, bytes_view params auto-borrow bytes/vec_u8, and a
# view result borrows the param the compiler's view-return analysis finds in the body
# (c_emit_core.rs view_return_arg_for_fn). Signatures come from the module versions the
# compiler embeds (crates/x07c/src/builtin_modules.rs) plus the std.os.* package modules
# the language guide lists. Brands are noted in comments; ownership ignores them.
# Generic functions use "any" for their type parameters: the instantiated type decides
# (an owned instantiation moves, a view or i32 does not).
# --------------------------------------------------------------------------------------

_STDLIB: dict[str, Sig] = {

    # --- std.vec  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/vec.x07.json) ---
    # Every wrapper takes the vector by value (h: vec_u8), so every call consumes it --
    # including std.vec.len and std.vec.get, unlike the vec_u8.len / vec_u8.get builtins.
    # Thread it through: (set v (std.vec.push v x)); std.vec.as_bytes wraps vec_u8.into_bytes.
    "std.vec.as_bytes": Sig(("vec_u8",), "bytes"),
    "std.vec.extend_bytes": Sig(("vec_u8", "bytes_view"), "vec_u8", auto_borrow=True),
    "std.vec.get": Sig(("vec_u8", "i32"), "i32"),
    "std.vec.len": Sig(("vec_u8",), "i32"),
    "std.vec.push": Sig(("vec_u8", "i32"), "vec_u8"),
    "std.vec.reserve_exact": Sig(("vec_u8", "i32"), "vec_u8"),
    "std.vec.with_capacity": Sig(("i32",), "vec_u8"),

    # --- std.vec_value  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/vec_value.x07.json) ---
    "std.vec_value.clear": Sig(("i32",), "i32"),
    "std.vec_value.get_bytes_or": Sig(("i32", "i32", "bytes"), "bytes"),
    "std.vec_value.get_or": Sig(("i32", "i32", "any"), "any"),  # generic: any = type param T
    "std.vec_value.len": Sig(("i32",), "i32"),
    "std.vec_value.pop": Sig(("i32",), "i32"),
    "std.vec_value.push": Sig(("i32", "any"), "i32"),  # generic: any = type param T
    "std.vec_value.push_bytes": Sig(("i32", "bytes"), "i32"),
    "std.vec_value.reserve_exact": Sig(("i32", "i32"), "i32"),
    "std.vec_value.set": Sig(("i32", "i32", "any"), "i32"),  # generic: any = type param T
    "std.vec_value.set_bytes": Sig(("i32", "i32", "bytes"), "i32"),
    "std.vec_value.with_capacity": Sig(("i32",), "i32"),
    "std.vec_value.with_capacity_bytes": Sig(("i32",), "i32"),

    # --- std.slice  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/slice.x07.json) ---
    "std.slice.clamp": Sig(("bytes", "i32", "i32"), "bytes"),
    "std.slice.cmp_bytes": Sig(("bytes", "bytes"), "i32"),

    # --- std.bytes  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/bytes.x07.json) ---
    # Unlike the bytes.concat / bytes.copy builtins these take views and copy: no moves.
    "std.bytes.alloc": Sig(("i32",), "bytes"),
    "std.bytes.cmp_range": Sig(("bytes_view", "i32", "i32", "bytes_view", "i32", "i32"), "i32", auto_borrow=True),
    "std.bytes.concat": Sig(("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "std.bytes.copy": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.bytes.count_u8": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.bytes.drop": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),
    "std.bytes.ends_with": Sig(("bytes_view", "bytes_view"), "i32", auto_borrow=True),
    "std.bytes.eq": Sig(("bytes_view", "bytes_view"), "i32", auto_borrow=True),
    "std.bytes.find_sub": Sig(("bytes_view", "bytes_view"), "i32", auto_borrow=True),
    "std.bytes.find_u8": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.bytes.get_u8": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.bytes.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.bytes.max_u8": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.bytes.reverse": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.bytes.set_u8": Sig(("bytes", "i32", "i32"), "bytes"),
    "std.bytes.slice": Sig(("bytes_view", "i32", "i32"), "bytes", auto_borrow=True),
    "std.bytes.slice_v1": Sig(("bytes_view", "i32", "i32"), "bytes", auto_borrow=True),
    "std.bytes.starts_with": Sig(("bytes_view", "bytes_view"), "i32", auto_borrow=True),
    "std.bytes.strip_prefix_view": Sig(("bytes_view", "bytes_view"), "bytes_view", view_of=(0,), auto_borrow=True),
    "std.bytes.strip_suffix_view": Sig(("bytes_view", "bytes_view"), "bytes_view", view_of=(0,), auto_borrow=True),
    "std.bytes.sum_u8": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.bytes.take": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),
    "std.bytes.trim_ascii_view": Sig(("bytes_view",), "bytes_view", view_of=(0,), auto_borrow=True),

    # --- std.codec  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/codec.x07.json) ---
    "std.codec.base64_decode_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.codec.base64_encode_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.codec.hex_decode_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.codec.hex_encode_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.codec.read_u32_le": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.codec.write_u32_le": Sig(("i32",), "bytes"),

    # --- std.doc  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/doc.x07.json) ---
    "std.doc.err_from_code_msg_v1": Sig(("i32", "bytes_view"), "bytes", auto_borrow=True),
    "std.doc.err_from_code_v1": Sig(("i32",), "bytes"),
    "std.doc.err_payload_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.doc.err_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.doc.error_code_v1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.doc.error_msg_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.doc.is_err_v1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.doc.is_ok_v1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.doc.ok_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.doc.payload_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.parse  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/parse.x07.json) ---
    "std.parse.i32_dec": Sig(("bytes_view",), "result_i32", auto_borrow=True),
    "std.parse.i32_status_le": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.parse.i32_status_le_at": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),
    "std.parse.u32_dec": Sig(("bytes_view",), "result_i32", auto_borrow=True),
    "std.parse.u32_dec_at": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.parse.u32_status_le": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.parse.u32_status_le_at": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),

    # --- std.fmt  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/fmt.x07.json) ---
    "std.fmt.s32_to_dec": Sig(("i32",), "bytes"),
    "std.fmt.u32_to_dec": Sig(("i32",), "bytes"),

    # --- std.prng  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/prng.x07.json) ---
    "std.prng.lcg_next_u32": Sig(("i32",), "i32"),
    "std.prng.x07rand32_v1_stream": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.pbt.case_v1  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/pbt/case_v1.x07.json) ---
    "std.pbt.case_v1.encode_v1": Sig(("i32", "bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "std.pbt.case_v1.param_count_v1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.pbt.case_v1.param_slice_v1": Sig(("bytes_view", "i32"), "bytes_view", view_of=(0,), auto_borrow=True),
    "std.pbt.case_v1.payload_base_v1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.pbt.case_v1.read_bytes_v1": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),
    "std.pbt.case_v1.read_i32_v1": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),

    # --- std.pbt.gen_v1  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/pbt/gen_v1.x07.json) ---
    "std.pbt.gen_v1.map_u32_to_bounded_v1": Sig(("i32", "i32"), "i32"),
    "std.pbt.gen_v1.next_bounded_u32_v1": Sig(("i32", "i32"), "bytes"),
    "std.pbt.gen_v1.next_bytes_v1": Sig(("i32", "i32"), "bytes"),

    # --- std.pbt.shrink_v1  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/pbt/shrink_v1.x07.json) ---
    "std.pbt.shrink_v1.bytes_candidates_case_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.pbt.shrink_v1.i32_candidates_case_v1": Sig(("i32",), "bytes"),

    # --- std.bit  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/bit.x07.json) ---
    "std.bit.popcount_u32": Sig(("i32",), "i32"),

    # --- std.str  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/str.x07.json) ---
    # A string is bytes branded std.str.utf8_v1; string_view is bytes_view@std.str.utf8_v1.
    "std.str.as_bytes": Sig(("bytes",), "bytes"),  # brands: arg0@std.str.utf8_v1
    "std.str.char_count": Sig(("bytes_view",), "i32", auto_borrow=True),  # brands: arg0@std.str.utf8_v1
    "std.str.from_bytes_v1": Sig(("bytes",), "result_bytes"),  # result@std.str.utf8_v1
    "std.str.len": Sig(("bytes_view",), "i32", auto_borrow=True),  # brands: arg0@std.str.utf8_v1
    "std.str.slice_v1": Sig(("bytes_view", "i32", "i32"), "result_bytes", auto_borrow=True),  # brands: arg0@std.str.utf8_v1; result@std.str.utf8_v1
    "std.str.to_lower_ascii": Sig(("bytes_view",), "bytes", auto_borrow=True),  # brands: arg0@std.str.utf8_v1
    "std.str.to_upper_ascii": Sig(("bytes_view",), "bytes", auto_borrow=True),  # brands: arg0@std.str.utf8_v1
    "std.str.validate_v1": Sig(("bytes_view",), "result_i32", auto_borrow=True),

    # --- std.text.ascii  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/text/ascii.x07.json) ---
    "std.text.ascii.first_line_view": Sig(("bytes_view",), "bytes_view", view_of=(0,), auto_borrow=True),
    "std.text.ascii.is_alpha": Sig(("i32",), "i32"),
    "std.text.ascii.is_space_tab": Sig(("i32",), "i32"),
    "std.text.ascii.kth_line_view": Sig(("bytes_view", "i32"), "bytes_view", view_of=(0,), auto_borrow=True),
    "std.text.ascii.last_line_view": Sig(("bytes_view",), "bytes_view", view_of=(0,), auto_borrow=True),
    "std.text.ascii.normalize_lines": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.text.ascii.split_lines_view": Sig(("bytes_view",), "bytes", auto_borrow=True),  # result@std.text.slices.x7sl_v1
    "std.text.ascii.split_u8": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),  # result@std.text.slices.x7sl_v1
    "std.text.ascii.to_lower_u8": Sig(("i32",), "i32"),
    "std.text.ascii.to_upper_u8": Sig(("i32",), "i32"),
    "std.text.ascii.tokenize_words_lower": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.text.slices  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/text/slices.x07.json) ---
    "std.text.slices.builder_finish_v1": Sig(("vec_u8", "i32"), "bytes"),  # result@std.text.slices.x7sl_v1
    "std.text.slices.builder_new_v1": Sig(("i32",), "vec_u8"),
    "std.text.slices.builder_push_v1": Sig(("vec_u8", "i32", "i32"), "vec_u8"),
    "std.text.slices.cast_bytes_v1": Sig(("bytes",), "result_bytes"),  # result@std.text.slices.x7sl_v1
    "std.text.slices.copy_at_v1": Sig(("bytes_view", "bytes_view", "i32"), "bytes", auto_borrow=True),  # brands: arg1@std.text.slices.x7sl_v1
    "std.text.slices.count_v1": Sig(("bytes_view",), "i32", auto_borrow=True),  # brands: arg0@std.text.slices.x7sl_v1
    "std.text.slices.len_v1": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),  # brands: arg0@std.text.slices.x7sl_v1
    "std.text.slices.start_v1": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),  # brands: arg0@std.text.slices.x7sl_v1
    "std.text.slices.validate_v1": Sig(("bytes_view",), "result_i32", auto_borrow=True),
    "std.text.slices.view_at_v1": Sig(("bytes_view", "bytes_view", "i32"), "bytes_view", view_of=(0,), auto_borrow=True),  # brands: arg1@std.text.slices.x7sl_v1

    # --- std.text.utf8  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/text/utf8.x07.json) ---
    "std.text.utf8.count_codepoints_or_neg1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.text.utf8.is_valid": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.text.utf8.validate_or_empty": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.test  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/test.x07.json) ---
    "std.test.assert_bytes_eq": Sig(("bytes", "bytes", "i32"), "result_i32"),
    "std.test.assert_i32_eq": Sig(("i32", "i32", "i32"), "result_i32"),
    "std.test.assert_true": Sig(("i32", "i32"), "result_i32"),
    "std.test.assert_view_eq": Sig(("bytes_view", "bytes_view", "i32"), "result_i32", auto_borrow=True),
    "std.test.code_assert_bytes_eq": Sig((), "i32"),
    "std.test.code_assert_i32_eq": Sig((), "i32"),
    "std.test.code_assert_true": Sig((), "i32"),
    "std.test.code_assert_view_eq": Sig((), "i32"),
    "std.test.code_fail_generic": Sig((), "i32"),
    "std.test.fail": Sig(("i32",), "result_i32"),
    "std.test.pass": Sig((), "result_i32"),
    "std.test.status_fail": Sig(("i32",), "bytes"),
    "std.test.status_from_result_i32": Sig(("result_i32",), "bytes"),
    "std.test.status_ok": Sig((), "bytes"),
    "std.test.status_skip": Sig((), "bytes"),
    "std.test.status_v1": Sig(("i32", "i32"), "bytes"),

    # --- std.regex-lite  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/regex-lite.x07.json) ---
    "std.regex-lite.count_matches_u32le": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.regex-lite.find_literal": Sig(("bytes_view", "bytes_view"), "i32", auto_borrow=True),
    "std.regex-lite.is_match_literal": Sig(("bytes_view", "bytes_view"), "i32", auto_borrow=True),

    # --- std.json  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/json.x07.json) ---
    "std.json.canonicalize_small": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.json.encode": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),
    "std.json.extract_path_canon_or_err": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.json.pretty_encode": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.http.envelope  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/http/envelope.x07.json) ---
    "std.http.envelope.extract_body_base64_canon_or_err_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.http.envelope.extract_body_text_canon_or_err_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.http.envelope.extract_id_canon_or_err_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.http.envelope.extract_method_canon_or_err_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.http.envelope.extract_path_canon_or_err_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.http.envelope.extract_query_canon_or_err_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.http.envelope.response_base64_canon_v1": Sig(("bytes_view", "i32", "bytes_view", "i32", "bytes_view"), "bytes", auto_borrow=True),
    "std.http.envelope.response_text_canon_v1": Sig(("bytes_view", "i32", "bytes_view", "i32", "bytes_view"), "bytes", auto_borrow=True),

    # --- std.csv  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/csv.x07.json) ---
    "std.csv.sum_second_col_i32_status_le": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.csv.sum_second_col_i32le_or_err": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.map  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/map.x07.json) ---
    "std.map.word_freq_sorted_ascii": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.set  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/set.x07.json) ---
    "std.set.unique_lines_sorted": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.u32  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/u32.x07.json) ---
    "std.u32.pow2_ceil": Sig(("i32",), "i32"),
    "std.u32.push_le": Sig(("vec_u8", "i32"), "vec_u8"),
    "std.u32.read_le_at": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.u32.read_le_at_vec_u8": Sig(("vec_u8", "i32"), "i32"),
    "std.u32.write_le_at": Sig(("bytes", "i32", "i32"), "bytes"),
    "std.u32.write_le_at_vec_u8": Sig(("vec_u8", "i32", "i32"), "vec_u8"),

    # --- std.small_map  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/small_map.x07.json) ---
    "std.small_map.empty": Sig((), "bytes"),
    "std.small_map.empty_bytes_u32": Sig((), "bytes"),
    "std.small_map.get_bytes_u32": Sig(("bytes_view", "bytes_view"), "i32", auto_borrow=True),
    "std.small_map.get_bytes_u32_or": Sig(("bytes_view", "bytes_view", "i32"), "i32", auto_borrow=True),
    "std.small_map.get_or": Sig(("bytes_view", "bytes_view", "any"), "any", auto_borrow=True),  # generic: any = type param V
    "std.small_map.inc1": Sig(("bytes", "bytes_view"), "bytes", auto_borrow=True),
    "std.small_map.inc1_bytes_u32": Sig(("bytes", "bytes_view"), "bytes", auto_borrow=True),
    "std.small_map.iter_init_v1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.small_map.iter_next_v1": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),
    "std.small_map.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.small_map.len_bytes_u32": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.small_map.put": Sig(("bytes", "bytes_view", "any"), "bytes", auto_borrow=True),  # generic: any = type param V
    "std.small_map.put_bytes_u32": Sig(("bytes", "bytes_view", "i32"), "bytes", auto_borrow=True),
    "std.small_map.remove": Sig(("bytes", "bytes_view"), "bytes", auto_borrow=True),
    "std.small_map.remove_bytes_u32": Sig(("bytes", "bytes_view"), "bytes", auto_borrow=True),

    # --- std.small_set  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/small_set.x07.json) ---
    "std.small_set.contains": Sig(("bytes_view", "any"), "i32", auto_borrow=True),  # generic: any = type param K
    "std.small_set.contains_bytes": Sig(("bytes", "bytes"), "i32"),
    "std.small_set.empty": Sig((), "bytes"),
    "std.small_set.empty_bytes": Sig((), "bytes"),
    "std.small_set.insert": Sig(("bytes", "any"), "bytes"),  # generic: any = type param K
    "std.small_set.insert_bytes": Sig(("bytes", "bytes"), "bytes"),
    "std.small_set.iter_init_v1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.small_set.iter_next_v1": Sig(("bytes_view", "i32"), "bytes", auto_borrow=True),
    "std.small_set.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.small_set.len_bytes": Sig(("bytes",), "i32"),

    # --- std.hash  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/hash.x07.json) ---
    "std.hash.fnv1a32_bytes": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.hash.fnv1a32_range": Sig(("bytes_view", "i32", "i32"), "i32", auto_borrow=True),
    "std.hash.fnv1a32_view": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.hash.mix32": Sig(("i32",), "i32"),

    # --- std.hash_map  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/hash_map.x07.json) ---
    "std.hash_map.contains": Sig(("i32", "any"), "i32"),  # generic: any = type param K
    "std.hash_map.contains_u32": Sig(("i32", "i32"), "i32"),
    "std.hash_map.emit_kv_le": Sig(("i32",), "bytes"),
    "std.hash_map.emit_kv_u32le_u32le": Sig(("i32",), "bytes"),
    "std.hash_map.get_or": Sig(("i32", "any", "any"), "any"),  # generic: any = type param K,V
    "std.hash_map.get_u32_or": Sig(("i32", "i32", "i32"), "i32"),
    "std.hash_map.len": Sig(("i32",), "i32"),
    "std.hash_map.len_u32": Sig(("i32",), "i32"),
    "std.hash_map.new": Sig(("i32",), "i32"),
    "std.hash_map.new_u32": Sig(("i32",), "i32"),
    "std.hash_map.set": Sig(("i32", "any", "any"), "i32"),  # generic: any = type param K,V
    "std.hash_map.set_u32": Sig(("i32", "i32", "i32"), "i32"),
    "std.hash_map.with_capacity": Sig(("i32",), "i32"),
    "std.hash_map.with_capacity_u32": Sig(("i32",), "i32"),

    # --- std.hash_map_value  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/hash_map_value.x07.json) ---
    "std.hash_map_value.clear": Sig(("i32",), "i32"),
    "std.hash_map_value.contains": Sig(("i32", "any"), "i32"),  # generic: any = type param K
    "std.hash_map_value.contains_bytes": Sig(("i32", "bytes"), "i32"),
    "std.hash_map_value.get_bytes_bytes_or": Sig(("i32", "bytes", "bytes"), "bytes"),
    "std.hash_map_value.get_or": Sig(("i32", "any", "any"), "any"),  # generic: any = type param K,V
    "std.hash_map_value.len": Sig(("i32",), "i32"),
    "std.hash_map_value.new": Sig(("i32",), "i32"),
    "std.hash_map_value.new_bytes_bytes": Sig(("i32",), "i32"),
    "std.hash_map_value.remove": Sig(("i32", "any"), "i32"),  # generic: any = type param K
    "std.hash_map_value.remove_bytes": Sig(("i32", "bytes"), "i32"),
    "std.hash_map_value.set": Sig(("i32", "any", "any"), "i32"),  # generic: any = type param K,V
    "std.hash_map_value.set_bytes_bytes": Sig(("i32", "bytes", "bytes"), "i32"),
    "std.hash_map_value.with_capacity": Sig(("i32",), "i32"),
    "std.hash_map_value.with_capacity_bytes_bytes": Sig(("i32",), "i32"),

    # --- std.hash_set  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/hash_set.x07.json) ---
    "std.hash_set.add": Sig(("i32", "any"), "i32"),  # generic: any = type param A
    "std.hash_set.add_u32": Sig(("i32", "i32"), "i32"),
    "std.hash_set.contains": Sig(("i32", "any"), "i32"),  # generic: any = type param A
    "std.hash_set.contains_u32": Sig(("i32", "i32"), "i32"),
    "std.hash_set.emit_le": Sig(("i32",), "bytes"),
    "std.hash_set.emit_u32le": Sig(("i32",), "bytes"),
    "std.hash_set.len": Sig(("i32",), "i32"),
    "std.hash_set.len_u32": Sig(("i32",), "i32"),
    "std.hash_set.new": Sig(("i32",), "i32"),
    "std.hash_set.new_u32": Sig(("i32",), "i32"),
    "std.hash_set.view_contains": Sig(("bytes_view", "bytes_view", "i32", "i32"), "i32", auto_borrow=True),
    "std.hash_set.view_insert": Sig(("vec_u8", "bytes_view", "i32", "i32"), "vec_u8", auto_borrow=True),
    "std.hash_set.view_len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.hash_set.view_new": Sig(("i32",), "vec_u8"),

    # --- std.btree_map  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/btree_map.x07.json) ---
    "std.btree_map.contains": Sig(("bytes_view", "any"), "i32", auto_borrow=True),  # generic: any = type param K,V
    "std.btree_map.contains_u32_u32": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.btree_map.emit_kv_le": Sig(("bytes",), "bytes"),
    "std.btree_map.emit_kv_u32le_u32le": Sig(("bytes",), "bytes"),
    "std.btree_map.empty": Sig((), "bytes"),
    "std.btree_map.empty_u32_u32": Sig((), "bytes"),
    "std.btree_map.get_or": Sig(("bytes_view", "any", "any"), "any", auto_borrow=True),  # generic: any = type param K,V
    "std.btree_map.get_u32_u32_or": Sig(("bytes_view", "i32", "i32"), "i32", auto_borrow=True),
    "std.btree_map.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.btree_map.len_u32_u32": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.btree_map.put": Sig(("bytes", "any", "any"), "bytes"),  # generic: any = type param K,V
    "std.btree_map.put_u32_u32": Sig(("bytes", "i32", "i32"), "bytes"),

    # --- std.btree_set  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/btree_set.x07.json) ---
    "std.btree_set.contains": Sig(("bytes_view", "any"), "i32", auto_borrow=True),  # generic: any = type param A
    "std.btree_set.contains_u32": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.btree_set.emit_le": Sig(("bytes",), "bytes"),
    "std.btree_set.emit_u32le": Sig(("bytes",), "bytes"),
    "std.btree_set.empty": Sig((), "bytes"),
    "std.btree_set.empty_u32": Sig((), "bytes"),
    "std.btree_set.insert": Sig(("bytes", "any"), "bytes"),  # generic: any = type param A
    "std.btree_set.insert_u32": Sig(("bytes", "i32"), "bytes"),
    "std.btree_set.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.btree_set.len_u32": Sig(("bytes_view",), "i32", auto_borrow=True),

    # --- std.deque  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/deque.x07.json) ---
    "std.deque.emit_le": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.deque.front_or": Sig(("bytes_view", "any"), "any", auto_borrow=True),  # generic: any = type param A
    "std.deque.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.deque.pop_front": Sig(("bytes",), "bytes"),
    "std.deque.push_back": Sig(("bytes", "any"), "bytes"),  # generic: any = type param A
    "std.deque.with_capacity": Sig(("i32",), "bytes"),

    # --- std.deque_u32  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/deque_u32.x07.json) ---
    "std.deque_u32.emit_u32le": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.deque_u32.front_or": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.deque_u32.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.deque_u32.pop_front": Sig(("bytes",), "bytes"),
    "std.deque_u32.push_back": Sig(("bytes", "i32"), "bytes"),
    "std.deque_u32.with_capacity": Sig(("i32",), "bytes"),

    # --- std.heap  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/heap.x07.json) ---
    "std.heap.emit_le": Sig(("bytes",), "bytes"),
    "std.heap.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.heap.min_or": Sig(("bytes_view", "any"), "any", auto_borrow=True),  # generic: any = type param A
    "std.heap.pop_min": Sig(("bytes",), "bytes"),
    "std.heap.push": Sig(("bytes", "any"), "bytes"),  # generic: any = type param A
    "std.heap.with_capacity": Sig(("i32",), "bytes"),

    # --- std.heap_u32  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/heap_u32.x07.json) ---
    "std.heap_u32.emit_u32le": Sig(("bytes",), "bytes"),
    "std.heap_u32.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.heap_u32.min_or": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),
    "std.heap_u32.pop_min": Sig(("bytes",), "bytes"),
    "std.heap_u32.push": Sig(("bytes", "i32"), "bytes"),
    "std.heap_u32.with_capacity": Sig(("i32",), "bytes"),

    # --- std.bitset  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/bitset.x07.json) ---
    "std.bitset.intersection_count": Sig(("bytes_view", "bytes_view"), "i32", auto_borrow=True),
    "std.bitset.new": Sig(("i32",), "bytes"),
    "std.bitset.set": Sig(("bytes", "i32"), "bytes"),
    "std.bitset.test": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),

    # --- std.slab  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/slab.x07.json) ---
    "std.slab.alloc": Sig(("bytes",), "bytes"),
    "std.slab.alloc_u32": Sig(("bytes",), "bytes"),
    "std.slab.cap": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.slab.cap_u32": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.slab.free": Sig(("bytes", "i32"), "bytes"),
    "std.slab.free_head": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.slab.free_head_u32": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.slab.free_u32": Sig(("bytes", "i32"), "bytes"),
    "std.slab.get_or": Sig(("bytes_view", "i32", "any"), "any", auto_borrow=True),  # generic: any = type param V
    "std.slab.get_u32": Sig(("bytes_view", "i32", "i32"), "i32", auto_borrow=True),
    "std.slab.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.slab.len_u32": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.slab.new": Sig(("i32",), "bytes"),
    "std.slab.new_u32": Sig(("i32",), "bytes"),
    "std.slab.set": Sig(("bytes", "i32", "any"), "bytes"),  # generic: any = type param V
    "std.slab.set_u32": Sig(("bytes", "i32", "i32"), "bytes"),

    # --- std.lru_cache  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/lru_cache.x07.json) ---
    "std.lru_cache.len": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.lru_cache.len_u32": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.lru_cache.new": Sig(("i32",), "bytes"),
    "std.lru_cache.new_u32": Sig(("i32",), "bytes"),
    "std.lru_cache.peek_opt": Sig(("bytes_view", "any"), "any", auto_borrow=True),  # generic: any = type param K,V
    "std.lru_cache.peek_or": Sig(("bytes_view", "any", "any"), "any", auto_borrow=True),  # generic: any = type param K,V
    "std.lru_cache.peek_u32_opt": Sig(("bytes_view", "i32"), "option_i32", auto_borrow=True),
    "std.lru_cache.peek_u32_or": Sig(("bytes_view", "i32", "i32"), "i32", auto_borrow=True),
    "std.lru_cache.put": Sig(("bytes", "any", "any"), "bytes"),  # generic: any = type param K,V
    "std.lru_cache.put_u32": Sig(("bytes", "i32", "i32"), "bytes"),
    "std.lru_cache.touch": Sig(("bytes", "any"), "bytes"),  # generic: any = type param K
    "std.lru_cache.touch_u32": Sig(("bytes", "i32"), "bytes"),

    # --- std.result  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/result.x07.json) ---
    # Byte-encoded results (tag byte + payload) in plain bytes, not the result_* types.
    "std.result.chain_sum_csv_i32": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.result.err0": Sig((), "bytes"),
    "std.result.is_ok": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.result.ok_bytes": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.result.ok_i32_le": Sig(("i32",), "bytes"),
    "std.result.payload": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.result.unwrap_i32_le": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),

    # --- std.option  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/option.x07.json) ---
    # Byte-encoded options (tag byte + payload) in plain bytes, not the option_* types.
    "std.option.is_some": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.option.none": Sig((), "bytes"),
    "std.option.payload": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.option.some_bytes": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.option.some_i32_le": Sig(("i32",), "bytes"),
    "std.option.unwrap_i32_le": Sig(("bytes_view", "i32"), "i32", auto_borrow=True),

    # --- std.view  (source: x07lang/x07 stdlib/std-core/0.1.4/modules/std/view.x07.json) ---
    "std.view.slice_v1": Sig(("bytes_view", "i32", "i32"), "bytes_view", view_of=(0,), auto_borrow=True),

    # --- std.io  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/io.x07.json) ---
    "std.io.read": Sig(("iface", "i32"), "bytes"),
    "std.io.read_all": Sig(("iface",), "bytes"),

    # --- std.io.bufread  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/io/bufread.x07.json) ---
    "std.io.bufread.consume": Sig(("i32", "i32"), "i32"),
    "std.io.bufread.fill": Sig(("i32",), "bytes_view"),  # runtime view (no owner)
    "std.io.bufread.new": Sig(("iface", "i32"), "i32"),

    # --- std.world.fs  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/world/fs.x07.json) ---
    "std.world.fs.read_file": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.world.fs.read_file_async": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.fs  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/fs.x07.json) ---
    "std.fs.list_dir": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.fs.list_dir_sorted": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.fs.open_read": Sig(("bytes_view",), "iface", auto_borrow=True),
    "std.fs.read": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.fs.read_async": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.fs.read_task": Sig(("bytes",), "i32"),  # defasync: call returns a task handle; awaited type bytes

    # --- std.rr  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/rr.x07.json) ---
    "std.rr.append_v1": Sig(("i32", "bytes_view"), "result_i32", auto_borrow=True),
    "std.rr.close_v1": Sig(("i32",), "i32"),
    "std.rr.current_v1": Sig((), "i32"),
    "std.rr.entry_err_v1": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.rr.entry_resp_v1": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.rr.next_v1": Sig(("i32", "bytes_view", "bytes_view", "bytes_view"), "result_bytes", auto_borrow=True),
    "std.rr.open_v1": Sig(("bytes_view",), "result_i32", auto_borrow=True),
    "std.rr.stats_v1": Sig(("i32",), "bytes"),

    # --- std.kv  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/kv.x07.json) ---
    "std.kv.get": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.kv.get_async": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.kv.get_stream": Sig(("bytes_view",), "iface", auto_borrow=True),
    "std.kv.get_task": Sig(("bytes",), "i32"),  # defasync: call returns a task handle; awaited type bytes
    "std.kv.set": Sig(("bytes", "bytes"), "i32"),

    # --- std.path  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/path.x07.json) ---
    "std.path.basename": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.path.extname": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.path.is_safe_relative": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.path.join": Sig(("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "std.path.join_checked": Sig(("bytes_view", "bytes_view"), "result_bytes", auto_borrow=True),
    "std.path.normalize_posix": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.path.parent": Sig(("bytes_view",), "bytes", auto_borrow=True),

    # --- std.process  (source: x07lang/x07 stdlib/std/0.1.3/modules/std/process.x07.json) ---
    "std.process.set_exit_code_v1": Sig(("i32",), "i32"),

    # --- std.os.env  (source: x07lang/x07 stdlib/os/0.2.0/modules/std/os/env.x07.json) ---
    "std.os.env.get": Sig(("bytes",), "bytes"),

    # --- std.os.fs  (source: x07lang/x07 stdlib/os/0.1.0/modules/std/os/fs.x07.json) ---
    "std.os.fs.read_file": Sig(("bytes",), "bytes"),
    "std.os.fs.write_file": Sig(("bytes", "bytes"), "i32"),

    # --- std.os.net  (source: x07lang/x07 stdlib/os/0.2.0/modules/std/os/net.x07.json) ---
    "std.os.net.http_request": Sig(("bytes",), "bytes"),

    # --- std.os.time  (source: x07lang/x07 stdlib/os/0.2.0/modules/std/os/time.x07.json) ---
    "std.os.time.now_unix_ms": Sig((), "i32"),

    # --- std.os.process  (source: x07lang/x07 stdlib/os/0.2.0/modules/std/os/process.x07.json) ---
    "std.os.process.code_invalid_request": Sig((), "i32"),
    "std.os.process.code_output_limit": Sig((), "i32"),
    "std.os.process.code_policy_denied": Sig((), "i32"),
    "std.os.process.code_spawn_failed": Sig((), "i32"),
    "std.os.process.code_timeout": Sig((), "i32"),
    "std.os.process.drop_v1": Sig(("i32",), "i32"),
    "std.os.process.err_code": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.os.process.exit": Sig(("i32",), "i32"),
    "std.os.process.get_bytes": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.os.process.get_view": Sig(("bytes_view",), "bytes_view", view_of=(0,), auto_borrow=True),
    "std.os.process.is_err": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.os.process.kill_v1": Sig(("i32", "i32"), "i32"),
    "std.os.process.resp_exit_code": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.os.process.resp_flags": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.os.process.resp_stderr": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.os.process.resp_stdout": Sig(("bytes_view",), "bytes", auto_borrow=True),
    "std.os.process.resp_ver": Sig(("bytes_view",), "i32", auto_borrow=True),
    "std.os.process.run_capture_v1": Sig(("bytes", "bytes"), "bytes"),  # brands: arg0@std.os.process.req_v1, arg1@std.os.process.caps_v1
    "std.os.process.spawn_capture_v1": Sig(("bytes", "bytes"), "i32"),  # brands: arg0@std.os.process.req_v1, arg1@std.os.process.caps_v1
    "std.os.process.spawn_piped_v1": Sig(("bytes", "bytes"), "i32"),  # brands: arg0@std.os.process.req_v1, arg1@std.os.process.caps_v1
    "std.os.process.stderr_read_v1": Sig(("i32", "i32"), "bytes"),
    "std.os.process.stdin_close_v1": Sig(("i32",), "i32"),
    "std.os.process.stdin_write_v1": Sig(("i32", "bytes"), "i32"),
    "std.os.process.stdout_read_v1": Sig(("i32", "i32"), "bytes"),
    "std.os.process.take_exit_v1": Sig(("i32",), "i32"),
    "std.os.process.try_join_capture_v1": Sig(("i32",), "option_bytes"),
    "std.os.process.try_wait_v1": Sig(("i32",), "i32"),

    # --- std.os.process.caps_v1  (source: x07lang/x07 stdlib/os/0.2.0/modules/std/os/process/caps_v1.x07.json) ---
    "std.os.process.caps_v1.finish": Sig(("i32", "i32", "i32", "i32"), "bytes"),  # result@std.os.process.caps_v1
    "std.os.process.caps_v1.validate_v1": Sig(("bytes_view",), "result_i32", auto_borrow=True),

    # --- std.os.process.req_v1  (source: x07lang/x07 stdlib/os/0.2.0/modules/std/os/process/req_v1.x07.json) ---
    "std.os.process.req_v1.arg": Sig(("vec_u8", "bytes"), "vec_u8"),
    "std.os.process.req_v1.cwd": Sig(("vec_u8", "bytes"), "vec_u8"),
    "std.os.process.req_v1.env": Sig(("vec_u8", "bytes", "bytes"), "vec_u8"),
    "std.os.process.req_v1.finish": Sig(("vec_u8",), "bytes"),  # result@std.os.process.req_v1
    "std.os.process.req_v1.new": Sig(("bytes",), "vec_u8"),
    "std.os.process.req_v1.stdin": Sig(("vec_u8", "bytes"), "vec_u8"),
    "std.os.process.req_v1.validate_v1": Sig(("bytes_view",), "result_i32", auto_borrow=True),

    # --- std.os.process_pool  (source: x07lang/x07 stdlib/os/0.2.0/modules/std/os/process_pool.x07.json) ---
    "std.os.process_pool.close_v1": Sig(("bytes",), "i32"),
    "std.os.process_pool.map_bytes_v1": Sig(("bytes_view", "bytes_view"), "bytes", auto_borrow=True),
    "std.os.process_pool.new_v1": Sig(("bytes", "bytes", "i32"), "bytes"),  # brands: arg0@std.os.process.req_v1, arg1@std.os.process.caps_v1
}

# Builtins win over module functions of the same name (the compiler dispatches builtin
# heads before user/stdlib calls); only the two std.os.process aliases are both.
BUILTINS: dict[str, Sig] = {**_STDLIB, **_CORE}

# Calls whose view-typed result borrows nothing the program owns (c_emit_core.rs
# borrow_of_view_expr / borrow_of_option_bytes_view_expr / borrow_of_result_bytes_view_expr
# return "no owner" for them). The identifier `input` is the other runtime view.
RUNTIME_VIEWS: frozenset[str] = frozenset(
    {
        "bytes.view_lit",
        "bufread.fill",
        "scratch_u8_fixed_v1.as_view",
        "std.io.bufread.fill",
        "option_bytes_view.none",
        "result_bytes_view.err",
    }
)

# The always-available runtime view (a bytes_view over the solver input).
INPUT_IDENT = "input"

# --------------------------------------------------------------------------------------
# Special forms: heads the compiler handles itself rather than as calls
# (c_emit_builtins.rs emit_list_to / emit_stmt, typecheck.rs infer_expr,
# docs/spec/language-guide.md "Core Forms", docs/language/*.md).
# --------------------------------------------------------------------------------------

SPECIAL_FORMS: dict[str, str] = {
    "begin": "(begin e1 e2 ...) at least one expr; new scope; value of the last; locals dropped at the end",
    "unsafe": "(unsafe e1 e2 ...) like begin, unsafe-only ops allowed inside; standalone worlds only",
    "let": "(let name e) binds in the current scope; duplicate name in the same scope is an error; as an expression it may not yield an owned value",
    "set": "(set name e) reassigns an existing binding; owned target: borrow check, then e, then old value dropped",
    "set0": "(set0 name e) like set but evaluates to i32 0",
    "if": "(if cond then else) exactly three args; cond is i32; each branch is its own scope",
    "for": "(for i start end body) i is i32, runs start..end-1; end evaluated once after start; body is one expr in its own scope",
    "while": "(while cond body) cond i32 re-evaluated each iteration in its own scope; body is one expr in its own scope",
    "return": "(return e) early return; e must have the function result type; drops every live owned local except e",
    "match": "(match scrut arm ...) arms (E.V body) or (E.V bind body); exhaustive over one defenum; bind is the i32 payload",
    "try": "(try r) r is result_i32 / result_bytes / result_bytes_view; yields the ok payload, on err returns from the function",
    "try_doc": "(try_doc doc) doc is bytes / bytes_view envelope; yields the payload, on err returns the doc (function returns bytes)",
    "tapp": "(tapp f (tys T ...) args...) explicit generic instantiation; the (tys ...) list holds type names",
    "tys": "(tys T ...) type-argument list, only inside tapp",
    "ty.size_bytes": "(ty.size_bytes T) type intrinsic; first arg is a type; lowered away by generics",
    "ty.size": "(ty.size T) type intrinsic; first arg is a type",
    "ty.read_le_at": "(ty.read_le_at T b off) type intrinsic (i32/u32 only)",
    "ty.write_le_at": "(ty.write_le_at T b off x) type intrinsic (i32/u32 only) -> bytes",
    "ty.push_le": "(ty.push_le T v x) type intrinsic (i32/u32 only) -> vec_u8",
    "ty.clone": "(ty.clone T x) type intrinsic; for bytes lowers to __internal.bytes.clone_v1 (reads x)",
    "ty.drop": "(ty.drop T x) type intrinsic; for bytes lowers to __internal.bytes.drop_v1 (consumes x)",
    "ty.lt": "(ty.lt T a b) type intrinsic comparison",
    "ty.eq": "(ty.eq T a b) type intrinsic equality",
    "ty.cmp": "(ty.cmp T a b) type intrinsic three-way compare",
    "ty.hash32": "(ty.hash32 T x) type intrinsic hash",
    "ty.add": "(ty.add T a b) type intrinsic (i32/u32 only)",
    "ty.sub": "(ty.sub T a b) type intrinsic (i32/u32 only)",
    "ty.mul": "(ty.mul T a b) type intrinsic (i32/u32 only)",
    "budget.scope_v1": "(budget.scope_v1 (budget.cfg_v1 ...) body) local resource caps around body; value of body",
    "budget.scope_from_arch_v1": "(budget.scope_from_arch_v1 (bytes.lit PROFILE_ID) body) cfg loaded from arch/budgets/profiles",
    "budget.cfg_v1": "(budget.cfg_v1 (mode m) (label (bytes.lit L)) (alloc_bytes n) ...) config pairs, only as budget.scope_v1's first arg",
    "task.scope_v1": "(task.scope_v1 (task.scope.cfg_v1 ...) body) structured concurrency; children joined and dropped at the end; solve/defasync only",
    "task.scope.cfg_v1": "(task.scope.cfg_v1 (max_children n) ...) config pairs, only inside task.scope_v1",
    "task.scope.select_v1": "(task.scope.select_v1 (task.scope.select.cfg_v1 ...) (task.scope.select.cases_v1 ...)) -> task_select_evt_v1 (owned)",
    "task.scope.select_try_v1": "(task.scope.select_try_v1 cfg cases) -> option_task_select_evt_v1 (owned)",
    "task.scope.select.cfg_v1": "config pairs, only inside task.scope.select_v1 / select_try_v1",
    "task.scope.select.cases_v1": "case list, only inside task.scope.select_v1 / select_try_v1",
    "std.rr.with_v1": "(std.rr.with_v1 cfg body) record/replay scope; cfg is bytes / bytes_view / vec_u8; value of body",
    "std.rr.with_policy_v1": "(std.rr.with_policy_v1 (bytes.lit POLICY) (bytes.lit CASSETTE) (i32.lit mode) body) literal args; value of body",
    "std.stream.pipe_v1": "(std.stream.pipe_v1 cfg src chain sink) streaming pipe built from std.stream.* descriptor forms -> bytes",
}

# --------------------------------------------------------------------------------------
# Diagnostic codes and compiler message texts custody reuses
# (catalog/diagnostics.json, crates/x07c/src/lint.rs, crates/x07/src/toolchain.rs,
# crates/x07c/src/c_emit_builtins.rs, c_emit_core.rs, c_emit_async.rs).
# Placeholders use str.format names. Names are printed the way Rust's {:?} prints a
# string: in double quotes. Compiler errors raised with a location get the suffix
# " (fn=<fn> ptr=<json pointer>)" (or only one of the two).
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Msg:
    template: str
    explanation: str
    code: str | None = None  # the diagnostic code, when the text belongs to one


MESSAGES: dict[str, Msg] = {
    # --- coded lint diagnostics (x07c lint stage) ---
    "X07-BORROW-0001": Msg(
        "{head} requires an identifier owner (bind the value to a local with `let` first)",
        "bytes.view / bytes.subview / vec_u8.as_view applied to a temporary expression; fix: "
        "bind it with let first, or use bytes.view_lit for (bytes.view (bytes.lit T))",
        "X07-BORROW-0001",
    ),
    "X07-BORROW-0002": Msg(
        "{head} returns a bytes_view that borrows from a local binding: {names}",
        "a begin/unsafe block's value is a view of an owner let-bound inside that block, so "
        "the view escapes its owner's scope; fix: hoist the owner's let out of the block",
        "X07-BORROW-0002",
    ),
    "X07-MOVE-0001": Msg(
        "bytes.concat uses the same identifier twice",
        "bytes.concat moves both args, so (bytes.concat x x) is a use after move; fix: copy "
        "one side: (bytes.concat (view.to_bytes (bytes.view x)) x)",
        "X07-MOVE-0001",
    ),
    "X07-MOVE-0002": Msg(
        "if uses bytes.view of the same identifier in condition and branch",
        "the if condition and a branch both take bytes.view of one owner; fix: give the "
        "condition its own copy (view.to_bytes (bytes.view x))",
        "X07-MOVE-0002",
    ),
    # --- how `x07 check` reports compiler (codegen stage) errors ---
    "X07-MOVE-0901": Msg(
        "{compiler_message}",
        "a compiler error whose text contains 'use after move'; quickfix replaces the moved "
        "occurrence (at moved_ptr) with (view.to_bytes (bytes.view x)): copy before move",
        "X07-MOVE-0901",
    ),
    "X07-MOVE-0902": Msg(
        "{compiler_message}",
        "any other compiler error whose text contains 'borrow' (move/set/drop/<op> while "
        "borrowed, borrow source errors); a bytes_view borrow must not outlive its owner",
        "X07-MOVE-0902",
    ),
    "X07-TYPE-COERCE-0001": Msg(
        'implicit call arg coercion for "{callee}" (arg {arg_index}): {got} -> {want}',
        "strict-compat warning: an owned bytes/vec_u8 was passed where bytes_view is "
        "declared and the call borrows it implicitly",
        "X07-TYPE-COERCE-0001",
    ),
    "X07-MIGRATE-COERCE-0001": Msg(
        'migration required: explicitize compat coercions in call "{head}"',
        "lint asks to make the implicit bytes -> bytes_view call-arg borrows explicit "
        "(x07 migrate --write --to 0.5)",
        "X07-MIGRATE-COERCE-0001",
    ),
    # --- compiler (x07c codegen) message texts ---
    "use_after_move": Msg(
        'use after move: "{name}" moved_ptr={moved_ptr}',
        "an owned local is used after it was moved; moved_ptr is the JSON pointer of the "
        "move (or <unknown>)",
    ),
    "use_after_move_async": Msg(
        'use after move: "{name}" ptr={use_ptr} moved_ptr={moved_ptr}',
        "the defasync-body variant of use after move (c_emit_async.rs)",
    ),
    "move_while_borrowed": Msg(
        'move while borrowed: "{name}"',
        "an owned local is moved (let y x, owned call arg, unwrap_or default) while a view "
        "of it is alive",
    ),
    "set_while_borrowed": Msg(
        'set while borrowed: "{name}" borrowed_by="{borrower}" borrowed_ptr={borrow_ptr}',
        "set of an owned local while a view of it is alive; the borrowed_by part names one "
        "live view binding and is left out when none is found",
    ),
    "op_while_borrowed": Msg(
        '{op} while borrowed: "{name}"',
        "a mutating builtin (bytes.set_u8, vec_u8.push / extend_bytes / extend_bytes_range / "
        "extend_zeroes / reserve_exact / clear / set / into_bytes, __internal.bytes.drop_v1) "
        "on a borrowed owner; vec_u8.set also appends the borrowed_by suffix",
    ),
    "drop_while_borrowed": Msg(
        'drop while borrowed: "{c_name}"',
        "an owner goes out of scope while a view still borrows it; the name printed is the "
        "generated C local (e.g. v_12), not the X07 name",
    ),
    "borrow_of_moved_value": Msg(
        "borrow of moved value",
        "after an if, a value moved in one branch is still borrowed by a view that "
        "survives the merge",
    ),
    "requires_ident_owner": Msg(
        "{head} requires an identifier owner (bind the value to a local with let first)",
        "bytes.view / bytes.subview / vec_u8.as_view / std.brand.view_v1 given a "
        "non-identifier (compiler text; the lint text wraps let in backticks)",
    ),
    "view_source_requires_ident": Msg(
        "bytes_view borrow source requires an identifier owner",
        "a bytes / vec_u8 temporary was used where a view's borrow source had to be named "
        "(unwrap_or defaults, try on a view result, view-returning calls)",
    ),
    "single_borrow_source": Msg(
        "bytes_view must have a single borrow source across branches",
        "the branches of an if (or the two args of *_view.unwrap_or) yield views of "
        "different owners; also with option_bytes_view / result_bytes_view in place of bytes_view",
    ),
    "single_borrow_source_merge": Msg(
        "{ty} must have a single borrow source across branches",
        "merge of a view binding reassigned differently in the two if branches; {ty} is the "
        "compiler's type name (BytesView, OptionBytesView, ResultBytesView)",
    ),
    "returns_view_from_local": Msg(
        'function "{fn}" returns bytes_view borrowed from local owned buffer "{owner}"',
        "a view-returning function returns a view of a local or of a by-value bytes / vec_u8 "
        "parameter; also option_bytes_view / result_bytes_view variants",
    ),
    "returns_view_no_source": Msg(
        'function "{fn}" returns bytes_view but no borrow source could be inferred',
        "the view-return analysis could not tie the returned view to a parameter",
    ),
    "cannot_infer_borrow_source": Msg(
        "cannot infer borrow source for bytes_view expression",
        "a view-typed expression the borrow tracker does not model (e.g. an unknown head)",
    ),
    "let_expr_owned": Msg(
        "let expression cannot produce an owned value; use (begin (let ...) <var>)",
        "(let x e) used in value position where the value is owned",
    ),
    "set_expr_owned": Msg(
        "set expression cannot produce an owned value; use (begin (set ...) <var>)",
        "(set x e) used in value position where the value is owned",
    ),
    "duplicate_let": Msg(
        'duplicate let binding in same scope: "{name}"',
        "a second let of the same name in one scope (shadowing needs an inner begin)",
    ),
    "type_mismatch_in_move": Msg(
        'type mismatch in move: "{name}"',
        "(let y x) where x's type or brand differs from the inferred binding type",
    ),
    "unsafe_required": Msg(
        "unsafe-required: {head}",
        "a pointer / brand-assume op outside an (unsafe ...) block",
    ),
    "view_escapes_block": Msg(
        'unknown identifier: "{name}"',
        "no dedicated compiler text: the compiler looks the escaped owner up after its "
        "block was closed and reports it as unknown; the lint reports X07-BORROW-0002 first",
    ),
}

# "result used twice" has no text of its own: for result_bytes / result_result_bytes it is
# the use-after-move message; result_i32 and option_i32 are not move-tracked at all.
