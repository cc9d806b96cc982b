/* Unit tests of the runtime heap (rt_heap.c) and the drop helpers built on it.
 *
 * Some tests know the heap's layout (documented in rt_heap.c): a chunk for a request of s bytes
 * is round_up(s + 8, 16) bytes, at least 32; user memory starts 16 bytes into the arena; top
 * needs 16 bytes of slack. So after everything is freed the arena holds one allocation of
 * cap - 24 bytes, and three neighbouring 1000-byte allocations coalesce into room for 3016.
 */
#include "rt_test.h"

#include <stdint.h>

static const rt_mem_stats *zero_stats(void) {
    static rt_mem_stats z;
    return &z;
}

static int stats_equal(rt_mem_stats a, const rt_mem_stats *b) {
    return memcmp(&a, b, sizeof a) == 0;
}

static uint64_t rng_state = 0x243F6A8885A308D3ull;
static uint32_t rnd(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static void test_alignment(void) {
    static const uint32_t aligns[] = { 0, 1, 2, 4, 8, 16, 32, 64, 256, 4096 };
    static const uint32_t sizes[] = { 0, 1, 7, 16, 100, 5000 };
    size_t i, j;
    init_rt(1 << 20, 0, 0);
    for (i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        for (j = 0; j < sizeof sizes / sizeof sizes[0]; j++) {
            uint32_t a = aligns[i] ? aligns[i] : 1;
            uint8_t *p = (uint8_t *)rt_alloc(sizes[j], aligns[i], 0);
            uint8_t *q = (uint8_t *)rt_alloc(3, 1, 0);   /* a neighbour to overrun into */
            CHECK(p != NULL);
            CHECK(((uintptr_t)p % a) == 0);
            CHECK(((uintptr_t)p % 16) == 0);             /* everything is at least 16-aligned */
            if (sizes[j]) memset(p, 0x5A, sizes[j]);
            memset(q, 0x33, 3);
            CHECK(q[0] == 0x33 && q[2] == 0x33);
            rt_free(p, sizes[j], aligns[i]);
            rt_free(q, 3, 1);
        }
    }
    CHECK_EQ_U64(rt_get_mem_stats().live_allocs, 0);
    CHECK_EQ_U64(rt_get_mem_stats().live_bytes, 0);
    /* the aligned paths gave their slack back: the whole arena is one free range again */
    {
        void *all = rt_alloc((1 << 20) - 24, 1, 0);
        CHECK(all != NULL);
        rt_free(all, (1 << 20) - 24, 1);
    }
    rt_shutdown();
}

static int all_zero(const uint8_t *p, size_t n) {
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

static void test_zeroing(void) {
    uint8_t *a, *b, *c, *d;
    init_rt(1 << 20, 0, 0);
    a = (uint8_t *)rt_alloc(200, 1, 0);
    CHECK(all_zero(a, 200));
    memset(a, 0xAB, 200);
    rt_free(a, 200, 1);
    b = (uint8_t *)rt_alloc(200, 1, 0);                  /* the same, dirty, chunk again */
    CHECK(b == a);
    CHECK(all_zero(b, 200));
    rt_free(b, 200, 1);

    /* a large dirty block split for a smaller one, and realloc's tail over dirty memory */
    a = (uint8_t *)rt_alloc(4000, 1, 0);
    memset(a, 0xEE, 4000);
    d = (uint8_t *)rt_alloc(8, 1, 0);                    /* keeps a from merging into top */
    rt_free(a, 4000, 1);
    c = (uint8_t *)rt_alloc(10, 1, 0);
    CHECK(c == a);
    CHECK(all_zero(c, 10));
    memset(c, 0xCD, 10);
    c = (uint8_t *)rt_realloc(c, 10, 3000, 1, 0);
    CHECK(c[0] == 0xCD && c[9] == 0xCD);
    CHECK(all_zero(c + 10, 2990));
    c = (uint8_t *)rt_realloc(c, 3000, 5, 1, 0);          /* shrinking keeps the prefix */
    CHECK(c[0] == 0xCD && c[4] == 0xCD);
    rt_free(c, 5, 1);
    rt_free(d, 8, 1);

    /* memory handed back to top and carved again is zeroed too */
    a = (uint8_t *)rt_alloc(50000, 1, 0);
    memset(a, 0x77, 50000);
    rt_free(a, 50000, 1);
    a = (uint8_t *)rt_alloc(60000, 1, 0);
    CHECK(all_zero(a, 60000));
    rt_free(a, 60000, 1);
    rt_shutdown();
}

static void test_zero_size(void) {
    void *a, *b;
    rt_mem_stats s;
    init_rt(1 << 16, 0, 0);
    a = rt_alloc(0, 1, 0);
    b = rt_alloc(0, 1, 0);
    CHECK(a != NULL && b != NULL && a != b);
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.live_allocs, 2);
    CHECK_EQ_U64(s.live_bytes, 0);
    CHECK(s.live_allocs != 0);   /* so the leak verdict fails until they are freed */
    rt_free(a, 0, 1);
    rt_free(b, 0, 1);
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.live_allocs, 0);
    CHECK_EQ_U64(s.free_calls, 2);
    rt_free(NULL, 0, 1);                                  /* NULL is not an allocation */
    CHECK_EQ_U64(rt_get_mem_stats().free_calls, 2);
    rt_shutdown();
}

