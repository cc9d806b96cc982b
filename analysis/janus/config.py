"""custody.toml for Janus: the nearest file in the checked file's directory or above, section
`[janus]`. One setting today: `borrows = true` turns on J3 (readers XOR one writer of `&x` /
`&mut x`), off by default because nothing in Janus defines it yet (docs/janus.md).

A broken or missing file is the default configuration, never a crash."""
from __future__ import annotations

from dataclasses import dataclass

from ..project_config import NearestConfig, toml_section


@dataclass(frozen=True)
class JanusConfig:
    path: str | None = None
    borrows: bool = False


DEFAULT = JanusConfig()


def parse_config(data: bytes, path: str | None = None) -> JanusConfig:
    j = toml_section(data, "janus")
    if j is None:
        return DEFAULT
    return JanusConfig(path, j.get("borrows") is True)


class ConfigCache(NearestConfig[JanusConfig]):
    """Janus's settings for a file, from the nearest custody.toml (analysis/project_config.py)."""

    def __init__(self, overlay: dict):
        super().__init__(overlay, parse_config, DEFAULT)
