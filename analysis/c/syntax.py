"""Parsing C with tree-sitter-c and reading the declarations the rest of the front-end needs.

Why one module: every other part (summaries of headers, lowering of bodies, lints, navigation)
asks the same questions of a declaration — its name, its parameters with their ownership prefix
and pointer depth, whether the returned pointer is const, its doc comment — so they are answered
once here, from the tree, and never by matching text. The parse is incremental (the previous tree,
edited, is reused) and error-tolerant: a function holding an ERROR node is marked spoiled and
skipped by the analysis, the rest of the file is checked.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import tree_sitter_c
from tree_sitter import Language, Parser

from ..source import LineIndex, Span

LANGUAGE = Language(tree_sitter_c.language())
PREFIXES = ("own_", "mut_", "ref_", "out_")
MAX_BYTES = 16 * 1024 * 1024


def new_parser() -> Parser:
    return Parser(LANGUAGE)


def text(data: bytes, node) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", errors="replace")


def span(node) -> Span:
    return Span(node.start_byte, node.end_byte)


def prefix_of(name: str) -> str:
    """'own', 'mut', 'ref', 'out' or '' (unprefixed)."""
    for p in PREFIXES:
        if name.startswith(p):
            return p[:-1]
    return ""


@dataclass(frozen=True)
class CParam:
    name: str
    name_span: Span | None
    ty: str                 # as written, without the name ("const ar_data_t *")
    depth: int              # pointer depth (arrays count as one)
    const: bool             # the pointed-to value is const
    fnptr: bool = False

    @property
    def prefix(self) -> str:
        return prefix_of(self.name)

    @property
    def pointer(self) -> bool:
        return self.depth > 0 and not self.fnptr


@dataclass
class CFunction:
    """A function definition or prototype at the top level."""

    name: str
    node: object
    span: Span
    name_span: Span
    params: list[CParam]
    ret_type: str
    ret_depth: int
    ret_const: bool
    is_static: bool
    doc: str
    body: object | None           # compound_statement of a definition
    variadic: bool = False
    spoiled: bool = False

    @property
    def signature(self) -> str:
        ps = ", ".join(f"{p.ty}{'' if p.ty.endswith('*') else ' '}{p.name}".strip() for p in self.params)
        if self.variadic:
            ps = (ps + ", ..." if ps else "...")
        sep = "" if self.ret_type.endswith("*") else " "
        return f"{self.ret_type}{sep}{self.name}({ps})"


@dataclass
class CStruct:
    name: str
    span: Span
    name_span: Span
    fields: list[tuple[str, Span, str, int]]     # name, span, type, pointer depth


def _unwrap_declarator(node):
    """(innermost declarator, pointer depth, is a function pointer) of a declarator chain."""
    depth = 0
    fnptr = False
    while node is not None:
        t = node.type
        if t == "pointer_declarator" or t == "abstract_pointer_declarator":
            depth += 1
            node = node.child_by_field_name("declarator")
        elif t == "array_declarator" or t == "abstract_array_declarator":
            depth += 1
            node = node.child_by_field_name("declarator")
        elif t == "parenthesized_declarator" or t == "attributed_declarator":
            node = node.named_children[0] if node.named_children else None
        elif t == "function_declarator":
            fnptr = True
            node = node.child_by_field_name("declarator")
        elif t == "init_declarator":
            node = node.child_by_field_name("declarator")
        else:
            return node, depth, fnptr
    return None, depth, fnptr


def _const_qualified(decl) -> bool:
    for c in decl.children:
        if c.type == "type_qualifier" and c.text == b"const":
            return True
    return False


def _type_text(data: bytes, decl, depth: int) -> str:
    parts = []
    for c in decl.children:
        if c.type in ("type_qualifier",) or c == decl.child_by_field_name("type"):
            parts.append(text(data, c))
    base = " ".join(parts) if parts else "int"
    return base + (" " + "*" * depth if depth else "")


def param_of(data: bytes, node) -> CParam | None:
    if node.type == "variadic_parameter":
        return None
    decl = node.child_by_field_name("declarator")
    ident, depth, fnptr = _unwrap_declarator(decl) if decl is not None else (None, 0, False)
    name = text(data, ident) if ident is not None and ident.type == "identifier" else ""
    if decl is not None and decl.type == "function_declarator":
        fnptr = True
    return CParam(name, span(ident) if ident is not None and name else None, _type_text(data, node, depth),
                  depth, _const_qualified(node), fnptr)


def _function_parts(decl):
    """(function_declarator, return pointer depth) of a function's declarator, or None."""
    depth = 0
    node = decl
    while node is not None:
        t = node.type
        if t == "function_declarator":
            inner = node.child_by_field_name("declarator")
            if inner is not None and inner.type == "identifier":
                return node, depth
            return None       # a function pointer variable
        if t == "pointer_declarator":
            depth += 1
            node = node.child_by_field_name("declarator")
        elif t in ("parenthesized_declarator", "attributed_declarator"):
            node = node.named_children[0] if node.named_children else None
        else:
            return None
    return None