/* The layout of the coalescing tests: a 4096-byte arena with A, B, C (1000 bytes each, 1008-byte
 * chunks) then D (900 bytes, 912), leaving 160 bytes of top: too little for anything of 150+. */
static uint8_t *A, *B, *Cc, *D;
static void four_blocks(void) {
    init_rt(4096, 0, 0);
    A = (uint8_t *)rt_alloc(1000, 1, 0);
    B = (uint8_t *)rt_alloc(1000, 1, 0);
    Cc = (uint8_t *)rt_alloc(1000, 1, 0);
    D = (uint8_t *)rt_alloc(900, 1, 0);
}

static void test_coalescing(void) {
    uint8_t *big, *all;
    four_blocks();
    CHECK(B == A + 1008 && Cc == B + 1008 && D == Cc + 1008);
    rt_free(B, 1000, 1);                                  /* mixed order: middle, left, right */
    rt_free(A, 1000, 1);
    rt_free(Cc, 1000, 1);
    big = (uint8_t *)rt_alloc(3016, 1, 0);                /* only fits the three merged */
    CHECK(big == A);
    CHECK(all_zero(big, 3016));
    rt_free(big, 3016, 1);
    rt_free(D, 900, 1);                                   /* everything merges back into top */
    all = (uint8_t *)rt_alloc(4096 - 24, 1, 0);
    CHECK(all == A);
    rt_free(all, 4096 - 24, 1);
    CHECK_EQ_U64(rt_get_mem_stats().live_allocs, 0);
    rt_shutdown();

    /* freeing right to left merges the same way */
    four_blocks();
    rt_free(Cc, 1000, 1);
    rt_free(B, 1000, 1);
    rt_free(A, 1000, 1);
    big = (uint8_t *)rt_alloc(3016, 1, 0);
    CHECK(big == A);
    rt_free(big, 3016, 1);
    rt_free(D, 900, 1);
    rt_shutdown();
}

static void separated_free_blocks_do_not_merge(void) {
    four_blocks();
    rt_free(A, 1000, 1);
    rt_free(Cc, 1000, 1);                                 /* B is still live between them */
    rt_alloc(1500, 1, 7);                                 /* 2000 bytes free, none contiguous */
}

static void over_the_cap(void) {
    init_rt(1 << 16, 0, 0);
    rt_alloc(1 << 17, 1, 42);
}

