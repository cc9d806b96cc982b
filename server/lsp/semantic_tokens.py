"""Semantic tokens coloured by ownership: every binding occurrence as a variable or parameter
with its state at that point (owned, borrowed, moved, ...), every call head as a function.

Pure: a `Snapshot` in, LSP's relative token encoding out (UTF-16 columns, single-line tokens,
sorted, never overlapping).
"""
from __future__ import annotations

from lsprotocol import types

from custody.analysis.source import Position, Span

from .service import Snapshot

TOKEN_TYPES = ["variable", "parameter", "function"]
TOKEN_MODIFIERS = ["owned", "borrowed", "view", "moved", "maybeMoved", "dropped", "copy", "declaration"]
_TYPE = {t: i for i, t in enumerate(TOKEN_TYPES)}
_BIT = {m: 1 << i for i, m in enumerate(TOKEN_MODIFIERS)}
_STATE = {"owned": "owned", "borrowed": "borrowed", "view": "view", "copy": "copy", "moved": "moved",
          "maybe-moved": "maybeMoved", "dropped": "dropped",
          # explicit release (analysis/ownership/release.py)
          "transferred": "moved", "destroyed": "dropped", "maybe-owned": "maybeMoved"}
          # "unknown", "null", "arena" (region memory, live): no modifier


def legend() -> types.SemanticTokensLegend:
    """The legend the server announces; token indices below refer to it."""
    return types.SemanticTokensLegend(token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS))


def _raw_tokens(snap: Snapshot, within: tuple[int, int] | None = None) -> list[tuple[Span, int, int]]:
    """(byte span, type index, modifier bits) for every binding occurrence and call head
    (`within`: only of the functions overlapping that byte range, when the map can tell them
    apart without making the others' maps; the caller filters the tokens to the range)."""
    out = []
    lang, checked = snap.language, snap.result
    params = lang.parameters(checked)
    units = snap.model.units_in(*within) if within is not None else None
    functions = snap.model.functions if units is None else [m for m in (u.model for u in units) if m is not None]
    for f in functions:
        points = f.all_points()
        param_keys = {p.binding for p in points if p.is_definition and p.span in params}
        for p in points:
            bits = _BIT.get(_STATE.get(p.state, ""), 0)
            if p.is_definition:
                bits |= _BIT["declaration"]
            kind = "parameter" if p.binding in param_keys else "variable"
            out.append((p.span, _TYPE[kind], bits))
    for c in lang.calls(checked) if units is None else [c for u in units for c in u.calls]:
        out.append((c.head_span, _TYPE["function"], 0))
    for span in lang.function_names(checked):
        out.append((span, _TYPE["function"], _BIT["declaration"]))
    return out


def _positioned(snap: Snapshot, within: tuple[int, int] | None = None) -> list[tuple[int, int, int, int, int]]:
    """(line, UTF-16 start, UTF-16 length, type, modifiers), sorted, overlaps and multi-line dropped."""
    toks = []
    for span, ty, bits in _raw_tokens(snap, within):
        r = snap.index.range(snap.language.name_span(snap.data, span))
        if r.start.line != r.end.line or r.end.character <= r.start.character:
            continue
        toks.append((r.start.line, r.start.character, r.end.character - r.start.character, ty, bits))
    toks.sort()
    out: list[tuple[int, int, int, int, int]] = []
    for t in toks:
        if out and out[-1][0] == t[0] and t[1] < out[-1][1] + out[-1][2]:
            continue   # overlaps the previous token (the same occurrence recorded twice keeps the first)
        out.append(t)
    return out


def encode(toks) -> list[int]:
    """LSP's relative encoding: deltaLine, deltaStart (relative on the same line), length, type, modifiers."""
    data: list[int] = []
    line = col = 0
    for l, c, n, ty, bits in toks:
        data += [l - line, c - col if l == line else c, n, ty, bits]
        line, col = l, c
    return data


def semantic_tokens(snap: Snapshot) -> types.SemanticTokens:
    """All tokens of the document."""
    return types.SemanticTokens(data=encode(_positioned(snap)))


def semantic_tokens_range(snap: Snapshot, range: types.Range) -> types.SemanticTokens:
    """The tokens that start inside `range` (encoded relative to the first of them)."""
    lo = (range.start.line, range.start.character)
    hi = (range.end.line, range.end.character)
    within = (snap.index.offset(Position(*lo)), snap.index.offset(Position(*hi)))
    return types.SemanticTokens(data=encode([t for t in _positioned(snap, within) if lo <= (t[0], t[1]) < hi]))


def decode(data: list[int]) -> list[tuple[int, int, int, str, set[str]]]:
    """(line, start, length, type name, modifier names) per token: for tests and debugging."""
    out = []
    line = col = 0
    for i in range(0, len(data), 5):
        dl, dc, n, ty, bits = data[i:i + 5]
        line, col = line + dl, (col + dc if dl == 0 else dc)
        out.append((line, col, n, TOKEN_TYPES[ty], {m for m, b in _BIT.items() if bits & b}))
    return out