def doc_comment(data: bytes, node) -> str:
    """The comments right above a declaration (only blanks between), in order."""
    out = []
    cur = node
    prev = node.prev_sibling
    while prev is not None and prev.type == "comment":
        gap = data[prev.end_byte:cur.start_byte]
        if gap.strip() or gap.count(b"\n") > 2:
            break
        out.append(text(data, prev))
        cur = prev
        prev = prev.prev_sibling
    return "\n".join(reversed(out))


# digest of a top-level node's text -> (its start then, its CFunction then or None): a re-parse
# after an edit reads again only the functions whose text changed (the others are the same
# function moved by the edit: spans shift, the tree nodes and the doc comment are taken afresh)
_FUNCTIONS: dict = {}
_FUNCTIONS_LIMIT = 50_000


def _function_cached(data: bytes, node, digest: bytes) -> CFunction | None:
    hit = _FUNCTIONS.get(digest)
    if hit is None:
        fn = function_of(data, node)
        if len(_FUNCTIONS) >= _FUNCTIONS_LIMIT:
            _FUNCTIONS.clear()
        _FUNCTIONS[digest] = (node.start_byte, fn)
        return fn
    start, fn = hit
    if fn is None:
        return None
    return _moved_function(node, fn, node.start_byte - start, doc_comment(data, node))


def function_of(data: bytes, node) -> CFunction | None:
    """A function_definition, or a declaration that is a prototype."""
    decl = node.child_by_field_name("declarator")
    if decl is None:
        return None
    parts = _function_parts(decl)
    if parts is None:
        return None
    fdecl, depth = parts
    ident = fdecl.child_by_field_name("declarator")
    params: list[CParam] = []
    variadic = False
    plist = fdecl.child_by_field_name("parameters")
    if plist is not None:
        for c in plist.named_children:
            if c.type == "variadic_parameter":
                variadic = True
            elif c.type == "parameter_declaration":
                p = param_of(data, c)
                if p is not None and not (p.name == "" and p.ty.strip() == "void" and p.depth == 0):
                    params.append(p)
    static = any(c.type == "storage_class_specifier" and c.text == b"static" for c in node.children)
    body = node.child_by_field_name("body") if node.type == "function_definition" else None
    return CFunction(text(data, ident), node, span(node), span(ident), params,
                     _type_text(data, node, depth), depth, _const_qualified(node), static,
                     doc_comment(data, node), body, variadic, node.has_error)


def _struct_of(data: bytes, node) -> CStruct | None:
    spec = node if node.type == "struct_specifier" else node.child_by_field_name("type")
    if spec is None or spec.type != "struct_specifier":
        return None
    body = spec.child_by_field_name("body")
    if body is None:
        return None
    nm = spec.child_by_field_name("name")
    name_node = nm
    if node.type == "type_definition":
        d = node.child_by_field_name("declarator")
        if d is not None and d.type == "type_identifier":
            name_node = d
    if name_node is None:
        return None
    fields = []
    for f in body.named_children:
        if f.type != "field_declaration":
            continue
        for d in f.children_by_field_name("declarator"):
            ident, depth, _ = _unwrap_declarator(d)
            if d.type == "array_declarator":
                depth -= 1      # a fixed-size array field holds its elements, it points at nothing
            if ident is not None and ident.type == "field_identifier":
                fields.append((text(data, ident), span(ident), _type_text(data, f, depth), depth))
    return CStruct(text(data, name_node), span(node), span(name_node), fields)


def top_level(root):
    """The top-level declarations, looking inside preprocessor conditionals."""
    todo = list(reversed(root.children))
    while todo:
        n = todo.pop()
        if n.type.startswith("preproc_if") or n.type in ("preproc_else", "preproc_elif", "preproc_elifdef",
                                                          "linkage_specification", "declaration_list"):
            todo.extend(reversed(n.children))
        else:
            yield n


@dataclass
class ParsedC:
    path: str | None
    data: bytes
    tree: object
    functions: list[CFunction] = field(default_factory=list)      # definitions and prototypes, file order
    structs: list[CStruct] = field(default_factory=list)
    units: list = field(default_factory=list)                     # (name, kind, span, name_span, key, spoiled)
    # per top-level node that gave something: (start, end, CFunction | None, CStruct | None,
    # its units), in file order; the next parse after an edit keeps those outside the edit
    tops: list = field(default_factory=list)
    too_large: bool = False
    _index: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.data)
        return self._index

    def definitions(self) -> list[CFunction]:
        return [f for f in self.functions if f.body is not None]


