/* A solver that, once the runtime has entered its sandbox, tries what a hostile program would:
 * the input's prefix picks the attempt. Without the sandbox every attempt succeeds (harmlessly)
 * and the program answers "escaped:<what>", so a test that expects the sandbox trap fails. */
#define _GNU_SOURCE 1
#include "custody_rt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int is(rt_view in, const char *word) {
    size_t n = strlen(word);
    return in.len == n && memcmp(in.ptr, word, n) == 0;
}

static rt_bytes say(const char *text) {
    rt_bytes b;
    b.len = (uint32_t)strlen(text);
    b.ptr = (uint8_t *)rt_alloc(b.len, 1, 0);
    memcpy(b.ptr, text, b.len);
    b.oid = 0;
    return b;
}

static rt_bytes solve(rt_view in) {
    if (is(in, "open")) {
        int fd = open("/dev/null", O_RDONLY);
        return say(fd >= 0 ? "escaped:open" : "failed:open");
    }
    if (is(in, "socket")) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        return say(fd >= 0 ? "escaped:socket" : "failed:socket");
    }
    if (is(in, "fork")) {
        pid_t pid = fork();
        if (pid == 0) _exit(0);
        if (pid > 0) waitpid(pid, NULL, 0);
        return say(pid >= 0 ? "escaped:fork" : "failed:fork");
    }
    if (is(in, "execve")) {
        char *argv[] = { (char *)"true", NULL };
        char *envp[] = { NULL };
        execve("/bin/true", argv, envp);
        return say("failed:execve");
    }
    if (is(in, "kill")) {
        return say(kill(1, 0) == 0 ? "escaped:kill" : "failed:kill");   /* signal 0: a probe */
    }
    if (is(in, "ptrace")) {
        return say(ptrace(PTRACE_TRACEME, 0, NULL, NULL) == 0 ? "escaped:ptrace" : "failed:ptrace");
    }
    if (is(in, "mmap_exec")) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return say(p != MAP_FAILED ? "escaped:mmap_exec" : "failed:mmap_exec");
    }
    if (is(in, "mprotect_exec")) {
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) return say("failed:mmap");
        return say(mprotect(p, 4096, PROT_READ | PROT_EXEC) == 0 ? "escaped:mprotect_exec" : "failed:mprotect_exec");
    }
    if (is(in, "getpid")) {
        return say(syscall(SYS_getpid) > 0 ? "escaped:getpid" : "failed:getpid");
    }
    if (is(in, "write_stdin")) {            /* write is allowed on fds 1 and 2 only */
        return say(write(0, "x", 1) >= 0 || errno != ENOSYS ? "escaped:write_stdin" : "failed:write_stdin");
    }
#if defined(__x86_64__)
    if (is(in, "int80")) {                  /* the i386 ABI from a 64-bit process: getpid (20) */
        long r = 20;
        __asm__ volatile("int $0x80" : "+a"(r) : : "memory");
        return say(r > 0 ? "escaped:int80" : "failed:int80");
    }
#endif
    if (is(in, "memory")) {                 /* what a solver legitimately does keeps working */
        size_t n = (size_t)48 << 20, i;
        unsigned char *big = (unsigned char *)malloc(n);
        unsigned long sum = 0;
        char *grown;
        if (!big) return say("failed:malloc");
        for (i = 0; i < n; i += 4096) big[i] = (unsigned char)(1 + (i >> 12) % 200);
        for (i = 0; i < n; i += 4096) sum += big[i];
        grown = (char *)realloc(big, n * 2);
        if (!grown) return say("failed:realloc");
        free(grown);
        return say(sum ? "ok:memory" : "ok:memory0");
    }
    return say("ok");
}

int main(void) {
    return rt_main(solve);
}
