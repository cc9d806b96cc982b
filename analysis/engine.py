"""The one entry point protocol layers call: source bytes in, findings and an ownership map out.

Holds the per-declaration cache and the module resolver so repeated checks (the CLI over a
directory, the server on every edit) reuse what did not change.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from .x07.check import FunctionCache, ModuleAnalysis, analyse
from .x07.document import ParsedSource, parse_source
from .x07.signatures import ModuleResolver

SOURCE_SUFFIXES = (".x07.json", ".x07t")


def is_source(path: str) -> bool:
    return path.endswith(SOURCE_SUFFIXES)


@dataclass
class Result:
    parsed: ParsedSource
    analysis: ModuleAnalysis


class Engine:
    def __init__(self, module_roots=(), stdlib_root=None):
        self.module_roots = list(module_roots)
        self.stdlib_root = stdlib_root
        self.cache = FunctionCache()
        self._resolvers: dict = {}

    def resolver(self, path: str | None) -> ModuleResolver:
        key = os.path.dirname(os.path.abspath(path)) if path else ""
        r = self._resolvers.get(key)
        if r is None:
            r = ModuleResolver.for_file(path, self.module_roots, self.stdlib_root)
            self._resolvers[key] = r
        return r

    def check(self, path: str | None, data: bytes, form: str | None = None) -> Result:
        parsed = parse_source(path, data, form)
        return Result(parsed, analyse(parsed, self.resolver(path), self.cache))
