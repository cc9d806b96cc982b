"""Open documents: their bytes, line index and syntax tree, kept in step with the client's edits.

LSP speaks UTF-16 positions; custody works on UTF-8 bytes. Each incremental change becomes a
byte edit applied to the text, the line index (only the edited stretch is rescanned) and the
last tree (`Tree.edit`), so the next parse reuses everything outside the edit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

from custody.analysis.languages import is_source
from custody.analysis.source import Dirty, LineIndex, Position


def uri_to_path(uri: str) -> str | None:
    p = urlparse(uri)
    if p.scheme != "file":
        return None
    return unquote(p.path)


def document_path(uri: str) -> str:
    """The path custody keys a document by: its file path, or the URI itself for unsaved buffers
    (`untitled:foo.x07t`). The extension decides the form, whatever languageId the client sent."""
    return uri_to_path(uri) or uri


def handles(uri: str) -> bool:
    return is_source(document_path(uri))


@dataclass
class ByteEdit:
    start: int
    old_end: int
    new_end: int
    start_point: tuple[int, int]      # (row, byte column), as tree-sitter wants
    old_end_point: tuple[int, int]
    new_end_point: tuple[int, int]


def _point(index: LineIndex, offset: int) -> tuple[int, int]:
    row = index.line_of(offset)
    return row, offset - index.start_of(row)


@dataclass
class Document:
    uri: str
    version: int
    data: bytes
    index: LineIndex = field(init=False)
    tree: object = None          # the last parsed tree, edited since to match `data`
    dirty: Dirty | None = None   # what the edits since that parse changed (None: nothing known)
    language_id: str | None = None   # the client's languageId (the file name decides first)

    def __post_init__(self):
        self.index = LineIndex(self.data)

    @property
    def path(self) -> str:
        return document_path(self.uri)

    def offset(self, line: int, character: int) -> int:
        """A client position -> byte offset (clamped into the document)."""
        return self.index.offset(Position(line, character))

    def replace_all(self, text: bytes, version: int) -> None:
        self.data = text
        self.index = LineIndex(text)
        self.tree = None
        self.dirty = None
        self.version = version

    def apply(self, start_pos: tuple[int, int], end_pos: tuple[int, int], new_text: str, version: int) -> ByteEdit:
        """Replace the range [start_pos, end_pos) (LSP line/character) with new_text."""
        start = self.offset(*start_pos)
        old_end = max(start, self.offset(*end_pos))
        inserted = new_text.encode("utf-8", errors="surrogatepass")
        old_index = self.index
        whole = memoryview(self.data)      # one copy of the text, not three (slices, then the sum)
        new_data = b"".join((whole[:start], inserted, whole[old_end:]))
        self.index = old_index.edited(start, old_end, inserted, new_data)
        edit = ByteEdit(start, old_end, start + len(inserted), _point(old_index, start),
                        _point(old_index, old_end), _point(self.index, start + len(inserted)))
        if self.tree is not None:
            self.dirty = Dirty(edit.start, edit.old_end, edit.new_end, self.data) if self.dirty is None \
                else self.dirty.then(edit.start, edit.old_end, edit.new_end)
            self.tree.edit(start_byte=edit.start, old_end_byte=edit.old_end, new_end_byte=edit.new_end,
                           start_point=edit.start_point, old_end_point=edit.old_end_point,
                           new_end_point=edit.new_end_point)
        self.data = new_data
        self.version = version
        return edit

    def adopt_tree(self, tree) -> None:
        """After a parse: later edits go to a copy, so the analysed tree stays as it was parsed."""
        self.tree = tree.copy() if tree is not None else None
        self.dirty = None
