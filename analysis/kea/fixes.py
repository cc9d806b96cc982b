"""Fixes for Kea findings, as text edits:

- K4 (a `borrow` parameter consumed): take the parameter by value (remove `borrow `); callers
  then move their argument, so the fix is offered, never applied by `--fix`.
- K3 (a read at a borrow position after a move in an earlier statement of the same block): move the statement of
  the use above the statement of the move, when it reads no name bound in between (not safe:
  the order of effects changes).

"Pass by `borrow`" is not offered: Kea infers `borrow` for every `Unique` parameter whose body
does not consume it (K9), so writing it changes nothing custody or Kea would report.
"""
from __future__ import annotations

from ..findings import Edit, Fix
from ..source import Span
from . import codes as C
from .lower import free_occurrences, pattern_names
from .module import span, text


def render(findings, module) -> None:
    """Attaches the fixes of these findings (a function's, as analysed: the edits lie in it)."""
    for f in findings:
        if f.code == C.K4:
            fix = _unborrow(f, module)
        elif f.code == C.K3:
            fix = _reorder(f, module)
        else:
            fix = None
        if fix is not None:
            f.fixes.append(fix)


def _unborrow(f, module):
    name = f.message.split("`")[1]
    for fn in module.functions:
        if not fn.span.covers(f.span):
            continue
        plist = fn.node.child_by_field_name("parameters")
        for p in (plist.named_children if plist is not None else []):
            pat = p.child_by_field_name("pattern")
            mod = p.child_by_field_name("modifier")
            if mod is not None and pat is not None and text(pat) == name:
                end = mod.end_byte
                data = module.data
                while end < len(data) and data[end:end + 1] in (b" ", b"\t"):
                    end += 1
                return Fix(f"take `{name}` by value (remove `borrow`)", (Edit(Span(mod.start_byte, end), ""),))
    return None


def _statement_of(node):
    """The statement (child of a block) holding `node`, and that block."""
    while node.parent is not None:
        if node.parent.type == "block":
            return node, node.parent
        node = node.parent
    return None, None


def _reorder(f, module):
    moved_at = [r.span for r in f.related if r.message == "value was moved here"]
    if not moved_at:
        return None
    root = module.tree.root_node
    use = root.descendant_for_byte_range(f.span.start, f.span.end)
    move = root.descendant_for_byte_range(moved_at[0].start, moved_at[0].end)
    if use is None or move is None:
        return None
    s2, b2 = _statement_of(use)
    s1, b1 = _statement_of(move)
    if s1 is None or s2 is None or b1 is None or b1.id != b2.id or s1.start_byte >= s2.start_byte:
        return None
    stmts = [c for c in b1.named_children if c.type != "comment"]
    if s2.id == stmts[-1].id:          # the block's value: it must stay last
        return None
    bound = set()
    for s in stmts:
        if s.start_byte >= s1.start_byte and s.start_byte < s2.start_byte and s.type == "let_expression":
            p = s.child_by_field_name("pattern")
            if p is not None:
                bound |= set(pattern_names(p))
    used: dict = {}
    free_occurrences(s2, set(), used)
    if bound & set(used):
        return None
    data = module.data
    line1 = data.rfind(b"\n", 0, s1.start_byte) + 1
    line2 = data.rfind(b"\n", 0, s2.start_byte) + 1
    end2 = data.find(b"\n", s2.end_byte)
    end2 = len(data) if end2 < 0 else end2 + 1
    if data[line1:s1.start_byte].strip() or data[line2:s2.start_byte].strip():
        return None
    line_text = data[line2:end2].decode("utf-8")
    if not line_text.endswith("\n"):
        line_text += "\n"
    # (no line number in the title: a result kept for an unchanged function is moved, not
    # rendered again, when lines are added above it)
    return Fix(f"use `{f.message.split('`')[1]}` before it is moved (move this line above the one that moves it)",
               (Edit(Span(line1, line1), line_text), Edit(Span(line2, end2), "")))
