"""Random edit sessions for the tests that compare an incrementally analysed document with a
fresh check of the same text (the parse reuse of the front-ends, the keystroke fast paths of
X07, C, Kea and Janus), and one document open in an editor for the tests of a single keystroke."""
from __future__ import annotations

from lsprotocol import types

from custody.analysis.engine import Engine
from custody.analysis.pending_tree import whole
from custody.lsp.service import Service


def position(text: str, offset: int) -> types.Position:
    """The LSP position (UTF-16 columns) of a character offset."""
    line = text.count("\n", 0, offset)
    col = offset - (text.rfind("\n", 0, offset) + 1)
    return types.Position(line, len(text[offset - col:offset].encode("utf-16-le")) // 2)


def change(text: str, start: int, end: int, new: str) -> types.TextDocumentContentChangePartial:
    """The incremental change replacing text[start:end] by `new`."""
    return types.TextDocumentContentChangePartial(
        range=types.Range(position(text, start), position(text, end)), text=new)


def edit_session(svc, uri: str, text: str, rnd, pieces, steps: int, lengths, language_id=None):
    """Opens `text` in `svc`, applies `steps` random edits (a piece of `pieces` or nothing over a
    stretch of one of `lengths`), and after most of them (not all: several edits may come before
    an analysis) yields (step, the text now, its snapshot)."""
    svc.open(uri, 1, text, language_id)
    svc.snapshot(uri)
    for step in range(steps):
        start = rnd.randrange(len(text) + 1)
        end = min(len(text), start + rnd.choice(lengths))
        new = rnd.choice(pieces) if rnd.random() < 0.8 else ""
        svc.change(uri, step + 2, [change(text, start, end, new)])
        text = text[:start] + new + text[end:]
        if rnd.random() < 0.3:
            continue
        yield step, text, svc.snapshot(uri)


def tree_shape(tree) -> list:
    """Every node of a tree-sitter tree with its byte extent, in document order (to compare a
    postponed or one-range parse with a fresh one)."""
    out, stack = [], [tree.root_node]
    while stack:
        n = stack.pop()
        out.append((n.type, n.start_byte, n.end_byte, n.has_error))
        stack.extend(reversed(n.children))
    return out


def counting_patches(monkeypatch, module) -> list:
    """Wraps `module.patch` (a front-end's keystroke fast path): the list it returns records, per
    call, whether the fast path answered."""
    taken = []
    real = module.patch

    def counting(*a, **k):
        r = real(*a, **k)
        taken.append(r is not None)
        return r

    monkeypatch.setattr(module, "patch", counting)
    return taken


# ---- typing sessions: a person typing into a document, every analysis against a fresh check ----

class Editor:
    """One document open in its own Service and analysed once (`opened`), as an editor opens it."""

    def __init__(self, uri: str, text: str, language_id=None):
        self.svc, self.uri = Service(), uri
        self.doc = self.svc.open(uri, 1, text, language_id)
        self.opened = self.svc.snapshot(uri)

    def change(self, start: int, end: int, new: str) -> None:
        """Replaces [start, end) of the document's text by `new`: the next version, not analysed."""
        text = self.doc.data.decode("utf-8", errors="replace")
        self.svc.change(self.uri, self.doc.version + 1, [change(text, start, end, new)])

    def snapshot(self):
        return self.svc.snapshot(self.uri)

    def type(self, start: int, end: int, new: str):
        """One change, then the analysis of the text it makes (the snapshot)."""
        self.change(start, end, new)
        return self.snapshot()


def typing_session(editor: Editor, rnd, rounds: int, pick):
    """`rounds` times one to three edits (most often one) of the editor's document, then an
    analysis: yields (round, the snapshot, a fresh check of the snapshot's text).

    An edit takes back the last remembered one (0.6 of the time, while `undo` holds one), else
    it is `pick(rnd, text, undo)`: (start, end, new text), remembering in `undo` how to take back
    what should not stay (an edit that breaks the syntax)."""
    undo: list[tuple[int, int, str]] = []
    for step in range(rounds):
        for _ in range(rnd.choice([1, 1, 1, 2, 3])):
            text = editor.doc.data.decode("utf-8", errors="replace")
            editor.change(*(undo.pop() if undo and rnd.random() < 0.6 else pick(rnd, text, undo)))
        snap = editor.snapshot()
        yield step, snap, Engine().check(snap.path, snap.data)


def typing(*choices, breaking):
    """A `pick` for typing_session: one draw r; the first of `choices`, (bound, pick(rnd, text)),
    with r < bound makes the edit; past the last bound, a piece of `breaking` anywhere (replacing
    up to 3 characters), remembered to be taken back."""
    def pick(rnd, text, undo):
        r = rnd.random()
        for bound, choice in choices:
            if r < bound:
                return choice(rnd, text)
        at = rnd.randint(0, len(text))
        end = min(len(text), at + rnd.choice([0, 1, 3]))
        new = rnd.choice(breaking)
        undo.append((at, at + len(new), text[at:end]))
        return at, end, new
    return pick


def statement_at(prefix: str, statements, into: int | None = None, before_letter: bool = True):
    """A choice typing one of `statements` `into` characters (all of it by default) into a place
    where `prefix` stands (and, with `before_letter`, a letter follows it); at 0 where none does."""
    into = len(prefix) if into is None else into

    def choice(rnd, text):
        starts = [i + into for i in range(len(text) - into) if text.startswith(prefix, i)
                  and (not before_letter or text[i + into:i + into + 1].isalpha())] or [0]
        at = rnd.choice(starts)
        return at, at, rnd.choice(statements)
    return choice


def after_digits(text: str) -> list[int]:
    """The offset after each digit of a text."""
    return [i + 1 for i in range(len(text)) if text[i].isdigit()]


def within(word: str, into: int):
    """The offsets `into` characters into each `word` of a text."""
    return lambda text: [i + into for i in range(len(text)) if text.startswith(word, i)]


def typed_into(sites, pieces):
    """A choice typing one of `pieces` at one of `sites(text)` (at 0 where there is none)."""
    def choice(rnd, text):
        piece = rnd.choice(pieces)
        places = sites(text)
        at = rnd.choice(places) if places else 0
        return at, at, piece
    return choice


def either(p: float, first, second):
    """A choice that is `first` with probability p, else `second`."""
    return lambda rnd, text: (first if rnd.random() < p else second)(rnd, text)


def same_as_fresh(snap, fresh, rnd) -> list[int]:
    """The snapshot's findings are the fresh check's (with their related locations, fixes and
    messages), and so is the ownership map at 12 offsets drawn from `rnd`, which it returns."""
    assert snap.findings == fresh.findings
    for f, g in zip(snap.findings, fresh.findings):
        assert f.related == g.related and f.fixes == g.fixes and f.message == g.message
    n = len(snap.data)
    offsets = [rnd.randint(0, n) for _ in range(12)]
    for o in offsets:
        assert snap.model.point_at(o) == fresh.model.point_at(o), o
    return offsets


def same_tree(snap, fresh) -> None:
    """The snapshot's tree (a postponed or one-range parse made whole) is a fresh parse's."""
    assert tree_shape(whole(snap.result.tree)) == tree_shape(whole(fresh.tree))

