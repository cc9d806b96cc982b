/* custody runtime: the deterministic fixed-capacity heap.
 *
 * One arena of mem_cap bytes is reserved at rt_init (anonymous mmap, so untouched pages cost
 * nothing; the reservation itself is not counted in any statistic). Inside it:
 *
 *   chunk c:  c+0  prev_size   size of the previous chunk, valid only while that one is free
 *             c+8  head        this chunk's size (a multiple of 16) | PINUSE | CFREE
 *             c+16 user memory (16-aligned); a chunk of size S holds S - 8 user bytes, the last
 *                  8 of which overlap the next chunk's prev_size (unused while this one lives)
 *
 * Free chunks are kept in segregated, doubly linked LIFO lists: exact lists for chunks under
 * 1 KiB (16-byte steps), then four lists per power of two, with a bitmap of the non-empty ones.
 * Freeing coalesces with both neighbours at once (boundary tags: the previous chunk is found
 * through prev_size when PINUSE is clear, the next one by size), so two free chunks are never
 * adjacent and a free chunk never borders `top`, the untouched rest of the arena that
 * allocations are carved from when no list has a fit.
 *
 * Memory above `hwm` (the highest byte ever handed out) is still zero from mmap, so a chunk
 * carved from top is zeroed only below hwm.
 *
 * Statistics count requested sizes, never chunk sizes, so they do not depend on the layout:
 * rt_realloc is one realloc call that allocates new_size, frees old_size and copies
 * min(old, new) bytes (memcpy_bytes). rt_realloc(NULL, ...) is an rt_alloc. An allocation that
 * no free chunk or top can hold traps RT_TRAP_OOM; the arena's layout is a pure function of the
 * sequence of calls, so where that happens is deterministic too.
 */
#define _DEFAULT_SOURCE 1
#define _POSIX_C_SOURCE 200809L

#include "custody_rt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

#define PINUSE ((uint64_t)1)
#define CFREE ((uint64_t)2)
#define FLAGS ((uint64_t)15)
#define MINCHUNK ((size_t)32)
#define SMALL_LIMIT ((size_t)1024)            /* chunks below this have exact lists */
#define NSMALL 64
#define NBINS (NSMALL + 4 * 54)               /* log-spaced lists for sizes 2^10 .. 2^63 */
#define NWORDS ((NBINS + 63) / 64)
#define DEFAULT_CAP ((uint64_t)64 << 20)

typedef struct chunk {
    uint64_t prev_size;
    uint64_t head;
    struct chunk *fd, *bk;                    /* only while free */
} chunk;

typedef struct {
    uint64_t alloc_calls, realloc_calls, free_calls;
    uint64_t bytes_alloc_total, bytes_freed_total, memcpy_bytes;
    int64_t live_bytes, peak_live_bytes, live_allocs, peak_live_allocs;
} counters;

static struct {
    uint8_t *base, *end;                      /* the arena */
    uint8_t *top;                             /* [top, end) has never been split into chunks */
    uint8_t *hwm;                             /* bytes at or above hwm are still zero */
    size_t reserved;                          /* what was mmapped (0: malloc fallback) */
    uint64_t cap;
    int initialised, reserve_failed;
    chunk *bins[NBINS];
    uint64_t bitmap[NWORDS];
    counters st;
} H;

/* ---------------------------------------------------------------- chunk helpers */
#define CSIZE(c) ((size_t)((c)->head & ~FLAGS))
#define AT(p, off) ((chunk *)((uint8_t *)(p) + (off)))
#define MEM(c) ((uint8_t *)(c) + 16)
#define CHUNK_OF(p) ((chunk *)((uint8_t *)(p) - 16))

static size_t chunk_size(uint32_t size) {
    size_t cs = ((size_t)size + 8 + 15) & ~(size_t)15;
    return cs < MINCHUNK ? MINCHUNK : cs;
}

static int floor_log2(uint64_t x) {
#if defined(__GNUC__)
    return 63 - __builtin_clzll(x);
#else
    int r = 0;
    while (x >>= 1) r++;
    return r;
#endif
}

static unsigned bin_index(size_t cs) {
    int b;
    unsigned idx;
    if (cs < SMALL_LIMIT) return (unsigned)(cs >> 4);
    b = floor_log2((uint64_t)cs);
    idx = NSMALL + (unsigned)(b - 10) * 4u + (unsigned)((cs >> (b - 2)) & 3u);
    return idx < NBINS ? idx : NBINS - 1;
}