static void test_oom_traps(void) {
    char out[8192];
    int st = run_child(separated_free_blocks_do_not_merge, out, sizeof out);
    CHECK_EQ_U64(st, 3);
    CHECK(strstr(out, "\"trap\":{\"code\":\"oom\",\"node\":7,") != NULL);
    CHECK(strstr(out, "out of memory: allocating 1500 bytes") != NULL);
    st = run_child(over_the_cap, out, sizeof out);
    CHECK_EQ_U64(st, 3);
    CHECK(strstr(out, "\"trap\":{\"code\":\"oom\",\"node\":42,") != NULL);
    CHECK(strstr(out, "65536-byte cap") != NULL);
    /* and the same sequence with the neighbours adjacent succeeds (test_coalescing) */
}

static void double_free(void) {
    void *p;
    init_rt(1 << 16, 0, 0);
    p = rt_alloc(40, 1, 0);
    rt_alloc(40, 1, 0);
    rt_free(p, 40, 1);
    rt_free(p, 40, 1);
}

static void foreign_free(void) {
    static char not_heap[64];
    init_rt(1 << 16, 0, 0);
    rt_free(not_heap + 16, 4, 1);
}

static void test_invalid_free_traps(void) {
    char out[8192];
    CHECK_EQ_U64(run_child(double_free, out, sizeof out), 3);
    CHECK(strstr(out, "\"code\":\"use_after_free\"") != NULL);
    CHECK(strstr(out, "double free") != NULL);
    CHECK_EQ_U64(run_child(foreign_free, out, sizeof out), 3);
    CHECK(strstr(out, "not a pointer into the heap") != NULL);
}

static void test_realloc_accounting(void) {
    uint8_t *p, *q;
    rt_mem_stats s;
    uint8_t src[64];
    init_rt(1 << 20, 0, 0);
    p = (uint8_t *)rt_alloc(100, 1, 0);
    memset(p, 1, 100);
    q = (uint8_t *)rt_realloc(p, 100, 300, 1, 0);
    CHECK(q != p);                                        /* always a new block */
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.realloc_calls, 1);
    CHECK_EQ_U64(s.alloc_calls, 1);
    CHECK_EQ_U64(s.memcpy_bytes, 100);
    CHECK_EQ_U64(s.bytes_alloc_total, 400);
    CHECK_EQ_U64(s.bytes_freed_total, 100);
    CHECK_EQ_U64(s.live_bytes, 300);
    CHECK_EQ_U64(s.live_allocs, 1);
    CHECK_EQ_U64(s.peak_live_bytes, 300);
    q = (uint8_t *)rt_realloc(q, 300, 50, 1, 0);
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.memcpy_bytes, 150);
    CHECK_EQ_U64(s.live_bytes, 50);
    CHECK_EQ_U64(s.peak_live_bytes, 300);
    CHECK(q[49] == 1);
    memset(src, 9, sizeof src);
    rt_memcpy(q, src, 40);
    rt_memcpy(q, src, 0);
    CHECK_EQ_U64(rt_get_mem_stats().memcpy_bytes, 190);
    rt_free(q, 50, 1);
    p = (uint8_t *)rt_realloc(NULL, 0, 16, 1, 0);         /* realloc of nothing allocates */
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.alloc_calls, 2);
    CHECK_EQ_U64(s.live_allocs, 1);
    rt_free(p, 16, 1);
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.live_bytes, 0);
    CHECK_EQ_U64(s.live_allocs, 0);
    CHECK_EQ_U64(s.bytes_alloc_total, s.bytes_freed_total);
    rt_shutdown();
}

/* Random alloc / realloc / free against a model of what the ten counters must say; every block
 * carries a pattern checked on free, so overlapping blocks would show. */
