"""`custody run` against hostile programs, end to end (runner.run_c / run_file / the CLI).

The C here is what an injection into generated code could produce: code in solve, and code in an
`__attribute__((constructor))`, which runs before main and so before the runtime's seccomp filter
-- there only the runner's defences (confine.py: throwaway uid, namespaces with read-only
mounts, no_new_privs, RLIMIT_NPROC, the kill of every process of the uid) hold. Each test
asserts what must not happen: no file appears, no connection reaches a listener the test opens,
no process of the run survives it.
"""
from __future__ import annotations

import json
import os
import pwd
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from custody import cli
from custody.runtime import confine
from custody.runtime.compile import BuildError, find_compiler
from custody.runtime.report import SANDBOX
from custody.runtime.runner import run_c

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="the throwaway uid, the namespaces and the "
                                "read-only mounts are set up only when custody runs as root")
if confine.seccomp_unavailable():
    pytest.skip(f"this machine cannot run the seccomp sandbox: {confine.seccomp_unavailable()}",
                allow_module_level=True)
try:
    find_compiler()
except BuildError as e:
    pytest.skip(str(e), allow_module_level=True)

DELAY_S = 1        # how long a left-behind process waits before it acts
PRELUDE = r"""
#define _GNU_SOURCE 1
#include "custody_rt.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
static char note[512];
static rt_bytes say(const char *s) {
    rt_bytes b; b.len = (uint32_t)strlen(s); b.ptr = (uint8_t *)rt_alloc(b.len, 1, 0);
    memcpy(b.ptr, s, b.len); b.oid = 0; return b;
}
static int try_create(const char *path) {     /* 0, or the errno that stopped it */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) return errno;
    if (write(fd, "pwned", 5) != 5) { close(fd); return -1; }
    close(fd);
    return 0;
}
static int try_connect(int port) {            /* 0, or the errno that stopped it */
    struct sockaddr_in a; int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return errno;
    memset(&a, 0, sizeof a); a.sin_family = AF_INET; a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) { int e = errno; close(fd); return e; }
    close(fd);
    return 0;
}
static int try_abstract(const char *name) {   /* an abstract unix socket of the host */
    struct sockaddr_un a; int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return errno;
    memset(&a, 0, sizeof a); a.sun_family = AF_UNIX; memcpy(a.sun_path + 1, name, strlen(name));
    if (connect(fd, (struct sockaddr *)&a, (socklen_t)(sizeof(sa_family_t) + 1 + strlen(name))) != 0) {
        int e = errno; close(fd); return e;
    }
    close(fd);
    return 0;
}
static int leave_a_process(const char *path) { /* fork; the child leaves the group, waits, writes */
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        if (fork() > 0) _exit(0);                /* and once more: an orphan in its own session */
        sleep(DELAY);
        try_create(path);
        _exit(0);
    }
    return pid < 0 ? errno : 0;
}
"""
MAIN = "\nint main(void) { return rt_main(solve); }\n"


def c_str(s: str) -> str:
    return json.dumps(s)


def program(body: str) -> str:
    return PRELUDE.replace("DELAY", str(DELAY_S)) + body + MAIN


@pytest.fixture
def identities(monkeypatch):
    """The identities the runner gives its children (recorded as it picks them)."""
    seen: list[confine.Identity] = []
    real = confine.pick_identity

    def pick():
        ident = real()
        if ident is not None:
            seen.append(ident)
        return ident
    monkeypatch.setattr(confine, "pick_identity", pick)
    return seen


@pytest.fixture
def dirs():
    """A directory only root may write (0755, root's) and a world-writable one (1777), both
    reachable by any user (pytest's tmp_path is not: its parent is 0700, which would stop a
    write for the wrong reason)."""
    base = Path(tempfile.mkdtemp(prefix="custody-sec-"))
    root_only, world = base / "root_only", base / "world"
    root_only.mkdir(mode=0o755)
    world.mkdir()
    os.chmod(base, 0o755)
    os.chmod(root_only, 0o755)
    os.chmod(world, 0o1777)
    yield root_only, world
    subprocess.run(["rm", "-rf", str(base)], check=False)


@pytest.fixture
def listener():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    s.setblocking(False)
    yield s
    s.close()


def no_connection_reached(s: socket.socket) -> bool:
    try:
        conn, _ = s.accept()
    except BlockingIOError:
        return True
    conn.close()
    return False


def run(c: str, tmp_path: Path, **kw):
    return run_c(c, cache_dir=tmp_path / "cache", **kw)