def parse(path: str | None, data: bytes, old_tree=None, parser: Parser | None = None,
          previous: ParsedC | None = None, dirty=None) -> ParsedC:
    """`previous` and `dirty` (analysis.source.Dirty): the parse of an earlier text and what
    changed since; a top-level node wholly before the change keeps its previous objects, one
    wholly after it keeps its text key (its spans move). Without them every node is read."""
    if len(data) > MAX_BYTES:
        return ParsedC(path, data, None, too_large=True)
    parser = parser or new_parser()
    try:
        tree = parser.parse(data, old_tree) if old_tree is not None else parser.parse(data)
    except Exception:          # a tree from another buffer, or the parser refused: parse afresh
        tree = new_parser().parse(data)
    out = ParsedC(path, data, tree)
    reuse = _Reuse(previous, dirty, data)
    for n in top_level(tree.root_node):
        t = n.type
        if t not in ("function_definition", "declaration", "type_definition", "struct_specifier"):
            continue
        before = len(out.units)
        old = reuse.find(n) if reuse.ok else None
        # a function's summary reads the comment above it: after the change it may differ
        same_doc = old is not None and (old[2] is None or n.end_byte < reuse.lo or old[2].doc == doc_comment(data, n))
        if same_doc and old[0] == n.start_byte:       # not moved: the very same objects
            _, _, fn, st, units = old
            if fn is not None:
                out.functions.append(fn)
            if st is not None:
                out.structs.append(st)
            out.units.extend(units)
            out.tops.append(old)
            continue
        fn = st = None
        if t in ("function_definition", "declaration"):
            if same_doc and old[2] is not None:
                fn = _moved_function(n, old[2], n.start_byte - old[0], old[2].doc)
                key = old[4][0][4]
            else:
                digest = hashlib.blake2b(data[n.start_byte:n.end_byte], digest_size=16).digest()
                fn = _function_cached(data, n, digest)
                key = ("c", fn.name, digest) if fn is not None else None
            if fn is not None:
                out.functions.append(fn)
                out.units.append((fn.name, "function" if fn.body is not None else "declaration",
                                  fn.span, fn.name_span, key, n.has_error))
        if fn is None and t in ("type_definition", "struct_specifier", "declaration"):
            st = _struct_of(data, n)
            if st is not None:
                out.structs.append(st)
                digest = hashlib.blake2b(data[n.start_byte:n.end_byte], digest_size=16).digest()
                out.units.append((st.name, "record", st.span, st.name_span, ("c", st.name, digest), n.has_error))
        if fn is not None or st is not None:
            out.tops.append((n.start_byte, n.end_byte, fn, st, out.units[before:]))
    return out


class _Reuse:
    """Where a top-level node of the new tree stood in `previous`, when the change (`dirty`) left
    its text alone (`Dirty.leaves` checks `previous` is of the text the change was made to, so a
    `previous` of some other text is simply not used)."""

    def __init__(self, previous: ParsedC | None, dirty, data: bytes):
        self.ok = False
        if previous is None or dirty is None or previous.too_large:
            return
        old = previous.data
        if not dirty.leaves(old, data):
            return
        self.ok = True
        self.tops = previous.tops
        self.j = 0
        self.lo, self.hi, self.delta = dirty.start, dirty.new_end, dirty.delta

    def find(self, n):
        """The previous (start, end, function, struct, units) of the node's text, or None."""
        s, e = n.start_byte, n.end_byte
        if e < self.lo:
            at = s
        elif s > self.hi:
            at = s - self.delta
        else:
            return None
        tops, j = self.tops, self.j
        while j < len(tops) and tops[j][0] < at:
            j += 1
        self.j = j
        if j < len(tops) and tops[j][0] == at and tops[j][1] - at == e - s and tops[j][4]:
            return tops[j]
        return None


def _moved_function(node, fn: CFunction, d: int, doc: str) -> CFunction:
    """`fn`, whose text now starts `d` bytes further on, at `node` of the new tree, under `doc`."""
    sh = (lambda sp: Span(sp.start + d, sp.end + d)) if d else (lambda sp: sp)
    params = fn.params if not d else [
        CParam(p.name, sh(p.name_span) if p.name_span is not None else None, p.ty, p.depth, p.const, p.fnptr)
        for p in fn.params]
    body = node.child_by_field_name("body") if node.type == "function_definition" else None
    return CFunction(fn.name, node, sh(fn.span), sh(fn.name_span), params, fn.ret_type, fn.ret_depth,
                     fn.ret_const, fn.is_static, doc, body, fn.variadic, node.has_error)
