"""Preparing the child process of `custody run`: who it runs as and what it can reach.

Why this is its own module: the program custody runs is C generated from a user's file (and
later other languages' runtimes), so it must be treated as arbitrary native code. The runtime's
seccomp filter (src/rt_sandbox.c) holds only from the moment rt_main enters it; anything that
runs earlier -- the dynamic loader, an injected `__attribute__((constructor))`, a hostile libc
interposer -- is held only by what is set up here, between fork and exec:

- **a throwaway identity** (when custody runs as root): a random uid/gid from a reserved range
  that belongs to no user, with no supplementary groups, so the child owns no file, can write
  only where anybody may, and can signal no process but its own. Because the uid is used by this
  one run only, `kill_all` afterwards kills every process that uid has, which a `setsid()` or a
  double fork cannot escape (a process-group kill can be);
- **RLIMIT_NPROC 0 under that uid**: the child cannot start a process or a thread at all;
- **new network, IPC and mount namespaces** where the kernel allows: no network interface but a
  down loopback, none of the host's System V IPC objects, and every mount read-only, nosuid and
  nodev in the child's view (so not even world-writable /tmp can be written);
- **as an ordinary user** (custody not run as root), the same namespaces inside a user
  namespace of the run's own (where the kernel allows unprivileged ones): the child keeps its
  uid, loses every capability at exec, sees every mount read-only and has no network, so code
  before main cannot write the user's files or reach the host; RLIMIT_NPROC 0 stops forks (the
  user already has processes), and seccomp takes over before solve;
- **PR_SET_NO_NEW_PRIVS** and non-dumpable: no set-uid program gives privileges back, no other
  process of the uid can ptrace it;
- the resource limits (address space, CPU, file size, no core dumps).

The function returned by `preexec` runs in the forked child of a process that may have other
threads (the language server): it must not import, dlopen or take locks another thread may hold.
So every libc function is resolved and every argument built here in the parent; the child only
makes calls. Whatever must hold (the identity change, no_new_privs) raises if it fails, which
makes Popen fail: a run that cannot be confined is not started. What the kernel may not offer
(namespaces, mount_setattr) is skipped.
"""
from __future__ import annotations

import ctypes
import os
import platform
import grp
import pwd
import random
import resource
import signal
import threading
from dataclasses import dataclass

# Held while custody writes a run's executable copy and while it forks: a child forked while a
# file is open for writing keeps that descriptor until its exec, and exec of the file then fails
# with ETXTBSY (runner._spawn).
SPAWN_LOCK = threading.Lock()

# The uids/gids custody run may take: far above any distribution's user ranges, below 2^31.
RESERVED_IDS = range(0x5C000000, 0x5D000000)

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWUSER = 0x00020000, 0x08000000, 0x40000000, 0x10000000
MS_REC, MS_PRIVATE = 0x4000, 1 << 18
PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 4, 38
AT_FDCWD, AT_RECURSIVE = -100, 0x8000
MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV = 0x1, 0x2, 0x4
SYS_MOUNT_SETATTR = 442          # the same number on every architecture (added in Linux 5.12)
SECCOMP_ARCHES = ("x86_64", "amd64", "aarch64", "arm64")   # what rt_sandbox.c has a filter for


class ConfinementError(Exception):
    """The child could not be confined as required (message meant for the user)."""


@dataclass(frozen=True)
class Identity:
    """The uid/gid one run's child takes."""
    uid: int
    gid: int


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


class _Libc:
    """libc's unshare, mount, prctl and syscall, with their prototypes, resolved once."""

    def __init__(self) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self.unshare = libc.unshare
        self.unshare.argtypes, self.unshare.restype = [ctypes.c_int], ctypes.c_int
        self.mount = libc.mount
        self.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                               ctypes.c_ulong, ctypes.c_void_p]
        self.mount.restype = ctypes.c_int
        self.prctl = libc.prctl
        self.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                               ctypes.c_ulong]
        self.prctl.restype = ctypes.c_int
        self.syscall = libc.syscall
        self.syscall.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_char_p, ctypes.c_long,
                                 ctypes.c_void_p, ctypes.c_long]
        self.syscall.restype = ctypes.c_long
        self.get_errno = ctypes.get_errno


