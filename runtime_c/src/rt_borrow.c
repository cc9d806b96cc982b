/* custody runtime: the debug borrow table (X07's --debug-borrow-checks).
 *
 * Owners and borrows are numbered from 1 in creation order, so ids (and the messages quoting
 * them) are deterministic. Each owner keeps a doubly linked list of its live borrows, so
 * acquire, release and "is it borrowed" are O(1). The tables and the violation list live in the
 * system allocator, never in the user's heap, and grow by doubling.
 *
 * States of an owner: live -> moved (the variable gave its value away; the value continues
 * under a fresh owner id) or live -> dropped (the buffer was freed). Using a moved owner is a
 * violation and execution goes on; using a dropped one (or reading through a view of it) is use
 * after free, which is recorded and then traps RT_TRAP_USE_AFTER_FREE.
 *
 * With debug_borrows off every entry point returns at its first test.
 *
 * Node ids in violations. Each violation records the node where it happened (the use, in the
 * same place custody check reports the fault) and up to three more node ids so the report can
 * speak in the user's names and lines instead of internal ids: `owner` (the name in the `let`
 * that holds the owner, see rt_owner_bind; else where the value was made), `event` (where the
 * owner was moved or dropped) and `view` (the name of the view binding that borrows it, see
 * rt_borrow_bind; else where the borrow was taken). The C message is a terse fallback; the
 * runner builds the user's message from the kind and these nodes.
 */
#define _POSIX_C_SOURCE 200809L

#include "custody_rt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECORDED 1000u
#define KIND_LEN 32
#define MESSAGE_LEN 224

enum { OWNER_LIVE = 1, OWNER_MOVED = 2, OWNER_DROPPED = 3 };

typedef struct {
    uint8_t state;
    uint32_t node;         /* where it was created */
    uint32_t name_node;    /* the binding that holds it (0: none yet) */
    uint32_t event_node;   /* where it was moved or dropped */
    uint32_t first_bid;    /* head of the list of live borrows */
    uint32_t nborrows;
} owner_t;

typedef struct {
    uint32_t oid;
    uint32_t node;
    uint32_t name_node;    /* the view binding that holds the borrow (0: a temporary borrow) */
    uint32_t next, prev;   /* in the owner's list of live borrows */
    uint8_t live;
} borrow_t;

typedef struct {
    char kind[KIND_LEN];
    uint32_t node;
    uint32_t owner_node, event_node, view_node;   /* see the top of this file; 0: none */
    char message[MESSAGE_LEN];
} violation_t;

int rt_borrow_enabled = 0;

static struct {
    owner_t *owners;
    uint32_t nowners, owners_cap;       /* ids 1..nowners are in use; slot 0 is unused */
    borrow_t *borrows;
    uint32_t nborrows, borrows_cap;
    violation_t *viol;
    uint32_t nrecorded, viol_cap;
    uint32_t total;                     /* every violation, recorded or not (saturating) */
} B;

static RT_NORETURN void out_of_system_memory(void) {
    rt_trap(RT_TRAP_OOM, 0, "out of system memory for the debug borrow table");
}

static void *grow(void *p, uint32_t *cap, size_t elem) {
    uint32_t n = *cap ? *cap * 2 : 64;
    void *q = realloc(p, (size_t)n * elem);
    if (!q) out_of_system_memory();
    *cap = n;
    return q;
}

void rt_borrow_init(int enabled) {
    rt_borrow_shutdown();
    rt_borrow_enabled = enabled ? 1 : 0;
}

void rt_borrow_shutdown(void) {
    free(B.owners);
    free(B.borrows);
    free(B.viol);
    memset(&B, 0, sizeof B);
    rt_borrow_enabled = 0;
}

/* ---------------------------------------------------------------- violations */
static void record_about(const char *kind, uint32_t n, const char *message, const owner_t *o) {
    violation_t *v;
    if (B.total != UINT32_MAX) B.total++;
    if (B.nrecorded >= MAX_RECORDED) return;
    if (B.nrecorded == B.viol_cap) B.viol = (violation_t *)grow(B.viol, &B.viol_cap, sizeof *B.viol);
    v = &B.viol[B.nrecorded++];
    snprintf(v->kind, sizeof v->kind, "%s", kind ? kind : "violation");
    snprintf(v->message, sizeof v->message, "%s", message ? message : "");
    v->node = n;
    v->owner_node = v->event_node = v->view_node = 0;
    if (o) {
        const borrow_t *b = o->first_bid ? &B.borrows[o->first_bid] : NULL;
        v->owner_node = o->name_node ? o->name_node : o->node;
        v->event_node = o->event_node;
        if (b) v->view_node = b->name_node ? b->name_node : b->node;
    }
}

