/* custody runtime: lifecycle, fuel, traps, the metrics line, drop helpers and the solver ABI.
 *
 * The metrics line is formatted by hand into a caller's buffer (no stdio, no malloc) so the
 * same code serves rt_main, rt_trap and the crash handler; it is written with write(2).
 * JSON strings are escaped and any byte that is not part of valid UTF-8 becomes U+FFFD, so the
 * line always parses.
 */
#define _DEFAULT_SOURCE 1
#define _POSIX_C_SOURCE 200809L

#include "custody_rt_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_MEM_CAP ((uint64_t)64 << 20)
#define DEFAULT_FUEL ((int64_t)1000000000)
#define TRAP_MESSAGE_LEN 256

int64_t rt_fuel_left = DEFAULT_FUEL;

static struct {
    int64_t fuel_budget;
    int trapped;                        /* 1 once rt_trap has started */
    int code;
    uint32_t node;
    char message[TRAP_MESSAGE_LEN];
} C = { DEFAULT_FUEL, 0, 0, 0, "" };

/* ---------------------------------------------------------------- lifecycle */
void rt_init(const rt_config *cfg) {
    rt_config d;
    if (!cfg) {
        d.mem_cap = DEFAULT_MEM_CAP;
        d.fuel = DEFAULT_FUEL;
        d.debug_borrows = 0;
        cfg = &d;
    }
    rt_heap_init(cfg->mem_cap);
    rt_borrow_init(cfg->debug_borrows);
    C.fuel_budget = cfg->fuel < 0 ? 0 : cfg->fuel;
    rt_fuel_left = C.fuel_budget;
    C.trapped = 0;
    C.code = 0;
    C.node = 0;
    C.message[0] = '\0';
}

void rt_shutdown(void) {
    rt_heap_shutdown();
    rt_borrow_shutdown();
}

/* ---------------------------------------------------------------- fuel */
int64_t rt_fuel_used(void) {
    int64_t left = rt_fuel_left < 0 ? 0 : rt_fuel_left;
    return left > C.fuel_budget ? 0 : C.fuel_budget - left;
}

RT_NORETURN void rt_out_of_fuel(uint32_t n) {
    char msg[96];
    snprintf(msg, sizeof msg, "out of fuel: the budget of %lld units is used up",
             (long long)C.fuel_budget);
    rt_trap(RT_TRAP_FUEL, n, msg);
}

/* ---------------------------------------------------------------- the metrics line */
typedef struct {
    char *buf;
    size_t cap, len;
} out_t;

