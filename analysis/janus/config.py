"""custody.toml for Janus: the nearest file in the checked file's directory or above, section
`[janus]`. One setting today: `borrows = true` turns on J3 (readers XOR one writer of `&x` /
`&mut x`), off by default because nothing in Janus defines it yet (docs/janus.md).

A broken or missing file is the default configuration, never a crash."""
from __future__ import annotations

import os
from dataclasses import dataclass

from ..source import file_stamp

try:
    import tomllib
except ImportError:  # pragma: no cover - Python 3.10
    tomllib = None

CONFIG_NAME = "custody.toml"


@dataclass(frozen=True)
class JanusConfig:
    path: str | None = None
    borrows: bool = False


DEFAULT = JanusConfig()


def parse_config(data: bytes, path: str | None = None) -> JanusConfig:
    if tomllib is None:
        return DEFAULT
    try:
        doc = tomllib.loads(data.decode("utf-8", errors="replace"))
    except Exception:
        return DEFAULT
    j = doc.get("janus")
    if not isinstance(j, dict):
        return JanusConfig(path)
    return JanusConfig(path, j.get("borrows") is True)


class ConfigCache:
    """Nearest custody.toml per file; the editor's unsaved copy wins over the disk."""

    def __init__(self, overlay: dict):
        self.overlay = overlay
        self._files: dict = {}

    def for_file(self, path: str | None) -> JanusConfig:
        if not path:
            return DEFAULT
        d = os.path.dirname(os.path.abspath(path))
        for _ in range(64):
            cand = os.path.join(d, CONFIG_NAME)
            stamp = file_stamp(self.overlay, cand)
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