_libc: _Libc | None = None
_libc_lock = threading.Lock()


def _get_libc() -> _Libc:
    global _libc
    with _libc_lock:
        if _libc is None:
            _libc = _Libc()
        return _libc


# ------------------------------------------------------------------------------- what the host has

def seccomp_unavailable() -> str | None:
    """Why the runtime could not enter its seccomp sandbox on this machine, None if it can."""
    machine = platform.machine().lower()
    if machine not in SECCOMP_ARCHES:
        return f"the run sandbox has no seccomp filter for this architecture ({machine})"
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            status = f.read()
    except OSError as e:
        return f"cannot tell whether the kernel supports seccomp (/proc/self/status: {e.strerror})"
    for line in status.splitlines():
        if line.startswith("Seccomp:"):
            if line.split(":", 1)[1].strip() == "1":
                return "this process is already in seccomp strict mode"
            return None
    return "the kernel has no seccomp support (no Seccomp: line in /proc/self/status)"


def _id_map(path: str) -> list[tuple[int, int]]:
    """(first, end) ranges of ids usable in this user namespace."""
    try:
        with open(path, encoding="ascii") as f:
            rows = [line.split() for line in f]
    except OSError:
        return [(0, 1 << 32)]
    return [(int(r[0]), int(r[0]) + int(r[2])) for r in rows if len(r) == 3]


def _free_ids(map_path: str) -> list[range]:
    out = []
    for lo, hi in _id_map(map_path):
        a, b = max(lo, RESERVED_IDS.start), min(hi, RESERVED_IDS.stop)
        if a < b:
            out.append(range(a, b))
    return out


def _pick(ranges: list[range], taken) -> int | None:
    rng = random.SystemRandom()
    total = sum(len(r) for r in ranges)
    for _ in range(64):
        k = rng.randrange(total)
        for r in ranges:
            if k < len(r):
                v = r[k]
                break
            k -= len(r)
        if not taken(v):
            return v
    return None


