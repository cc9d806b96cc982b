"""custody.toml, the project file a front-end reads its settings from: the nearest one in the
checked file's directory or above, one section per language (`[c]`, `[janus]`).

Why a module: every front-end with settings finds the file the same way and must read it once per
change (the editor's unsaved copy wins over the disk, by `file_stamp`), and a broken or missing
file must give the language's defaults, never a crash. What a section means is the language's
own business (`parse` below).
"""
from __future__ import annotations

import os
from typing import Callable, Generic, TypeVar

from .source import file_stamp

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    tomllib = None

CONFIG_NAME = "custody.toml"
MAX_LEVELS = 64              # directories looked at above a file, at most

T = TypeVar("T")


def toml_section(data: bytes, name: str):
    """The `[name]` table of a custody.toml's bytes: a dict; {} when the file has no such table
    (or it is not a table); None when the file cannot be read as TOML (or no TOML reader)."""
    if tomllib is None:
        return None
    try:
        doc = tomllib.loads(data.decode("utf-8", errors="replace"))
    except Exception:
        return None
    section = doc.get(name)
    return section if isinstance(section, dict) else {}


class NearestConfig(Generic[T]):
    """A language's configuration for a file: `parse(bytes, path)` of the nearest custody.toml,
    cached per file by stamp; `default` where there is none or it cannot be read."""

    def __init__(self, overlay: dict, parse: Callable[[bytes, str], T], default: T):
        self.overlay = overlay
        self.parse = parse
        self.default = default
        self._files: dict[str, tuple] = {}     # config path -> (stamp, config)

    def for_file(self, path: str | None) -> T:
        if not path:
            return self.default
        d = os.path.dirname(os.path.abspath(path))
        for _ in range(MAX_LEVELS):
            cand = os.path.join(d, CONFIG_NAME)
            stamp = file_stamp(self.overlay, cand)
            if stamp is not None:
                hit = self._files.get(cand)
                if hit is not None and hit[0] == stamp:
                    return hit[1]
                try:
                    if cand in self.overlay:
                        data = self.overlay[cand][1]
                    else:
                        with open(cand, "rb") as fh:
                            data = fh.read()
                except OSError:
                    return self.default
                cfg = self.parse(data, cand)
                self._files[cand] = (stamp, cfg)
                return cfg
            parent = os.path.dirname(d)
            if parent == d:
                break
            d = parent
        return self.default
