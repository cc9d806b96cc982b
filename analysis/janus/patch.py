"""The keystroke fast path for Janus (FrontEnd.patch): an edit inside one top-level function's
body re-reads that function alone; the functions after it keep their records, moved by the
edit's delta (their bodies lazily, on first read: syntax.Function.body), and the unit check
(analysis/incremental.py) re-analyses only the edited function, the others' results reused.

Gives way (None: the full check) whenever the edit may reach past the function: it touches the
body's first or last token, the re-read text is not exactly one function of the same name and
signature ending where the old one ended (moved), the function gains or loses ownership syntax
(the file's ownership_syntax flag may change), or a top-level statement follows it."""
from __future__ import annotations

import dataclasses
import hashlib

from ..incremental import check_units
from ..source import LineIndex, Span
from . import check
from .check import JanusAnalysis
from .syntax import Module, Reader, TextTree, ownership_tokens, tokenize


def _moved(sp: Span | None, d: int) -> Span | None:
    return None if sp is None else Span(sp.start + d, sp.end + d)


def patch(front, session, previous, data: bytes, dirty, cache, lean: bool):
    m = previous.parsed
    if not isinstance(m, Module) or not isinstance(previous.analysis, JanusAnalysis) or dirty is None:
        return None
    if not dirty.leaves(m.data, data) or len(data) > check.MAX_BYTES:
        return None
    f = next((g for g in m.functions if g.container is None and g.has_body
              and g.span.start <= dirty.start and dirty.old_end <= g.span.end), None)
    if f is None:
        return None
    body = f.body
    if not (body.span.start + 2 < dirty.start and dirty.old_end < body.end.start and body.end.end > body.end.start):
        return None
    if any(st.span.start >= f.span.end for st in m.toplevel):
        return None
    d = dirty.delta
    end = f.span.end + d
    toks = tokenize(data, f.span.start, end)
    r = Reader(data, toks)
    alone = Module(m.path, data, m.index)
    try:
        r.declaration(alone, None)
    except RecursionError:
        return None
    if r.tok.kind != "eof" or len(alone.functions) != 1 or alone.decls or alone.toplevel or alone.profile:
        return None
    g = alone.functions[0]
    if (g.name, g.signature, g.ret, g.span) != (f.name, f.signature, f.ret, Span(f.span.start, end)) \
            or [(p.name, p.type_text, p.owned, p.ref) for p in g.params] \
            != [(p.name, p.type_text, p.owned, p.ref) for p in f.params]:
        return None
    if ownership_tokens(toks) != ownership_tokens(tokenize(m.data, f.span.start, f.span.end)):
        return None
    new = Module(m.path, data, LineIndex(data), profile=m.profile, ownership_syntax=m.ownership_syntax,
                 toplevel=list(m.toplevel))
    new.profile_span = m.profile_span if m.profile_span is None or m.profile_span.end <= f.span.start \
        else _moved(m.profile_span, d)
    new.digest = hashlib.sha1(data).hexdigest()
    new.tree = TextTree()
    for h in m.functions:
        if h is f:
            new.functions.append(g)
        elif h.span.start >= f.span.end:
            new.functions.append(dataclasses.replace(
                h, span=_moved(h.span, d), name_span=_moved(h.name_span, d),
                params=[dataclasses.replace(p, span=_moved(p.span, d)) for p in h.params],
                shift=h.shift + d))
        else:
            new.functions.append(h)
    for x in m.decls:
        if x.span.start >= f.span.end:
            x = dataclasses.replace(x, span=_moved(x.span, d), name_span=_moved(x.name_span, d),
                                    keyword=_moved(x.keyword, d))
        new.decls.append(x)
    ctx = check.begin(new, session.config.for_file(new.path), lean, lambda u: check_unit(u))
    return check_units(front, ctx, cache)


def check_unit(u):
    from ..frontend import Unit
    return Unit(*u)
