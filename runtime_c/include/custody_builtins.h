/* The C side of X07's core builtins, on top of custody_rt.h.
 *
 * custody's emitter (runtime_c/emit_c.py) translates every X07 builtin call into one call of a
 * `cus_*` function below; each takes `n`, the id of the source node, as its last argument so a
 * trap or a borrow violation can be mapped back to the call that caused it.
 *
 * Conventions
 *   - X07's i32 is a 32-bit word: arithmetic wraps, `/` and `%` are unsigned, and comparisons
 *     come in signed (`<`) and unsigned (`<u`) flavours. Words are uint32_t here.
 *   - A live owned value (rt_bytes, rt_vec_u8) always has a non-NULL `ptr` (an empty value holds
 *     a zero-sized allocation). ptr == NULL marks a moved-out variable: drops skip it, and its
 *     `oid` is kept so a later use is reported as use after move by the borrow table.
 *   - Functions that consume an owned argument drop it through rt_bytes_drop / rt_vec_u8_drop.
 *   - Every read through a view goes through rt_check_view first.
 *   - Index and range errors trap RT_TRAP_BOUNDS with the node id.
 */
#ifndef CUSTODY_BUILTINS_H
#define CUSTODY_BUILTINS_H

#include "custody_rt.h"

/* ---------------------------------------------------------------- option / result values */
typedef struct { uint32_t tag; uint32_t val; } cus_opt_i32;              /* tag 1: some */
typedef struct { uint32_t tag; uint32_t val; } cus_res_i32;              /* tag 1: ok, else val = err */
typedef struct { uint32_t tag; rt_bytes val; } cus_opt_bytes;
typedef struct { uint32_t tag; uint32_t err; rt_bytes ok; } cus_res_bytes;
typedef struct { uint32_t tag; rt_view val; } cus_opt_view;
typedef struct { uint32_t tag; uint32_t err; rt_view ok; } cus_res_view;

/* ---------------------------------------------------------------- i32 operators */
static inline uint32_t cus_div(uint32_t a, uint32_t b) { return b == 0u ? 0u : a / b; }
static inline uint32_t cus_rem(uint32_t a, uint32_t b) { return b == 0u ? a : a % b; }
static inline uint32_t cus_lt(uint32_t a, uint32_t b) { return (a ^ 0x80000000u) < (b ^ 0x80000000u); }
static inline uint32_t cus_le(uint32_t a, uint32_t b) { return (a ^ 0x80000000u) <= (b ^ 0x80000000u); }
static inline uint32_t cus_shl(uint32_t a, uint32_t b) { return a << (b & 31u); }
static inline uint32_t cus_shr(uint32_t a, uint32_t b) { return a >> (b & 31u); }

/* ---------------------------------------------------------------- ownership glue */
/* Moves variable *x out: checks move-while-borrowed and use-after-move, tells the borrow table
 * the variable no longer owns the value, gives the value a fresh owner id, empties *x. */
rt_bytes cus_move_bytes(rt_bytes *x, uint32_t n);
rt_vec_u8 cus_move_vec(rt_vec_u8 *x, uint32_t n);
/* Hands a mutator its owner: the value keeps its owner id (it comes back updated). */
rt_bytes cus_take_bytes(rt_bytes *x, uint32_t n);
rt_vec_u8 cus_take_vec(rt_vec_u8 *x, uint32_t n);
cus_opt_bytes cus_move_opt_bytes(cus_opt_bytes *x, uint32_t n);
cus_res_bytes cus_move_res_bytes(cus_res_bytes *x, uint32_t n);
/* Drop glue: no-ops on moved-out values. */
void cus_drop_bytes(rt_bytes *b, uint32_t n);
void cus_drop_vec(rt_vec_u8 *v, uint32_t n);
void cus_drop_opt_bytes(cus_opt_bytes *o, uint32_t n);
void cus_drop_res_bytes(cus_res_bytes *r, uint32_t n);
/* A fresh owned value gets an owner id unless it has one. */
rt_bytes cus_own_bytes(rt_bytes b, uint32_t n);
/* A view borrowing a named owner for a lexical scope (let) or one call (temporary). */
rt_view cus_borrow(rt_view v, uint32_t oid, uint32_t *bid, uint32_t n);
void cus_release(uint32_t *bid);

