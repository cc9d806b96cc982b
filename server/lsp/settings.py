"""Server settings: from `initializationOptions` and `workspace/didChangeConfiguration`.

Accepted shapes: `{"custody": {...}}` or the inner object itself. Keys (all optional):

    stdlibRoot        X07 stdlib root (default: $X07_STDLIB)
    moduleRoots       extra module roots, list of paths
    inlayHints        {"drops": bool, "moves": bool, "borrows": bool, "defers": bool}   (all on by default)
    severity          {"<CODE>": "error" | "warning" | "information" | "hint" | "off"}
    debounceMs        how long a burst of edits may settle before analysis (default 0: edits already received are analysed together)

Unknown keys and values of the wrong type are ignored (and logged by the caller), never fatal.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "information", "hint", "off")
INLAY_KINDS = ("drops", "moves", "borrows", "defers")
KEYS = ("stdlibRoot", "moduleRoots", "inlayHints", "severity", "debounceMs")   # what parse reads


@dataclass(frozen=True)
class Settings:
    stdlib_root: str | None = None
    module_roots: tuple[str, ...] = ()
    inlay: dict = field(default_factory=lambda: {k: True for k in INLAY_KINDS})
    severity: dict = field(default_factory=dict)
    debounce_ms: int = 0

    @classmethod
    def parse(cls, raw, base: "Settings | None" = None) -> tuple["Settings", list[str]]:
        """-> (settings, problems). Missing keys keep `base`'s values."""
        base = base or cls()
        problems: list[str] = []
        if isinstance(raw, dict) and isinstance(raw.get("custody"), dict):
            raw = raw["custody"]
        if raw is None:
            return base, problems
        if not isinstance(raw, dict):
            return base, [f"settings must be an object, got {type(raw).__name__}"]
        stdlib = base.stdlib_root
        if "stdlibRoot" in raw:
            v = raw["stdlibRoot"]
            if v is None or isinstance(v, str):
                stdlib = v or None
            else:
                problems.append("stdlibRoot must be a string")
        roots = base.module_roots
        if "moduleRoots" in raw:
            v = raw["moduleRoots"]
            if isinstance(v, list) and all(isinstance(x, str) for x in v):
                roots = tuple(v)
            else:
                problems.append("moduleRoots must be a list of strings")
        inlay = dict(base.inlay)
        if "inlayHints" in raw:
            v = raw["inlayHints"]
            if isinstance(v, dict):
                for k, on in v.items():
                    if k in INLAY_KINDS and isinstance(on, bool):
                        inlay[k] = on
                    else:
                        problems.append(f"inlayHints.{k}: expected one of {', '.join(INLAY_KINDS)} with true/false")
            else:
                problems.append("inlayHints must be an object")
        severity = dict(base.severity)
        if "severity" in raw:
            v = raw["severity"]
            if isinstance(v, dict):
                for code, sev in v.items():
                    if isinstance(sev, str) and sev in SEVERITIES:
                        severity[code] = sev
                    else:
                        problems.append(f"severity.{code}: expected one of {', '.join(SEVERITIES)}")
            else:
                problems.append("severity must be an object")
        debounce = base.debounce_ms
        if "debounceMs" in raw:
            v = raw["debounceMs"]
            if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 2000:
                debounce = v
            else:
                problems.append("debounceMs must be an integer from 0 to 2000")
        return cls(stdlib, roots, inlay, severity, debounce), problems
