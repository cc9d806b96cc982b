/* X07 core builtins in C99 on custody's runtime (see custody_builtins.h for the conventions). */
#include "custody_builtins.h"

#include <string.h>

/* ---------------------------------------------------------------- helpers */
static uint8_t *cus_alloc(uint32_t size, uint32_t n) { return (uint8_t *)rt_alloc(size, 1, n); }

static rt_bytes cus_fresh(uint32_t len, uint32_t n) {
    rt_bytes b;
    b.ptr = cus_alloc(len, n);
    b.len = len;
    b.oid = rt_owner_new(n);
    return b;
}

static void cus_range(uint32_t start, uint32_t len, uint32_t have, uint32_t n, const char *what) {
    if (start > have || have - start < len) rt_trap(RT_TRAP_BOUNDS, n, what);
}

/* ---------------------------------------------------------------- ownership glue */
rt_bytes cus_move_bytes(rt_bytes *x, uint32_t n) {
    rt_bytes v = *x;
    rt_check_owner_use(x->oid, n);
    rt_check_owner_move(x->oid, n);
    rt_owner_moved(x->oid, n);
    x->ptr = NULL;
    x->len = 0;
    v.oid = v.ptr ? rt_owner_new(n) : 0;
    return v;
}

rt_vec_u8 cus_move_vec(rt_vec_u8 *x, uint32_t n) {
    rt_vec_u8 v = *x;
    rt_check_owner_use(x->oid, n);
    rt_check_owner_move(x->oid, n);
    rt_owner_moved(x->oid, n);
    x->ptr = NULL;
    x->len = 0;
    x->cap = 0;
    v.oid = v.ptr ? rt_owner_new(n) : 0;
    return v;
}

rt_bytes cus_take_bytes(rt_bytes *x, uint32_t n) {
    rt_bytes v = *x;
    rt_check_owner_use(x->oid, n);
    x->ptr = NULL;
    x->len = 0;
    x->oid = 0;
    return v;
}

rt_vec_u8 cus_take_vec(rt_vec_u8 *x, uint32_t n) {
    rt_vec_u8 v = *x;
    rt_check_owner_use(x->oid, n);
    x->ptr = NULL;
    x->len = 0;
    x->cap = 0;
    x->oid = 0;
    return v;
}

cus_opt_bytes cus_move_opt_bytes(cus_opt_bytes *x, uint32_t n) {
    cus_opt_bytes v = *x;
    (void)n;
    x->tag = 0;
    x->val.ptr = NULL;
    x->val.len = 0;
    x->val.oid = 0;
    return v;
}

cus_res_bytes cus_move_res_bytes(cus_res_bytes *x, uint32_t n) {
    cus_res_bytes v = *x;
    (void)n;
    x->tag = 0;
    x->err = 0;
    x->ok.ptr = NULL;
    x->ok.len = 0;
    x->ok.oid = 0;
    return v;
}

/* The variable keeps the owner id of what it dropped, so a view that outlives the drop (only
 * possible in unchecked code) is reported as use after free when it is next borrowed. */
void cus_drop_bytes(rt_bytes *b, uint32_t n) {
    uint32_t oid = b->oid;
    if (b->ptr != NULL) rt_bytes_drop(b, n);
    b->ptr = NULL;
    b->len = 0;
    b->oid = oid;
}

void cus_drop_vec(rt_vec_u8 *v, uint32_t n) {
    uint32_t oid = v->oid;
    if (v->ptr != NULL) rt_vec_u8_drop(v, n);
    v->ptr = NULL;
    v->len = 0;
    v->cap = 0;
    v->oid = oid;
}

void cus_drop_opt_bytes(cus_opt_bytes *o, uint32_t n) {
    if (o->tag) cus_drop_bytes(&o->val, n);
    o->tag = 0;
}

void cus_drop_res_bytes(cus_res_bytes *r, uint32_t n) {
    if (r->tag) cus_drop_bytes(&r->ok, n);
    r->tag = 0;
}

rt_bytes cus_own_bytes(rt_bytes b, uint32_t n) {
    if (b.ptr == NULL) b.ptr = cus_alloc(0, n);
    if (b.oid == 0) b.oid = rt_owner_new(n);
    return b;
}

