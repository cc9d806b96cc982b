"""Sets of Unicode code points stored as sorted, disjoint, inclusive ranges.

Code point 0 is never part of a negated set: the runtime reports end of input
as lookahead 0, so a class like [^"] must not swallow it."""

from __future__ import annotations

MAX_CHAR = 0x10FFFF


class CharSet:
    __slots__ = ("ranges", "_hash")

    def __init__(self, ranges=()):
        self.ranges = _normalize(ranges)
        self._hash = hash(self.ranges)

    @classmethod
    def of(cls, *chars: str | int) -> "CharSet":
        points = [c if isinstance(c, int) else ord(c) for c in chars]
        return cls((p, p) for p in points)

    @classmethod
    def range(cls, lo: int, hi: int) -> "CharSet":
        return cls([(lo, hi)])

    def __eq__(self, other):
        return isinstance(other, CharSet) and self.ranges == other.ranges

    def __hash__(self):
        return self._hash

    def __lt__(self, other):
        return self.ranges < other.ranges

    def __bool__(self):
        return bool(self.ranges)

    def __repr__(self):
        return f"CharSet({self.ranges!r})"

    def __contains__(self, point: int) -> bool:
        for lo, hi in self.ranges:
            if point < lo:
                return False
            if point <= hi:
                return True
        return False

    def union(self, other: "CharSet") -> "CharSet":
        return CharSet(self.ranges + other.ranges)

    def negate(self, include_nul: bool = False) -> "CharSet":
        result = []
        start = 0 if include_nul else 1
        for lo, hi in self.ranges:
            if lo > start:
                result.append((start, lo - 1))
            start = max(start, hi + 1)
        if start <= MAX_CHAR:
            result.append((start, MAX_CHAR))
        return CharSet(result)

    def intersect(self, other: "CharSet") -> "CharSet":
        result = []
        i = j = 0
        a, b = self.ranges, other.ranges
        while i < len(a) and j < len(b):
            lo = max(a[i][0], b[j][0])
            hi = min(a[i][1], b[j][1])
            if lo <= hi:
                result.append((lo, hi))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return CharSet(result)

    def difference(self, other: "CharSet") -> "CharSet":
        return self.intersect(other.negate(include_nul=True))

    def size(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.ranges)

    def without_nul(self) -> "CharSet":
        return self.difference(CharSet.of(0)) if 0 in self else self


def _normalize(ranges):
    items = sorted((int(lo), int(hi)) for lo, hi in ranges if lo <= hi)
    merged = []
    for lo, hi in items:
        if merged and lo <= merged[-1][1] + 1:
            if hi > merged[-1][1]:
                merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    return tuple(merged)


def partition(sets):
    """Split possibly-overlapping CharSets into disjoint pieces.

    Returns a list of (piece, indices) where indices are the positions of the
    input sets that contain the piece; pieces are sorted by first code point."""
    bounds = set()
    for s in sets:
        for lo, hi in s.ranges:
            bounds.add(lo)
            bounds.add(hi + 1)
    points = sorted(bounds)
    pieces = {}
    for k in range(len(points) - 1):
        lo, hi = points[k], points[k + 1] - 1
        members = tuple(i for i, s in enumerate(sets) if lo in s)
        if members:
            pieces.setdefault(members, []).append((lo, hi))
    result = [(CharSet(r), members) for members, r in pieces.items()]
    result.sort(key=lambda item: item[0].ranges[0])
    return result
