/* A minimal harness shared by the runtime's C unit tests. */
#ifndef RT_TEST_H
#define RT_TEST_H

#define _POSIX_C_SOURCE 200809L

#include "custody_rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int rt_test_failures = 0;
static int rt_test_checks = 0;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        rt_test_checks++;                                                            \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            rt_test_failures++;                                                      \
        }                                                                            \
    } while (0)

#define CHECK_EQ_U64(a, b)                                                             \
    do {                                                                               \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
        rt_test_checks++;                                                              \
        if (a_ != b_) {                                                                \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%llu != %llu)\n", __FILE__,  \
                    __LINE__, #a, #b, a_, b_);                                         \
            rt_test_failures++;                                                        \
        }                                                                              \
    } while (0)

#define RUN(test)                                                                      \
    do {                                                                               \
        int before_ = rt_test_failures;                                                \
        test();                                                                        \
        fprintf(stderr, "%s %s\n", rt_test_failures == before_ ? "ok  " : "FAIL", #test); \
    } while (0)

static void init_rt(uint64_t cap, int64_t fuel, int debug) {
    rt_config c;
    c.mem_cap = cap;
    c.fuel = fuel;
    c.debug_borrows = debug;
    rt_init(&c);
}

/* Runs fn in a forked child with its stderr captured into out (NUL-terminated). Returns the
 * child's exit status, or -signal if a signal ended it. */
static int run_child(void (*fn)(void), char *out, size_t cap) {
    int fds[2];
    pid_t pid;
    size_t n = 0;
    int status = 0;
    fflush(NULL);
    if (pipe(fds) != 0) return -1000;
    pid = fork();
    if (pid < 0) return -1001;
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 2);
        fn();
        _exit(0);
    }
    close(fds[1]);
    for (;;) {
        ssize_t r = read(fds[0], out + n, cap - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
        if (n == cap - 1) break;
    }
    out[n] = '\0';
    close(fds[0]);
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? -WTERMSIG(status) : -1002;
}

static int finish(const char *name) {
    fprintf(stderr, "%s: %d checks, %d failed\n", name, rt_test_checks, rt_test_failures);
    if (rt_test_failures == 0) printf("ALL PASSED\n");
    return rt_test_failures == 0 ? 0 : 1;
}

#endif
