/* custody's bundled X07 runtime: the contract between the runtime (runtime_c/src/rt_*.c) and
 * the C that custody's X07 emitter writes (runtime_c/emit_c.py, runtime_c/src/rt_builtins.c).
 *
 * C99. One program per process: all state is global. Every operation that can fail or be
 * checked takes `n`, the id of the source node it stands for (an index into the emitter's node
 * table; 0 = no node), so every event can be mapped back to a range of the user's file.
 *
 * Ownership in C terms
 *   rt_bytes / rt_vec_u8 are owned: exactly one variable holds each, the emitter's drop glue
 *   calls rt_bytes_drop / rt_vec_u8_drop at every scope exit. `oid` names the owner in the debug
 *   borrow table (0: not tracked, e.g. empty or moved-out values).
 *   rt_view is borrowed: `bid` is its borrow-table entry (0: a runtime view such as `input` or a
 *   literal, which borrows nothing the program owns).
 */
#ifndef CUSTODY_RT_H
#define CUSTODY_RT_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define RT_NORETURN __attribute__((noreturn))
#else
#define RT_NORETURN
#endif

/* ---------------------------------------------------------------- values */
typedef struct { uint8_t *ptr; uint32_t len; uint32_t oid; } rt_bytes;
typedef struct { const uint8_t *ptr; uint32_t len; uint32_t bid; } rt_view;
typedef struct { uint8_t *ptr; uint32_t len; uint32_t cap; uint32_t oid; } rt_vec_u8;

/* ---------------------------------------------------------------- configuration, lifecycle */
typedef struct {
    uint64_t mem_cap;        /* heap capacity in bytes (the whole arena, reserved at rt_init) */
    int64_t fuel;            /* evaluation budget: one unit per evaluated AST node */
    int debug_borrows;       /* 1: keep the borrow table and check every access */
} rt_config;

void rt_init(const rt_config *cfg);      /* (re)initialises every global; safe to call again */
void rt_shutdown(void);                  /* releases the arena and the tables */

/* The solver ABI. Reads `u32_le len` + bytes from stdin into the input view, resets the memory
 * statistics (epoch reset: the input buffer is not counted), calls solve, writes `u32_le len` +
 * the output bytes to stdout, drops the output, then writes one JSON line of metrics to stderr:
 *   {"fuel_used":N,"mem_stats":{...10 counters...},"leak_free":true|false,
 *    "debug_stats":{"borrow_violations":N},
 *    "violations":[{"kind":"...","node":N,"owner_node":N,"event_node":N,"view_node":N,
 *                   "message":"..."}],   (the extra nodes: see rt_violation_nodes)
 *    "trap":null|{"code":"...","node":N,"message":"..."}}
 * Configuration comes from the environment: CUSTODY_MEM_CAP (bytes, default 64 MiB),
 * CUSTODY_FUEL (default 1e9), CUSTODY_DEBUG_BORROWS (0/1, default 0).
 * Right before solve it enters the sandbox (rt_sandbox_enter); when that fails it traps
 * RT_TRAP_SANDBOX instead of running solve, unless CUSTODY_UNCONFINED=1 (the user asked to run
 * unconfined where the kernel cannot confine).
 * Returns the process exit status: 0 ran, 3 trapped (the metrics line says why), 2 bad input. */
int rt_main(rt_bytes (*solve)(rt_view input));

/* ---------------------------------------------------------------- the sandbox (rt_sandbox.c) */
/* Confines the process for the rest of its life with a seccomp allow-list: write to fds 1 and 2,
 * mmap / mprotect without PROT_EXEC, munmap, mremap, madvise, brk, exit, exit_group,
 * rt_sigreturn. Any other system call is stopped and becomes trap RT_TRAP_SANDBOX ("sandbox")
 * with the message "sandbox violation: the program tried to open a file" (... open a network
 * socket / start a process / run another program / signal a process / trace a process / map
 * executable memory / make system call N (name)). Also sets PR_SET_NO_NEW_PRIVS and a SIGSYS
 * handler on the alternate signal stack. Returns 0 when in force (also when already entered),
 * -1 when the kernel or architecture cannot provide it; then *why (if why is not NULL) says why
 * and nothing is confined. */
int rt_sandbox_enter(const char **why);

/* ---------------------------------------------------------------- traps */
enum {
    RT_TRAP_FUEL = 1,        /* fuel exhausted */
    RT_TRAP_OOM = 2,         /* allocation over the memory cap */
    RT_TRAP_BOUNDS = 3,      /* index or range outside a buffer */
    RT_TRAP_DIV_ZERO = 4,
    RT_TRAP_UNWRAP = 5,      /* e.g. unwrap of none / err without a default */
    RT_TRAP_USE_AFTER_FREE = 6, /* access to freed memory (debug borrows): fatal */
    RT_TRAP_BAD_INPUT = 7,   /* stdin did not hold `u32_le len` + len bytes */
    RT_TRAP_UNSUPPORTED = 8, /* reached an operation this runtime does not implement */
    RT_TRAP_SANDBOX = 9      /* a system call the sandbox forbids, or no sandbox to enter */
};
/* Records the trap (code, node, message) as the run's outcome, prints the metrics line and
 * exits with status 3. Never returns. */
