/* A solver for the end-to-end tests of rt_main: what it does is chosen by the input's prefix
 * ("upper:", "leak:", "fuel:", ...); without a known prefix it echoes its input. */
#include "custody_rt.h"

#include <string.h>

static int starts(rt_view in, const char *prefix) {
    size_t n = strlen(prefix);
    return in.len >= n && memcmp(in.ptr, prefix, n) == 0;
}

static uint32_t count_arg(rt_view in, size_t skip) {
    uint32_t v = 0;
    size_t i;
    for (i = skip; i < in.len && in.ptr[i] >= '0' && in.ptr[i] <= '9'; i++) v = v * 10 + (uint32_t)(in.ptr[i] - '0');
    return v;
}

static volatile int *volatile null_pointer = 0;
static volatile int zero = 0;

static volatile int depth_limit = 0x7FFFFFFF;

static int recurse(int depth) {
    volatile char frame[256];
    frame[0] = (char)depth;
    if (depth >= depth_limit) return 0;
    return recurse(depth + 1) + frame[0];
}

static rt_bytes solve(rt_view in) {
    rt_bytes out;
    uint32_t i;
    if (starts(in, "upper:")) {
        out = rt_view_to_bytes(in, 1);
        for (i = 0; i < out.len; i++)
            if (out.ptr[i] >= 'a' && out.ptr[i] <= 'z') out.ptr[i] = (uint8_t)(out.ptr[i] - 32);
        return out;
    }
    if (starts(in, "leak:")) {
        uint8_t *lost = (uint8_t *)rt_alloc(10, 1, 2);
        lost[0] = 1;
        return rt_view_to_bytes(in, 1);
    }
    if (starts(in, "count:")) {                 /* ticks the number after the colon */
        uint32_t n = count_arg(in, 6);
        for (i = 0; i < n; i++) RT_TICK(3);
        return rt_view_to_bytes(in, 1);
    }
    if (starts(in, "fuel:")) {
        for (;;) RT_TICK(4);
    }
    if (starts(in, "oom:")) {
        rt_alloc(0xF0000000u, 1, 5);
    }
    if (starts(in, "null:")) {
        out = rt_view_to_bytes(in, 1);
        out.ptr[0] = (uint8_t)*null_pointer;
        return out;
    }
    if (starts(in, "stack:")) {
        out = rt_view_to_bytes(in, 1);
        out.ptr[0] = (uint8_t)recurse(0);
        return out;
    }
    if (starts(in, "fpe:")) {
        out = rt_view_to_bytes(in, 1);
        out.ptr[0] = (uint8_t)(100 / zero);
        return out;
    }
    if (starts(in, "bounds:")) {
        rt_trap(RT_TRAP_BOUNDS, 9, "get_u8: index 5 out of range for length 3");
    }
    if (starts(in, "borrows:")) {               /* two violations, one with awkward bytes */
        rt_bytes b = rt_view_to_bytes(in, 10);
        uint32_t bid = rt_borrow_acquire(b.oid, 11);
        rt_check_owner_mutate(b.oid, "bytes.set_u8", 12);
        rt_violation("released_borrow", 13, "quote \" backslash \\ newline \n tab \t bell \a bad \xff\xfe ok \xc3\xa9");
        rt_borrow_release(bid);
        return b;
    }
    if (starts(in, "uaf:")) {
        rt_bytes b = rt_view_to_bytes(in, 20);
        rt_view v;
        v.ptr = b.ptr;
        v.len = b.len;
        v.bid = rt_borrow_acquire(b.oid, 21);
        rt_bytes_drop(&b, 22);
        rt_check_view(v, 23);
        return rt_view_to_bytes(v, 24);
    }
    return rt_view_to_bytes(in, 1);
}

int main(void) {
    return rt_main(solve);
}