#define SLOTS 600
static void test_stats_model(void) {
    static uint8_t *ptr[SLOTS];
    static uint32_t size[SLOTS];
    static uint8_t tag[SLOTS];
    rt_mem_stats want, got;
    int64_t live = 0, live_n = 0;
    uint32_t i, k;
    const uint64_t cap = 4u << 20;
    memset(&want, 0, sizeof want);
    memset(ptr, 0, sizeof ptr);
    init_rt(cap, 0, 0);
    for (k = 0; k < 40000; k++) {
        uint32_t r = rnd(), s = (r >> 20) & 1 ? rnd() % 64 : rnd() % 3000;
        i = r % SLOTS;
        if (ptr[i] && (r >> 8) % 3 == 0) {               /* realloc */
            uint32_t keep = size[i] < s ? size[i] : s, j;
            for (j = 0; j < size[i]; j++)
                if (ptr[i][j] != tag[i]) break;
            CHECK(j == size[i]);
            ptr[i] = (uint8_t *)rt_realloc(ptr[i], size[i], s, 1, 0);
            for (j = 0; j < keep; j++)
                if (ptr[i][j] != tag[i]) break;
            CHECK(j == keep);
            CHECK(all_zero(ptr[i] + keep, s - keep));
            want.realloc_calls++;
            want.bytes_alloc_total += s;
            want.bytes_freed_total += size[i];
            want.memcpy_bytes += keep;
            live += (int64_t)s - (int64_t)size[i];
            size[i] = s;
            memset(ptr[i], tag[i], s);
        } else if (ptr[i]) {                              /* free */
            uint32_t j;
            for (j = 0; j < size[i]; j++)
                if (ptr[i][j] != tag[i]) break;
            CHECK(j == size[i]);
            rt_free(ptr[i], size[i], 1);
            ptr[i] = NULL;
            want.free_calls++;
            want.bytes_freed_total += size[i];
            live -= size[i];
            live_n--;
        } else {                                          /* alloc */
            ptr[i] = (uint8_t *)rt_alloc(s, 1, 0);
            CHECK(all_zero(ptr[i], s));
            size[i] = s;
            tag[i] = (uint8_t)(1 + k % 255);
            memset(ptr[i], tag[i], s);
            want.alloc_calls++;
            want.bytes_alloc_total += s;
            live += s;
            live_n++;
            if ((uint64_t)live_n > want.peak_live_allocs) want.peak_live_allocs = (uint64_t)live_n;
        }
        if ((uint64_t)live > want.peak_live_bytes) want.peak_live_bytes = (uint64_t)live;
        if (k % 997 == 0) {
            want.live_bytes = (uint64_t)live;
            want.live_allocs = (uint64_t)live_n;
            got = rt_get_mem_stats();
            CHECK(stats_equal(got, &want));
            CHECK_EQ_U64(got.live_bytes, got.bytes_alloc_total - got.bytes_freed_total);
        }
    }
    for (i = 0; i < SLOTS; i++) {
        if (!ptr[i]) continue;
        rt_free(ptr[i], size[i], 1);
        want.free_calls++;
        want.bytes_freed_total += size[i];
        live -= size[i];
        live_n--;
    }
    want.live_bytes = 0;
    want.live_allocs = 0;
    got = rt_get_mem_stats();
    CHECK(stats_equal(got, &want));
    CHECK(live == 0 && live_n == 0);
    /* after all that churn every byte coalesced back: the arena holds one maximal block */
    ptr[0] = (uint8_t *)rt_alloc((uint32_t)cap - 24, 1, 0);
    CHECK(ptr[0] != NULL);
    rt_free(ptr[0], (uint32_t)cap - 24, 1);
    rt_shutdown();
}

static void test_epoch_reset(void) {
    void *before, *after;
    rt_mem_stats s;
    init_rt(1 << 20, 0, 0);
    before = rt_alloc(500, 1, 0);
    rt_memcpy(before, "abc", 3);
    rt_mem_epoch_reset();
    CHECK(stats_equal(rt_get_mem_stats(), zero_stats()));
    after = rt_alloc(100, 1, 0);
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.alloc_calls, 1);
    CHECK_EQ_U64(s.live_bytes, 100);
    CHECK_EQ_U64(s.peak_live_bytes, 100);
    rt_free(after, 100, 1);
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.live_bytes, 0);
    CHECK_EQ_U64(s.live_allocs, 0);
    rt_free(before, 500, 1);                              /* a pre-epoch block: never negative */
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.live_bytes, 0);
    CHECK_EQ_U64(s.live_allocs, 0);
    CHECK_EQ_U64(s.free_calls, 2);
    rt_shutdown();
}

