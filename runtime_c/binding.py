"""A cffi binding of custody's C runtime, for Python tests and tools.

    from custody.runtime.binding import load
    ffi, lib = load()
    lib.rt_init(ffi.new("rt_config *", {"mem_cap": 1 << 20, "fuel": 1000, "debug_borrows": 1}))
    p = lib.rt_alloc(10, 1, 0)

The runtime's sources (rt_heap.c, rt_borrow.c, rt_core.c, rt_sandbox.c, and rt_builtins.c when
it exists) are compiled with the system C compiler ($CC, else cc / gcc / clang) into a shared
library in a cache directory ($CUSTODY_CACHE_DIR, else $XDG_CACHE_HOME/custody, else
~/.cache/custody), named by a hash of the sources, the headers, the compiler and the flags, so
it is built once.
The library is opened in cffi's ABI mode with the declarations of custody_rt.h.

The runtime's state is global to the process. rt_trap (out of memory, out of fuel, use after
free, ...) prints the metrics line and exits the process: exercise trapping paths in a
subprocess.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import warnings
from pathlib import Path

from .compile import BuildError, default_cache_dir, find_compiler

RUNTIME_DIR = Path(__file__).resolve().parent
INCLUDE_DIR = RUNTIME_DIR / "include"
SRC_DIR = RUNTIME_DIR / "src"
HEADER = INCLUDE_DIR / "custody_rt.h"
CORE_SOURCES = ("rt_heap.c", "rt_borrow.c", "rt_core.c", "rt_sandbox.c")
OPTIONAL_SOURCES = ("rt_builtins.c",)
CFLAGS = ("-std=c99", "-O2", "-g", "-fPIC", "-shared", "-fno-strict-aliasing", "-fwrapv")
CACHE_FORMAT = "custody-binding-1"

_lock = threading.Lock()
_loaded: tuple | None = None


def compiler(env: dict | None = None) -> list[str]:
    """The C compiler custody run uses too (compile.find_compiler)."""
    return list(find_compiler(env).argv)


def cache_dir(env: dict | None = None) -> Path:
    return default_cache_dir(env)


def sources(include_optional: bool = True) -> list[Path]:
    """The runtime's C sources that go into the library."""
    out = [SRC_DIR / name for name in CORE_SOURCES]
    if include_optional:
        out += [SRC_DIR / name for name in OPTIONAL_SOURCES if (SRC_DIR / name).is_file()]
    return out


def cdef_text(header: Path = HEADER) -> str:
    """custody_rt.h as cffi declarations: comments, preprocessor lines and RT_NORETURN out."""
    text = header.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    lines = []
    continued = False
    for line in text.splitlines():
        if continued or line.lstrip().startswith("#"):
            continued = line.rstrip().endswith("\\")
            continue
        lines.append(line)
    return re.sub(r"\bRT_NORETURN\b", "", "\n".join(lines))


def _key(cc: list[str], srcs: list[Path]) -> str:
    h = hashlib.sha256()
    resolved = shutil.which(cc[0]) or cc[0]
    try:
        st = os.stat(os.path.realpath(resolved))
        stamp = f"{os.path.realpath(resolved)}:{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = resolved
    parts = [CACHE_FORMAT, stamp, *cc[1:], *CFLAGS]
    for p in [*srcs, *sorted(INCLUDE_DIR.glob("*.h"))]:
        parts += [p.name, p.read_bytes()]
    for part in parts:
        b = part.encode() if isinstance(part, str) else part
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()[:32]


def _compile(cc: list[str], srcs: list[Path], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        r = subprocess.run([*cc, *CFLAGS, f"-I{INCLUDE_DIR}", *map(str, srcs), "-o", tmp],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise BuildError(f"compiling the runtime failed ({' '.join(cc)}):\n"
                             f"{(r.stderr or r.stdout).strip()}")
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def build(env: dict | None = None) -> Path:
    """The shared library's path, compiling it unless the cache already holds it. A broken
    optional source (rt_builtins.c) is left out with a warning rather than failing the core."""
    cc = compiler(env)
    directory = cache_dir(env) / "binding"
    attempts = [sources(True)]
    if len(attempts[0]) > len(CORE_SOURCES):
        attempts.append(sources(False))
    error = None
    for srcs in attempts:
        lib = directory / f"libcustody_rt-{_key(cc, srcs)}.so"
        if lib.is_file():
            return lib
        try:
            _compile(cc, srcs, lib)
            if error is not None:
                warnings.warn(f"custody runtime binding: built without {OPTIONAL_SOURCES}: "
                              f"{error}", RuntimeWarning, stacklevel=2)
            return lib
        except BuildError as e:
            error = e
    raise error  # type: ignore[misc]


def load():
    """(ffi, lib) for the runtime, built and opened once per process."""
    global _loaded
    with _lock:
        if _loaded is None:
            import cffi
            ffi = cffi.FFI()
            ffi.cdef(cdef_text())
            lib = ffi.dlopen(str(build()))
            _loaded = (ffi, lib)
        return _loaded


def config(ffi, mem_cap: int = 64 << 20, fuel: int = 10**9, debug_borrows: bool = False):
    """An rt_config * for lib.rt_init."""
    return ffi.new("rt_config *", {"mem_cap": mem_cap, "fuel": fuel,
                                   "debug_borrows": 1 if debug_borrows else 0})


def stats(ffi, lib) -> dict:
    """rt_get_mem_stats() as a dict of the ten counters."""
    s = lib.rt_get_mem_stats()
    return {name: getattr(s, name) for name, _ in ffi.typeof("rt_mem_stats").fields}


def violations(ffi, lib) -> list[dict]:
    """The recorded violations as dicts (kind, node, message)."""
    kind = ffi.new("const char **")
    node = ffi.new("uint32_t *")
    msg = ffi.new("const char **")
    out = []
    for i in range(lib.rt_violations_recorded()):
        if lib.rt_violation_at(i, kind, node, msg):
            out.append({"kind": ffi.string(kind[0]).decode(), "node": node[0],
                        "message": ffi.string(msg[0]).decode()})
    return out


def metrics(ffi, lib) -> str:
    """The metrics line rt_main would print now."""
    need = lib.rt_metrics_json(ffi.NULL, 0)
    buf = ffi.new("char[]", need + 1)
    lib.rt_metrics_json(buf, need + 1)
    return ffi.string(buf).decode("utf-8")
