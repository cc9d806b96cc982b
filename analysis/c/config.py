"""custody.toml for C (docs/c.md "custody.toml"): the nearest file in the checked file's directory
or above. It turns hint rules on, names files where raw allocators are allowed, and overrides
callee summaries (the first source of docs/c.md "Summaries").

Why a module: the file is read by three consumers (summaries, lints, the front-end's watch list)
and must be read once per change, tolerating a broken file (then it is ignored, never a crash).
"""
from __future__ import annotations

import fnmatch

import os
from dataclasses import dataclass, field

from ..source import file_stamp

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    tomllib = None

CONFIG_NAME = "custody.toml"


@dataclass(frozen=True)
class FunctionOverride:
    returns: str | None = None                       # owned | borrowed | conditional | unknown
    consumes: tuple[tuple[str, str], ...] = ()       # (parameter name or "#n", always|on_success|never)


@dataclass(frozen=True)
class CConfig:
    path: str | None = None
    hints: frozenset = frozenset()
    strict_null_after_transfer: bool = False
    raw_allocator_files: tuple[str, ...] = ("ar_heap.c", "ar_heap.h")
    functions: tuple[tuple[str, FunctionOverride], ...] = ()
    # files of stand-in definitions (AgeRun's dlsym tests intercept module functions with their
    # own parameter names): not compared with the headers (MMM-P3), nor read for summaries
    mock_files: tuple[str, ...] = ("*_dlsym_tests.c",)

    def is_mock(self, path: str | None) -> bool:
        base = os.path.basename(path) if path else ""
        return any(fnmatch.fnmatchcase(base, g) for g in self.mock_files)

    def function(self, name: str) -> FunctionOverride | None:
        for n, o in self.functions:
            if n == name:
                return o
        return None


DEFAULT = CConfig()
_RETURNS = {"owned", "borrowed", "conditional", "unknown"}
_CONSUMES = {"always", "on_success", "never"}


def parse_config(data: bytes, path: str | None = None) -> CConfig:
    if tomllib is None:
        return DEFAULT
    try:
        doc = tomllib.loads(data.decode("utf-8", errors="replace"))
    except Exception:
        return DEFAULT
    c = doc.get("c")
    if not isinstance(c, dict):
        return CConfig(path)
    hints = c.get("hints", [])
    hints = frozenset(h for h in hints if isinstance(h, str)) if isinstance(hints, list) else frozenset()
    raw = c.get("raw_allocator_files", list(DEFAULT.raw_allocator_files))
    raw = tuple(r for r in raw if isinstance(r, str)) if isinstance(raw, list) else DEFAULT.raw_allocator_files
    funcs = []
    fs = c.get("functions", {})
    if isinstance(fs, dict):
        for name, spec in fs.items():
            if not isinstance(spec, dict):
                continue
            ret = spec.get("returns")
            ret = ret if ret in _RETURNS else None
            cons = spec.get("consumes", {})
            pairs = tuple((str(k), v) for k, v in cons.items() if v in _CONSUMES) if isinstance(cons, dict) else ()
            funcs.append((str(name), FunctionOverride(ret, pairs)))
    mocks = c.get("mock_files", list(DEFAULT.mock_files))
    mocks = tuple(m for m in mocks if isinstance(m, str)) if isinstance(mocks, list) else DEFAULT.mock_files
    return CConfig(path, hints, bool(c.get("strict_null_after_transfer", False)), raw, tuple(funcs), mocks)


class ConfigCache:
    """Nearest custody.toml per directory; the editor's unsaved copy wins over the disk."""

    def __init__(self, overlay: dict):
        self.overlay = overlay
        self._files: dict[str, tuple] = {}     # config path -> (stamp, CConfig)

    def _stamp(self, path: str):
        return file_stamp(self.overlay, path)

    def for_file(self, path: str | None) -> CConfig:
        if not path:
            return DEFAULT
        d = os.path.dirname(os.path.abspath(path))
        for _ in range(64):
            cand = os.path.join(d, CONFIG_NAME)
            stamp = self._stamp(cand)
            if stamp is not None:
                hit = self._files.get(cand)
                if hit is not None and hit[0] == stamp:
                    return hit[1]
                try:
                    data = self.overlay[cand][1] if cand in self.overlay else open(cand, "rb").read()
                except OSError:
                    return DEFAULT
                cfg = parse_config(data, cand)
                self._files[cand] = (stamp, cfg)
                return cfg
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
        return DEFAULT