rt_view cus_borrow(rt_view v, uint32_t oid, uint32_t *bid, uint32_t n) {
    *bid = rt_borrow_acquire(oid, n);
    v.bid = *bid;
    return v;
}

void cus_release(uint32_t *bid) {
    if (*bid != 0) rt_borrow_release(*bid);
    *bid = 0;
}

/* ---------------------------------------------------------------- bytes */
rt_bytes cus_bytes_alloc(uint32_t len, uint32_t n) { return cus_fresh(len, n); }

rt_bytes cus_bytes_empty(uint32_t n) { return cus_fresh(0, n); }

rt_bytes cus_bytes1(uint32_t x, uint32_t n) {
    rt_bytes b = cus_fresh(1, n);
    b.ptr[0] = (uint8_t)(x & 0xFFu);
    return b;
}

rt_bytes cus_bytes_lit(const char *text, uint32_t len, uint32_t n) {
    rt_bytes b = cus_fresh(len, n);
    if (len) rt_memcpy(b.ptr, text, len);
    return b;
}

rt_view cus_view_lit(const char *text, uint32_t len) {
    return rt_runtime_view((const uint8_t *)text, len);
}

rt_bytes cus_bytes_set_u8(rt_bytes b, uint32_t i, uint32_t x, uint32_t n) {
    if (i >= b.len) rt_trap(RT_TRAP_BOUNDS, n, "bytes.set_u8: index out of range");
    b.ptr[i] = (uint8_t)(x & 0xFFu);
    return b;
}

rt_bytes cus_bytes_slice(rt_view v, uint32_t start, uint32_t len, uint32_t n) {
    rt_bytes out;
    rt_check_view(v, n);
    cus_range(start, len, v.len, n, "bytes.slice: range out of bounds");
    out = cus_fresh(len, n);
    if (len) rt_memcpy(out.ptr, v.ptr + start, len);
    return out;
}

rt_bytes cus_bytes_copy(rt_bytes src, rt_bytes dst, uint32_t n) {
    if (dst.len < src.len) rt_trap(RT_TRAP_BOUNDS, n, "bytes.copy: destination shorter than source");
    if (src.len) rt_memcpy(dst.ptr, src.ptr, src.len);
    cus_drop_bytes(&src, n);
    return dst;
}

rt_bytes cus_bytes_concat(rt_bytes a, rt_bytes b, uint32_t n) {
    rt_bytes out;
    if (0xFFFFFFFFu - a.len < b.len) rt_trap(RT_TRAP_OOM, n, "bytes.concat: result too large");
    out = cus_fresh(a.len + b.len, n);
    if (a.len) rt_memcpy(out.ptr, a.ptr, a.len);
    if (b.len) rt_memcpy(out.ptr + a.len, b.ptr, b.len);
    cus_drop_bytes(&a, n);
    cus_drop_bytes(&b, n);
    return out;
}

rt_view cus_bytes_view(rt_bytes b, uint32_t n) {
    rt_view v;
    (void)n;
    v.ptr = b.ptr;
    v.len = b.len;
    v.bid = 0;
    return v;
}

rt_view cus_bytes_subview(rt_bytes b, uint32_t start, uint32_t len, uint32_t n) {
    rt_view v;
    cus_range(start, len, b.len, n, "bytes.subview: range out of bounds");
    v.ptr = b.ptr ? b.ptr + start : NULL;
    v.len = len;
    v.bid = 0;
    return v;
}

rt_bytes cus_bytes_put_u32_le(rt_bytes b, uint32_t off, uint32_t x, uint32_t n) {
    cus_range(off, 4, b.len, n, "record/enum word out of range");
    b.ptr[off] = (uint8_t)(x & 0xFFu);
    b.ptr[off + 1] = (uint8_t)((x >> 8) & 0xFFu);
    b.ptr[off + 2] = (uint8_t)((x >> 16) & 0xFFu);
    b.ptr[off + 3] = (uint8_t)((x >> 24) & 0xFFu);
    return b;
}

/* ---------------------------------------------------------------- views */
uint32_t cus_view_len(rt_view v, uint32_t n) {
    rt_check_view(v, n);
    return v.len;
}

