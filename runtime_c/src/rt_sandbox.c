/* custody runtime: the seccomp sandbox rt_main enters right before it calls the program.
 *
 * Why: custody run executes C generated from a user's file -- and, through an emitter bug or an
 * injection, possibly arbitrary C. The runner already starts it as a throwaway uid in fresh
 * namespaces (runtime_c/confine.py); from rt_sandbox_enter on, the kernel itself limits what the
 * process can do to what a solver needs: write its answer and metrics to fds 1 and 2, manage
 * non-executable memory, and exit. Every other system call is stopped before it has any effect
 * and raised as SIGSYS (SECCOMP_RET_TRAP); the handler here turns that into a runtime trap of
 * its own kind ("sandbox") with a message in the user's terms, so a violation is reported, not
 * a silent kill.
 *
 * The allow-list (everything else traps):
 *   write            only to fd 1 or 2
 *   mmap, mprotect   only without PROT_EXEC (no code can be made at run time)
 *   munmap, mremap, madvise, brk     (malloc, the arena)
 *   exit, exit_group, rt_sigreturn, restart_syscall
 * A system call of a foreign ABI (another architecture's numbering, x32) kills the process.
 *
 * The SIGSYS handler runs on the alternate signal stack, is async-signal-safe and makes only
 * allowed calls (write to fd 2 and exit_group, through rt_trap_async).
 */
#define _DEFAULT_SOURCE 1
#define _POSIX_C_SOURCE 200809L

#include "custody_rt_internal.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#if defined(__x86_64__)
#define SB_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SB_ARCH AUDIT_ARCH_AARCH64
#endif

#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS SECCOMP_RET_KILL
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC
#define SECCOMP_FILTER_FLAG_TSYNC 1
#endif
#ifndef PR_SET_NO_NEW_PRIVS
#define PR_SET_NO_NEW_PRIVS 38
#endif

/* ---------------------------------------------------------------- naming a system call */
typedef struct { long nr; const char *name; } sys_name;

