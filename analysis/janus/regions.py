"""Janus regions (J7, the seed's memory model v0.2.5): which bindings of a function hold memory of a
region or scratchpad, and where such memory escapes it.

One lexical walk over a function's statements gives both, so that the ownership map (hover says
"allocated in the scratchpad `s`: freed at line N"), the J7 warning and its fixes agree on what
is region memory:

- inside `with_scratchpad |s| do … end` or `region r do … end`, a call on the region's name
  (`s.alloc(…)`, `r.create(…)`) allocates in it; a `let` initialised by one, or by a binding that
  holds such memory (an alias), holds region memory; so does a binding declared inside the region
  that is assigned an allocation;
- the memory escapes when it is returned from inside the region, or assigned to a binding
  declared outside the region it lives in (regions nest: an outer region's memory assigned to a
  binding of the outer region inside an inner one stays inside its region).

Calls that take region memory (`cache.insert(k, p)`) are not followed. Each escape carries the
fix requests fixes.py renders: copy the value out (`.to_persistent()`), allocate it as an owned
value instead (`s.alloc(e)` becomes `e`), and — for a return — allocate it from an explicit
allocator (the allocation calls' receivers).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..findings import Finding
from ..ownership.fixes import FixRequest
from . import codes as C
from .syntax import Function, Module, Node


def _name(node) -> str | None:
    return node.name if node is not None and node.kind == "name" else None


@dataclass
class Region:
    node: Node                 # the `region`/`with_scratchpad` statement
    depth: int                 # how many regions enclose it, itself included

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def words(self) -> str:
        kind = "scratchpad" if self.node.get("scratchpad") else "region"
        return f"the {kind} `{self.node.name}`"


@dataclass
class Memory:
    """Region memory a binding or an expression holds: the region, and the allocation calls it
    may come from (`s.alloc(…)`)."""

    region: Region
    roots: list


@dataclass
class RegionFacts:
    arenas: dict = field(default_factory=dict)      # span of a `let` name -> Region its value lives in
    escapes: list = field(default_factory=list)     # J7 findings


def region_facts(f: Function, module: Module) -> RegionFacts:
    facts = RegionFacts()
    if f.body is None:
        return facts
    active: list[Region] = []
    held: dict[str, Memory] = {}          # binding name -> the region memory it holds
    declared_at: dict[str, int] = {}      # binding name -> how many regions enclose its declaration
    data = module.data

    def text(n: Node) -> str:
        return data[n.span.start:n.span.end].decode("utf-8", "replace")

    def memory(e: Node | None) -> Memory | None:
        if e is None:
            return None
        if e.kind == "name":
            return held.get(e.name)
        if e.kind == "move":
            return memory(e.operand)
        if e.kind == "call" and e.callee.kind == "field":
            recv = _name(e.callee.value)
            for r in reversed(active):
                if r.name == recv:
                    return Memory(r, [e])
        return None

    def escape(value: Node, mem: Memory, how: str, returned: bool) -> None:
        shown = value.operand if value.kind == "move" else value
        name = shown.name if shown.kind == "name" else text(shown)
        requests = [FixRequest("copy_out_of_region", value.span, name)]
        for call in mem.roots:
            args = call.args
            if len(args) == 1:
                requests.append(FixRequest("owned_not_region", call.span, name, (args[0].span,)))
            else:
                requests.append(FixRequest("owned_not_region", call.span, name, ()))
            if returned:
                requests.append(FixRequest("explicit_allocator", call.callee.value.span, name))
        facts.escapes.append(Finding(C.REGION_ESCAPE, "warning", value.span,
                                     C.MESSAGES[C.REGION_ESCAPE].format(name=name, region=mem.region.words, how=how),
                                     fix_requests=requests))

    def visit(n: Node) -> None:
        k = n.kind
        if k == "region":
            if n.name and n.body is not None:
                active.append(Region(n, len(active) + 1))
                for st in n.body.stmts:
                    visit(st)
                gone = active.pop()
                for name in [x for x, mem in held.items() if mem.region is gone]:
                    del held[name]          # its memory is freed: nothing left to escape
            return
        if k == "let":
            for name, sp in n.names:
                declared_at[name] = len(active)
                mem = memory(n.init)
                if mem is not None:
                    held[name] = mem
                    facts.arenas[sp] = mem.region
                else:
                    held.pop(name, None)
        elif k == "return" and n.value is not None:
            mem = memory(n.value)
            if mem is not None:
                escape(n.value, mem, "by return", True)
        elif k == "assign" and n.op in ("=", ":="):
            root = n.target
            while root is not None and root.kind in ("field", "index"):
                root = root.value
            target = _name(root)
            mem = memory(n.value)
            if mem is not None and target is not None:
                if declared_at.get(target, 0) < mem.region.depth:
                    escape(n.value, mem, f"by assignment to `{target}`", False)
                elif root is n.target:
                    # a binding of the region (re)assigned an allocation holds region memory too
                    old = held.get(target)
                    held[target] = Memory(mem.region, (old.roots if old and old.region is mem.region else [])
                                          + mem.roots)
        for v in n.f.values():
            if isinstance(v, Node):
                visit(v)
            elif isinstance(v, list):
                for x in v:
                    if isinstance(x, Node):
                        visit(x)

    visit(f.body)
    return facts