static int lowest_bit(uint64_t w) {
#if defined(__GNUC__)
    return __builtin_ctzll(w);
#else
    int r = 0;
    while (!(w & 1)) { w >>= 1; r++; }
    return r;
#endif
}

/* The first non-empty list at or after idx, or -1. */
static int next_bin(unsigned idx) {
    unsigned w = idx >> 6;
    uint64_t bits;
    if (w >= NWORDS) return -1;
    bits = H.bitmap[w] & (~(uint64_t)0 << (idx & 63));
    for (;;) {
        if (bits) return (int)(w * 64 + (unsigned)lowest_bit(bits));
        if (++w >= NWORDS) return -1;
        bits = H.bitmap[w];
    }
}

static void bin_insert(chunk *c, size_t cs) {
    unsigned idx = bin_index(cs);
    chunk *f = H.bins[idx];
    c->fd = f;
    c->bk = NULL;
    if (f) f->bk = c;
    else H.bitmap[idx >> 6] |= (uint64_t)1 << (idx & 63);
    H.bins[idx] = c;
}

static void bin_unlink(chunk *c, size_t cs) {
    chunk *f = c->fd, *b = c->bk;
    if (b) b->fd = f;
    else {
        unsigned idx = bin_index(cs);
        H.bins[idx] = f;
        if (!f) H.bitmap[idx >> 6] &= ~((uint64_t)1 << (idx & 63));
    }
    if (f) f->bk = b;
}

/* Marks free chunk c (already unlinked, size total) in use as a chunk of size cs, returning
 * the tail to the lists when it can stand alone. c's previous chunk is in use (two free chunks
 * are never adjacent) and its next chunk is not top (a free chunk never borders top). */
static void use_chunk(chunk *c, size_t total, size_t cs) {
    size_t rem = total - cs;
    if (rem >= MINCHUNK) {
        chunk *r = AT(c, cs);
        c->head = cs | PINUSE;
        r->head = rem | PINUSE | CFREE;
        AT(r, rem)->prev_size = rem;
        bin_insert(r, rem);
    } else {
        c->head = total | PINUSE;
        AT(c, total)->head |= PINUSE;
    }
}

/* A free chunk of at least cs bytes from the lists, in use on return; NULL if none fits. */
static chunk *take(size_t cs) {
    unsigned idx = bin_index(cs);
    chunk *c = H.bins[idx];
    int j;
    if (cs < SMALL_LIMIT) {
        if (c) {                              /* exact fit: pop the head */
            chunk *f = c->fd;
            H.bins[idx] = f;
            if (f) f->bk = NULL;
            else H.bitmap[idx >> 6] &= ~((uint64_t)1 << (idx & 63));
            c->head = cs | PINUSE;
            AT(c, cs)->head |= PINUSE;
            return c;
        }
    } else {
        for (; c; c = c->fd) {                /* first fit within the size class */
            size_t have = CSIZE(c);
            if (have >= cs) {
                bin_unlink(c, have);
                use_chunk(c, have, cs);
                return c;
            }
        }
    }
    j = next_bin(idx + 1);                    /* every chunk in a later list is big enough */
    if (j < 0) return NULL;
    c = H.bins[j];
    {
        size_t have = CSIZE(c);
        bin_unlink(c, have);
        use_chunk(c, have, cs);
    }
    return c;
}

/* Returns in-use chunk c to the heap, coalescing with free neighbours and with top. */
static void release_chunk(chunk *c) {
    uint64_t head = c->head;
    size_t cs = (size_t)(head & ~FLAGS);
    chunk *next = AT(c, cs);
    if (!(head & PINUSE)) {
        size_t ps = (size_t)c->prev_size;
        chunk *p = AT(c, -(ptrdiff_t)ps);
        bin_unlink(p, ps);
        c = p;
        cs += ps;
    }
    if ((uint8_t *)next == H.top) {
        H.top = (uint8_t *)c;
        return;
    }
    if (next->head & CFREE) {
        size_t ns = CSIZE(next);
        bin_unlink(next, ns);
        cs += ns;
    } else {
        next->head &= ~PINUSE;
    }
    c->head = cs | PINUSE | CFREE;
    AT(c, cs)->prev_size = cs;
    bin_insert(c, cs);
}