static void record(const char *kind, uint32_t n, const char *message) {
    record_about(kind, n, message, NULL);
}

void rt_violation(const char *kind, uint32_t n, const char *message) {
    if (!rt_borrow_enabled) return;
    record(kind, n, message);
}

int rt_violation_nodes(uint32_t i, uint32_t *owner_node, uint32_t *event_node, uint32_t *view_node) {
    if (i >= B.nrecorded) return 0;
    if (owner_node) *owner_node = B.viol[i].owner_node;
    if (event_node) *event_node = B.viol[i].event_node;
    if (view_node) *view_node = B.viol[i].view_node;
    return 1;
}

uint32_t rt_violation_count(void) { return B.total; }

uint32_t rt_violations_recorded(void) { return B.nrecorded; }

int rt_violation_at(uint32_t i, const char **kind, uint32_t *node, const char **message) {
    if (i >= B.nrecorded) return 0;
    if (kind) *kind = B.viol[i].kind;
    if (node) *node = B.viol[i].node;
    if (message) *message = B.viol[i].message;
    return 1;
}

static RT_NORETURN void use_after_free(uint32_t n, const char *message, const owner_t *o) {
    record_about("use_after_free", n, message, o);
    rt_trap(RT_TRAP_USE_AFTER_FREE, n, message);
}

/* ---------------------------------------------------------------- owners and borrows */
static owner_t *owner(uint32_t oid) {
    return (oid != 0 && oid <= B.nowners) ? &B.owners[oid] : NULL;
}

static borrow_t *borrow(uint32_t bid) {
    return (bid != 0 && bid <= B.nborrows) ? &B.borrows[bid] : NULL;
}

uint32_t rt_owner_new(uint32_t n) {
    owner_t *o;
    if (!rt_borrow_enabled || B.nowners == UINT32_MAX - 1) return 0;
    if (B.nowners + 1 >= B.owners_cap) B.owners = (owner_t *)grow(B.owners, &B.owners_cap, sizeof *B.owners);
    o = &B.owners[++B.nowners];
    o->state = OWNER_LIVE;
    o->node = n;
    o->name_node = 0;
    o->event_node = 0;
    o->first_bid = 0;
    o->nborrows = 0;
    return B.nowners;
}

void rt_owner_bind(uint32_t oid, uint32_t name_node) {
    owner_t *o;
    if (!rt_borrow_enabled) return;
    o = owner(oid);
    if (o && o->state == OWNER_LIVE) o->name_node = name_node;
}

void rt_borrow_bind(uint32_t bid, uint32_t name_node) {
    borrow_t *b;
    if (!rt_borrow_enabled) return;
    b = borrow(bid);
    if (b && b->live) b->name_node = name_node;
}

/* "borrowed by a view" or "borrowed by 3 views" */
static void describe_borrowers(char *buf, size_t cap, const owner_t *o) {
    if (o->nborrows > 1)
        snprintf(buf, cap, "borrowed by %lu views", (unsigned long)o->nborrows);
    else
        snprintf(buf, cap, "borrowed by a view");
}

/* Use of owner oid at node n: dropped traps, moved is recorded. Returns the owner (NULL when
 * the id is not tracked). */
static owner_t *check_use(uint32_t oid, uint32_t n, const char *what) {
    owner_t *o = owner(oid);
    char msg[MESSAGE_LEN];
    if (!o) return NULL;
    if (o->state == OWNER_DROPPED) {
        snprintf(msg, sizeof msg, "use after free: %s a value that was already dropped", what);
        use_after_free(n, msg, o);
    }
    if (o->state == OWNER_MOVED) {
        snprintf(msg, sizeof msg, "use after move: %s a value that was moved away", what);
        record_about("use_after_move", n, msg, o);
    }
    return o;
}

uint32_t rt_borrow_acquire(uint32_t oid, uint32_t n) {
    owner_t *o;
    borrow_t *b;
    uint32_t bid;
    if (!rt_borrow_enabled) return 0;
    if (!owner(oid) || B.nborrows == UINT32_MAX - 1) return 0;
    check_use(oid, n, "borrow of");
    if (B.nborrows + 1 >= B.borrows_cap) B.borrows = (borrow_t *)grow(B.borrows, &B.borrows_cap, sizeof *B.borrows);
    o = &B.owners[oid];                   /* after check_use, which cannot move the table */
    bid = ++B.nborrows;
    b = &B.borrows[bid];
    b->oid = oid;
    b->node = n;
    b->name_node = 0;
    b->live = 1;
    b->prev = 0;
    b->next = o->first_bid;
    if (o->first_bid) B.borrows[o->first_bid].prev = bid;
    o->first_bid = bid;
    o->nborrows++;
    return bid;
}