static void put(out_t *o, const char *s, size_t n) {
    if (o->len < o->cap) {
        size_t room = o->cap - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void puts_(out_t *o, const char *s) { put(o, s, strlen(s)); }

static void put_u64(out_t *o, uint64_t v) {
    char tmp[24];
    int i = (int)sizeof tmp;
    do {
        tmp[--i] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    put(o, tmp + i, sizeof tmp - (size_t)i);
}

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    size_t need, i;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else return 0;
    if (n < need) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (i = 2; i < need; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return need;
}

static void put_json_string(out_t *o, const char *str) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s);
    put(o, "\"", 1);
    while (n) {
        unsigned char c = *s;
        size_t k;
        if (c == '"' || c == '\\') {
            char e[2];
            e[0] = '\\';
            e[1] = (char)c;
            put(o, e, 2);
            k = 1;
        } else if (c == '\n') {
            put(o, "\\n", 2);
            k = 1;
        } else if (c == '\t') {
            put(o, "\\t", 2);
            k = 1;
        } else if (c < 0x20 || c == 0x7F) {
            char e[6];
            memcpy(e, "\\u00", 4);
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            put(o, e, 6);
            k = 1;
        } else {
            k = utf8_len(s, n);
            if (k) put(o, (const char *)s, k);
            else {
                put(o, "\\ufffd", 6);
                k = 1;
            }
        }
        s += k;
        n -= k;
    }
    put(o, "\"", 1);
}

static void put_field(out_t *o, const char *key, uint64_t v, int comma) {
    if (comma) put(o, ",", 1);
    put(o, "\"", 1);
    puts_(o, key);
    put(o, "\":", 2);
    put_u64(o, v);
}

size_t rt_format_metrics(char *buf, size_t cap, uint32_t max_violations,
                         const char *trap_code, uint32_t trap_node, const char *trap_message) {
    out_t o;
    rt_mem_stats s = rt_get_mem_stats();
    uint32_t i, shown = rt_violations_recorded();
    o.buf = buf;
    o.cap = cap;
    o.len = 0;
    if (shown > max_violations) shown = max_violations;
    put(&o, "{", 1);
    put_field(&o, "fuel_used", (uint64_t)rt_fuel_used(), 0);
    puts_(&o, ",\"mem_stats\":{");
    put_field(&o, "alloc_calls", s.alloc_calls, 0);
    put_field(&o, "realloc_calls", s.realloc_calls, 1);
    put_field(&o, "free_calls", s.free_calls, 1);
    put_field(&o, "bytes_alloc_total", s.bytes_alloc_total, 1);
    put_field(&o, "bytes_freed_total", s.bytes_freed_total, 1);
    put_field(&o, "live_bytes", s.live_bytes, 1);
    put_field(&o, "peak_live_bytes", s.peak_live_bytes, 1);
    put_field(&o, "live_allocs", s.live_allocs, 1);
    put_field(&o, "peak_live_allocs", s.peak_live_allocs, 1);
    put_field(&o, "memcpy_bytes", s.memcpy_bytes, 1);
    puts_(&o, "},\"leak_free\":");
    puts_(&o, s.live_bytes == 0 && s.live_allocs == 0 ? "true" : "false");
    puts_(&o, ",\"debug_stats\":{");
    put_field(&o, "borrow_violations", rt_violation_count(), 0);
    puts_(&o, "},\"violations\":[");
    for (i = 0; i < shown; i++) {
        const char *kind = "", *message = "";
        uint32_t node = 0, owner_node = 0, event_node = 0, view_node = 0;
        rt_violation_at(i, &kind, &node, &message);
        rt_violation_nodes(i, &owner_node, &event_node, &view_node);
        puts_(&o, i ? ",{\"kind\":" : "{\"kind\":");
        put_json_string(&o, kind);
        put_field(&o, "node", node, 1);
        put_field(&o, "owner_node", owner_node, 1);
        put_field(&o, "event_node", event_node, 1);
        put_field(&o, "view_node", view_node, 1);
        puts_(&o, ",\"message\":");
        put_json_string(&o, message);
        put(&o, "}", 1);
    }
    puts_(&o, "],\"trap\":");
    if (trap_code) {
        puts_(&o, "{\"code\":");
        put_json_string(&o, trap_code);
        put_field(&o, "node", trap_node, 1);
        puts_(&o, ",\"message\":");
        put_json_string(&o, trap_message);
        put(&o, "}", 1);
    } else {
        puts_(&o, "null");
    }
    put(&o, "}", 1);
    if (o.len < cap) buf[o.len] = '\0';
    return o.len;
}

size_t rt_metrics_json(char *buf, size_t cap) {
    return rt_format_metrics(buf, cap, UINT32_MAX, C.trapped ? rt_trap_name(C.code) : NULL,
                             C.node, C.message);
}

static void write_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Prints the metrics line (and a newline) to stderr; falls back to fewer violations when the
 * system allocator cannot hold them all. */
static void emit_metrics(const char *code, uint32_t node, const char *message) {
    static char fallback[16384];
    size_t need = rt_format_metrics(NULL, 0, UINT32_MAX, code, node, message);
    char *buf = (char *)malloc(need + 2);
    if (buf) {
        rt_format_metrics(buf, need + 1, UINT32_MAX, code, node, message);
    } else {
        uint32_t shown = rt_violations_recorded();
        buf = fallback;
        while ((need = rt_format_metrics(buf, sizeof fallback - 1, shown, code, node, message))
               >= sizeof fallback - 1 && shown)
            shown /= 2;
    }
    buf[need] = '\n';
    write_all(2, buf, need + 1);
    if (buf != fallback) free(buf);
}

/* ---------------------------------------------------------------- traps */
const char *rt_trap_name(int code) {
    switch (code) {
    case RT_TRAP_FUEL: return "fuel";
    case RT_TRAP_OOM: return "oom";
    case RT_TRAP_BOUNDS: return "bounds";
    case RT_TRAP_DIV_ZERO: return "div_zero";
    case RT_TRAP_UNWRAP: return "unwrap";
    case RT_TRAP_USE_AFTER_FREE: return "use_after_free";
    case RT_TRAP_BAD_INPUT: return "bad_input";
    case RT_TRAP_UNSUPPORTED: return "unsupported";
    case RT_TRAP_SANDBOX: return "sandbox";
    default: return "unknown";
    }
}

RT_NORETURN void rt_trap(int code, uint32_t n, const char *message) {
    if (C.trapped) _exit(3);            /* a trap while reporting a trap */
    C.trapped = 1;
    C.code = code;
    C.node = n;
    snprintf(C.message, sizeof C.message, "%s", message ? message : "");
    fflush(stdout);
    emit_metrics(rt_trap_name(code), n, C.message);
    _exit(3);
}

/* ---------------------------------------------------------------- crashes */
static char crash_buf[1 << 18];
static char alt_stack[1 << 16];

/* The metrics line with trap (code, node 0, what) from a signal handler: static buffer, write,
 * _exit. */
static RT_NORETURN void report_from_signal(const char *code, const char *what) {
    uint32_t shown = rt_violations_recorded();
    size_t need;
    while ((need = rt_format_metrics(crash_buf, sizeof crash_buf - 1, shown, code, 0, what))
           >= sizeof crash_buf - 1 && shown)
        shown /= 2;
    if (need < sizeof crash_buf - 1) {
        crash_buf[need] = '\n';
        write_all(2, crash_buf, need + 1);
    }
    _exit(3);
}

RT_NORETURN void rt_trap_async(int code, const char *message) {
    if (C.trapped) _exit(3);
    C.trapped = 1;
    C.code = code;
    C.node = 0;
    report_from_signal(rt_trap_name(code), message ? message : "");
}

static void on_crash(int sig) {
    const char *what = "crashed on a signal";
    switch (sig) {
    case SIGSEGV: what = "SIGSEGV: invalid memory access (segmentation fault or stack overflow)"; break;
    case SIGBUS: what = "SIGBUS: bus error (misaligned or unmapped memory)"; break;
    case SIGFPE: what = "SIGFPE: arithmetic exception"; break;
    case SIGILL: what = "SIGILL: illegal instruction"; break;
    default: break;
    }
    report_from_signal("crash", what);
}

static void install_crash_handlers(void) {
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };
    struct sigaction sa;
    stack_t ss;
    size_t i;
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);             /* so a stack overflow can still be reported */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);           /* a closed stdout is an I/O error, not a crash */
}

