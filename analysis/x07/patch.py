"""A keystroke inside one function's body, in time proportional to the edit (issue 13).

The engine (analysis/engine.py) offers each check of an editor's document to the front-end's
`patch` first, with the previous answer. X07's patch applies when the edit lies strictly inside
the body of one analysed `defn`/`defasync` whose header did not change, and the tree outside
that declaration is what it was (no syntax error anywhere, tree-sitter's changed ranges inside
it). Then:

- only that declaration is converted and read (its header compared with the previous one);
- only its unit is looked up in the engine's cache or analysed again;
- the per-unit results are an `analysis.incremental.Segs`: the units after the edit keep their
  objects, moved by a segment delta when read;
- the findings are spliced (O(findings));
- the module structure (`parsed.module`, the value tree) is built only when something reads it
  (outline, semantic tokens, navigation, the fallback's reuse): `_LazyParsed`.

Anything else returns None and the engine runs the full incremental check.
"""
from __future__ import annotations

from functools import partial

from ..findings import Finding
from ..incremental import Segs, spliced_findings
from ..ownership.model import UnitsOwnershipMap
from ..pending_tree import PendingTree, as_old_tree, parse_alone, whole
from ..syntax_errors import syntax_findings
from .check import ModuleAnalysis, PARALLEL_MIN_FUNCTIONS, Units, X07Context
from .cst_values import _convert, _deferred
from .document import MAX_BYTES, ParsedSource
from .module import FUNCTION_KINDS, read_module
from .parse_result import ParseResult


class _LazyParsed(ParsedSource):
    """A ParsedSource whose value tree and module are made from its tree on first read."""

    def __init__(self, path, data, form, tree, syntax, decls, module_id, imports):
        self.path, self.data, self.form = path, data, form
        self.findings = []
        self._pointers = None
        self._index = None
        self._tree, self._syntax, self._decls = tree, syntax, decls
        self.module_id, self.imports = module_id, imports
        self._parse = self._module = None

    def _make(self):
        too_deep: list[Finding] = []
        tree = whole(self._tree)
        values = [c for c in tree.root_node.named_children if c.type != "comment"]
        root = _convert(self._syntax, values[0], self.data, 0, too_deep) if values else None
        self._parse = ParseResult(root=root, tree=tree,
                                  findings=syntax_findings(tree, self.data) + too_deep, deep=too_deep)
        self._module = read_module(root, self.data, self._parse.deep, self._decls, None)

    @property
    def parse(self):
        if self._parse is None:
            self._make()
        return self._parse

    @parse.setter
    def parse(self, v):
        self._parse = v

    @property
    def module(self):
        if self._module is None:
            self._make()
        return self._module

    @module.setter
    def module(self, v):
        self._module = v


def module_head(parsed) -> tuple:
    """(module_id, imports) without building a lazy parse's module."""
    if isinstance(parsed, _LazyParsed) and parsed._module is None:
        return parsed.module_id, parsed.imports
    m = parsed.module
    return (m.module_id, m.imports) if m is not None else (None, [])


def _utf8_around(data: bytes, start: int, end: int) -> bool:
    """Is data[start:end] valid UTF-8 together with the characters it touches? (The rest was.)"""
    s = max(0, start - 4)
    while s > 0 and 0x80 <= data[s] < 0xC0:
        s -= 1
    e = min(len(data), end + 4)
    while e < len(data) and 0x80 <= data[e] < 0xC0:
        e += 1
    try:
        data[s:e].decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _whole_parser(session, form: str, syntax_mod):
    parser = session.patch_parsers.get(form)
    if parser is None:
        parser = session.patch_parsers[form] = syntax_mod.new_parser()
    return parser


def _declaration_alone(session, form: str, syntax_mod, data: bytes, start: int, end: int):
    """The declaration at data[start:end] parsed on its own (tree-sitter with that one included
    range: node offsets are the document's, cost proportional to the declaration), if it is one
    error-free map or object spanning exactly that range; else None (`pending_tree.parse_alone`).

    Why this is the whole document's parse of that declaration: the text before `start` and
    after `end` is what it was, and in the previous error-free tree a declaration (a map, which
    opens and closes with one-character tokens that nothing else can absorb) spanned the same
    place in the same list, so the lexer stands between tokens on both sides in the new text
    too; an error-free parse of the new declaration alone then slots into the old tree's list as
    one element. The sub-tree's row/column points are not the document's (only byte offsets are
    read from it: nothing in the X07 front-end reads a node's points, and it has no errors to
    report).
    """
    key = form + ":alone"
    parser = session.patch_parsers.get(key)
    if parser is None:
        parser = session.patch_parsers[key] = syntax_mod.new_parser()
    alone = parse_alone(parser, data, start, end, syntax_mod.SYNTAX.map_node)
    return alone[1] if alone is not None else None