#define S(x) { SYS_##x, #x },
static const sys_name SYS_NAMES[] = {
#ifdef SYS_read
    S(read)
#endif
#ifdef SYS_readv
    S(readv)
#endif
#ifdef SYS_pread64
    S(pread64)
#endif
#ifdef SYS_writev
    S(writev)
#endif
#ifdef SYS_pwrite64
    S(pwrite64)
#endif
#ifdef SYS_close
    S(close)
#endif
#ifdef SYS_dup
    S(dup)
#endif
#ifdef SYS_dup2
    S(dup2)
#endif
#ifdef SYS_dup3
    S(dup3)
#endif
#ifdef SYS_fcntl
    S(fcntl)
#endif
#ifdef SYS_ioctl
    S(ioctl)
#endif
#ifdef SYS_lseek
    S(lseek)
#endif
#ifdef SYS_stat
    S(stat)
#endif
#ifdef SYS_fstat
    S(fstat)
#endif
#ifdef SYS_lstat
    S(lstat)
#endif
#ifdef SYS_newfstatat
    S(newfstatat)
#endif
#ifdef SYS_statx
    S(statx)
#endif
#ifdef SYS_access
    S(access)
#endif
#ifdef SYS_faccessat
    S(faccessat)
#endif
#ifdef SYS_faccessat2
    S(faccessat2)
#endif
#ifdef SYS_getdents64
    S(getdents64)
#endif
#ifdef SYS_mkdir
    S(mkdir)
#endif
#ifdef SYS_mkdirat
    S(mkdirat)
#endif
#ifdef SYS_unlink
    S(unlink)
#endif
#ifdef SYS_unlinkat
    S(unlinkat)
#endif
#ifdef SYS_rename
    S(rename)
#endif
#ifdef SYS_renameat2
    S(renameat2)
#endif
#ifdef SYS_chdir
    S(chdir)
#endif
#ifdef SYS_chmod
    S(chmod)
#endif
#ifdef SYS_fchmodat
    S(fchmodat)
#endif
#ifdef SYS_truncate
    S(truncate)
#endif
#ifdef SYS_ftruncate
    S(ftruncate)
#endif
#ifdef SYS_pipe
    S(pipe)
#endif
#ifdef SYS_pipe2
    S(pipe2)
#endif
#ifdef SYS_getpid
    S(getpid)
#endif
#ifdef SYS_getppid
    S(getppid)
#endif
#ifdef SYS_gettid
    S(gettid)
#endif
#ifdef SYS_getuid
    S(getuid)
#endif
#ifdef SYS_setuid
    S(setuid)
#endif
#ifdef SYS_setsid
    S(setsid)
#endif
#ifdef SYS_setpgid
    S(setpgid)
#endif
#ifdef SYS_prctl
    S(prctl)
#endif
#ifdef SYS_seccomp
    S(seccomp)
#endif
#ifdef SYS_unshare
    S(unshare)
#endif
#ifdef SYS_setns
    S(setns)
#endif
#ifdef SYS_mount
    S(mount)
#endif
#ifdef SYS_chroot
    S(chroot)
#endif
#ifdef SYS_rt_sigaction
    S(rt_sigaction)
#endif
#ifdef SYS_rt_sigprocmask
    S(rt_sigprocmask)
#endif
#ifdef SYS_sigaltstack
    S(sigaltstack)
#endif
#ifdef SYS_nanosleep
    S(nanosleep)
#endif
#ifdef SYS_clock_nanosleep
    S(clock_nanosleep)
#endif
#ifdef SYS_clock_gettime
    S(clock_gettime)
#endif
#ifdef SYS_gettimeofday
    S(gettimeofday)
#endif
#ifdef SYS_time
    S(time)
#endif
#ifdef SYS_getrandom
    S(getrandom)
#endif
#ifdef SYS_futex
    S(futex)
#endif
#ifdef SYS_sched_yield
    S(sched_yield)
#endif
#ifdef SYS_poll
    S(poll)
#endif
#ifdef SYS_ppoll
    S(ppoll)
#endif
#ifdef SYS_select
    S(select)
#endif
#ifdef SYS_pselect6
    S(pselect6)
#endif
#ifdef SYS_epoll_create1
    S(epoll_create1)
#endif
#ifdef SYS_eventfd2
    S(eventfd2)
#endif
#ifdef SYS_memfd_create
    S(memfd_create)
#endif
#ifdef SYS_pkey_mprotect
    S(pkey_mprotect)
#endif
#ifdef SYS_mlock
    S(mlock)
#endif
#ifdef SYS_uname
    S(uname)
#endif
#ifdef SYS_sysinfo
    S(sysinfo)
#endif
#ifdef SYS_getrlimit
    S(getrlimit)
#endif
#ifdef SYS_setrlimit
    S(setrlimit)
#endif
#ifdef SYS_prlimit64
    S(prlimit64)
#endif
#ifdef SYS_personality
    S(personality)
#endif
#ifdef SYS_arch_prctl
    S(arch_prctl)
#endif
#ifdef SYS_set_tid_address
    S(set_tid_address)
#endif
#ifdef SYS_set_robust_list
    S(set_robust_list)
#endif
#ifdef SYS_rseq
    S(rseq)
#endif
#ifdef SYS_bpf
    S(bpf)
#endif
#ifdef SYS_perf_event_open
    S(perf_event_open)
#endif
#ifdef SYS_io_uring_setup
    S(io_uring_setup)
#endif
#ifdef SYS_userfaultfd
    S(userfaultfd)
#endif
#ifdef SYS_reboot
    S(reboot)
#endif
    { -1, 0 }
};
#undef S

typedef enum { K_OTHER, K_FILE, K_SOCKET, K_PROCESS, K_EXEC, K_SIGNAL, K_TRACE, K_EXEC_MEMORY } kind_t;

