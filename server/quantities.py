"""Quantities on the command line: counts (fuel), byte sizes (memory caps) and durations (timeouts).

Why a module of its own: `custody run --help` prints defaults such as `1e9`, `64M` and `10`, so
each option must accept the forms its help shows, and every such option must mean the same thing
by the same spelling. Before this module each option had its own ad-hoc parser (`--fuel 1e9`
was rejected, `--timeout inf` crashed with OverflowError, `--mem-cap 99999G` was accepted and
then failed inside the program as an OOM trap). Here each kind of quantity has one parser that
either returns a value the runner and the C runtime can honour or raises
`argparse.ArgumentTypeError` with a message saying what is allowed — argparse turns that into a
usage error (exit 2) naming the option, before anything is built.

Spellings (case-insensitive, `_` allowed between digits, surrounding blanks ignored):

  count     1000, 1e9, 2.5e6, 10K / 10M / 10G (decimal: 10M = 10,000,000), inf.
            A whole number >= 1. `inf` is the largest budget the runtime counts (2**63 - 1).
  size      67108864, 64M, 64MiB, 64MB, 1.5G, 512K, 1e9. Suffixes K, M, G, T are powers of
            1024 (as in `ulimit` and the runtime's messages; KB/MB/... and KiB/MiB/... mean the
            same); fractions round down to whole bytes. At least 1 byte, at most what this
            machine can honour (`max_mem_cap()`). No `inf`: the runtime reserves the whole cap.
  duration  10, 2.5, 500ms, 30s, 2m, 1h, inf. Positive. `inf` means no wall-time limit (the
            fuel budget still ends the run); it is represented by FOREVER_S, a finite number of
            seconds every layer (deadlines, RLIMIT_CPU) can handle.
"""
from __future__ import annotations

import argparse
import os
import resource
from decimal import Decimal, InvalidOperation

MAX_FUEL = (1 << 63) - 1            # the runtime's fuel counter is an int64_t
FOREVER_S = float((1 << 31) - 1)   # "inf" for a timeout: 68 years, finite for rlimits and deadlines
MAX_TIMEOUT_S = FOREVER_S

_COUNT_SUFFIX = {"": 1, "K": 10 ** 3, "M": 10 ** 6, "G": 10 ** 9, "T": 10 ** 12}
_SIZE_SUFFIX = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
_TIME_SUFFIX = {"": 1, "S": 1, "MS": Decimal("0.001"), "M": 60, "MIN": 60, "H": 3600}
_INF = ("INF", "INFINITY")


def _split(text: str, suffixes) -> tuple[str, str]:
    """('1.5', 'G') for '1.5G': the longest known suffix that leaves a number before it."""
    t = text.strip().upper()
    for suf in sorted(suffixes, key=len, reverse=True):
        if suf and t.endswith(suf) and t[:-len(suf)].strip():
            return t[:-len(suf)].strip(), suf
    return t, ""


def _number(text: str) -> Decimal | None:
    """A finite decimal number, or None (not a number, NaN, or infinite)."""
    if not text:
        return None
    try:
        d = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def _scaled(text: str, suffixes, what: str, allowed: str) -> Decimal | None:
    """The number `text` spells times its suffix's scale; None for inf; a usage error otherwise."""
    t = text.strip().upper()
    if t in _INF:
        return None
    num, suf = _split(t, suffixes)
    d = _number(num)
    if d is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}; expected {allowed}")
    return d * suffixes[suf]


def _human_bytes(n: int) -> str:
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.4g} {unit}"
    return f"{n} bytes"


def parse_count(text: str) -> int:
    """A fuel budget: a whole number >= 1 (1e9, 10M, 250000) or inf (the runtime's maximum)."""
    allowed = "a whole number of at least 1, such as 1000000, 1e9, 10M or inf"
    value = _scaled(text, _COUNT_SUFFIX, "a count", allowed)
    if value is None:
        return MAX_FUEL
    if value != value.to_integral_value():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; expected {allowed}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is too small; expected {allowed}")
    if value > MAX_FUEL:
        raise argparse.ArgumentTypeError(
            f"{text!r} is more than the runtime can count (at most {MAX_FUEL}, or inf)")
    return int(value)


def max_mem_cap() -> int:
    """The largest heap cap a run on this machine can honour, in bytes.

    The runtime reserves the whole cap up front (mmap, MAP_NORESERVE) and promises an `oom` trap
    when the program goes over it. Above the machine's physical memory that promise is void: the
    kernel's OOM killer would end the program first (a crash, not a trap), and a cap near the
    address-space size cannot even be reserved. A finite RLIMIT_AS on custody itself (inherited
    by the run) lowers the limit further: the run needs runner.AS_MARGIN above its heap."""
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        physical = 1 << 40
    limit = physical
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            from custody.runtime.runner import AS_MARGIN
            limit = min(limit, hard - AS_MARGIN)
    except (ValueError, OSError):
        pass
    return max(limit, 1)


def parse_size(text: str, *, limit: int | None = None) -> int:
    """A memory cap in bytes: 67108864, 64M, 1.5G, 512KiB (K/M/G/T are powers of 1024)."""
    allowed = "a number of bytes such as 67108864, 64M, 1.5G or 512K (K/M/G/T = 1024^1..4)"
    t = text.strip().upper()
    if t in _INF:
        raise argparse.ArgumentTypeError(
            f"the memory cap cannot be {text!r}: the runtime reserves the whole cap; "
            f"give {allowed}")
    for long_form in ("IB", "B"):               # 64MiB, 64MB, 64B -> 64M, 64M, 64
        if t.endswith(long_form) and t[:-len(long_form)][-1:].isalnum():
            t = t[:-len(long_form)]
            break
    num, suf = _split(t, _SIZE_SUFFIX)
    d = _number(num)
    if d is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size; expected {allowed}")
    value = int(d * _SIZE_SUFFIX[suf])          # rounds toward zero: whole bytes
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is too small; expected at least 1 byte")
    limit = max_mem_cap() if limit is None else limit
    if value > limit:
        raise argparse.ArgumentTypeError(
            f"{text!r} is more than this machine can honour as a heap cap (at most {limit} "
            f"bytes = {_human_bytes(limit)}, its physical memory)")
    return value


def parse_duration(text: str) -> float:
    """A wall-time limit in seconds: 10, 2.5, 500ms, 2m, 1h, or inf (no limit: FOREVER_S)."""
    allowed = "a positive number of seconds such as 10, 2.5, 500ms, 2m, or inf for no limit"
    value = _scaled(text, _TIME_SUFFIX, "a duration", allowed)
    if value is None:
        return FOREVER_S
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not positive; expected {allowed}")
    if value > Decimal(MAX_TIMEOUT_S):
        raise argparse.ArgumentTypeError(
            f"{text!r} is longer than the largest limit ({MAX_TIMEOUT_S:.0f} s); use inf for no limit")
    return float(value)


def describe_duration(seconds: float) -> str:
    """'10 s', or 'no limit' for FOREVER_S (for messages that quote the limit)."""
    return "no limit" if seconds >= FOREVER_S else f"{seconds:g} s"