def patch(front, session, prev, data: bytes, old_tree, dirty, cache, lean: bool):
    if lean or old_tree is None or dirty is None:
        return None
    P, A = prev.parsed, prev.analysis
    if not isinstance(A, ModuleAnalysis) or P.findings or len(data) > MAX_BYTES or P.path is None:
        return None
    if not dirty.leaves(P.data, data) or not _utf8_around(data, dirty.start, dirty.new_end):
        return None
    module_id, imports = module_head(P)
    if any(sp.end >= dirty.start for _, sp in imports):
        return None
    units = Segs.of(A.functions)
    held = units.holding(dirty)
    if held is None or held[2].name == "solve":
        return None
    seg, j, u, start, end = held
    delta = dirty.delta
    new_end = end + delta
    from . import json_form, text_form
    syntax_mod = text_form if P.form == "x07text" else json_form
    syn = syntax_mod.SYNTAX
    node = _declaration_alone(session, P.form, syntax_mod, data, start, new_end)
    if node is None:
        return None
    body = None
    for c in node.named_children:
        if c.type == "pair":
            ck = c.child_by_field_name("key")
            if ck is not None and syn.key_text(ck, data) == "body":
                if body is not None:
                    return None
                body = c.child_by_field_name("value")
    if body is None or not (body.start_byte < dirty.start and dirty.new_end < body.end_byte):
        return None
    too_deep: list[Finding] = []
    dv = _deferred(syn, node, data, 2, too_deep)
    d = session.decls.read(dv, data, too_deep)
    (form, name, old_digest), ckey = u.key
    old = session.decls.header_of(old_digest)
    if d is None or old is None or old.header != d.header or d.name != name or d.kind not in FUNCTION_KINDS \
            or not d.has_body or d.spoiled or d.findings or too_deep or d.digest is None:
        return None
    if old_digest != d.digest:
        session.decls.forget(old_digest)      # it pins the text it was read from (all of it)
    carried = session.signature_carry.get(P.path)
    if carried is None or A.sig_key is None or carried[0][0] != A.sig_key[0]:
        return None
    resolver = front.summaries(session, P.path)
    imported = [(mid, resolver.signatures(mid)) for mid, _span in imports] if resolver is not None else []
    if carried[0][1] != tuple((mid, id(sigs) if sigs else None) for mid, sigs in imported):
        return None
    keyed = carried[1]
    tree = PendingTree(as_old_tree(old_tree), data, partial(_whole_parser, session, P.form, syntax_mod))
    parsed = _LazyParsed(P.path, data, P.form, tree, syn, session.decls, module_id, imports)
    span = d.value.span
    name_span = d.name_span or span
    from ..frontend import Unit
    unit = Unit(name, d.kind, span, name_span, (form, name, d.digest))
    key = (unit.key, ckey)
    hit = cache.get(key)
    result = None
    analysed = 0
    if hit is not None and keyed.unchanged(*hit[2]):
        result = hit[1].moved_by(span.start - hit[0])
    else:
        ctx = X07Context(parsed, keyed, False, PARALLEL_MIN_FUNCTIONS, [unit], {span: (name, span, name_span, d)})
        got = Units.analyse_units(ctx, [unit], 1)[0]
        if got is None:
            return None
        result, deps = got
        result.span, result.key = span, key
        cache.put(key, (span.start, result, deps))
        analysed = 1
    functions = units.replaced(seg, j, result, delta)
    out = ModuleAnalysis(findings=spliced_findings(A.findings, start, end, list(result.findings), delta),
                         sig_key=(A.sig_key[0], carried[0][1]))
    out.functions = functions
    out.model = UnitsOwnershipMap(functions)
    out.reused, out.analysed = len(functions) - analysed, analysed
    session.parsed.pop(P.path, None)
    session.parsed[P.path] = parsed
    from ..frontend import Checked
    return Checked(front, parsed, out, out.findings, out.model, tree)
