"""A keystroke inside one C function's body, in time proportional to the function (issue 13).

The engine offers each check of an editor's document to the front-end's `patch` first, with the
previous answer (analysis/engine.py). Without it, every C keystroke walks every top-level node
of the file, moves every later function, rebuilds the document's summary table and revalidates
every unit: on a 20,000-line file that was ~50 ms a keystroke, growing with the file.

C's patch applies when the edit lies strictly inside the body of one analysed function
definition, the function parsed on its own (tree-sitter with that one included range) is one
error-free `function_definition` spanning exactly the old extent moved by the edit, its
prototype is unchanged, and its summary (what callers are checked against) is what it was.
Then only that function is read, looked up in the engine's cache or analysed again; the other
units keep their objects (`analysis.incremental.Segs`), the findings are spliced, and the
document's summary table is carried (`SummaryCarry`) with that one function's entry renewed.

What stays unbuilt until something reads it: the whole tree (`PendingTree`) and the document's
`ParsedC` (`LazyParsedC`: made from the last ParsedC built and the edits since, by the usual
incremental parse). The summary source used for the patch (`PatchSummaries`) knows the edited
function and carries every other summary; a lookup it cannot answer from what it carries (a
callee of this document never looked up before) makes the patch give way to the general path
while patching, and makes it build the whole document's table afterwards (hovers, navigation).

Why the one-function parse is the document's parse of that function: the text before and after
it is what it was, and in the previous tree a function definition (which ends with a `}` token
nothing can absorb) spanned the same place, so the lexer stands between tokens on both sides;
tree-sitter's C grammar keeps no symbol table (typedef names are not tracked), so an error-free
parse of the function alone is the node the whole document's parse has there. Its nodes carry
the document's byte offsets; their row/column points are not the document's, and nothing in the
C analysis reads them.
"""
from __future__ import annotations

import bisect
import dataclasses
import hashlib
import os

from ..frontend import Checked, Unit
from ..incremental import Segs, shift, spliced_findings
from ..ownership.model import UnitsOwnershipMap
from ..pending_tree import PendingTree, as_old_tree, parse_alone
from ..source import Dirty, LineIndex
from .check import CAnalysis, CheckContext, analyse_units, context_key, still_valid
from .lints import field_depths, suppressed
from .summaries import SummaryCarry, Summaries
from .syntax import MAX_BYTES, ParsedC, function_of, new_parser, parse


class _GiveWay(Exception):
    """The patch cannot answer from what it carries: the general path will."""


class LazyParsedC:
    """The ParsedC of `data`, made on first read from `base` (the last ParsedC made for this
    document) and `since` (what changed from base's text to `data`) by the usual incremental
    parse, which keeps what lies outside the change. `edited` is the function the last patch
    read (at its place in `data`)."""

    too_large = False

    def __init__(self, path: str, data: bytes, tree: PendingTree, base: ParsedC, since: Dirty, edited):
        self.path, self.data, self.tree = path, data, tree
        self.base, self.since, self.edited = base, since, edited
        self._made: ParsedC | None = None
        self._index: LineIndex | None = None

    def made(self) -> ParsedC:
        if self._made is None:
            self._made = parse(self.path, self.data, as_old_tree(self.tree), new_parser(), self.base, self.since)
        return self._made

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.data)
        return self._index

    def __getattr__(self, name):          # functions, structs, units, tops, definitions()
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.made(), name)


