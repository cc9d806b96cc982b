"""Building C for `custody run`: compiler discovery and a content-addressed artifact cache.

The runtime's sources (runtime_c/src/*.c) are compiled once into objects keyed by a hash of their
text, the headers, the compiler and the flags; each program is linked into an executable keyed by
a hash of its C source and the runtime's key. Artifacts are written to a temporary name and
renamed into place, so several processes can share one cache directory.

Failures are `BuildError`s carrying a message meant for the user (CUS-RUN-0005), never a
traceback.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

RUNTIME_DIR = Path(__file__).resolve().parent
RUNTIME_SRC = RUNTIME_DIR / "src"
RUNTIME_INCLUDE = RUNTIME_DIR / "include"

CFLAGS = ("-std=c99", "-O2", "-g0", "-fno-strict-aliasing", "-fwrapv")
LDLIBS = ("-lm",)
COMPILER_NAMES = ("cc", "gcc", "clang")
CACHE_FORMAT = "custody-run-1"   # bump when the layout of the cache changes
COMPILE_TIMEOUT_S = 120
ERROR_LINES = 12                 # how much of the compiler's complaint a finding quotes


class BuildError(Exception):
    """The program could not be built: no compiler, or the compiler rejected the C."""


# How many times the compiler was invoked in this process (tests assert cache hits with it).
STATS = {"runtime_objects": 0, "executables": 0}


@dataclass(frozen=True)
class Compiler:
    argv: tuple[str, ...]   # the command, e.g. ("/usr/bin/cc",) or ("ccache", "gcc")
    identity: str           # what the cache keys on: resolved path, size and mtime


def find_compiler(env: dict | None = None) -> Compiler:
    """`$CC` (may hold arguments, e.g. "ccache gcc"), else cc / gcc / clang on PATH."""
    env = os.environ if env is None else env
    path = env.get("PATH", os.defpath)
    cc = env.get("CC", "").strip()
    if cc:
        argv = cc.split()
        exe = shutil.which(argv[0], path=path)
        if exe is None:
            raise BuildError(f"no C compiler: $CC is {cc!r}, which is not an executable; "
                             "custody run needs cc, gcc or clang (or $CC naming one)")
        return Compiler((exe, *argv[1:]), _identity(exe, argv[1:]))
    for name in COMPILER_NAMES:
        exe = shutil.which(name, path=path)
        if exe is not None:
            return Compiler((exe,), _identity(exe, []))
    raise BuildError("no C compiler found on PATH; custody run needs cc, gcc or clang "
                     "(or $CC naming one)")


def _identity(exe: str, extra: list[str]) -> str:
    real = os.path.realpath(exe)
    try:
        st = os.stat(real)
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = "?"
    return f"{real}|{stamp}|{' '.join(extra)}"


def default_cache_dir(env: dict | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("CUSTODY_CACHE_DIR"):
        return Path(env["CUSTODY_CACHE_DIR"])
    if env.get("XDG_CACHE_HOME"):
        return Path(env["XDG_CACHE_HOME"]) / "custody"
    return Path.home() / ".cache" / "custody"


def _sha(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()


@dataclass
class Runtime:
    """The runtime's sources and headers as text, and the key derived from them."""
    sources: list[tuple[str, bytes]]          # (file name, text)
    headers: list[tuple[str, bytes]]
    include_dirs: tuple[Path, ...] = (RUNTIME_INCLUDE,)
    key: str = ""

    @classmethod
    def load(cls, src_dir: Path = RUNTIME_SRC, include_dir: Path = RUNTIME_INCLUDE) -> "Runtime":
        sources = [(p.name, p.read_bytes()) for p in sorted(src_dir.glob("*.c"))]
        # the sources are compiled from a copy, so headers next to them are found through -I too
        headers = [(f"{p.parent.name}/{p.name}", p.read_bytes())
                   for d in (include_dir, src_dir) for p in sorted(d.glob("*.h"))]
        return cls(sources, headers, (include_dir, src_dir))