/* ---------------------------------------------------------------- drop helpers, conversions */
void rt_bytes_drop(rt_bytes *b, uint32_t n) {
    if (b->oid) rt_owner_dropped(b->oid, n);
    if (b->ptr) rt_free(b->ptr, b->len, 1);
    b->ptr = NULL;
    b->len = 0;
    b->oid = 0;
}

void rt_vec_u8_drop(rt_vec_u8 *v, uint32_t n) {
    if (v->oid) rt_owner_dropped(v->oid, n);
    if (v->ptr) rt_free(v->ptr, v->cap, 1);
    v->ptr = NULL;
    v->len = 0;
    v->cap = 0;
    v->oid = 0;
}

rt_bytes rt_view_to_bytes(rt_view v, uint32_t n) {
    rt_bytes b;
    rt_check_view(v, n);
    b.ptr = (uint8_t *)rt_alloc(v.len, 1, n);
    b.len = v.len;
    if (v.len) rt_memcpy(b.ptr, v.ptr, v.len);
    b.oid = rt_owner_new(n);
    return b;
}

rt_bytes rt_vec_u8_into_bytes(rt_vec_u8 *v, uint32_t n) {
    rt_bytes b;
    if (v->oid) {
        rt_check_owner_use(v->oid, n);
        rt_check_owner_move(v->oid, n);
        rt_owner_moved(v->oid, n);
    }
    b.ptr = v->ptr;
    b.len = v->len;
    if (b.ptr && v->cap > v->len) b.ptr = (uint8_t *)rt_heap_shrink(b.ptr, v->cap, v->len);
    b.oid = b.ptr ? rt_owner_new(n) : 0;
    v->ptr = NULL;
    v->len = 0;
    v->cap = 0;
    v->oid = 0;
    return b;
}

rt_view rt_runtime_view(const uint8_t *ptr, uint32_t len) {
    rt_view v;
    v.ptr = ptr;
    v.len = len;
    v.bid = 0;
    return v;
}

/* ---------------------------------------------------------------- the solver ABI */
/* A decimal environment setting; 1 and *out set when present and valid, 0 when absent,
 * -1 when malformed. */
static int env_u64(const char *name, uint64_t *out) {
    const char *s = getenv(name);
    char *end;
    unsigned long long v;
    if (!s || !*s) return 0;
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end) return -1;
    *out = (uint64_t)v;
    return 1;
}

static int bad_input(const char *message) {
    emit_metrics(rt_trap_name(RT_TRAP_BAD_INPUT), 0, message);
    return 2;
}

