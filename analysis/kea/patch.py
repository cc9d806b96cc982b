"""A keystroke inside one Kea function's body, in time proportional to the function.

The engine offers each check of an editor's document to `patch` first (analysis/engine.py).
Without it every keystroke reparses the whole document (tree-sitter's incremental reparse grows
with the declaration list), reads every declaration again and re-runs auto-borrow's module-wide
fixpoint: on a 10,000-line file that was 170-250 ms a keystroke.

The patch applies when the edit lies strictly inside the body of one analysed top-level
function that has a body, the module declares no `@fip` function (K12 reads every function's
flow), the function parsed on its own (tree-sitter with that one included range; the layout
scanner starts at column 0 with no open block, as it does at a top-level declaration) is one
error-free `function_declaration` spanning exactly its old extent moved by the edit, its header
is what it was, and the module's borrow positions (K9) come out as they were. Then only that
function is analysed (or found in the engine's cache); the other units keep their objects
(`analysis.incremental.Segs`), the findings are spliced, and the document's own findings (syntax
errors elsewhere, K10, K11) are kept, moved.

Auto-borrow stays exact: the fixpoint is run again over the module's records with the edited
function's record replaced, and its trials come from `Workspace.trials` (keyed by what each
reads), so only the edited function's trials run. If a position changed, every function's
calls may mean something else: the patch gives way to the general path.

What stays unbuilt until something reads it: the whole tree (`PendingTree`) and the document's
module records (`LazyModule`, made by the usual incremental parse and `read_module`).
"""
from __future__ import annotations

import hashlib

from ..frontend import Checked, Unit
from ..incremental import Segs, shift, spliced_findings
from ..ownership.model import UnitsOwnershipMap
from ..pending_tree import PendingTree, as_old_tree, parse_alone, whole
from ..source import LineIndex
from .check import MAX_BYTES, KeaAnalysis, KeaContext, ModuleInfo, analyse_units, infer_borrow, names_of
from .fixes import borrow_targets, is_borrow_fix
from .module import KeaModule, parser, read_module, _function


class LazyModule:
    """The KeaModule of `data`, read on first use from the whole tree (a PendingTree, reparsed
    then). The line index is made without it."""

    def __init__(self, path: str, data: bytes, tree: PendingTree, index: "_LazyIndex"):
        self.path, self.data, self.tree = path, data, tree
        self._made: KeaModule | None = None
        self._index = index

    def made(self) -> KeaModule:
        if self._made is None:
            self._made = read_module(self.path, self.data, whole(self.tree))
        return self._made

    @property
    def index(self) -> LineIndex:
        return self._index()

    def __getattr__(self, name):            # functions, uses, aliases, name, digest, ...
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.made(), name)


class _Source:
    """What a function's fixes read of its document (fixes.py): the text, the tree holding the
    function's nodes, the line index and the function itself."""

    def __init__(self, path, data: bytes, tree, functions: list, index):
        self.path, self.data, self.tree, self.functions = path, data, tree, functions
        self._index = index

    @property
    def index(self) -> LineIndex:
        return self._index()


def _header(f) -> tuple:
    return (f.name, f.return_text, f.returns_unique, f.is_pub,
            tuple((p.name, p.type_text, p.borrow, p.unique, p.unique_syntactic) for p in f.params),
            tuple(a.text for a in f.annotations),
            f.effects.text if f.effects is not None else None)


def patch(front, session, prev: Checked, data: bytes, old_tree, dirty, cache, lean: bool):
    if lean or old_tree is None or dirty is None or len(data) > MAX_BYTES:
        return None
    P, A = prev.parsed, prev.analysis
    if not isinstance(A, KeaAnalysis) or A.view is None or A.info is None or P.path is None:
        return None
    if not dirty.leaves(P.data, data):
        return None
    view = A.view
    base = A.patch_base or _PatchBase.of(view, session.workspace.trials)
    if base.fip:
        return None
    units = Segs.of(A.units)
    held = units.holding(dirty)
    if held is None:
        return None
    seg, j, u, start, end = held
    if any(start <= f.span.start < end for f in A.document):
        return None
    old_fn = view.function(u.name)
    if base.bodies.get(u.name) != 1 or old_fn is None or old_fn.body is None or not old_fn.top_level:
        return None
    d = start - old_fn.span.start          # the record may lie where an earlier text had it
    if old_fn.span.end + d != end:
        return None
    if not (old_fn.body.start_byte + d < dirty.start and dirty.old_end < old_fn.body.end_byte + d):
        return None
    delta = dirty.delta
    new_end = end + delta
    alone = parse_alone(_alone_parser(session), data, start, new_end, "function_declaration")
    if alone is None:
        return None
    sub, node = alone
    fn = _function(node, view)
    if fn is None or fn.body is None or _header(fn) != _header(old_fn):
        return None

    # the module's records with this function's replaced; its imports as they are now
    ws = session.workspace
    functions = [fn if f is old_fn else f for f in view.functions]
    new_view = KeaModule(view.path, data, None, functions=functions, aliases=view.aliases, effects=view.effects,
                         uses=view.uses, annotated=view.annotated, digest=hashlib.sha1(data).hexdigest(),
                         name=view.name)
    new_view._by_name = dict(view._by_name)
    new_view._by_name[fn.name] = fn
    info = _info(ws, new_view, A.info)
    if info is None:
        return None
    base = base.renewed(old_fn, fn, ws.trials)
    own = infer_borrow(info, ws.trials, A.decls, base.depending(fn.name), A.info.own_borrow)
    if own != A.info.own_borrow:
        return None                        # every call may mean something else now
    info.own_borrow = own
    env = info.env()
    key = A.key        # the same declarations, imports and borrow positions: the same context
    unit_key = fn.digest
    unit = Unit(fn.name, "function", fn.span, fn.name_span, unit_key)
    index_of = _LazyIndex(data)
    ctx = KeaContext(new_view, False, [], [unit], {fn.span.start: fn}, info, env, key, A.decls,
                     _Source(P.path, data, sub, [fn], index_of))
    ckey = (unit_key, key)
    hit = cache.get(ckey)
    analysed = 0
    if hit is not None:
        result = hit[1].moved_by(start - hit[0])
    else:
        result, deps = analyse_units(ctx, [unit])[0]
        result.span, result.key = fn.span, ckey
        cache.put(ckey, (start, result, deps))
        analysed = 1
    # a "pass by `borrow`" fix edits another function than its finding's: the general path
    # attaches them for the whole document
    if any(borrow_targets(f, sub.root_node, new_view, own) for f in result.findings) or any(
            is_borrow_fix(x) for f in A.findings for x in f.fixes):
        return None
    replaced = units.replaced(seg, j, result, delta)
    document = [f if f.span.start < start else shift(f, delta) for f in A.document]
    out = KeaAnalysis(findings=spliced_findings(A.findings, start, end, list(result.findings), delta),
                      units=replaced, info=info, reused=len(replaced) - analysed, analysed=analysed,
                      document=document, view=new_view, key=key, decls=A.decls, patch_base=base)
    out.model = UnitsOwnershipMap(replaced)
    tree = PendingTree(as_old_tree(old_tree), data, _whole_parser(session))
    parsed = LazyModule(P.path, data, tree, index_of)
    return Checked(front, parsed, out, out.findings, out.model, tree)


