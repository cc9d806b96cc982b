"""custody.toml for C (docs/c.md "custody.toml"): the nearest file in the checked file's directory
or above. It turns hint rules on, names files where raw allocators are allowed, and overrides
callee summaries (the first source of docs/c.md "Summaries").

Why a module: the file is read by three consumers (summaries, lints, the front-end's watch list)
and must be read once per change, tolerating a broken file (then it is ignored, never a crash).
"""
from __future__ import annotations

import fnmatch

import os
from dataclasses import dataclass

from ..project_config import NearestConfig, toml_section


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
    c = toml_section(data, "c")
    if c is None:
        return DEFAULT
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


class ConfigCache(NearestConfig[CConfig]):
    """C's settings for a file, from the nearest custody.toml (analysis/project_config.py)."""

    def __init__(self, overlay: dict):
        super().__init__(overlay, parse_config, DEFAULT)