def _uid_taken(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        return False


def _gid_taken(gid: int) -> bool:
    try:
        grp.getgrgid(gid)
        return True
    except KeyError:
        return False


def pick_identity() -> Identity | None:
    """A fresh uid/gid for one run when this process can change identity (root), else None.

    Raises ConfinementError when custody runs as root but no id of the reserved range can be
    used (a user namespace that maps too few ids): root's child must not run as root."""
    if os.geteuid() != 0:
        return None
    uids, gids = _free_ids("/proc/self/uid_map"), _free_ids("/proc/self/gid_map")
    uid = _pick(uids, _uid_taken) if uids else None
    gid = _pick(gids, _gid_taken) if gids else None
    if uid is None or gid is None:
        raise ConfinementError("custody run runs as root but cannot give the program an "
                               "unprivileged identity: no uid/gid of the reserved range "
                               f"{RESERVED_IDS.start}..{RESERVED_IDS.stop - 1} is mapped here")
    return Identity(uid, gid)


# ------------------------------------------------------------------------------- before exec

def preexec(identity: Identity | None, limits: list[tuple[int, int, int]]):
    """The function Popen runs in the child between fork and exec (see the module docstring).

    `limits` are (RLIMIT_*, soft, hard) to apply last, after the identity change (RLIMIT_NPROC 0
    applied before setuid would make the exec itself fail)."""
    lib = _get_libc()
    root = b"/"
    attr = _MountAttr(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, 0, 0, 0)
    attr_ptr = ctypes.cast(ctypes.pointer(attr), ctypes.c_void_p)
    attr_size = ctypes.sizeof(attr)
    all_ns = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWNS
    one_ns = (CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWNS)
    limits = [(lim, soft, hard) for lim, soft, hard in limits]
    setrlimit, getrlimit, infinity = resource.setrlimit, resource.getrlimit, resource.RLIM_INFINITY
    uid_map = f"{os.getuid()} {os.getuid()} 1\n".encode()
    gid_map = f"{os.getgid()} {os.getgid()} 1\n".encode()
    open_, write, close, wronly = os.open, os.write, os.close, os.O_WRONLY

    def _write_file(path: bytes, data: bytes) -> None:
        try:
            fd = open_(path, wronly)
        except OSError:
            return
        try:
            write(fd, data)
        except OSError:
            pass
        finally:
            close(fd)

    def apply() -> None:  # in the child: calls only, nothing imported or resolved
        # 1. namespaces (need privilege: before the identity change)
        if identity is not None:
            entered = all_ns if lib.unshare(all_ns) == 0 else 0
            if not entered:
                for flag in one_ns:
                    if lib.unshare(flag) == 0:
                        entered |= flag
            if entered & CLONE_NEWNS:
                # a private copy of the mount tree, then all of it read-only for this child
                if lib.mount(None, root, None, MS_REC | MS_PRIVATE, None) == 0:
                    lib.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, root, AT_RECURSIVE, attr_ptr,
                                attr_size)
            # 2. the throwaway identity: must hold
            os.setgroups([])
            os.setresgid(identity.gid, identity.gid, identity.gid)
            os.setresuid(identity.uid, identity.uid, identity.uid)
            if os.getuid() != identity.uid or os.geteuid() != identity.uid:
                raise ConfinementError("the identity change did not hold")
        elif lib.unshare(CLONE_NEWUSER | all_ns) == 0:
            # unprivileged: a user namespace of our own (where the kernel allows them) holds
            # the same namespaces; the child keeps its uid inside it, so it loses every
            # capability at exec, and its mounts are made read-only like root's child's
            _write_file(b"/proc/self/setgroups", b"deny")
            _write_file(b"/proc/self/uid_map", uid_map)
            _write_file(b"/proc/self/gid_map", gid_map)
            if lib.mount(None, root, None, MS_REC | MS_PRIVATE, None) == 0:
                lib.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, root, AT_RECURSIVE, attr_ptr, attr_size)
        else:
            for flag in one_ns:     # no user namespaces either: the kernel says EPERM; ignored
                lib.unshare(flag)
        # 3. no privilege can come back through exec
        if lib.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise ConfinementError("prctl(PR_SET_NO_NEW_PRIVS) failed")
        lib.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        # 4. resource limits, last
        for lim, soft, hard in limits:
            try:
                cur_soft, cur_hard = getrlimit(lim)
                if cur_hard != infinity:
                    soft, hard = min(soft, cur_hard), min(hard, cur_hard)
                setrlimit(lim, (soft, hard))
            except (ValueError, OSError):
                pass
    return apply


# ------------------------------------------------------------------------------- after the run

def kill_all(identity: Identity | None) -> None:
    """SIGKILL every process running as `identity`'s uid (the run's child and anything it left).

    A helper process takes the uid and calls kill(-1, SIGKILL): the kernel then signals every
    process that uid may signal -- exactly the processes of the uid, in one step."""
    if identity is None:
        return
    try:
        with SPAWN_LOCK:     # a fork must not catch a run's executable copy open for writing
            pid = os.fork()
    except OSError:
        return
    if pid == 0:  # pragma: no cover - the helper child
        try:
            os.setresgid(identity.gid, identity.gid, identity.gid)
            os.setresuid(identity.uid, identity.uid, identity.uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except ChildProcessError:
            return
        except InterruptedError:
            continue


def processes_of(uid: int) -> list[int]:
    """Pids of live (not zombie) processes whose real uid is `uid` (tests and diagnostics)."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status", encoding="ascii", errors="replace") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        uids = fields.get("Uid", "").split()
        state = fields.get("State", "").strip()[:1]
        if uids and int(uids[0]) == uid and state not in ("Z", "X"):
            out.append(int(name))
    return out
