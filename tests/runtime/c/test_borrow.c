/* Unit tests of the debug borrow table (rt_borrow.c) and its use by the drop helpers. */
#include "rt_test.h"

static int has_violation(uint32_t i, const char *kind, uint32_t node, const char *message) {
    const char *k = NULL, *m = NULL;
    uint32_t n = 0;
    if (!rt_violation_at(i, &k, &n, &m)) {
        fprintf(stderr, "  violation %u: none recorded\n", (unsigned)i);
        return 0;
    }
    if (strcmp(k, kind) != 0 || n != node || strcmp(m, message) != 0) {
        fprintf(stderr, "  violation %u: got (%s, %u, \"%s\")\n  wanted (%s, %u, \"%s\")\n",
                (unsigned)i, k, (unsigned)n, m, kind, (unsigned)node, message);
        return 0;
    }
    return 1;
}

static int has_nodes(uint32_t i, uint32_t owner_node, uint32_t event_node, uint32_t view_node) {
    uint32_t o = 0, e = 0, v = 0;
    if (!rt_violation_nodes(i, &o, &e, &v)) return 0;
    if (o != owner_node || e != event_node || v != view_node) {
        fprintf(stderr, "  violation %u: nodes (owner %u, event %u, view %u), wanted (%u, %u, %u)\n",
                (unsigned)i, (unsigned)o, (unsigned)e, (unsigned)v, (unsigned)owner_node,
                (unsigned)event_node, (unsigned)view_node);
        return 0;
    }
    return 1;
}

static rt_view view_of(uint32_t bid) {
    rt_view v;
    v.ptr = (const uint8_t *)"x";
    v.len = 1;
    v.bid = bid;
    return v;
}

static void test_disabled_is_a_no_op(void) {
    uint32_t o, b;
    init_rt(1 << 16, 100, 0);
    o = rt_owner_new(1);
    b = rt_borrow_acquire(o, 2);
    CHECK(o == 0 && b == 0);
    /* made-up ids and every check: nothing recorded, nothing traps */
    rt_check_owner_move(1, 3);
    rt_check_owner_mutate(1, "push", 4);
    rt_owner_dropped(1, 5);
    rt_owner_dropped(1, 5);
    rt_check_owner_use(1, 6);
    rt_check_view(view_of(1), 7);
    rt_borrow_release(1);
    rt_owner_moved(1, 8);
    rt_violation("use_after_move", 9, "recorded only with debug borrows");
    CHECK_EQ_U64(rt_violation_count(), 0);
    CHECK_EQ_U64(rt_violations_recorded(), 0);
    rt_shutdown();
}

static void test_each_kind_with_its_node(void) {
    uint32_t o1, o2, o3, b1, b2;
    init_rt(1 << 16, 100, 1);
    o1 = rt_owner_new(10);
    b1 = rt_borrow_acquire(o1, 11);
    CHECK(o1 == 1 && b1 == 1);
    rt_check_view(view_of(b1), 12);                       /* a live borrow: fine */
    rt_check_owner_use(o1, 12);                           /* reading the owner: fine */
    CHECK_EQ_U64(rt_violation_count(), 0);

    rt_check_owner_move(o1, 13);
    CHECK(has_violation(0, "move_while_borrowed", 13, "move while borrowed: the value is borrowed by a view"));
    CHECK(has_nodes(0, 10, 0, 11));
    rt_check_owner_mutate(o1, "vec_u8.push", 14);
    CHECK(has_violation(1, "conflicting_borrow", 14, "vec_u8.push while borrowed: the value is borrowed by a view"));
    CHECK(has_nodes(1, 10, 0, 11));

    rt_borrow_release(b1);
    rt_check_owner_mutate(o1, "vec_u8.push", 15);         /* released: no longer a conflict */
    rt_check_owner_move(o1, 15);
    CHECK_EQ_U64(rt_violation_count(), 2);
    rt_check_view(view_of(b1), 16);
    CHECK(has_violation(2, "released_borrow", 16, "access through a view whose borrow has ended"));

    o2 = rt_owner_new(20);
    rt_owner_bind(o2, 19);                                /* held by the binding named at node 19 */
    b2 = rt_borrow_acquire(o2, 21);
    rt_borrow_bind(b2, 18);                               /* ... borrowed by the view named at 18 */
    rt_owner_dropped(o2, 22);
    CHECK(has_violation(3, "drop_while_borrowed", 22, "drop while borrowed: the value is borrowed by a view"));
    CHECK(has_nodes(3, 19, 0, 18));

    o3 = rt_owner_new(30);
    rt_check_owner_move(o3, 31);                          /* not borrowed: a legal move */
    rt_owner_moved(o3, 31);
    CHECK_EQ_U64(rt_violation_count(), 4);
    rt_check_owner_use(o3, 32);
    CHECK(has_violation(4, "use_after_move", 32, "use after move: access to a value that was moved away"));
    CHECK(has_nodes(4, 30, 31, 0));
    rt_owner_dropped(o3, 33);
    CHECK(has_violation(5, "use_after_move", 33, "use after move: drop of a value that was moved away"));

    rt_violation("custom_kind", 40, "recorded directly");
    CHECK(has_violation(6, "custom_kind", 40, "recorded directly"));
    CHECK(has_nodes(6, 0, 0, 0));
    CHECK(!rt_violation_nodes(7, NULL, NULL, NULL));
    CHECK_EQ_U64(rt_violation_count(), 7);
    CHECK_EQ_U64(rt_violations_recorded(), 7);
    CHECK(!rt_violation_at(7, NULL, NULL, NULL));
    (void)b2;
    rt_shutdown();
}

