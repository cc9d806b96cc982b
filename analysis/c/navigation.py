"""Definition and references of C functions across the workspace (the front-end contract's
`definition` and `references`, analysis/frontend.py).

Why here and how: a C function is declared in a header and defined and called in any `.c` file;
nothing in the document says which. The summaries workspace (analysis/c/summaries.py) already
holds every indexed file parsed (the editor's open copies win over the disk), so a call elsewhere
is found there: files whose text holds the name are searched for call expressions whose callee is
that identifier (a comment or a string holding the name is not a call). The document asked about
is answered from its own check (its text may be newer than the index). A `static` function is
its file's own: its references stay in the file, and a file that defines its own `static`
function of the same name is not searched for another file's.
"""
from __future__ import annotations

import os
import re

from ..frontend import Checked, Location
from ..source import Span


def name_at(checked: Checked, calls, offset: int) -> str | None:
    """The function named under `offset`: a call's callee or a declared/defined function's name."""
    for c in calls:
        if c.head_span.start <= offset <= c.head_span.end:
            return c.callee
    for f in checked.parsed.functions:
        if f.name_span.start <= offset <= f.name_span.end:
            return f.name
    return None


def _workspace(checked: Checked, summaries):
    """(workspace, this document's absolute path) or (None, path)."""
    s = summaries if summaries is not None and hasattr(summaries, "workspace") else \
        getattr(checked.analysis, "summaries", None)
    path = checked.parsed.path
    path = os.path.abspath(path) if path else None
    ws = getattr(s, "workspace", None)
    return ws, path


def definition(checked: Checked, calls, offset: int, summaries) -> list[Location]:
    """The definition (here, or in the workspace file that has it) and the header declaration."""
    name = name_at(checked, calls, offset)
    if name is None:
        return []
    ws, here = _workspace(checked, summaries)
    own = [f for f in checked.parsed.functions if f.name == name]
    out = [Location(None, f.name_span) for f in own if f.body is not None]
    static = any(f.is_static for f in own)
    others = []
    if ws is not None:
        others = sorted(((p, f) for p, f in ws.by_name.get(name, ()) if p != here and not f.is_static),
                        key=lambda pf: pf[0])
        if not out and not static:
            d = next(((p, f) for p, f in others if f.body is not None), None)
            if d is not None:
                out.append(_there(ws, *d))
        if not static:
            seen = {(l.path, l.span) for l in out}
            for p, f in others:
                if f.body is None and p.endswith(".h") and (p, f.name_span) not in seen:
                    out.append(_there(ws, p, f))
                    seen.add((p, f.name_span))
    if here is not None and here.endswith(".h"):
        out += [Location(None, f.name_span) for f in own if f.body is None]
    if not out:
        out = [Location(None, f.name_span) for f in own][:1]
    return out


def references(checked: Checked, calls, offset: int, include_declaration: bool, summaries) -> list[Location]:
    """Every call of the function under `offset`: in this document, then in every other indexed
    file (by path); with `include_declaration`, its declarations and definitions first."""
    name = name_at(checked, calls, offset)
    if name is None:
        return []
    ws, here = _workspace(checked, summaries)
    own = [f for f in checked.parsed.functions if f.name == name]
    static = any(f.is_static for f in own)
    decls = [Location(None, f.name_span) for f in own]
    out = [Location(None, c.head_span) for c in calls if c.callee == name]
    if ws is not None and not static:
        for p in sorted(ws.files):
            if p == here:
                continue
            facts = ws.files[p]
            parsed = facts.parsed
            if any(f.name == name and f.is_static for f in parsed.functions):
                continue
            decls += [_there(ws, p, f) for f in parsed.functions if f.name == name and not f.spoiled]
            out += [Location(p, sp, facts.index) for sp in calls_in(parsed, name)]
    return decls + out if include_declaration else out


def calls_in(parsed, name: str) -> list[Span]:
    """Spans of the callee identifiers of the calls of `name` in a parsed file."""
    data = parsed.data
    tree = parsed.tree
    key = name.encode("utf-8", "replace")
    if tree is None or not key or key not in data:
        return []
    root = tree.root_node
    out = []
    for m in re.finditer(rb"(?<![A-Za-z0-9_])" + re.escape(key) + rb"(?![A-Za-z0-9_])", data):
        node = root.named_descendant_for_byte_range(m.start(), m.end())
        if node is None or node.type != "identifier" or node.start_byte != m.start() or node.end_byte != m.end():
            continue
        p = node.parent
        while p is not None and p.type == "parenthesized_expression":
            p = p.parent
        if p is None or p.type != "call_expression":
            continue
        fnode = p.child_by_field_name("function")
        if fnode is None or not (fnode.start_byte <= node.start_byte and node.end_byte <= fnode.end_byte):
            continue
        out.append(Span(node.start_byte, node.end_byte))
    return out


def _there(ws, path: str, fn) -> Location:
    facts = ws.files.get(path)
    return Location(path, fn.name_span, facts.index if facts is not None else None)
