"""A keystroke inside one top-level Janus function's body, in time proportional to the function
(the fast path the engine offers an editor's document first: FrontEnd.patch).

Without it every keystroke reparses the whole document incrementally, reads every function's
header again, digests every signature and looks every unit up in the cache: on a 10,000-line file
that grows with the file. With it:

- the function is parsed alone (tree-sitter with that one included range: `parse_alone`) and
  must come out as one error-free `function_declaration` spanning exactly its old extent moved by
  the edit, with the same header (name, signature, parameters, return type) and the same answer
  to "does it hold ownership syntax" (the file's `ownership_syntax` flag, part of the context
  key, could change otherwise);
- only it is analysed (or found in the engine's cache); the context key is the previous check's
  (same signatures, profile, ownership syntax; the J3 setting read again);
- the later functions keep their records, moved by the edit's delta when read
  (`Module.fsegs`, an `analysis.incremental.Segs`; their bodies are converted only if something
  reads them), as do the units' results; the findings are spliced; the whole tree is reparsed
  only when something reads it (`analysis.pending_tree.PendingTree`).

Why the one-function parse is the document's parse of that function: the grammar has no
external scanner and no conflicts, the text around the function is what it was, and in the
previous tree an error-free function declaration (which ends with its body's `end`/`}`, a token
nothing after it can extend) spanned the same place, so the parser is at the start of a
top-level statement on entering it and reduces it at its last token either way.

It gives way (None: the general path) when the edit is not strictly inside the body (between the
opening `do`/`{` and the closing `end`/`}`), when the function is not a top-level one with a body
and no syntax error, when any of the above does not hold, when a top-level statement follows the
function (their records are not moved), when the edit changes the line count and a syntax
error is reported after the function (its message names lines), or when a finding has a fix
made from the whole document (fixes.with_allocators: "make allocator explicit" edits callers).
"""
from __future__ import annotations

from ..frontend import Checked, Unit
from ..incremental import Segs, spliced_findings
from ..ownership.model import UnitsOwnershipMap
from ..pending_tree import PendingTree, as_old_tree, parse_alone
from ..source import Span
from ..syntax_errors import SYNTAX
from . import check
from .check import JanusAnalysis, JanusContext, context_key
from .lower import Settings
from .syntax import MAX_BYTES, Module, function_of, ownership_nodes


def patch(front, session, previous: Checked, data: bytes, old_tree, dirty, cache, lean: bool):
    m, a = previous.parsed, previous.analysis
    if lean or old_tree is None or dirty is None or len(data) > MAX_BYTES:
        return None
    if not isinstance(m, Module) or not isinstance(a, JanusAnalysis) or a.settings is None:
        return None
    if not dirty.leaves(m.data, data):
        return None
    units = Segs.of(a.units)
    held = units.holding(dirty)
    if held is None:
        return None
    seg, j, unit, start, end = held
    found = _function_at(m, start)
    if found is None:
        return None
    fseg, fj, f = found
    if f.span != (start, end) or f.container is not None or not f.top or f.broken:
        return None
    inside = f.body_interior()
    if inside is None or not (inside[0] < dirty.start and dirty.old_end < inside[1]):
        return None
    if any(st.span[0] >= end for st in m.toplevel):
        return None
    lines_moved = m.data.count(b"\n", dirty.start, dirty.old_end) != data.count(b"\n", dirty.start, dirty.new_end)
    if lines_moved and any(x.code == SYNTAX and x.span[0] >= end for x in a.document):
        return None
    delta = dirty.delta
    alone = parse_alone(session.parser("alone"), data, start, end + delta, "function_declaration")
    if alone is None:
        return None
    sub, node = alone
    g = function_of(node, data, None, True)
    if g is None or g.header != f.header or g.name_span != f.name_span \
            or [p.span for p in g.params] != [p.span for p in f.params]:
        return None
    g.owns = bool(ownership_nodes(sub.root_node))
    if g.owns != f.owns:
        return None

    new = _patched_module(m, data, fseg, fj, f, g, delta, PendingTree(as_old_tree(old_tree), data,
                                                                       lambda: session.parser("whole")))
    old = a.settings
    settings = Settings(old.profile, old.ownership_syntax, session.config.for_file(m.path).borrows)
    key = context_key(a.signatures, settings, False)
    ctx = JanusContext(new, False, [], settings, [], {start: g}, key, a.signatures)
    u = Unit(g.name, "function", g.span, g.name_span, g.digest)
    ckey = (u.key, key)
    hit = cache.get(ckey)
    analysed = 0
    if hit is not None:
        result = hit[1].moved_by(start - hit[0])
    else:
        result, deps = check.analyse_units(ctx, [u])[0]
        result.span, result.key = g.span, ckey
        cache.put(ckey, (start, result, deps))
        analysed = 1
    if any(r.kind == "explicit_allocator" for x in (result.findings, a.findings) for f in x for r in f.fix_requests):
        return None        # "make allocator explicit" edits its callers too: made for the whole document
    replaced = units.replaced(seg, j, result, delta)
    out = JanusAnalysis(findings=spliced_findings(a.findings, start, end, list(result.findings), delta),
                        units=replaced, reused=len(replaced) - analysed, analysed=analysed,
                        document=spliced_findings(a.document, start, end, [], delta), signatures=a.signatures,
                        settings=settings)
    out.model = UnitsOwnershipMap(replaced)
    return Checked(front, new, out, out.findings, out.model, new.tree)


def _function_at(m: Module, start: int):
    """(segment, base index, record at its place) of the function of `m` starting at `start`."""
    loc = m.fsegs.locate(start)
    if loc is None:
        return None
    _, seg, j, d = loc
    f = m.fsegs.segs[seg][0][j]
    return seg, j, f.moved_by(d)


def _patched_module(m: Module, data: bytes, seg: int, j: int, f, g, delta: int, tree) -> Module:
    """m's records with f replaced by g (at its place) and what follows it moved by delta."""
    new = Module(m.path, data, tree)
    new.fsegs = m.fsegs.replaced(seg, j, g, delta)
    end = f.span[1]
    new.decls = [x.moved_by(delta) if x.span[0] >= end else x for x in m.decls]
    new.profile = m.profile
    new.profile_span = m.profile_span if m.profile_span is None or m.profile_span[0] < end \
        else Span(m.profile_span[0] + delta, m.profile_span[1] + delta)
    new.ownership_syntax = m.ownership_syntax
    new.toplevel = m.toplevel
    base = m.fsegs.segs[seg][0][j]
    named = dict(m.named_table())
    named[g.name] = [g if x is base else x for x in named.get(g.name, ())]
    new.set_named(named)
    return new