def assert_nothing_survives(identities) -> None:
    for ident in identities:
        assert ident.uid in confine.RESERVED_IDS
        assert confine.processes_of(ident.uid) == [], f"processes of uid {ident.uid} survived"


# ------------------------------------------------------------------------- code in solve (seccomp)

def test_solve_cannot_create_a_file(tmp_path, dirs, identities):
    _, world = dirs
    target = world / "from_solve"
    r = run(program(f"static rt_bytes solve(rt_view in) {{ (void)in; "
                    f"return say(try_create({c_str(str(target))}) ? \"stopped\" : \"wrote\"); }}"), tmp_path)
    assert r.trap is not None and r.trap.code == "sandbox"
    assert r.trap.message == "sandbox violation: the program tried to open a file"
    assert [f.code for f in r.findings] == [SANDBOX] and r.findings[0].message == r.trap.message
    assert not target.exists()


def test_solve_cannot_open_a_socket(tmp_path, listener, identities):
    port = listener.getsockname()[1]
    r = run(program(f"static rt_bytes solve(rt_view in) {{ (void)in; "
                    f"return say(try_connect({port}) ? \"stopped\" : \"connected\"); }}"), tmp_path)
    assert r.trap.code == "sandbox"
    assert r.trap.message == "sandbox violation: the program tried to open a network socket"
    assert no_connection_reached(listener)


def test_solve_cannot_leave_a_process_behind(tmp_path, dirs, identities):
    _, world = dirs
    target = world / "late"
    r = run(program(f"static rt_bytes solve(rt_view in) {{ (void)in; "
                    f"return say(leave_a_process({c_str(str(target))}) ? \"stopped\" : \"forked\"); }}"),
            tmp_path)
    assert r.trap.code == "sandbox"
    assert r.trap.message == "sandbox violation: the program tried to start a process"
    time.sleep(DELAY_S + 1.5)                  # past the moment a survivor would write
    assert not target.exists()
    assert_nothing_survives(identities)


@pytest.mark.skipif(os.uname().machine != "x86_64", reason="the i386 system call ABI is x86 only")
def test_a_killed_sandbox_violation_is_still_reported_as_one(tmp_path, identities):
    r = run(program("static rt_bytes solve(rt_view in) { long n = 20; (void)in; "
                    "__asm__ volatile(\"int $0x80\" : \"+a\"(n) : : \"memory\"); "
                    "return say(n > 0 ? \"escaped\" : \"stopped\"); }"), tmp_path)
    assert r.trap.code == "sandbox" and "SIGSYS" in r.trap.message
    assert [f.code for f in r.findings] == [SANDBOX]


# ------------------------------------------------------------------------- code before main

@needs_root
def test_constructor_runs_as_a_throwaway_user_without_privileges(tmp_path, identities):
    r = run(program(r"""
__attribute__((constructor)) static void before_main(void) {
    gid_t groups[8];
    snprintf(note, sizeof note, "uid:%u euid:%u gid:%u groups:%d nnp:%d dumpable:%d",
             (unsigned)getuid(), (unsigned)geteuid(), (unsigned)getgid(), getgroups(8, groups),
             prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
}
static rt_bytes solve(rt_view in) { (void)in; return say(note); }
"""), tmp_path)
    assert r.ok, r.trap
    (ident,) = identities
    assert ident.uid != 0 and ident.gid != 0
    assert r.output.decode() == (f"uid:{ident.uid} euid:{ident.uid} gid:{ident.gid} groups:0 "
                                 "nnp:1 dumpable:0")
    assert_nothing_survives(identities)


@needs_root
def test_constructor_cannot_write_files(tmp_path, dirs, identities):
    root_only, world = dirs
    a, b = root_only / "pwned", world / "pwned"
    r = run(program(f"""
__attribute__((constructor)) static void before_main(void) {{
    snprintf(note, sizeof note, "root_only:%d world:%d cwd:%d", try_create({c_str(str(a))}),
             try_create({c_str(str(b))}), try_create("here"));
}}
static rt_bytes solve(rt_view in) {{ (void)in; return say(note); }}
"""), tmp_path)
    assert r.ok, r.trap
    assert not a.exists() and not b.exists()
    # every attempt failed with an errno (EACCES for root's directory, EROFS for read-only mounts)
    fields = dict(kv.split(":") for kv in r.output.decode().split())
    assert all(int(v) > 0 for v in fields.values()), fields