/* ---------------------------------------------------------------- arena */
void rt_heap_init(uint64_t mem_cap) {
    rt_heap_shutdown();
    H.initialised = 1;
    H.cap = mem_cap & ~(uint64_t)15;
    if (H.cap > (uint64_t)(SIZE_MAX / 2)) H.cap = (uint64_t)(SIZE_MAX / 2) & ~(uint64_t)15;
    if (H.cap >= 64) {
        void *p = NULL;
#if defined(MAP_ANONYMOUS)
        p = mmap(NULL, (size_t)H.cap, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) p = NULL;
        else H.reserved = (size_t)H.cap;
#endif
        if (!p) p = calloc(1, (size_t)H.cap);  /* zeroed like fresh pages; 16-aligned */
        if (p) {
            H.base = (uint8_t *)p;
            H.end = H.base + H.cap;
        } else {
            H.reserve_failed = 1;
        }
    }
    H.top = H.hwm = H.base;
}

void rt_heap_shutdown(void) {
    if (H.base) {
#if defined(MAP_ANONYMOUS)
        if (H.reserved) munmap(H.base, H.reserved);
        else
#endif
            free(H.base);
    }
    memset(&H, 0, sizeof H);
}

static RT_NORETURN void out_of_memory(uint32_t size, uint32_t n) {
    static char msg[200];
    if (H.reserve_failed)
        snprintf(msg, sizeof msg, "out of memory: the %llu-byte heap could not be reserved",
                 (unsigned long long)H.cap);
    else
        snprintf(msg, sizeof msg,
                 "out of memory: allocating %lu bytes with %lld bytes live exceeds the %llu-byte cap",
                 (unsigned long)size, (long long)H.st.live_bytes, (unsigned long long)H.cap);
    rt_trap(RT_TRAP_OOM, n, msg);
}

/* Carves a chunk of cs bytes off top (the caller then raises hwm). */
static chunk *carve(size_t cs, uint32_t size, uint32_t n) {
    chunk *c;
    if (cs + 16 > (size_t)(H.end - H.top)) {
        if (!H.initialised) {                 /* used before rt_init: default arena */
            rt_heap_init(DEFAULT_CAP);
            return carve(cs, size, n);
        }
        out_of_memory(size, n);
    }
    c = (chunk *)H.top;
    c->head = cs | PINUSE;
    H.top += cs;
    if (H.top + 8 > H.hwm) H.hwm = H.top + 8;
    return c;
}

static RT_NORETURN void bad_pointer(const char *what, const void *p) {
    static char msg[160];
    snprintf(msg, sizeof msg, "invalid free: %s (pointer %p)", what, p);
    rt_trap(RT_TRAP_USE_AFTER_FREE, 0, msg);
}

/* The chunk of a live allocation of at least `size` bytes, or a trap. */
static chunk *live_chunk(void *p, uint32_t size) {
    uint8_t *u = (uint8_t *)p;
    chunk *c;
    size_t cs;
    if (u < H.base + 16 || u >= H.top || ((uintptr_t)u & 15) != 0)
        bad_pointer("not a pointer into the heap", p);
    c = CHUNK_OF(u);
    cs = CSIZE(c);
    if (c->head & CFREE) bad_pointer("double free", p);
    if (cs < MINCHUNK || cs > (size_t)(H.top - (uint8_t *)c) || (size_t)size + 8 > cs)
        bad_pointer("not the start of a live allocation of that size", p);
    return c;
}

static int align_ok(uint32_t align) { return (align & (align - 1)) == 0; }

/* Zeroes [from, to) below limit (memory at or above limit is still zero). */
static void zero_below(uint8_t *from, uint8_t *to, const uint8_t *limit) {
    if (from < limit) {
        size_t len = (size_t)((to <= limit ? to : limit) - from);
        if (len) memset(from, 0, len);
    }
}

/* An allocation of `size` bytes aligned to align (> 16): over-allocates, then gives the
 * leading and trailing slack back to the heap. */
static uint8_t *alloc_aligned(uint32_t size, uint32_t align, uint32_t n, uint32_t zero_from) {
    size_t cs = chunk_size(size), total, lead;
    const uint8_t *limit = H.hwm;
    chunk *c;
    uint8_t *u;
    if (!align_ok(align)) rt_trap(RT_TRAP_UNSUPPORTED, n, "allocation alignment is not a power of two");
    total = cs + align + MINCHUNK;
    c = take(total);
    if (!c) c = carve(total, size, n);
    total = CSIZE(c);
    u = MEM(c);
    lead = (size_t)(((uintptr_t)u + align - 1) & ~(uintptr_t)(align - 1)) - (uintptr_t)u;
    if (lead && lead < MINCHUNK) lead += align;
    if (lead) {
        chunk *c2 = AT(c, lead);
        c->head = lead | PINUSE;              /* give the lead back as a chunk of its own */
        c2->head = (total - lead) | PINUSE;
        release_chunk(c);
        c = c2;
        total -= lead;
        u = MEM(c);
    }
    if (total - cs >= MINCHUNK) {
        chunk *t = AT(c, cs);
        c->head = cs | (c->head & PINUSE);
        t->head = (total - cs) | PINUSE;
        release_chunk(t);
    }
    if (zero_from < size) zero_below(u + zero_from, u + size, limit);
    return u;
}

