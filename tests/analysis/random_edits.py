"""Random edit sessions for the tests that compare an incrementally analysed document with a
fresh check of the same text (the parse reuse of both front-ends, the keystroke fast path)."""
from __future__ import annotations

from lsprotocol import types


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