uint32_t cus_view_get_u8(rt_view v, uint32_t i, uint32_t n) {
    rt_check_view(v, n);
    if (i >= v.len) rt_trap(RT_TRAP_BOUNDS, n, "get_u8: index out of range");
    return v.ptr[i];
}

rt_view cus_view_slice(rt_view v, uint32_t start, uint32_t len, uint32_t n) {
    rt_check_view(v, n);
    cus_range(start, len, v.len, n, "view.slice: range out of bounds");
    v.ptr = v.ptr ? v.ptr + start : NULL;
    v.len = len;
    return v;
}

rt_bytes cus_view_to_bytes(rt_view v, uint32_t n) {
    rt_bytes out;
    rt_check_view(v, n);
    out = cus_fresh(v.len, n);
    if (v.len) rt_memcpy(out.ptr, v.ptr, v.len);
    return out;
}

uint32_t cus_view_eq(rt_view a, rt_view b, uint32_t n) {
    rt_check_view(a, n);
    rt_check_view(b, n);
    if (a.len != b.len) return 0;
    return a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0;
}

uint32_t cus_view_cmp_range(rt_view a, uint32_t aoff, uint32_t alen,
                            rt_view b, uint32_t boff, uint32_t blen, uint32_t n) {
    uint32_t m;
    int c = 0;
    rt_check_view(a, n);
    rt_check_view(b, n);
    cus_range(aoff, alen, a.len, n, "cmp_range: first range out of bounds");
    cus_range(boff, blen, b.len, n, "cmp_range: second range out of bounds");
    m = alen < blen ? alen : blen;
    if (m) c = memcmp(a.ptr + aoff, b.ptr + boff, m);
    if (c < 0) return 0xFFFFFFFFu;
    if (c > 0) return 1;
    if (alen < blen) return 0xFFFFFFFFu;
    return alen > blen ? 1u : 0u;
}

/* ---------------------------------------------------------------- vec_u8 */
rt_vec_u8 cus_vec_new(uint32_t cap, uint32_t n) {
    rt_vec_u8 v;
    v.ptr = cus_alloc(cap, n);
    v.len = 0;
    v.cap = cap;
    v.oid = rt_owner_new(n);
    return v;
}

uint32_t cus_vec_len(rt_vec_u8 v, uint32_t n) { (void)n; return v.len; }

uint32_t cus_vec_cap(rt_vec_u8 v, uint32_t n) { (void)n; return v.cap; }

uint32_t cus_vec_get(rt_vec_u8 v, uint32_t i, uint32_t n) {
    if (i >= v.len) rt_trap(RT_TRAP_BOUNDS, n, "vec_u8.get: index out of range");
    return v.ptr[i];
}

rt_vec_u8 cus_vec_set(rt_vec_u8 v, uint32_t i, uint32_t x, uint32_t n) {
    if (i >= v.len) rt_trap(RT_TRAP_BOUNDS, n, "vec_u8.set: index out of range");
    v.ptr[i] = (uint8_t)(x & 0xFFu);
    return v;
}

/* grows the buffer to at least `need` bytes: doubling from the current capacity, or exactly */
static rt_vec_u8 cus_vec_grow(rt_vec_u8 v, uint32_t need, int exact, uint32_t n) {
    uint32_t cap = v.cap;
    if (need <= cap) return v;
    if (exact) {
        cap = need;
    } else {
        if (cap == 0) cap = 1;
        while (cap < need) cap = (cap > 0x7FFFFFFFu) ? need : cap * 2u;
    }
    if (v.ptr == NULL) {
        v.ptr = cus_alloc(cap, n);
    } else {
        v.ptr = (uint8_t *)rt_realloc(v.ptr, v.cap, cap, 1, n);
    }
    v.cap = cap;
    return v;
}

rt_vec_u8 cus_vec_push(rt_vec_u8 v, uint32_t x, uint32_t n) {
    if (v.len == 0xFFFFFFFFu) rt_trap(RT_TRAP_OOM, n, "vec_u8.push: vector full");
    v = cus_vec_grow(v, v.len + 1u, 0, n);
    v.ptr[v.len++] = (uint8_t)(x & 0xFFu);
    return v;
}