class PatchSummaries(Summaries):
    """The document's summary source after a patch: the summaries carried from the previous
    check (`memo`), the edited functions' own declarations (`local_of`), and the names of every
    function the document defines or declares (`names`). While patching, a lookup that needs
    another of this document's functions read afresh gives way; afterwards (hovers,
    navigation) it reads the whole document instead."""

    def __init__(self, workspace, path: str, parsed, memo: dict, names, local_of: dict, base_local: dict):
        self.workspace = workspace
        self.path = os.path.abspath(path)
        self.parsed = parsed
        self.config = workspace.configs.for_file(path)
        self._memo = memo
        self._busy = set()
        self.names = names
        self.local_of = local_of
        self.base_local = base_local       # the last full table's (for the next patch's prototypes)
        self.patching = True
        self._whole = None

    @property
    def _local(self):
        if self.patching:
            return self.local_of
        if self._whole is None:
            whole: dict = {}
            for fn in self.parsed.functions:
                if not fn.spoiled:
                    whole.setdefault(fn.name, []).append(fn)
            self._whole = whole
        return self._whole

    def _candidates(self, name: str, ctx):
        if self.patching and ctx == self.path and name in self.names and name not in self.local_of:
            raise _GiveWay(name)
        return super()._candidates(name, ctx)


class _Alone:
    """What the analysis of one function reads of its document: path, text and a tree holding
    the function's nodes."""

    __slots__ = ("path", "data", "tree")

    def __init__(self, path, data, tree):
        self.path, self.data, self.tree = path, data, tree


def _names(summaries) -> frozenset:
    return summaries.names if isinstance(summaries, PatchSummaries) else frozenset(summaries._local)


def _header(fn, at: int) -> tuple:
    return (fn.name, fn.name_span.start - at, fn.name_span.end - at, fn.ret_type, fn.ret_depth, fn.ret_const,
            fn.is_static, fn.variadic, tuple((p.name, p.ty, p.depth, p.const, p.fnptr,
                                              None if p.name_span is None else p.name_span.start - at)
                                             for p in fn.params))


def _previous_function(P, start: int, end: int):
    """The previous check's CFunction for the unit now at [start, end) of P.data (with the offset
    to add to its spans to place it there), or None."""
    if isinstance(P, LazyParsedC):
        e = P.edited
        if e is not None and e.span.start == start and e.span.end == end:
            return e, 0
        if P._made is not None:
            base, since = P._made, None
        else:
            base, since = P.base, P.since
    else:
        base, since = P, None
    at = start
    if since is not None:
        if end <= since.start:
            at = start
        elif start >= since.new_end:
            at = start - since.delta
        else:
            return None
    tops = base.tops
    k = bisect.bisect_left(tops, at, key=lambda t: t[0])
    if k >= len(tops) or tops[k][0] != at or tops[k][1] - at != end - start:
        return None
    fn = tops[k][2]
    if fn is None or fn.body is None or fn.spoiled:
        return None
    return fn, start - at


def _renewed_keys(keys: dict, name: str, old_key, new_key) -> dict | None:
    row = keys.get(name)
    if row is None or row.count(old_key) != 1:
        return None
    out = dict(keys)
    out[name] = tuple(new_key if k == old_key else k for k in row)
    return out