/* Reads all of stdin into a system buffer. Returns 0 on success. */
static int read_stdin(uint8_t **data, size_t *len) {
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = (uint8_t *)malloc(cap);
    if (!buf) return -1;
    for (;;) {
        ssize_t r;
        if (n == cap) {
            uint8_t *nb;
            if (cap > SIZE_MAX / 2) { free(buf); return -1; }
            nb = (uint8_t *)realloc(buf, cap * 2);
            if (!nb) { free(buf); return -1; }
            buf = nb;
            cap *= 2;
        }
        r = read(0, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR) continue;
            free(buf);
            return -1;
        }
        if (r == 0) break;
        n += (size_t)r;
        if (n > (size_t)0xFFFFFFFFu + 4) break;   /* longer than any frame: surely bad */
    }
    *data = buf;
    *len = n;
    return 0;
}

int rt_main(rt_bytes (*solve)(rt_view input)) {
    rt_config cfg;
    uint64_t v;
    int r;
    uint8_t *raw = NULL, *in;
    size_t nraw = 0;
    uint32_t len;
    rt_bytes out;
    unsigned char hdr[4];
    const char *why = "unknown reason";

    cfg.mem_cap = 0;                    /* no arena yet: only coherent metrics for the exits */
    cfg.fuel = DEFAULT_FUEL;            /* below (the real one is reserved once, at its size) */
    cfg.debug_borrows = 0;
    rt_init(&cfg);
    cfg.mem_cap = DEFAULT_MEM_CAP;
    if ((r = env_u64("CUSTODY_MEM_CAP", &v)) < 0) return bad_input("CUSTODY_MEM_CAP is not a byte count");
    if (r) cfg.mem_cap = v;
    if ((r = env_u64("CUSTODY_FUEL", &v)) < 0 || (r && v > (uint64_t)INT64_MAX))
        return bad_input("CUSTODY_FUEL is not a fuel amount");
    if (r) cfg.fuel = (int64_t)v;
    if ((r = env_u64("CUSTODY_DEBUG_BORROWS", &v)) < 0 || (r && v > 1))
        return bad_input("CUSTODY_DEBUG_BORROWS is not 0 or 1");
    if (r) cfg.debug_borrows = (int)v;
    rt_init(&cfg);
    install_crash_handlers();

    if (read_stdin(&raw, &nraw) != 0) return bad_input("could not read stdin");
    if (nraw < 4) {
        free(raw);
        return bad_input("stdin is shorter than the 4-byte length prefix");
    }
    len = (uint32_t)raw[0] | (uint32_t)raw[1] << 8 | (uint32_t)raw[2] << 16 | (uint32_t)raw[3] << 24;
    if (nraw - 4 != (size_t)len) {
        char msg[160];
        free(raw);
        snprintf(msg, sizeof msg, "stdin holds %lu bytes after the length prefix, which says %lu",
                 (unsigned long)(nraw - 4), (unsigned long)len);
        return bad_input(msg);
    }
    in = (uint8_t *)rt_alloc(len, 1, 0);  /* the input lives in the heap, like X07's */
    if (len) memcpy(in, raw + 4, len);
    free(raw);
    rt_mem_epoch_reset();

    /* From here on the program's own code runs: confine it first. */
    if (rt_sandbox_enter(&why) != 0) {
        const char *u = getenv("CUSTODY_UNCONFINED");
        if (!u || strcmp(u, "1") != 0) {
            char msg[TRAP_MESSAGE_LEN];
            snprintf(msg, sizeof msg, "custody run refused to run the program: it cannot be "
                     "confined here (%s); pass --unconfined to run it anyway", why);
            rt_trap(RT_TRAP_SANDBOX, 0, msg);
        }
    }

    out = solve(rt_runtime_view(in, len));

    if (!out.ptr && out.len) rt_trap(RT_TRAP_UNSUPPORTED, 0, "solve returned a null buffer with a nonzero length");
    hdr[0] = (unsigned char)(out.len & 0xFF);
    hdr[1] = (unsigned char)(out.len >> 8 & 0xFF);
    hdr[2] = (unsigned char)(out.len >> 16 & 0xFF);
    hdr[3] = (unsigned char)(out.len >> 24 & 0xFF);
    fflush(stdout);
    write_all(1, (const char *)hdr, 4);
    if (out.len) write_all(1, (const char *)out.ptr, out.len);
    rt_bytes_drop(&out, 0);
    emit_metrics(NULL, 0, NULL);
    rt_shutdown();
    return 0;
}
