"""Fixes for Kea findings, as text edits:

- K4 (a `borrow` parameter consumed): take the parameter by value (remove `borrow `); callers
  then move their argument, so the fix is offered, never applied by `--fix`.
- K3 (a read at a borrow position after a move in an earlier statement of the same block): move the statement of
  the use above the statement of the move, when it reads no name bound in between (not safe:
  the order of effects changes).

- K2 (a use after a move into a call of a function of this file): pass by `borrow` — declare
  the callee's parameter `borrow`, when it is not a `Unique` parameter (auto-borrow (K9) already
  makes `borrow` every `Unique` parameter whose body does not consume it, so one that is not
  `borrow` is consumed) and not `borrow` yet. A parameter of a type variable (`x: a`) takes a
  `Unique` argument by move; written `borrow`, the caller only lends it. The edit lies in
  another function than the finding, so it is attached for the whole document at once
  (`pass_by_borrow`), not with the function's own fixes.
"""
from __future__ import annotations

from ..findings import Edit, Fix
from ..source import Span
from . import codes as C
from .lower import free_occurrences, pattern_names
from .module import text


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


BORROW_FIX = "pass `{name}` by `borrow`"


def is_borrow_fix(fix) -> bool:
    return fix.title.startswith("pass `") and " by `borrow` (declare " in fix.title


def pass_by_borrow(findings, module, borrow: dict) -> None:
    """Attaches the K2 findings' "pass by `borrow`" fix (see the module's doc). `module`: the
    document's records at their place; `borrow`: its functions' borrow positions."""
    root = module.tree.root_node
    for f in findings:
        targets = borrow_targets(f, root, module, borrow)
        if not targets:
            continue
        name = f.message.split("`")[1]
        edits, callees = [], []
        for fn, p in targets:
            if (fn.name, p.name) not in callees:
                callees.append((fn.name, p.name))
                edits.append(Edit(Span(p.span.start, p.span.start), "borrow "))
        if edits:
            who = ", ".join(f"`{n}`'s parameter `{p}`" for n, p in callees)
            f.fixes.append(Fix(BORROW_FIX.format(name=name) + f" (declare {who} `borrow`)", tuple(edits)))


def borrow_targets(f, root, module, borrow: dict) -> list:
    """The (callee, parameter) pairs to declare `borrow` for a K2 finding's fix: one per call
    that moved the value, all of them parameters that could be `borrow`; [] when any cannot."""
    if f.code != C.K2:
        return []
    out = []
    for r in f.related:
        if r.message != "value was moved here" or r.path is not None:
            continue
        target = _lent_instead(root.descendant_for_byte_range(r.span.start, r.span.end), module, borrow)
        if target is None:
            return []
        out.append(target)
    return out


def _lent_instead(node, module, borrow: dict):
    """(callee, parameter) when `node` is a bare argument of a call of this file's function at a
    parameter that could be `borrow` (see the module's doc), else None."""
    if node is None or node.type != "identifier":
        return None
    args = node.parent
    if args is None or args.type != "argument_list":
        return None
    call = args.parent
    fnode = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
    if fnode is None or fnode.type != "identifier":
        return None
    fn = module.function(text(fnode))
    if fn is None or fn.body is None:
        return None
    index = [c.id for c in args.named_children if c.type != "comment"].index(node.id)
    if index >= len(fn.params):
        return None
    p = fn.params[index]
    if p.name is None or p.span is None or p.borrow or p.unique or index in borrow.get(fn.name, ()):
        return None
    return fn, p


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
