"""Fix requests -> text edits valid in the file's own source form (x07text or JSON)."""
from __future__ import annotations

from ..findings import Edit, Finding, Fix
from ..ownership.fixes import FixRequest
from ..ownership.ir import FunctionIR
from ..source import Span
from .render import renderer
from .types import base
from .values import Value


def _path_to(root: Value, span: Span) -> list[Value]:
    """Values from root down to the one with exactly this span (empty if none)."""
    path = [root]
    node = root
    while node.span != span:
        nxt = None
        for child in node.items + [e.value for e in node.entries]:
            if child.span.covers(span):
                nxt = child
                break
        if nxt is None:
            return []
        path.append(nxt)
        node = nxt
    return path


def _names_in(v: Value) -> set[str]:
    out, stack = set(), [v]
    while stack:
        x = stack.pop()
        if x.kind == "str":
            out.add(x.value)
        stack.extend(x.items)
    return out


def _fresh(base_name: str, taken: set[str]) -> str:
    name, i = base_name, 1
    while name in taken:
        i += 1
        name = f"{base_name}{i}"
    return name


class FixRenderer:
    def __init__(self, form: str, body: Value, fn: FunctionIR):
        self.form = form
        self.r = renderer(form)
        self.body = body
        self.fn = fn
        self.sep = " " if form == "x07text" else ","

    def open_list(self, head: str) -> str:
        return f"({head} " if self.form == "x07text" else f'["{head}",'

    def close_list(self) -> str:
        return ")" if self.form == "x07text" else "]"

    def render(self, finding: Finding):
        for req in finding.fix_requests:
            fix = getattr(self, "fix_" + req.kind, lambda r: None)(req)
            if fix is not None:
                finding.fixes.append(fix)
        if finding.fixes and not any(f.preferred for f in finding.fixes):
            first = finding.fixes[0]
            finding.fixes[0] = Fix(first.title, first.edits, first.safe, True)

    def _local_ty(self, name: str) -> str | None:
        for loc in self.fn.locals:
            if loc.name == name:
                return loc.ty
        return None

    def fix_copy_before_move(self, req: FixRequest):
        if base(self._local_ty(req.name)) != "bytes" or "@" in (self._local_ty(req.name) or ""):
            return None  # a view copy yields plain bytes: only a drop-in for plain bytes
        copy = self.r(["view.to_bytes", ["bytes.view", req.name]])
        edits = tuple(Edit(s, copy) for s in (req.span, *req.extra))
        where = "before the move" if len(edits) == 1 else f"before each of its {len(edits)} moves"
        return Fix(f'copy "{req.name}" {where}: {copy}', edits, safe=True)

    def fix_use_view_lit(self, req: FixRequest):
        path = _path_to(self.body, req.extra[0])
        if not path or path[-1].kind != "str":
            return None
        text = self.r(["bytes.view_lit", path[-1].value])
        return Fix(f"use bytes.view_lit: {text}", (Edit(req.span, text),), safe=True, preferred=True)

    def _statement_anchor(self, span: Span) -> Value:
        """The expression to put a new `let` in front of: the enclosing begin's statement, or the body."""
        path = _path_to(self.body, span)
        for i in range(len(path) - 1, 0, -1):
            parent = path[i - 1]
            if parent.head in ("begin", "unsafe") and path[i] is not parent.items[0]:
                return path[i]
        return self.body

    def _wrap_with_let(self, anchor: Value, name: str, value_text: str, inner: list[Edit], title: str, safe: bool):
        let = f"{self.open_list('let')}{self.r(name)}{self.sep}{value_text}{self.close_list()}"
        path = _path_to(self.body, anchor.span)
        in_begin = len(path) >= 2 and path[-2].head in ("begin", "unsafe") and anchor is not self.body
        if in_begin:
            edits = [Edit(Span(anchor.span.start, anchor.span.start), let + self.sep)] + inner
        else:
            edits = ([Edit(Span(anchor.span.start, anchor.span.start), self.open_list("begin") + let + self.sep)]
                     + inner + [Edit(Span(anchor.span.end, anchor.span.end), self.close_list())])
        return Fix(title, tuple(edits), safe=safe)

    def fix_bind_with_let(self, req: FixRequest):
        path = _path_to(self.body, req.span)
        if not path:
            return None
        temp = path[-1]
        name = _fresh("tmp", _names_in(self.body))
        anchor = self._statement_anchor(req.extra[0])
        value_text = self.r(temp.to_python())
        return self._wrap_with_let(anchor, name, value_text, [Edit(temp.span, self.r(name))],
                                   f'bind the temporary with let "{name}" first', safe=False)

    def fix_view_copy_for_if(self, req: FixRequest):
        path = _path_to(self.body, req.span)
        if not path:
            return None
        if_v = path[-1]
        name = _fresh(f"{req.name}_copy", _names_in(self.body))
        copy = self.r(["view.to_bytes", ["bytes.view", req.name]])
        inner = [Edit(s, self.r(name)) for s in req.extra]
        return self._wrap_with_let(if_v, name, copy, inner,
                                   f'insert a view copy: borrow "{name}" in the condition instead of "{req.name}"',
                                   safe=True)

    def fix_end_borrow_early(self, req: FixRequest):
        """Wrap the borrowing lets (and the statements up to the conflict) in their own begin."""
        holders = [self.fn.local(h) for h in req.extra]
        path = _path_to(self.body, req.span)
        for i in range(len(path) - 1, 0, -1):
            blk = path[i - 1]
            if blk.head not in ("begin", "unsafe"):
                continue
            stmts = blk.items
            conflict_idx = next((k for k, s in enumerate(stmts) if s is path[i]), None)
            if conflict_idx is None:
                continue
            let_idx = [k for k, s in enumerate(stmts[:conflict_idx])
                       if s.head == "let" and len(s.items) > 1 and any(s.items[1].span == h.span for h in holders)]
            if len(let_idx) != len(holders) or not let_idx:
                return None
            first, last = min(let_idx), conflict_idx - 1
            declared = {s.items[1].value for s in stmts[first:last + 1]
                        if s.head == "let" and len(s.items) > 1 and s.items[1].kind == "str"}
            later = set()
            for s in stmts[last + 1:]:
                later |= _names_in(s)
            if declared & later:
                return None   # a binding inside is still needed after the conflict
            a, b = stmts[first], stmts[last]
            edits = (Edit(Span(a.span.start, a.span.start), self.open_list("begin")),
                     Edit(Span(b.span.end, b.span.end), self.close_list()))
            names = ", ".join(f'"{h.name}"' for h in holders)
            return Fix(f"end the borrow early: scope {names} in its own begin", edits, safe=False)
        return None