static void test_borrow_lists(void) {
    uint32_t o, b1, b2, b3, other;
    init_rt(1 << 16, 100, 1);
    o = rt_owner_new(1);
    other = rt_owner_new(1);
    b1 = rt_borrow_acquire(o, 2);
    b2 = rt_borrow_acquire(other, 2);
    b3 = rt_borrow_acquire(o, 2);
    CHECK(b1 == 1 && b2 == 2 && b3 == 3);
    rt_check_owner_move(o, 5);
    CHECK(has_violation(0, "move_while_borrowed", 5, "move while borrowed: the value is borrowed by 2 views"));
    rt_borrow_release(b3);
    rt_borrow_release(b3);                                /* twice: harmless */
    rt_check_owner_move(o, 6);
    CHECK(has_violation(1, "move_while_borrowed", 6, "move while borrowed: the value is borrowed by a view"));
    rt_borrow_release(b1);
    rt_check_owner_move(o, 7);
    rt_check_owner_move(other, 7);
    CHECK(has_violation(2, "move_while_borrowed", 7, "move while borrowed: the value is borrowed by a view"));
    CHECK_EQ_U64(rt_violation_count(), 3);
    rt_borrow_release(0);
    rt_borrow_release(999);                               /* unknown ids are ignored */
    rt_check_view(view_of(0), 8);                         /* a runtime view borrows nothing */
    CHECK_EQ_U64(rt_violation_count(), 3);
    rt_shutdown();
}

static void test_tables_grow_and_reset(void) {
    uint32_t i, last_o = 0, last_b = 0;
    init_rt(1 << 16, 100, 1);
    for (i = 0; i < 100000; i++) {
        last_o = rt_owner_new(i);
        last_b = rt_borrow_acquire(last_o, i);
        if (i % 2) rt_borrow_release(last_b);
    }
    CHECK_EQ_U64(last_o, 100000);
    CHECK_EQ_U64(last_b, 100000);
    rt_check_owner_move(99999, 1);                        /* even i: still borrowed */
    rt_check_owner_move(100000, 1);                       /* odd i: released */
    CHECK_EQ_U64(rt_violation_count(), 1);
    CHECK(has_violation(0, "move_while_borrowed", 1, "move while borrowed: the value is borrowed by a view"));
    CHECK(has_nodes(0, 99998, 0, 99998));
    CHECK_EQ_U64(rt_get_mem_stats().alloc_calls, 0);      /* none of it is in the user heap */
    init_rt(1 << 16, 100, 1);
    CHECK_EQ_U64(rt_owner_new(1), 1);                     /* rt_init starts over */
    CHECK_EQ_U64(rt_violation_count(), 0);
    rt_shutdown();
}

static void test_violation_cap(void) {
    uint32_t i;
    char long_message[600];
    const char *m = NULL;
    init_rt(1 << 16, 100, 1);
    memset(long_message, 'm', sizeof long_message - 1);
    long_message[sizeof long_message - 1] = '\0';
    for (i = 0; i < 1500; i++) rt_violation("released_borrow", i, i == 0 ? long_message : "again");
    CHECK_EQ_U64(rt_violation_count(), 1500);
    CHECK_EQ_U64(rt_violations_recorded(), 1000);
    CHECK(has_violation(999, "released_borrow", 999, "again"));
    CHECK(rt_violation_at(0, NULL, NULL, &m) && strlen(m) > 100 && strlen(m) < sizeof long_message);
    rt_shutdown();
}