@needs_root
def test_constructor_cannot_reach_the_network(tmp_path, listener, identities):
    port = listener.getsockname()[1]
    name = f"custody-test-{os.getpid()}-{port}"
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind("\0" + name)
    unix.listen(4)
    unix.setblocking(False)
    try:
        r = run(program(f"""
__attribute__((constructor)) static void before_main(void) {{
    snprintf(note, sizeof note, "tcp:%d unix:%d", try_connect({port}), try_abstract({c_str(name)}));
}}
static rt_bytes solve(rt_view in) {{ (void)in; return say(note); }}
"""), tmp_path)
        assert r.ok, r.trap
        fields = dict(kv.split(":") for kv in r.output.decode().split())
        assert int(fields["tcp"]) > 0 and int(fields["unix"]) > 0, fields
        assert no_connection_reached(listener)
        assert no_connection_reached(unix)
    finally:
        unix.close()


@needs_root
def test_constructor_cannot_leave_a_process_behind(tmp_path, dirs, identities):
    _, world = dirs
    target = world / "late"
    r = run(program(f"""
__attribute__((constructor)) static void before_main(void) {{
    snprintf(note, sizeof note, "fork:%d", leave_a_process({c_str(str(target))}));
}}
static rt_bytes solve(rt_view in) {{ (void)in; return say(note); }}
"""), tmp_path)
    assert r.ok, r.trap
    assert r.output != b"fork:0"           # RLIMIT_NPROC 0 under the throwaway uid: no fork at all
    time.sleep(DELAY_S + 1.5)
    assert not target.exists()
    assert_nothing_survives(identities)