/* ---------------------------------------------------------------- bytes */
rt_bytes cus_bytes_alloc(uint32_t len, uint32_t n);          /* zeroed */
rt_bytes cus_bytes_empty(uint32_t n);
rt_bytes cus_bytes1(uint32_t x, uint32_t n);
rt_bytes cus_bytes_lit(const char *text, uint32_t len, uint32_t n);
rt_view cus_view_lit(const char *text, uint32_t len);
rt_bytes cus_bytes_set_u8(rt_bytes b, uint32_t i, uint32_t x, uint32_t n);
rt_bytes cus_bytes_slice(rt_view v, uint32_t start, uint32_t len, uint32_t n);   /* copies */
rt_bytes cus_bytes_copy(rt_bytes src, rt_bytes dst, uint32_t n);   /* consumes src, returns dst */
rt_bytes cus_bytes_concat(rt_bytes a, rt_bytes b, uint32_t n);     /* consumes both */
rt_view cus_bytes_view(rt_bytes b, uint32_t n);                     /* raw view, no borrow yet */
rt_view cus_bytes_subview(rt_bytes b, uint32_t start, uint32_t len, uint32_t n);
/* writes x little-endian at off (records and enums are packed u32 words) */
rt_bytes cus_bytes_put_u32_le(rt_bytes b, uint32_t off, uint32_t x, uint32_t n);

/* ---------------------------------------------------------------- views */
uint32_t cus_view_len(rt_view v, uint32_t n);
uint32_t cus_view_get_u8(rt_view v, uint32_t i, uint32_t n);
rt_view cus_view_slice(rt_view v, uint32_t start, uint32_t len, uint32_t n);
rt_bytes cus_view_to_bytes(rt_view v, uint32_t n);
uint32_t cus_view_eq(rt_view a, rt_view b, uint32_t n);
uint32_t cus_view_cmp_range(rt_view a, uint32_t aoff, uint32_t alen,
                            rt_view b, uint32_t boff, uint32_t blen, uint32_t n);

/* ---------------------------------------------------------------- vec_u8 */
rt_vec_u8 cus_vec_new(uint32_t cap, uint32_t n);
uint32_t cus_vec_len(rt_vec_u8 v, uint32_t n);
uint32_t cus_vec_cap(rt_vec_u8 v, uint32_t n);
uint32_t cus_vec_get(rt_vec_u8 v, uint32_t i, uint32_t n);
rt_vec_u8 cus_vec_set(rt_vec_u8 v, uint32_t i, uint32_t x, uint32_t n);
rt_vec_u8 cus_vec_push(rt_vec_u8 v, uint32_t x, uint32_t n);
rt_vec_u8 cus_vec_reserve_exact(rt_vec_u8 v, uint32_t extra, uint32_t n);
rt_vec_u8 cus_vec_extend_zeroes(rt_vec_u8 v, uint32_t count, uint32_t n);
rt_vec_u8 cus_vec_clear(rt_vec_u8 v, uint32_t n);
rt_vec_u8 cus_vec_extend_bytes(rt_vec_u8 v, rt_view b, uint32_t n);
rt_vec_u8 cus_vec_extend_bytes_range(rt_vec_u8 v, rt_view b, uint32_t start, uint32_t len,
                                     uint32_t n);
rt_bytes cus_vec_into_bytes(rt_vec_u8 v, uint32_t n);              /* consumes v, no copy */
rt_view cus_vec_as_view(rt_vec_u8 v, uint32_t n);                   /* raw view, no borrow yet */

/* ---------------------------------------------------------------- option / result */
cus_opt_i32 cus_opt_i32_make(uint32_t tag, uint32_t val);
cus_res_i32 cus_res_i32_make(uint32_t tag, uint32_t val);
cus_opt_bytes cus_opt_bytes_make(uint32_t tag, rt_bytes val);
cus_opt_bytes cus_opt_bytes_none(void);
cus_res_bytes cus_res_bytes_ok(rt_bytes val);
cus_res_bytes cus_res_bytes_err(uint32_t code);
cus_opt_view cus_opt_view_make(uint32_t tag, rt_view val);
cus_res_view cus_res_view_ok(rt_view val);
cus_res_view cus_res_view_err(uint32_t code);
rt_bytes cus_opt_bytes_unwrap_or(cus_opt_bytes o, rt_bytes dflt, uint32_t n);  /* consumes both */
rt_bytes cus_res_bytes_unwrap_or(cus_res_bytes r, rt_bytes dflt, uint32_t n);  /* consumes both */

/* ---------------------------------------------------------------- codec / fmt / parse / prng */
uint32_t cus_codec_read_u32_le(rt_view v, uint32_t off, uint32_t n);
rt_bytes cus_codec_write_u32_le(uint32_t x, uint32_t n);
rt_bytes cus_fmt_u32_to_dec(uint32_t x, uint32_t n);
rt_bytes cus_fmt_s32_to_dec(uint32_t x, uint32_t n);
uint32_t cus_parse_u32_dec(rt_view v, uint32_t n);                 /* traps on a non-number */
uint32_t cus_parse_u32_dec_at(rt_view v, uint32_t off, uint32_t n);
static inline uint32_t cus_prng_lcg_next_u32(uint32_t s) { return s * 1103515245u + 12345u; }

/* ---------------------------------------------------------------- unsafe escapes */
/* bytes.as_ptr: consumes the value and never frees it (the run then reports a leak). */
const uint8_t *cus_bytes_leak_ptr(rt_bytes b, uint32_t n);

#endif