rt_vec_u8 cus_vec_reserve_exact(rt_vec_u8 v, uint32_t extra, uint32_t n) {
    if (extra > 0xFFFFFFFFu - v.len) rt_trap(RT_TRAP_OOM, n, "vec_u8.reserve_exact: too large");
    return cus_vec_grow(v, v.len + extra, 1, n);
}

rt_vec_u8 cus_vec_extend_zeroes(rt_vec_u8 v, uint32_t count, uint32_t n) {
    if (count > 0xFFFFFFFFu - v.len) rt_trap(RT_TRAP_OOM, n, "vec_u8.extend_zeroes: too large");
    v = cus_vec_grow(v, v.len + count, 0, n);
    if (count) memset(v.ptr + v.len, 0, count);
    v.len += count;
    return v;
}

rt_vec_u8 cus_vec_clear(rt_vec_u8 v, uint32_t n) { (void)n; v.len = 0; return v; }

rt_vec_u8 cus_vec_extend_bytes(rt_vec_u8 v, rt_view b, uint32_t n) {
    rt_check_view(b, n);
    if (b.len > 0xFFFFFFFFu - v.len) rt_trap(RT_TRAP_OOM, n, "vec_u8.extend_bytes: too large");
    v = cus_vec_grow(v, v.len + b.len, 0, n);
    if (b.len) rt_memcpy(v.ptr + v.len, b.ptr, b.len);
    v.len += b.len;
    return v;
}

rt_vec_u8 cus_vec_extend_bytes_range(rt_vec_u8 v, rt_view b, uint32_t start, uint32_t len,
                                     uint32_t n) {
    rt_check_view(b, n);
    cus_range(start, len, b.len, n, "vec_u8.extend_bytes_range: range out of bounds");
    b.ptr = b.ptr ? b.ptr + start : NULL;
    b.len = len;
    return cus_vec_extend_bytes(v, b, n);
}

rt_bytes cus_vec_into_bytes(rt_vec_u8 v, uint32_t n) {
    rt_bytes out;
    uint32_t oid = v.oid;
    if (v.ptr == NULL) return cus_fresh(0, n);      /* a moved-out vector: empty, like X07 */
    v.oid = 0;                                      /* the emitter already checked the borrow */
    out = rt_vec_u8_into_bytes(&v, n);
    rt_owner_moved(oid, n);
    return cus_own_bytes(out, n);
}

rt_view cus_vec_as_view(rt_vec_u8 v, uint32_t n) {
    rt_view out;
    (void)n;
    out.ptr = v.ptr;
    out.len = v.len;
    out.bid = 0;
    return out;
}

/* ---------------------------------------------------------------- option / result */
cus_opt_i32 cus_opt_i32_make(uint32_t tag, uint32_t val) {
    cus_opt_i32 o;
    o.tag = tag;
    o.val = tag ? val : 0;
    return o;
}

cus_res_i32 cus_res_i32_make(uint32_t tag, uint32_t val) {
    cus_res_i32 r;
    r.tag = tag;
    r.val = val;
    return r;
}

cus_opt_bytes cus_opt_bytes_make(uint32_t tag, rt_bytes val) {
    cus_opt_bytes o;
    o.tag = tag;
    o.val = val;
    if (!tag) { o.val.ptr = NULL; o.val.len = 0; o.val.oid = 0; }
    return o;
}

cus_opt_bytes cus_opt_bytes_none(void) {
    cus_opt_bytes o;
    o.tag = 0;
    o.val.ptr = NULL;
    o.val.len = 0;
    o.val.oid = 0;
    return o;
}

cus_res_bytes cus_res_bytes_ok(rt_bytes val) {
    cus_res_bytes r;
    r.tag = 1;
    r.err = 0;
    r.ok = val;
    return r;
}

cus_res_bytes cus_res_bytes_err(uint32_t code) {
    cus_res_bytes r;
    r.tag = 0;
    r.err = code;
    r.ok.ptr = NULL;
    r.ok.len = 0;
    r.ok.oid = 0;
    return r;
}

cus_opt_view cus_opt_view_make(uint32_t tag, rt_view val) {
    cus_opt_view o;
    o.tag = tag;
    o.val = val;
    if (!tag) { o.val.ptr = NULL; o.val.len = 0; o.val.bid = 0; }
    return o;
}