void rt_borrow_release(uint32_t bid) {
    borrow_t *b;
    owner_t *o;
    if (!rt_borrow_enabled) return;
    b = borrow(bid);
    if (!b || !b->live) return;
    b->live = 0;
    o = &B.owners[b->oid];
    if (b->prev) B.borrows[b->prev].next = b->next;
    else o->first_bid = b->next;
    if (b->next) B.borrows[b->next].prev = b->prev;
    b->next = b->prev = 0;
    o->nborrows--;
}

void rt_check_view(rt_view v, uint32_t n) {
    borrow_t *b;
    owner_t *o;
    char msg[MESSAGE_LEN];
    if (!rt_borrow_enabled) return;
    b = borrow(v.bid);
    if (!b) return;                       /* a runtime view: borrows nothing the program owns */
    o = &B.owners[b->oid];
    if (o->state == OWNER_DROPPED) {
        snprintf(msg, sizeof msg, "use after free: access through a view of a value that was dropped");
        use_after_free(n, msg, o);
    }
    if (!b->live) {
        snprintf(msg, sizeof msg, "access through a view whose borrow has ended");
        record_about("released_borrow", n, msg, o);
    }
}

/* `set` replaces the variable's value, so a moved-out variable may be set again (custody check
 * agrees: that re-initialises it); only a live borrow makes it a conflict. Every other mutator
 * reads the value it changes, so using a moved owner is use after move. */
void rt_check_owner_mutate(uint32_t oid, const char *op, uint32_t n) {
    owner_t *o;
    char who[96], msg[MESSAGE_LEN];
    if (!rt_borrow_enabled) return;
    if (op && strcmp(op, "set") == 0) {
        o = owner(oid);
        if (o && o->state == OWNER_DROPPED) o = check_use(oid, n, "mutation of");
    } else {
        o = check_use(oid, n, "mutation of");
    }
    if (!o || o->state != OWNER_LIVE || o->nborrows == 0) return;
    describe_borrowers(who, sizeof who, o);
    snprintf(msg, sizeof msg, "%s while borrowed: the value is %s", op && *op ? op : "mutation", who);
    record_about("conflicting_borrow", n, msg, o);
}

void rt_check_owner_move(uint32_t oid, uint32_t n) {
    owner_t *o;
    char who[96], msg[MESSAGE_LEN];
    if (!rt_borrow_enabled) return;
    o = owner(oid);
    if (!o || o->state != OWNER_LIVE || o->nborrows == 0) return;
    describe_borrowers(who, sizeof who, o);
    snprintf(msg, sizeof msg, "move while borrowed: the value is %s", who);
    record_about("move_while_borrowed", n, msg, o);
}

void rt_check_owner_use(uint32_t oid, uint32_t n) {
    if (!rt_borrow_enabled) return;
    check_use(oid, n, "access to");
}

void rt_owner_moved(uint32_t oid, uint32_t n) {
    owner_t *o;
    if (!rt_borrow_enabled) return;
    o = owner(oid);
    if (!o || o->state != OWNER_LIVE) return;
    o->state = OWNER_MOVED;
    o->event_node = n;
}

void rt_owner_dropped(uint32_t oid, uint32_t n) {
    owner_t *o;
    char who[96], msg[MESSAGE_LEN];
    if (!rt_borrow_enabled) return;
    o = owner(oid);
    if (!o) return;
    if (o->state == OWNER_DROPPED) {
        snprintf(msg, sizeof msg, "use after free: a value dropped a second time");
        use_after_free(n, msg, o);
    }
    if (o->state == OWNER_MOVED) {
        snprintf(msg, sizeof msg, "use after move: drop of a value that was moved away");
        record_about("use_after_move", n, msg, o);
        return;
    }
    if (o->nborrows) {
        describe_borrowers(who, sizeof who, o);
        snprintf(msg, sizeof msg, "drop while borrowed: the value is %s", who);
        record_about("drop_while_borrowed", n, msg, o);
    }
    o->state = OWNER_DROPPED;
    o->event_node = n;
}
