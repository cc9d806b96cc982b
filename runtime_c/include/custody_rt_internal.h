/* Private glue between the runtime's own translation units (rt_heap.c, rt_borrow.c, rt_core.c,
 * rt_sandbox.c).
 * Not part of the contract in custody_rt.h: emitted programs and rt_builtins.c must not use it.
 * It lives in include/ (not src/) so that every build that can see custody_rt.h can see it and
 * hashes it with the other headers. */
#ifndef CUSTODY_RT_INTERNAL_H
#define CUSTODY_RT_INTERNAL_H

#include "custody_rt.h"

/* rt_heap.c */
void rt_heap_init(uint64_t mem_cap);     /* releases any previous arena, reserves a fresh one */
void rt_heap_shutdown(void);
/* Shrinks a live allocation in place (no copy, the tail goes back to the free lists); counted
 * as one realloc call with memcpy_bytes unchanged. Returns p. */
void *rt_heap_shrink(void *p, uint32_t old_size, uint32_t new_size);

/* rt_borrow.c */
extern int rt_borrow_enabled;
void rt_borrow_init(int enabled);        /* clears the tables */
void rt_borrow_shutdown(void);           /* returns the tables to the system allocator */

/* rt_core.c */
/* The metrics line (without the trailing newline) into buf[0..cap), at most max_violations of
 * the recorded violations listed. Returns the length it needs (like snprintf); it writes only
 * whole output when that fits. Uses no stdio and no malloc (callable from a signal handler).
 * trap_code NULL: "trap":null. */
size_t rt_format_metrics(char *buf, size_t cap, uint32_t max_violations,
                         const char *trap_code, uint32_t trap_node, const char *trap_message);
/* Async-signal-safe rt_trap for signal handlers: records the trap, writes the metrics line with
 * write(2) only (no stdio, no malloc) and _exits with status 3. Never returns. */
RT_NORETURN void rt_trap_async(int code, const char *message);

/* rt_sandbox.c */
/* "sandbox violation: the program tried to ..." for system call nr into buf (NUL-terminated,
 * truncated to cap); async-signal-safe. Returns the length written. */
size_t rt_sandbox_describe(long nr, char *buf, size_t cap);
int rt_sandbox_entered(void);            /* 1 once rt_sandbox_enter has succeeded */

#endif