cus_res_view cus_res_view_ok(rt_view val) {
    cus_res_view r;
    r.tag = 1;
    r.err = 0;
    r.ok = val;
    return r;
}

cus_res_view cus_res_view_err(uint32_t code) {
    cus_res_view r;
    r.tag = 0;
    r.err = code;
    r.ok.ptr = NULL;
    r.ok.len = 0;
    r.ok.bid = 0;
    return r;
}

rt_bytes cus_opt_bytes_unwrap_or(cus_opt_bytes o, rt_bytes dflt, uint32_t n) {
    if (o.tag) {
        cus_drop_bytes(&dflt, n);
        return o.val;
    }
    return dflt;
}

rt_bytes cus_res_bytes_unwrap_or(cus_res_bytes r, rt_bytes dflt, uint32_t n) {
    if (r.tag) {
        cus_drop_bytes(&dflt, n);
        return r.ok;
    }
    return dflt;
}

/* ---------------------------------------------------------------- codec / fmt / parse */
uint32_t cus_codec_read_u32_le(rt_view v, uint32_t off, uint32_t n) {
    rt_check_view(v, n);
    cus_range(off, 4, v.len, n, "codec.read_u32_le: offset out of range");
    return (uint32_t)v.ptr[off] | ((uint32_t)v.ptr[off + 1] << 8) |
           ((uint32_t)v.ptr[off + 2] << 16) | ((uint32_t)v.ptr[off + 3] << 24);
}

rt_bytes cus_codec_write_u32_le(uint32_t x, uint32_t n) {
    rt_bytes b = cus_fresh(4, n);
    b.ptr[0] = (uint8_t)(x & 0xFFu);
    b.ptr[1] = (uint8_t)((x >> 8) & 0xFFu);
    b.ptr[2] = (uint8_t)((x >> 16) & 0xFFu);
    b.ptr[3] = (uint8_t)((x >> 24) & 0xFFu);
    return b;
}

static rt_bytes cus_dec(uint32_t mag, int negative, uint32_t n) {
    uint8_t digits[12];
    uint32_t k = 0, i;
    rt_bytes b;
    do {
        digits[k++] = (uint8_t)('0' + mag % 10u);
        mag /= 10u;
    } while (mag != 0);
    b = cus_fresh(k + (negative ? 1u : 0u), n);
    i = 0;
    if (negative) b.ptr[i++] = '-';
    while (k > 0) b.ptr[i++] = digits[--k];
    return b;
}

rt_bytes cus_fmt_u32_to_dec(uint32_t x, uint32_t n) { return cus_dec(x, 0, n); }

rt_bytes cus_fmt_s32_to_dec(uint32_t x, uint32_t n) {
    if (x & 0x80000000u) return cus_dec(~x + 1u, 1, n);
    return cus_dec(x, 0, n);
}

static uint32_t cus_parse_digits(const uint8_t *p, uint32_t len, uint32_t n) {
    uint32_t acc = 0, i;
    if (len == 0) rt_trap(RT_TRAP_UNWRAP, n, "parse.u32_dec: empty input is not a number");
    for (i = 0; i < len; i++) {
        uint32_t d;
        if (p[i] < '0' || p[i] > '9')
            rt_trap(RT_TRAP_UNWRAP, n, "parse.u32_dec: non-digit byte (the whole view must be digits)");
        d = (uint32_t)(p[i] - '0');
        if (acc > (0xFFFFFFFFu - d) / 10u) rt_trap(RT_TRAP_UNWRAP, n, "parse.u32_dec: overflow");
        acc = acc * 10u + d;
    }
    return acc;
}

uint32_t cus_parse_u32_dec(rt_view v, uint32_t n) {
    rt_check_view(v, n);
    return cus_parse_digits(v.ptr, v.len, n);
}

uint32_t cus_parse_u32_dec_at(rt_view v, uint32_t off, uint32_t n) {
    rt_check_view(v, n);
    if (off > v.len) rt_trap(RT_TRAP_BOUNDS, n, "parse.u32_dec_at: offset out of range");
    return cus_parse_digits(v.ptr + off, v.len - off, n);
}

/* ---------------------------------------------------------------- unsafe escapes */
const uint8_t *cus_bytes_leak_ptr(rt_bytes b, uint32_t n) {
    (void)n;
    return b.ptr;
}
