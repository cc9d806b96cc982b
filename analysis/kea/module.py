"""One Kea file read for what the checks need: its declarations (functions and their parameters,
type aliases, effects, imports), Kea's type rule for `Unique` (K1), and how Kea finds the file of
an imported module.

Module files (Kea's compiler, `module_rel_path`): `use Alpha.Beta` is `alpha/beta.kea` under a
source root (the importing file's directory here, then custody's module roots, then the stdlib
root). A file's own module path is its path under that root with each segment in PascalCase
(`main.kea` is `Main`; Kea's `pascal_case_segment`).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

from ..source import LineIndex, Span

def _language():
    from custody.grammar import language
    return language("kea")


_PARSER = None


def parser():
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        _PARSER = tree_sitter.Parser(_language())
    return _PARSER


def span(node) -> Span:
    return Span(node.start_byte, node.end_byte)


def text(node) -> str:
    return node.text.decode("utf-8", "replace")


def pascal(segment: str) -> str:
    parts = [p for p in "".join(c if c.isalnum() else " " for c in segment).split() if p]
    return "".join(p[0].upper() + p[1:] for p in parts) or "Main"


@dataclass
class Param:
    name: str | None
    span: Span | None            # the name
    type_node: object            # the annotation's node (None: none)
    type_text: str
    borrow: bool                 # written `borrow`
    unique: bool = False         # K1: its type is Unique (aliases resolved)
    unique_syntactic: bool = False   # @fip's rule: `Unique` written in the annotation (no aliases)


@dataclass
class Function:
    name: str
    name_span: Span
    span: Span
    node: object
    params: list[Param]
    returns_unique: bool
    return_text: str
    body: object                 # block node or None
    annotations: list            # annotation nodes
    effects: object              # effect_row node or None
    is_pub: bool = False
    _digest: bytes | None = None

    @property
    def digest(self) -> bytes:
        """A digest of the function's text (read from its own tree: a record kept from an
        earlier version of the document still digests its own text)."""
        if self._digest is None:
            self._digest = hashlib.sha1(self.node.text).digest()
        return self._digest

    @property
    def top_level(self) -> bool:
        """Declared at the top of its file (not a method of an impl, trait or struct)."""
        parent = self.node.parent
        return parent is not None and parent.type == "source_file"

    @property
    def fip(self) -> bool:
        return any(text(a.child_by_field_name("name")) == "fip" for a in self.annotations
                   if a.child_by_field_name("name") is not None)

    @property
    def signature(self) -> str:
        ps = ", ".join(("borrow " if p.borrow else "") + (p.name or "_") + (f": {p.type_text}" if p.type_text else "")
                       for p in self.params)
        return f"fn {self.name}({ps})" + (f" -> {self.return_text}" if self.return_text else "")


@dataclass
class Use:
    module: str                  # "Alpha" or "Alpha.Beta"
    alias: str | None
    items: list[tuple[str, Span]]
    span: Span
    module_span: Span


@dataclass
class KeaModule:
    """The declarations of one file."""

    path: str | None
    data: bytes
    tree: object
    functions: list[Function] = field(default_factory=list)
    aliases: dict = field(default_factory=dict)        # type alias name -> type node
    effects: set = field(default_factory=set)          # effect names declared here
    uses: list[Use] = field(default_factory=list)
    annotated: list = field(default_factory=list)      # (annotation node, target label) off functions
    digest: str = ""
    name: str = ""                                     # its module path as Kea names it ("Main")
    _index: LineIndex | None = None
    _by_name: dict | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.data)
        return self._index

    def function(self, name: str) -> Function | None:
        """The function of that name (the first with a body, else the first), by a table made
        on first use: calls look functions up constantly."""
        by_name = self._by_name
        if by_name is None:
            by_name = {}
            for f in self.functions:
                got = by_name.get(f.name)
                if got is None or (got.body is None and f.body is not None):
                    by_name[f.name] = f
            self._by_name = by_name
        return by_name.get(name)

    # ---- K1 --------------------------------------------------------------------------------
    def is_unique(self, tnode, seen=None) -> bool:
        """Kea's `is_unique_type` on an annotation: `Unique T`, `Unique(T)`, bare `Unique`, or an
        alias of one (resolved through this file's `type` declarations)."""
        if tnode is None:
            return False
        t = tnode.type
        if t == "parenthesized_type":
            inner = [c for c in tnode.named_children if c.type != "comment"]
            return len(inner) == 1 and self.is_unique(inner[0], seen)
        if t == "applied_type":
            c = tnode.child_by_field_name("constructor")
            args = tnode.children_by_field_name("argument")
            return c is not None and text(c) == "Unique" and len(args) == 1
        if t == "type_identifier":
            name = text(tnode)
            if name == "Unique":
                return True
            target = self.aliases.get(name)
            seen = seen or set()
            if target is not None and name not in seen:
                seen.add(name)
                return self.is_unique(target, seen)
        return False

    def contains_unique(self, tnode, seen=None) -> bool:
        """Kea's `type_contains_unique` (K10): Unique anywhere inside, aliases and record fields
        included."""
        if tnode is None:
            return False
        if tnode.type == "type_identifier":
            name = text(tnode)
            if name == "Unique":
                return True
            target = self.aliases.get(name)
            seen = seen or set()
            if target is not None and name not in seen:
                seen.add(name)
                return self.contains_unique(target, seen)
            return False
        if tnode.type == "applied_type":
            c = tnode.child_by_field_name("constructor")
            if c is not None and self.contains_unique(c, seen):
                return True
        return any(self.contains_unique(c, seen) for c in tnode.named_children if c.type != "comment")

    def resolved_text(self, tnode) -> str:
        """A type as Kea would print it, aliases replaced by what they stand for."""
        if tnode.type == "type_identifier" and text(tnode) in self.aliases:
            return self.resolved_text(self.aliases[text(tnode)])
        return " ".join(text(tnode).split())


def syntactic_unique(tnode) -> bool:
    """@fip's `is_unique_type_annotation`: `Unique` written in the annotation (no aliases)."""
    if tnode is None:
        return False
    if tnode.type == "type_identifier":
        return text(tnode) == "Unique"
    if tnode.type == "applied_type":
        c = tnode.child_by_field_name("constructor")
        return (c is not None and text(c) == "Unique") or any(
            syntactic_unique(a) for a in tnode.children_by_field_name("argument"))
    if tnode.type == "parenthesized_type":
        return any(syntactic_unique(c) for c in tnode.named_children)
    return False


_TARGETS = {"struct_declaration": "record declaration", "field_declaration": "record field",
            "enum_declaration": "type declaration", "type_alias_declaration": "type declaration",
            "variant": "type variant"}


def read_module(path: str | None, data: bytes, tree=None) -> KeaModule:
    if tree is None:
        tree = parser().parse(data)
    m = KeaModule(path, data, tree, digest=hashlib.sha1(data).hexdigest(),
                  name=module_path_of(path, []) if path else "Main")
    root = tree.root_node
    fdecls = []
    for d in root.named_children:
        t = d.type
        if t == "function_declaration":
            fdecls.append(d)
        elif t == "type_alias_declaration":
            n, ty = d.child_by_field_name("name"), d.child_by_field_name("type")
            if n is not None and ty is not None:
                m.aliases[text(n)] = ty
        elif t == "effect_declaration":
            n = d.child_by_field_name("name")
            if n is not None:
                m.effects.add(text(n))
        elif t == "use_declaration":
            mp = d.child_by_field_name("module")
            if mp is None:
                continue
            alias = d.child_by_field_name("alias")
            items_node = d.child_by_field_name("items")
            items = ([(text(c), span(c)) for c in items_node.named_children if c.type == "identifier"]
                     if items_node is not None else [])
            m.uses.append(Use(".".join(text(c) for c in mp.named_children if c.type == "upper_identifier"),
                              text(alias) if alias is not None else None, items, span(d), span(mp)))
        if t in ("struct_declaration", "enum_declaration"):
            _collect_misplaced(d, m)
        if t in ("impl_declaration", "struct_declaration", "trait_declaration"):
            body = d.child_by_field_name("body")
            if body is not None:
                fdecls += [c for c in body.named_children if c.type == "function_declaration"
                           and c.child_by_field_name("body") is not None]
    for d in fdecls:
        f = _function(d, m)
        if f is not None:
            m.functions.append(f)
    return m


def _collect_misplaced(decl, m: KeaModule):
    stack = [decl]
    while stack:
        n = stack.pop()
        label = _TARGETS.get(n.type)
        if label is not None:
            for a in n.children_by_field_name("annotation"):
                m.annotated.append((a, label))
        if n.type in ("struct_declaration", "enum_declaration", "field_declaration_list", "variant_list"):
            stack.extend(c for c in n.named_children if c.type in _TARGETS or c.type in (
                "field_declaration_list", "variant_list"))
        elif n is decl:
            pass


def _function(d, m: KeaModule) -> Function | None:
    name = d.child_by_field_name("name")
    if name is None:
        return None
    params = []
    plist = d.child_by_field_name("parameters")
    for p in (plist.named_children if plist is not None else []):
        if p.type != "parameter":
            continue
        params.append(param_of(p, m))
    ret = d.child_by_field_name("return_type")
    vis = d.child_by_field_name("visibility")
    return Function(text(name), span(name), span(d), d, params, m.is_unique(ret),
                    " ".join(text(ret).split()) if ret is not None else "", d.child_by_field_name("body"),
                    d.children_by_field_name("annotation"), d.child_by_field_name("effects"), vis is not None)


def param_of(p, m: KeaModule) -> Param:
    pat = p.child_by_field_name("pattern")
    ty = p.child_by_field_name("type")
    name = text(pat) if pat is not None and pat.type == "identifier" else None
    return Param(name, span(pat) if pat is not None and name else None, ty,
                 " ".join(text(ty).split()) if ty is not None else "",
                 p.child_by_field_name("modifier") is not None, m.is_unique(ty), syntactic_unique(ty))


# ---- finding modules ------------------------------------------------------------------------

def module_rel_path(module: str) -> str:
    return os.path.join(*[s.lower() for s in module.split(".")]) + ".kea"


def module_path_of(path: str, roots: list[str]) -> str:
    """The module path Kea gives the file at `path` (relative to the first root holding it)."""
    ap = os.path.abspath(path)
    for r in roots:
        r = os.path.abspath(r)
        if ap.startswith(r + os.sep):
            rel = os.path.relpath(ap, r)[: -len(".kea")]
            return ".".join(pascal(s) for s in rel.split(os.sep))
    return pascal(os.path.basename(ap)[: -len(".kea")] if ap.endswith(".kea") else os.path.basename(ap))