@needs_root
def test_kill_all_reaches_processes_that_left_the_group():
    """The last line of defence on its own: processes of the uid in other sessions, orphaned by
    a double fork, are all killed."""
    ident = confine.pick_identity()
    procs = [subprocess.Popen(["sh", "-c", "sleep 300 & sleep 300 & wait"], user=ident.uid,
                              group=ident.gid, extra_groups=[], start_new_session=True,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(2)]
    try:
        for _ in range(200):                   # until the shells have started their sleeps
            if len(confine.processes_of(ident.uid)) >= 6:
                break
            time.sleep(0.02)
        assert len(confine.processes_of(ident.uid)) >= 6
        confine.kill_all(ident)
        for p in procs:
            p.wait(timeout=30)
        for _ in range(200):                   # SIGKILLed processes leave as soon as they run
            if not confine.processes_of(ident.uid):
                break
            time.sleep(0.02)
        assert confine.processes_of(ident.uid) == []
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


@needs_root
def test_each_run_gets_its_own_identity_outside_any_user(tmp_path, identities):
    for _ in range(2):
        assert run(program("static rt_bytes solve(rt_view in) { (void)in; return say(\"ok\"); }"),
                   tmp_path).ok
    a, b = identities
    assert a.uid != b.uid
    for ident in identities:
        with pytest.raises(KeyError):
            pwd.getpwuid(ident.uid)


# ------------------------------------------------------------------------- no sandbox available

def test_run_is_refused_before_building_where_seccomp_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(confine, "seccomp_unavailable",
                        lambda: "the kernel has no seccomp support (simulated)")
    c = program("static rt_bytes solve(rt_view in) { (void)in; return say(\"ran\"); }")
    r = run(c, tmp_path)
    assert not r.ran and r.trap is None
    (f,) = r.findings
    assert f.code == SANDBOX and "refused" in f.message and "--unconfined" in f.message
    assert "seccomp" in f.message
    assert not (tmp_path / "cache" / "bin").exists()      # nothing was built
    r = run(c, tmp_path, unconfined=True)
    assert r.ok and r.output == b"ran"


def test_cli_unconfined(tmp_path, monkeypatch, capsys):
    prog = tmp_path / "echo.x07t"
    prog.write_bytes(b"{\n:kind entry\n:module_id main\n:schema_version x07.x07ast@0.8.0\n"
                     b":imports ()\n:decls ()\n:solve (view.to_bytes input)\n}\n")
    monkeypatch.setenv("CUSTODY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(confine, "seccomp_unavailable", lambda: "simulated: no seccomp")
    code = cli.main(["run", str(prog), "--input-text", "hi"])
    out = capsys.readouterr().out
    assert code == 2 and "CUS-RUN-0006" in out and "--unconfined" in out
    code = cli.main(["run", str(prog), "--input-text", "hi", "--unconfined"])
    out = capsys.readouterr().out
    assert code == 0 and out.splitlines()[0] == "hi"
    try:
        cli.main(["run", "--help"])
    except SystemExit:
        pass
    assert "--unconfined" in capsys.readouterr().out


def test_the_language_server_never_runs_unconfined(monkeypatch):
    """The editor's run (code lens -> custody.run) reaches the runner confined, always."""
    from custody.lsp import run_lens
    from custody.lsp.service import Service
    from custody.runtime import runner

    seen = []
    real_execute = runner.execute

    def recording_execute(exe, input, **kw):
        seen.append(kw.get("unconfined", False))
        return real_execute(exe, input, **kw)
    monkeypatch.setattr(runner, "execute", recording_execute)
    svc = Service()
    uri = "file:///tmp/custody-sec-tests/lens.x07t"
    svc.open(uri, 1, '{\n:kind entry\n:module_id main\n:imports ()\n:decls ()\n'
                     ':solve (view.to_bytes input)\n}\n')
    snap = svc.snapshot(uri)
    outcome = run_lens.run_snapshot(snap, None, None, b"hi")
    assert seen == [False]
    assert outcome.report["ok"] and outcome.report["output_text"] == "hi", outcome.report


# ------------------------------------------------------------------------- custody run as a user

def _execute_as(uid: int, gid: int, exe: Path) -> dict:
    """runner.execute(exe) in a forked copy of this process that has become uid/gid first, as
    custody would run for an ordinary user (the modules are already loaded, so the user needs
    no access to this checkout); its stdout and status come back through a pipe."""
    from custody.runtime.runner import execute
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.close(r)
            os.setgroups([])
            os.setresgid(gid, gid, gid)
            os.setresuid(uid, uid, uid)
            raw = execute(exe, b"", fuel=10**6, mem_cap=1 << 24, debug_borrows=False,
                          timeout_s=30)
            os.write(w, json.dumps({"status": raw.status, "start_error": raw.start_error,
                                    "stdout": raw.stdout[4:].decode("utf-8", "replace")}).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    chunks = []
    while True:
        b = os.read(r, 65536)
        if not b:
            break
        chunks.append(b)
    os.close(r)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, b"".join(chunks)
    return json.loads(b"".join(chunks))


@needs_root
def test_an_unprivileged_users_run_cannot_touch_that_users_files_or_the_network(listener):
    """Most people run custody as themselves, not root: then a user namespace of the run's own
    holds the network/IPC/mount namespaces, so even code before main cannot write a directory
    the user owns, nor reach the host's loopback."""
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("this machine has no user `nobody` to run custody as")
    probe = subprocess.run(["unshare", "--user", "--map-current-user", "--net", "true"],
                           user=nobody.pw_uid, group=nobody.pw_gid, extra_groups=[],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip("this kernel does not let an unprivileged user create user namespaces")
    from custody.runtime.compile import Toolchain
    base = Path(tempfile.mkdtemp(prefix="custody-sec-user-"))
    try:
        os.chmod(base, 0o755)
        mine = base / "mine"                  # a directory the running user owns and may write
        mine.mkdir()
        os.chown(mine, nobody.pw_uid, nobody.pw_gid)
        target = mine / "pwned"
        built = Toolchain.create(base / "cache").build(program(f"""
__attribute__((constructor)) static void before_main(void) {{
    snprintf(note, sizeof note, "create:%d tcp:%d", try_create({c_str(str(target))}),
             try_connect({listener.getsockname()[1]}));
}}
static rt_bytes solve(rt_view in) {{ (void)in; return say(note); }}
"""))
        exe = base / "program"
        exe.write_bytes(built.read_bytes())
        os.chmod(exe, 0o755)
        out = _execute_as(nobody.pw_uid, nobody.pw_gid, exe)
        assert out["start_error"] is None and out["status"] == 0, out
        fields = dict(kv.split(":") for kv in out["stdout"].split())
        assert int(fields["create"]) > 0 and int(fields["tcp"]) > 0, fields
        assert not target.exists()
        assert no_connection_reached(listener)
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False)


def test_a_child_that_cannot_be_confined_is_not_run_and_says_why(tmp_path, monkeypatch):
    marker = tmp_path / "ran"

    def failing_preexec(identity, limits):
        def apply():
            raise confine.ConfinementError("the identity change did not hold")
        return apply
    monkeypatch.setattr(confine, "preexec", failing_preexec)
    r = run(program(f"""
static rt_bytes solve(rt_view in) {{ (void)in; try_create({c_str(str(marker))}); return say("ran"); }}
"""), tmp_path)
    assert r.output is None or r.output != b"ran"
    assert not marker.exists()
    assert r.trap is not None and "sandbox could not be set up" in r.trap.message, r.trap
    assert "preexec" not in r.trap.message