RT_NORETURN void rt_trap(int code, uint32_t n, const char *message);
const char *rt_trap_name(int code);      /* "fuel", "oom", "bounds", ... */
/* Added by the runtime: the metrics line rt_main would print now (no newline), with the trap
 * recorded so far (none outside rt_trap). Returns the length it needs, like snprintf; the text
 * is complete and NUL-terminated only when that is below cap. */
size_t rt_metrics_json(char *buf, size_t cap);

/* ---------------------------------------------------------------- fuel */
extern int64_t rt_fuel_left;
RT_NORETURN void rt_out_of_fuel(uint32_t n);
#define RT_TICK(n) do { if (--rt_fuel_left < 0) rt_out_of_fuel(n); } while (0)
int64_t rt_fuel_used(void);

/* ---------------------------------------------------------------- the deterministic heap */
/* A fixed arena of cfg.mem_cap bytes; segregated free lists with coalescing of neighbours;
 * allocations are zeroed; realloc is always allocate-new + copy + free (memcpy_bytes counts the
 * copy) so statistics do not depend on the arena's layout. Sizes of 0 return a unique non-NULL
 * pointer that must still be freed. Going over the cap traps RT_TRAP_OOM with node n. */
void *rt_alloc(uint32_t size, uint32_t align, uint32_t n);
void *rt_realloc(void *p, uint32_t old_size, uint32_t new_size, uint32_t align, uint32_t n);
void rt_free(void *p, uint32_t size, uint32_t align);
void rt_memcpy(void *dst, const void *src, uint32_t len);  /* counts memcpy_bytes */

typedef struct {
    uint64_t alloc_calls, realloc_calls, free_calls;
    uint64_t bytes_alloc_total, bytes_freed_total;
    uint64_t live_bytes, peak_live_bytes;
    uint64_t live_allocs, peak_live_allocs;
    uint64_t memcpy_bytes;
} rt_mem_stats;
rt_mem_stats rt_get_mem_stats(void);
void rt_mem_epoch_reset(void);           /* zero the counters; live values become the baseline */

/* ---------------------------------------------------------------- the debug borrow table */
/* All of these are no-ops (returning 0 / passing) when debug_borrows is off. A violation is
 * recorded (kind, node, message) and execution continues, except use after free, which traps.
 * Violation kinds: "use_after_free", "released_borrow" (access through a view whose borrow
 * ended), "conflicting_borrow" (mutation of an owner while a view of it is live),
 * "move_while_borrowed", "drop_while_borrowed", "use_after_move". */
uint32_t rt_owner_new(uint32_t n);                       /* a fresh owner id (live) */
uint32_t rt_borrow_acquire(uint32_t oid, uint32_t n);    /* a view of owner oid: returns bid */
void rt_borrow_release(uint32_t bid);                    /* the view's lexical scope ended */
void rt_check_view(rt_view v, uint32_t n);               /* before every access through v */
void rt_check_owner_mutate(uint32_t oid, const char *op, uint32_t n); /* "<op> while borrowed" */
void rt_check_owner_move(uint32_t oid, uint32_t n);      /* move while borrowed */
void rt_check_owner_use(uint32_t oid, uint32_t n);       /* access to a freed / moved-out owner */
void rt_owner_moved(uint32_t oid, uint32_t n);           /* the old variable no longer owns it */
void rt_owner_dropped(uint32_t oid, uint32_t n);         /* checks drop while borrowed; marks freed */
void rt_violation(const char *kind, uint32_t n, const char *message); /* record one directly */
uint32_t rt_violation_count(void);
/* Added by the runtime: reading the recorded violations back (the list keeps the first 1000;
 * rt_violation_count counts every one). rt_violation_at returns 0 when i is out of range; the
 * strings stay valid until the next rt_init / rt_shutdown. */
uint32_t rt_violations_recorded(void);
int rt_violation_at(uint32_t i, const char **kind, uint32_t *node, const char **message);
/* The names behind violation i (0 each when unknown): the binding holding the owner (or where the
 * value was made), where the owner was moved or dropped, and the view binding borrowing it (or
 * where the borrow was taken). Returns 0 when i is out of range. */
int rt_violation_nodes(uint32_t i, uint32_t *owner_node, uint32_t *event_node, uint32_t *view_node);
/* Names for the messages: the owner oid is now held by the binding whose name is node name_node;
 * the borrow bid is held by the view binding name_node. */
void rt_owner_bind(uint32_t oid, uint32_t name_node);
void rt_borrow_bind(uint32_t bid, uint32_t name_node);

/* ---------------------------------------------------------------- drop helpers, conversions */
void rt_bytes_drop(rt_bytes *b, uint32_t n);             /* frees, zeroes *b; empty is fine */
void rt_vec_u8_drop(rt_vec_u8 *v, uint32_t n);
rt_bytes rt_view_to_bytes(rt_view v, uint32_t n);        /* copy into a new owned buffer */
rt_bytes rt_vec_u8_into_bytes(rt_vec_u8 *v, uint32_t n); /* no copy: moves the buffer (shrinks
                                                             it to len first); *v is emptied */
rt_view rt_runtime_view(const uint8_t *ptr, uint32_t len); /* bid 0: borrows nothing owned */

#endif