class _PatchBase:
    """What every patch of a document reads of all its functions, made once (at the first patch
    after a general check) and renewed for the one function each patch re-reads: whether any is
    `@fip`, and who mentions whom (the names each body mentions, kept in the trials' memo by its
    digest), for the functions whose borrow positions may depend on the edited one's."""

    def __init__(self, fip: bool, names: dict, mentioned_by: dict, bodies: dict):
        self.fip = fip
        self.bodies = bodies                # function name -> how many functions of that name have a body
        self.names = names                  # function name -> set of names its bodies mention
        self.mentioned_by = mentioned_by    # name -> set of names of functions mentioning it

    @classmethod
    def of(cls, view, memo: dict) -> "_PatchBase":
        names: dict = {}
        bodies: dict = {}
        for f in view.functions:
            if f.body is not None:
                names.setdefault(f.name, set()).update(names_of(f, memo))
                bodies[f.name] = bodies.get(f.name, 0) + 1
        mentioned_by: dict = {}
        for n, mentioned in names.items():
            for x in mentioned:
                mentioned_by.setdefault(x, set()).add(n)
        return cls(any(f.fip for f in view.functions), names, mentioned_by, bodies)

    def renewed(self, old_fn, fn, memo: dict) -> "_PatchBase":
        """The same with `fn`'s body in place of `old_fn`'s (one function of that name: the
        patch applies to no other)."""
        before, after = self.names.get(fn.name, set()), set(names_of(fn, memo))
        if before == after:
            return self
        names = dict(self.names)
        names[fn.name] = after
        mentioned_by = dict(self.mentioned_by)
        for x in before - after:
            mentioned_by[x] = mentioned_by[x] - {fn.name}
        for x in after - before:
            mentioned_by[x] = mentioned_by.get(x, frozenset()) | {fn.name}
        return _PatchBase(self.fip, names, mentioned_by, self.bodies)

    def depending(self, name: str) -> set:
        """The names of the functions whose borrow positions may depend on `name`'s: it, and
        those that mention one of them."""
        out, todo = {name}, [name]
        while todo:
            for n in self.mentioned_by.get(todo.pop(), ()):
                if n not in out:
                    out.add(n)
                    todo.append(n)
        return out


def _info(ws, module: KeaModule, before: ModuleInfo) -> ModuleInfo | None:
    """The module's imports as the workspace has them now; None when one changed since the last
    check (the general path reads them again)."""
    imports = {}
    for mp, sub in before.imports.items():
        if sub is None:
            imports[mp] = None
            continue
        now = ws.module(sub.module.path) if sub.module.path else None
        if now is None or now.digest != sub.module.digest:
            return None
        imports[mp] = sub
    for u in module.uses:
        if u.module not in imports:
            return None
    key = (module.digest, tuple(sorted((mp, i.key if i else None) for mp, i in imports.items())))
    return ModuleInfo(module, imports, key)


class _LazyIndex:
    """The document's line index, made when a fix first needs it (and then kept for the
    document)."""

    def __init__(self, data: bytes):
        self.data, self.got = data, None

    def __call__(self) -> LineIndex:
        if self.got is None:
            self.got = LineIndex(self.data)
        return self.got


def _alone_parser(session):
    p = getattr(session, "alone_parser", None)
    if p is None:
        import tree_sitter
        p = session.alone_parser = tree_sitter.Parser(parser().language)
    return p


def _whole_parser(session):
    def get():
        p = getattr(session, "whole_parser", None)
        if p is None:
            import tree_sitter
            p = session.whole_parser = tree_sitter.Parser(parser().language)
        return p
    return get
