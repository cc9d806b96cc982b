"""Source text and positions.

Offsets inside custody are byte offsets into the UTF-8 source (what tree-sitter reports). The
outside world (LSP, the CLI's JSON) speaks 0-based lines and UTF-16 code units; `LineIndex`
converts between the two.
"""
from __future__ import annotations

import bisect
import os
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter


class Span(tuple):
    """A half-open byte range [start, end) in one source file.

    A pair (a tuple underneath, ordered and hashed as (start, end)): every value, event and
    finding has one, a 16 MiB file makes millions, and a tuple is built by C (`Span(a, b)`, or
    `span_of(pair)` from a `(start, end)` pair such as `re.Match.span()`) where a frozen
    dataclass ran `object.__setattr__` twice per span (4x the cost).
    """

    __slots__ = ()

    def __new__(cls, start: int, end: int) -> "Span":
        return tuple.__new__(cls, (start, end))

    start = property(itemgetter(0), doc="first byte")
    end = property(itemgetter(1), doc="one past the last byte")

    def __repr__(self) -> str:
        return f"Span(start={self[0]}, end={self[1]})"

    def __getnewargs__(self):
        return tuple(self)

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end or (self.start == self.end == offset)

    def covers(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end


span_of = partial(tuple.__new__, Span)   # span_of((start, end)): a Span without a Python call


@dataclass(frozen=True)
class Dirty:
    """What changed in a document since it was last parsed, as one range: the bytes before `start`
    are as they were, and the bytes from `new_end` on are the old bytes from `old_end` on (moved
    by `delta`). Several edits make one range that covers them all (`then`). A front-end's parse
    may use it to keep what lies outside the range (analysis/frontend.py, `parse`)."""

    start: int
    old_end: int
    new_end: int
    base: bytes | None = field(default=None, compare=False, repr=False)   # the text it changed

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end

    def leaves(self, old: bytes, new: bytes) -> bool:
        """Is `new` the text this change made of `old`, outside the changed range? By identity
        when the change knows its base text (a document's edits do: comparing 16 MiB byte by
        byte would cost more than what it saves), else by comparing the bytes."""
        if len(new) - self.new_end != len(old) - self.old_end or self.start > min(len(new), len(old)):
            return False
        if self.base is not None:
            return self.base is old
        return new[:self.start] == old[:self.start] and new[self.new_end:] == old[self.old_end:]

    def then(self, start: int, old_end: int, new_end: int) -> "Dirty":
        """This change followed by an edit of [start, old_end) into [start, new_end) (offsets in
        the text after this change)."""
        d2 = new_end - old_end
        # the end of what changed, in the newest text: this change's end moved by the edit
        # (or swallowed by it), or the edit's own end
        mine = self.new_end + d2 if self.new_end >= old_end else (new_end if self.new_end > start else self.new_end)
        # the end of what changed, in the oldest text: the edit's end taken back through this change
        theirs = old_end - self.delta if old_end >= self.new_end else self.old_end
        return Dirty(min(self.start, start), max(self.old_end, theirs), max(mine, new_end), self.base)


@dataclass(frozen=True)
class Position:
    line: int
    character: int  # UTF-16 code units


@dataclass(frozen=True)
class Range:
    start: Position
    end: Position

    def to_json(self) -> dict:
        return {
            "start": {"line": self.start.line, "character": self.start.character},
            "end": {"line": self.end.line, "character": self.end.character},
        }


class LineIndex:
    """Maps byte offsets of a UTF-8 buffer to LSP positions and back.

    The line starts may carry a pending shift: the starts of lines `_cut` on are `_starts[i] +
    _delta` (an edit inside one line moves every later line; the list is shared with the index
    before the edit and shifted only when `line_starts` is read)."""

    def __init__(self, data: bytes):
        self.data = data
        starts = [0]
        find = data.find
        i = find(b"\n")
        while i >= 0:
            starts.append(i + 1)
            i = find(b"\n", i + 1)
        self._starts = starts
        self._cut = len(starts)
        self._delta = 0

    @property
    def line_starts(self) -> list:
        if self._delta:
            st, c, d = self._starts, self._cut, self._delta
            self._starts = st[:c] + [s + d for s in st[c:]]
            self._cut, self._delta = len(self._starts), 0
        return self._starts

    @line_starts.setter
    def line_starts(self, v: list) -> None:
        self._starts, self._cut, self._delta = v, len(v), 0

    def lines(self) -> int:
        return len(self._starts)

    def start_of(self, line: int) -> int:
        s = self._starts[line]
        return s + self._delta if line >= self._cut else s

    def line_of(self, offset: int) -> int:
        """The line holding byte `offset` (0-based)."""
        st, c = self._starts, self._cut
        if c < len(st) and offset >= st[c] + self._delta:
            return bisect.bisect_right(st, offset - self._delta, c) - 1
        return bisect.bisect_right(st, offset, 0, c) - 1

    def edited(self, start: int, old_end: int, inserted: bytes, new_data: bytes) -> "LineIndex":
        """The index of `new_data`, which is this buffer with [start, old_end) replaced by
        `inserted`: lines before the edit are kept, lines after it shift, only the edited
        stretch is scanned again. An edit inside one line shares the starts list and shifts the
        later lines lazily."""
        delta = len(inserted) - (old_end - start)
        new = LineIndex.__new__(LineIndex)
        new.data = new_data
        row = self.line_of(start)
        if b"\n" not in inserted and self.line_of(old_end) == row and (
                not self._delta or self._cut == row + 1):
            new._starts, new._cut, new._delta = self._starts, row + 1, self._delta + delta
            if row + 1 >= len(self._starts):
                new._delta = 0
            return new
        starts = self.line_starts
        lo = bisect.bisect_right(starts, start)            # starts[:lo] are at or before the edit
        hi = bisect.bisect_right(starts, old_end)          # starts[hi:] begin after the old stretch
        middle = []
        i = inserted.find(b"\n")
        while i >= 0:
            middle.append(start + i + 1)
            i = inserted.find(b"\n", i + 1)
        new.line_starts = starts[:lo] + middle + [s + delta for s in starts[hi:]]
        return new

    def position(self, offset: int) -> Position:
        offset = max(0, min(offset, len(self.data)))
        line = self.line_of(offset)
        start = self.start_of(line)
        prefix = self.data[start:offset]
        if prefix.isascii():
            return Position(line, len(prefix))
        text = prefix.decode("utf-8", errors="replace")
        return Position(line, len(text.encode("utf-16-le")) // 2)

    def range(self, span: Span) -> Range:
        return Range(self.position(span.start), self.position(span.end))

    def offset(self, pos: Position) -> int:
        """Byte offset of an LSP position; positions past a line's end clamp to it."""
        if pos.line < 0:
            return 0
        n = len(self._starts)
        if pos.line >= n:
            return len(self.data)
        start = self.start_of(pos.line)
        end = self.start_of(pos.line + 1) - 1 if pos.line + 1 < n else len(self.data)
        line = self.data[start:end]
        if line.isascii():
            return start + min(max(pos.character, 0), len(line))
        units = 0
        for i, ch in enumerate(line.decode("utf-8", errors="replace")):
            if units >= pos.character:
                return start + len(line.decode("utf-8", errors="replace")[:i].encode("utf-8"))
            units += 2 if ord(ch) > 0xFFFF else 1
        return end

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (UTF-16 units + 1) for compiler-style output."""
        p = self.position(offset)
        return p.line + 1, p.character + 1


def file_stamp(overlay: dict, path: str):
    """What says a source file changed: its editor version while it is open (`overlay` maps path
    -> (version, bytes); the open text wins over the disk), else its modification time and size;
    None when it is gone. Every front-end's cross-file summaries are cached by it."""
    opened = overlay.get(path)
    if opened is not None:
        return ("open", opened[0])
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class FileIndexes:
    """Line indexes of other files, for related locations that point into them (a header's
    declaration next to a finding in a `.c` file, an imported module's function): the editor's
    text while the file is open (`overlay`, as in `file_stamp`), else the disk's; cached by stamp."""

    LIMIT = 256

    def __init__(self, overlay: dict | None = None):
        self.overlay = overlay if overlay is not None else {}
        self._cache: dict = {}

    def get(self, path: str) -> LineIndex | None:
        stamp = file_stamp(self.overlay, path)
        if stamp is None:
            return None
        hit = self._cache.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        opened = self.overlay.get(path)
        if opened is not None:
            data = opened[1]
        else:
            try:
                with open(path, "rb") as fh:
                    data = fh.read()
            except OSError:
                return None
        index = LineIndex(data)
        if len(self._cache) >= self.LIMIT:
            self._cache.pop(next(iter(self._cache)))
        self._cache[path] = (stamp, index)
        return index