static void test_drop_helpers(void) {
    rt_bytes b, empty;
    rt_vec_u8 v;
    rt_view view;
    rt_mem_stats s;
    uint8_t *tail;
    init_rt(1 << 20, 0, 0);
    view = rt_runtime_view((const uint8_t *)"hello", 5);
    CHECK(view.bid == 0 && view.len == 5);
    b = rt_view_to_bytes(view, 3);
    CHECK(b.len == 5 && memcmp(b.ptr, "hello", 5) == 0 && b.ptr != view.ptr);
    CHECK(b.oid == 0);                                    /* untracked without debug borrows */
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.memcpy_bytes, 5);
    CHECK_EQ_U64(s.live_bytes, 5);
    rt_bytes_drop(&b, 4);
    CHECK(b.ptr == NULL && b.len == 0);
    CHECK_EQ_U64(rt_get_mem_stats().live_allocs, 0);
    memset(&empty, 0, sizeof empty);
    rt_bytes_drop(&empty, 5);                             /* an empty (moved-out) value */
    CHECK_EQ_U64(rt_get_mem_stats().free_calls, 1);

    /* vec: capacity is what was allocated; into_bytes shrinks in place without copying */
    v.ptr = (uint8_t *)rt_alloc(1000, 1, 0);
    v.cap = 1000;
    v.len = 10;
    v.oid = 0;
    memcpy(v.ptr, "0123456789", 10);
    b = rt_vec_u8_into_bytes(&v, 6);
    CHECK(v.ptr == NULL && v.len == 0 && v.cap == 0);
    CHECK(b.len == 10 && memcmp(b.ptr, "0123456789", 10) == 0);
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.memcpy_bytes, 5);                      /* unchanged: no copy */
    CHECK_EQ_U64(s.realloc_calls, 1);
    CHECK_EQ_U64(s.live_bytes, 10);
    CHECK_EQ_U64(s.live_allocs, 1);
    tail = (uint8_t *)rt_alloc(900, 1, 0);                /* the freed tail is reused */
    CHECK(tail > b.ptr && tail < b.ptr + 1000);
    rt_free(tail, 900, 1);
    rt_bytes_drop(&b, 7);
    v.ptr = (uint8_t *)rt_alloc(64, 1, 0);
    v.cap = 64;
    v.len = 3;
    v.oid = 0;
    rt_vec_u8_drop(&v, 8);
    s = rt_get_mem_stats();
    CHECK_EQ_U64(s.live_bytes, 0);
    CHECK_EQ_U64(s.live_allocs, 0);
    CHECK_EQ_U64(s.bytes_alloc_total, s.bytes_freed_total);
    rt_shutdown();
}

static void test_reinit(void) {
    void *p;
    init_rt(1 << 16, 0, 0);
    p = rt_alloc(100, 1, 0);
    (void)p;
    init_rt(1 << 16, 0, 0);                               /* a fresh arena, fresh counters */
    CHECK(stats_equal(rt_get_mem_stats(), zero_stats()));
    p = rt_alloc((1 << 16) - 24, 1, 0);
    CHECK(p != NULL);
    rt_free(p, (1 << 16) - 24, 1);
    rt_shutdown();
    p = rt_alloc(10, 1, 0);                               /* after shutdown: a default arena */
    CHECK(p != NULL);
    rt_free(p, 10, 1);
    rt_shutdown();
}

int main(void) {
    RUN(test_alignment);
    RUN(test_zeroing);
    RUN(test_zero_size);
    RUN(test_coalescing);
    RUN(test_oom_traps);
    RUN(test_invalid_free_traps);
    RUN(test_realloc_accounting);
    RUN(test_stats_model);
    RUN(test_epoch_reset);
    RUN(test_drop_helpers);
    RUN(test_reinit);
    return finish("test_heap");
}