static kind_t classify(long nr) {
    switch (nr) {
#ifdef SYS_open
    case SYS_open:
#endif
#ifdef SYS_creat
    case SYS_creat:
#endif
#ifdef SYS_openat2
    case SYS_openat2:
#endif
#ifdef SYS_open_by_handle_at
    case SYS_open_by_handle_at:
#endif
    case SYS_openat:
        return K_FILE;
    case SYS_socket:
    case SYS_socketpair:
    case SYS_connect:
    case SYS_bind:
    case SYS_listen:
    case SYS_accept:
    case SYS_accept4:
    case SYS_sendto:
    case SYS_sendmsg:
    case SYS_recvfrom:
    case SYS_recvmsg:
        return K_SOCKET;
#ifdef SYS_fork
    case SYS_fork:
#endif
#ifdef SYS_vfork
    case SYS_vfork:
#endif
#ifdef SYS_clone3
    case SYS_clone3:
#endif
    case SYS_clone:
        return K_PROCESS;
    case SYS_execve:
#ifdef SYS_execveat
    case SYS_execveat:
#endif
        return K_EXEC;
    case SYS_kill:
    case SYS_tkill:
    case SYS_tgkill:
    case SYS_rt_sigqueueinfo:
    case SYS_rt_tgsigqueueinfo:
#ifdef SYS_pidfd_send_signal
    case SYS_pidfd_send_signal:
#endif
        return K_SIGNAL;
    case SYS_ptrace:
#ifdef SYS_process_vm_readv
    case SYS_process_vm_readv:
    case SYS_process_vm_writev:
#endif
        return K_TRACE;
    case SYS_mmap:              /* only trapped with PROT_EXEC */
    case SYS_mprotect:
        return K_EXEC_MEMORY;
    default:
        return K_OTHER;
    }
}

static const char *syscall_name(long nr) {
    size_t i;
    switch (nr) {                    /* the ones classify names, which the table leaves out */
    case SYS_write: return "write";
    case SYS_openat: return "openat";
    case SYS_socket: return "socket";
    case SYS_connect: return "connect";
    case SYS_clone: return "clone";
    case SYS_execve: return "execve";
    case SYS_kill: return "kill";
    case SYS_ptrace: return "ptrace";
    case SYS_mmap: return "mmap";
    case SYS_mprotect: return "mprotect";
    default: break;
    }
    for (i = 0; SYS_NAMES[i].name; i++)
        if (SYS_NAMES[i].nr == nr) return SYS_NAMES[i].name;
    return 0;
}

/* ---------------------------------------------------------------- the SIGSYS handler */
typedef struct { char *p; size_t left; } msg_t;

static void add(msg_t *m, const char *s) {
    while (*s && m->left > 1) {
        *m->p++ = *s++;
        m->left--;
    }
    *m->p = '\0';
}

static void add_long(msg_t *m, long v) {
    char tmp[24];
    int i = (int)sizeof tmp - 1;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u && i > 1);
    if (v < 0) tmp[--i] = '-';
    add(m, tmp + i);
}

size_t rt_sandbox_describe(long nr, char *buf, size_t cap) {
    msg_t m;
    const char *name;
    if (!cap) return 0;
    m.p = buf;
    m.left = cap;
    *m.p = '\0';
    add(&m, "sandbox violation: the program tried to ");
    switch (classify(nr)) {
    case K_FILE: add(&m, "open a file"); break;
    case K_SOCKET: add(&m, "open a network socket"); break;
    case K_PROCESS: add(&m, "start a process"); break;
    case K_EXEC: add(&m, "run another program"); break;
    case K_SIGNAL: add(&m, "signal a process"); break;
    case K_TRACE: add(&m, "trace a process"); break;
    case K_EXEC_MEMORY: add(&m, "map executable memory"); break;
    default:
        add(&m, "make system call ");
        add_long(&m, nr);
        name = syscall_name(nr);
        add(&m, " (");
        add(&m, name ? name : "unknown");
        add(&m, ")");
        break;
    }
    return (size_t)(m.p - buf);
}