static void use_of_dropped_owner(void) {
    uint32_t o;
    init_rt(1 << 16, 100, 1);
    o = rt_owner_new(1);
    rt_owner_dropped(o, 2);
    rt_check_owner_use(o, 3);
}

static void read_through_view_of_dropped_owner(void) {
    uint32_t o, b;
    init_rt(1 << 16, 100, 1);
    o = rt_owner_new(1);
    b = rt_borrow_acquire(o, 2);
    rt_owner_dropped(o, 4);                               /* drop while borrowed (recorded) */
    rt_check_view(view_of(b), 5);                         /* then the read: fatal */
}

static void double_drop(void) {
    uint32_t o;
    init_rt(1 << 16, 100, 1);
    o = rt_owner_new(1);
    rt_owner_dropped(o, 2);
    rt_owner_dropped(o, 6);
}

static void test_use_after_free_traps(void) {
    char out[16384];
    CHECK_EQ_U64(run_child(use_of_dropped_owner, out, sizeof out), 3);
    CHECK(strstr(out, "\"trap\":{\"code\":\"use_after_free\",\"node\":3,\"message\":\"use after free: access to a value that was already dropped\"}") != NULL);
    CHECK(strstr(out, "\"violations\":[{\"kind\":\"use_after_free\",\"node\":3,\"owner_node\":1,\"event_node\":2,\"view_node\":0,") != NULL);
    CHECK(strstr(out, "\"borrow_violations\":1") != NULL);

    CHECK_EQ_U64(run_child(read_through_view_of_dropped_owner, out, sizeof out), 3);
    CHECK(strstr(out, "{\"kind\":\"drop_while_borrowed\",\"node\":4,\"owner_node\":1,\"event_node\":0,\"view_node\":2,\"message\":\"drop while borrowed: the value is borrowed by a view\"}") != NULL);
    CHECK(strstr(out, "\"trap\":{\"code\":\"use_after_free\",\"node\":5,") != NULL);
    CHECK(strstr(out, "\"borrow_violations\":2") != NULL);

    CHECK_EQ_U64(run_child(double_drop, out, sizeof out), 3);
    CHECK(strstr(out, "\"trap\":{\"code\":\"use_after_free\",\"node\":6,") != NULL);
    CHECK(strstr(out, "a value dropped a second time") != NULL);
}

static void test_drop_helpers_track_owners(void) {
    rt_bytes b, c;
    rt_vec_u8 v;
    uint32_t bid, vid;
    init_rt(1 << 16, 100, 1);
    b = rt_view_to_bytes(rt_runtime_view((const uint8_t *)"abc", 3), 1);
    CHECK(b.oid == 1);
    bid = rt_borrow_acquire(b.oid, 2);
    rt_bytes_drop(&b, 3);                                 /* the drop glue reports it */
    CHECK(has_violation(0, "drop_while_borrowed", 3, "drop while borrowed: the value is borrowed by a view"));
    CHECK(b.oid == 0 && b.ptr == NULL);
    (void)bid;

    v.ptr = (uint8_t *)rt_alloc(16, 1, 0);
    v.len = 2;
    v.cap = 16;
    v.oid = rt_owner_new(4);
    vid = v.oid;
    c = rt_vec_u8_into_bytes(&v, 5);                      /* consumes the vec: a move */
    CHECK(c.oid != 0 && c.oid != vid);
    CHECK_EQ_U64(rt_violation_count(), 1);
    rt_check_owner_use(vid, 6);
    CHECK(has_violation(1, "use_after_move", 6, "use after move: access to a value that was moved away"));
    rt_check_owner_use(c.oid, 7);                         /* the new owner is fine */
    CHECK_EQ_U64(rt_violation_count(), 2);
    rt_bytes_drop(&c, 8);
    CHECK_EQ_U64(rt_get_mem_stats().live_allocs, 0);
    rt_shutdown();
}

int main(void) {
    RUN(test_disabled_is_a_no_op);
    RUN(test_each_kind_with_its_node);
    RUN(test_borrow_lists);
    RUN(test_tables_grow_and_reset);
    RUN(test_violation_cap);
    RUN(test_use_after_free_traps);
    RUN(test_drop_helpers_track_owners);
    return finish("test_borrow");
}