def patch(front, session, prev: Checked, data: bytes, old_tree, dirty, cache, lean: bool):
    if lean or old_tree is None or dirty is None:
        return None
    P, A = prev.parsed, prev.analysis
    if not isinstance(A, CAnalysis) or P.path is None or P.too_large or len(data) > MAX_BYTES:
        return None
    if not isinstance(P, (ParsedC, LazyParsedC)) or not dirty.leaves(P.data, data):
        return None
    path = P.path
    carry = session.last.get(path)
    prev_summaries = getattr(A, "summaries", None)
    if carry is None or prev_summaries is None:
        return None
    units = Segs.of(A.units)
    held = units.holding(dirty)
    if held is None:
        return None
    seg, j, u, start, end = held
    # the document's own findings (syntax errors elsewhere: tree-sitter reads some valid macro
    # uses as errors) stay as they were, moved, unless the edit changes the lines they name
    lines_moved = P.data.count(b"\n", dirty.start, dirty.old_end) != data.count(b"\n", dirty.start, dirty.new_end)
    if any(start <= f.span.start < end or (lines_moved and f.span.start >= end) for f in A.document):
        return None
    found = _previous_function(P, start, end)
    if found is None:
        return None
    old_fn, d = found
    body_start, body_end = old_fn.body.start_byte + d, old_fn.body.end_byte + d
    if not (body_start < dirty.start and dirty.old_end < body_end):
        return None
    delta = dirty.delta
    new_end = end + delta
    alone = parse_alone(session.alone_parser, data, start, new_end, "function_definition")
    if alone is None:
        return None
    sub, node = alone
    fn = function_of(data, node)
    if fn is None or fn.spoiled or fn.body is None or _header(fn, start) != _header(old_fn, start - d):
        return None
    fn = dataclasses.replace(fn, doc=old_fn.doc)      # the comment above it is where it was
    ws = session.refreshed(path)          # (another file changed: its generation moved)
    config = ws.configs.for_file(path)
    if carry.generation != ws.generation or carry.config != config:
        return None
    if isinstance(prev_summaries, PatchSummaries):
        base_local = prev_summaries.base_local
        old_list = prev_summaries.local_of.get(fn.name) or base_local.get(fn.name)
    else:
        base_local = prev_summaries._local
        old_list = base_local.get(fn.name)
    if not old_list or sum(1 for f in old_list if f.body is not None) != 1:
        return None
    new_list = [fn if f.body is not None else f for f in old_list]
    digest = hashlib.blake2b(data[start:new_end], digest_size=16).digest()
    unit_key = ("c", fn.name, digest)
    (old_unit_key, _ckey) = u.key
    keys = _renewed_keys(carry.keys, fn.name, old_unit_key, unit_key)
    if keys is None:
        return None
    tree = PendingTree(as_old_tree(old_tree), data, lambda: session.whole_parser)
    if isinstance(P, LazyParsedC) and P._made is None:
        base, since = P.base, P.since.then(dirty.start, dirty.old_end, dirty.new_end)
    else:
        base = P._made if isinstance(P, LazyParsedC) else P
        since = Dirty(dirty.start, dirty.old_end, dirty.new_end, base.data)
    parsed = LazyParsedC(path, data, tree, base, since, fn)
    memo = dict(carry.memo)
    was = memo.pop((fn.name, os.path.abspath(path)), None)
    summaries = PatchSummaries(ws, path, parsed, memo, _names(prev_summaries), {fn.name: new_list}, base_local)
    # a patch changes no struct: the fields' pointer depths are the previous check's
    summaries.field_depths = field_depths(prev_summaries)
    unit = Unit(fn.name, "function", fn.span, fn.name_span, unit_key)
    # the function's analysis reads the tree around its own nodes only: the one-function tree
    view = _Alone(path, data, sub)
    ctx = CheckContext(view, summaries, False, [], {fn.span: fn}, [unit], carry.stood, carry.stood)
    try:
        if was is None or summaries.lookup(fn.name) != was:
            return None                 # callers are checked against its summary: all of them again
        key = (unit_key, context_key(ctx))
        hit = cache.get(key)
        analysed = 0
        if hit is not None and still_valid(ctx, hit[2]):
            result = hit[1].moved_by(start - hit[0])
        else:
            result, deps = analyse_units(ctx, [unit])[0]
            result.span, result.key = fn.span, key
            cache.put(key, (start, result, deps))
            analysed = 1
    except _GiveWay:
        return None
    finally:
        summaries.patching = False
    functions = units.replaced(seg, j, result, delta)
    inside = suppressed(data, list(result.findings), None)
    out = CAnalysis(findings=spliced_findings(A.findings, start, end, inside, delta), units=functions,
                    document=[f if f.span.start < start else shift(f, delta) for f in A.document])
    out.model = UnitsOwnershipMap(functions)
    out.reused, out.analysed = len(functions) - analysed, analysed
    out.summaries = summaries
    session.last[path] = SummaryCarry(ws.generation, config, keys, memo, carry.stood)
    session.parsed.pop(path, None)
    session.parsed[path] = parsed
    return Checked(front, parsed, out, out.findings, out.model, tree)