static void on_sigsys(int sig, siginfo_t *info, void *ctx) {
    static char message[160];
    (void)sig;
    (void)ctx;
    rt_sandbox_describe(info ? (long)info->si_syscall : -1, message, sizeof message);
    rt_trap_async(RT_TRAP_SANDBOX, message);
}

/* ---------------------------------------------------------------- the filter */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#endif
#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define ALLOW_NR(nr) JEQ((nr), 0, 1), RET(SECCOMP_RET_ALLOW)

static char sigsys_stack[1 << 14];
static int entered = 0;

int rt_sandbox_entered(void) { return entered; }

int rt_sandbox_enter(const char **why) {
#ifndef SB_ARCH
    if (why) *why = "the run sandbox has no seccomp filter for this architecture";
    return -1;
#else
    static struct sock_filter filter[] = {
        LD(offsetof(struct seccomp_data, arch)),
        JEQ(SB_ARCH, 1, 0),
        RET(SECCOMP_RET_KILL_PROCESS),
        LD(offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1),     /* the x32 ABI */
        RET(SECCOMP_RET_KILL_PROCESS),
#endif
        ALLOW_NR(SYS_exit_group),
        ALLOW_NR(SYS_exit),
        ALLOW_NR(SYS_rt_sigreturn),
        ALLOW_NR(SYS_restart_syscall),
        ALLOW_NR(SYS_brk),
        ALLOW_NR(SYS_munmap),
        ALLOW_NR(SYS_mremap),
        ALLOW_NR(SYS_madvise),
        /* mmap / mprotect without PROT_EXEC */
        JEQ(SYS_mmap, 1, 0),
        JEQ(SYS_mprotect, 0, 4),
        LD(ARG_LO(2)),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 1, 0),
        RET(SECCOMP_RET_ALLOW),
        RET(SECCOMP_RET_TRAP),
        /* write to fd 1 or 2 */
        JEQ(SYS_write, 0, 4),
        LD(ARG_LO(0)),
        JEQ(1, 1, 0),
        JEQ(2, 0, 1),
        RET(SECCOMP_RET_ALLOW),
        RET(SECCOMP_RET_TRAP),
    };
    struct sock_fprog prog;
    struct sigaction sa;
    stack_t ss;
    int pers;

    if (entered) return 0;
    /* the handler needs a stack of its own (the crash handlers' one, else this) */
    if (sigaltstack(NULL, &ss) != 0 || (ss.ss_flags & SS_DISABLE)) {
        ss.ss_sp = sigsys_stack;
        ss.ss_size = sizeof sigsys_stack;
        ss.ss_flags = 0;
        if (sigaltstack(&ss, NULL) != 0) {
            if (why) *why = "sigaltstack failed";
            return -1;
        }
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
    if (sigaction(SIGSYS, &sa, NULL) != 0) {
        if (why) *why = "cannot install the SIGSYS handler";
        return -1;
    }
    /* READ_IMPLIES_EXEC would make every readable mapping executable behind the filter */
    pers = personality(0xffffffffu);
    if (pers != -1 && (pers & READ_IMPLIES_EXEC)) personality((unsigned long)(pers & ~READ_IMPLIES_EXEC));
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);     /* no ptrace by a process of the same uid */
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        if (why) *why = "prctl(PR_SET_NO_NEW_PRIVS) failed";
        return -1;
    }
    prog.len = (unsigned short)(sizeof filter / sizeof filter[0]);
    prog.filter = filter;
    /* TSYNC: any thread started earlier (e.g. by a constructor) is confined too */
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog) != 0) {
        if (why) {
            if (errno == ENOSYS) *why = "the kernel has no seccomp system call";
            else if (errno == EINVAL) *why = "the kernel does not support seccomp filters";
            else *why = "the kernel refused the seccomp filter";
        }
        return -1;
    }
    entered = 1;
    return 0;
#endif
}