static uint8_t *raw_alloc(uint32_t size, uint32_t align, uint32_t n, uint32_t zero_from) {
    size_t cs;
    const uint8_t *limit;
    chunk *c;
    uint8_t *u;
    if (align > 16) return alloc_aligned(size, align, n, zero_from);
    if (!align_ok(align)) rt_trap(RT_TRAP_UNSUPPORTED, n, "allocation alignment is not a power of two");
    cs = chunk_size(size);
    limit = H.hwm;
    c = take(cs);
    if (!c) c = carve(cs, size, n);
    u = MEM(c);
    if (zero_from < size) zero_below(u + zero_from, u + size, limit);
    return u;
}

/* ---------------------------------------------------------------- the contract */
void *rt_alloc(uint32_t size, uint32_t align, uint32_t n) {
    uint8_t *u = raw_alloc(size, align, n, 0);
    counters *s = &H.st;
    s->alloc_calls++;
    s->bytes_alloc_total += size;
    s->live_bytes += size;
    if (s->live_bytes > s->peak_live_bytes) s->peak_live_bytes = s->live_bytes;
    if (++s->live_allocs > s->peak_live_allocs) s->peak_live_allocs = s->live_allocs;
    return u;
}

void rt_free(void *p, uint32_t size, uint32_t align) {
    counters *s = &H.st;
    (void)align;
    if (!p) return;
    release_chunk(live_chunk(p, size));
    s->free_calls++;
    s->bytes_freed_total += size;
    s->live_bytes -= size;
    s->live_allocs--;
}

void *rt_realloc(void *p, uint32_t old_size, uint32_t new_size, uint32_t align, uint32_t n) {
    counters *s = &H.st;
    uint32_t keep = old_size < new_size ? old_size : new_size;
    chunk *old;
    uint8_t *u;
    if (!p) return rt_alloc(new_size, align, n);
    old = live_chunk(p, old_size);
    u = raw_alloc(new_size, align, n, keep);  /* allocate new while the old one still lives */
    if (keep) memcpy(u, p, keep);
    release_chunk(old);
    s->realloc_calls++;
    s->bytes_alloc_total += new_size;
    s->bytes_freed_total += old_size;
    s->memcpy_bytes += keep;
    s->live_bytes += (int64_t)new_size - (int64_t)old_size;
    if (s->live_bytes > s->peak_live_bytes) s->peak_live_bytes = s->live_bytes;
    return u;
}

void *rt_heap_shrink(void *p, uint32_t old_size, uint32_t new_size) {
    counters *s = &H.st;
    chunk *c;
    size_t have, cs;
    if (!p || new_size >= old_size) return p;
    c = live_chunk(p, old_size);
    have = CSIZE(c);
    cs = chunk_size(new_size);
    if (have - cs >= MINCHUNK) {
        chunk *t = AT(c, cs);
        c->head = cs | (c->head & PINUSE);
        t->head = (have - cs) | PINUSE;
        release_chunk(t);
    }
    s->realloc_calls++;
    s->bytes_alloc_total += new_size;
    s->bytes_freed_total += old_size;
    s->live_bytes -= (int64_t)(old_size - new_size);
    return p;
}

void rt_memcpy(void *dst, const void *src, uint32_t len) {
    H.st.memcpy_bytes += len;
    if (len) memcpy(dst, src, len);
}

rt_mem_stats rt_get_mem_stats(void) {
    const counters *c = &H.st;
    rt_mem_stats s;
    s.alloc_calls = c->alloc_calls;
    s.realloc_calls = c->realloc_calls;
    s.free_calls = c->free_calls;
    s.bytes_alloc_total = c->bytes_alloc_total;
    s.bytes_freed_total = c->bytes_freed_total;
    s.live_bytes = c->live_bytes > 0 ? (uint64_t)c->live_bytes : 0;
    s.peak_live_bytes = (uint64_t)c->peak_live_bytes;
    s.live_allocs = c->live_allocs > 0 ? (uint64_t)c->live_allocs : 0;
    s.peak_live_allocs = (uint64_t)c->peak_live_allocs;
    s.memcpy_bytes = c->memcpy_bytes;
    return s;
}

void rt_mem_epoch_reset(void) {
    memset(&H.st, 0, sizeof H.st);
}