@dataclass
class Toolchain:
    """A compiler, the runtime and a cache directory: builds programs into cached executables."""
    compiler: Compiler
    runtime: Runtime
    cache_dir: Path
    cflags: tuple[str, ...] = CFLAGS
    _keys: dict = field(default_factory=dict)

    @classmethod
    def create(cls, cache_dir: str | Path | None = None, env: dict | None = None,
               runtime: Runtime | None = None) -> "Toolchain":
        compiler = find_compiler(env)
        return cls(compiler, runtime or Runtime.load(),
                   Path(cache_dir) if cache_dir is not None else default_cache_dir(env))

    def _headers_key(self) -> str:
        k = self._keys.get("headers")
        if k is None:
            k = self._keys["headers"] = _sha(CACHE_FORMAT, self.compiler.identity, *self.cflags,
                                             *(x for h in self.runtime.headers for x in h))
        return k

    def runtime_key(self) -> str:
        k = self._keys.get("runtime")
        if k is None:
            k = self._keys["runtime"] = _sha(self._headers_key(), *LDLIBS,
                                             *(x for s in self.runtime.sources for x in s))
        return k

    def executable_path(self, c_source: str) -> Path:
        return self.cache_dir / "bin" / f"prog-{_sha(self.runtime_key(), c_source)[:40]}"

    def build(self, c_source: str) -> Path:
        """The executable for this translation unit, compiled and linked unless cached."""
        exe = self.executable_path(c_source)
        if exe.is_file() and os.access(exe, os.X_OK):
            return exe
        try:
            return self._build(c_source, exe)
        except OSError as e:
            raise BuildError(f"cannot write the build cache {self.cache_dir}: "
                             f"{e.strerror or e}") from None

    def _build(self, c_source: str, exe: Path) -> Path:
        objects = self.runtime_objects()
        exe.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="custody-build-") as work:
            src = Path(work) / "program.c"
            src.write_text(c_source, encoding="utf-8")
            tmp = _temp_name(exe)
            try:
                self._cc([*self._include_flags(), src.name, *map(str, objects), *LDLIBS,
                          "-o", str(tmp)], "the program's C", work)
                STATS["executables"] += 1
                os.replace(tmp, exe)
            finally:
                _unlink(tmp)
        return exe

    def runtime_objects(self) -> list[Path]:
        if not self.runtime.sources:
            raise BuildError(f"the bundled runtime has no C sources (looked in {RUNTIME_SRC})")
        out = []
        base = self._headers_key()
        for name, text in self.runtime.sources:
            obj = self.cache_dir / "obj" / f"{Path(name).stem}-{_sha(base, name, text)[:40]}.o"
            if not obj.is_file():
                obj.parent.mkdir(parents=True, exist_ok=True)
                with tempfile.TemporaryDirectory(prefix="custody-build-") as work:
                    src = Path(work) / name
                    src.write_bytes(text)
                    tmp = _temp_name(obj)
                    try:
                        self._cc([*self._include_flags(), "-c", src.name, "-o", str(tmp)],
                                 f"the runtime source {name}", work)
                        STATS["runtime_objects"] += 1
                        os.replace(tmp, obj)
                    finally:
                        _unlink(tmp)
            out.append(obj)
        return out

    def _include_flags(self) -> list[str]:
        return [f"-I{d}" for d in self.runtime.include_dirs]

    def _cc(self, args: list[str], what: str, cwd: str) -> None:
        argv = [*self.compiler.argv, *self.cflags, *args]
        try:
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, cwd=cwd,
                               env={**os.environ, "LC_ALL": "C"}, timeout=COMPILE_TIMEOUT_S)
        except FileNotFoundError:
            raise BuildError(f"no C compiler: {self.compiler.argv[0]} could not be started") from None
        except subprocess.TimeoutExpired:
            raise BuildError(f"the C compiler took more than {COMPILE_TIMEOUT_S} s on {what}") from None
        except OSError as e:
            raise BuildError(f"the C compiler could not be started: {e.strerror}") from None
        if r.returncode != 0:
            text = (r.stderr or r.stdout).decode("utf-8", "replace").strip().splitlines()
            head = "\n".join(text[:ERROR_LINES]) or f"exit status {r.returncode}"
            more = f"\n... ({len(text) - ERROR_LINES} more lines)" if len(text) > ERROR_LINES else ""
            raise BuildError(f"the C compiler rejected {what}:\n{head}{more}")


def _temp_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def _unlink(p: Path) -> None:
    try:
        p.unlink()
    except FileNotFoundError:
        pass
