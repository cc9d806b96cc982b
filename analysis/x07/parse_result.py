"""What parsing either source form yields."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding
from .values import Value

# Real X07 nests a few dozen levels; past this we stop descending (and say so) rather than
# recurse without bound on a pathological file.
MAX_NESTING = 200
NESTING = "CUS-SYNTAX-0002"


@dataclass
class ParseResult:
    root: Value | None
    tree: object = None
    findings: list[Finding] = field(default_factory=list)
    # nesting findings, including those found later while a deferred declaration is filled
    deep: list[Finding] = field(default_factory=list)
