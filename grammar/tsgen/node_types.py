"""src/node-types.json: every node type the parser can produce, with the
fields and named children a node of that type can have (seen through hidden
rules, which the runtime flattens away), and the subtypes of supertypes."""

from __future__ import annotations

import json

from .model import AUXILIARY, NAMED, VISIBLE_KINDS


class _Summaries:
    """What children (per field, None = no field) a hidden rule contributes."""

    def __init__(self, grammar):
        self.g = grammar
        self.memo: dict = {}
        self.active: set = set()

    def child_type(self, step):
        g = self.g
        if step.alias is not None:
            return (step.alias.value, step.alias.named)
        symbol = step.symbol
        kind = g.kind_of(symbol)
        if kind in VISIBLE_KINDS:
            return (g.name_of(symbol), kind == NAMED)
        if symbol[0] == "n" and g.syntax[symbol[1]].supertype:
            return (g.name_of(symbol), True)
        return None

    def production(self, production):
        """{field: [types set, count, required]} for one production."""
        result: dict = {}
        recursive = False
        for step in production.steps:
            t = self.child_type(step)
            if t is not None:
                if step.field is None and not t[1]:
                    continue  # unnamed children without a field are not listed
                entry = result.setdefault(step.field, [set(), 0, True])
                entry[0].add(t)
                entry[1] += 1
                continue
            if step.symbol[0] != "n":
                continue  # hidden token: never a node
            inner, inner_recursive = self.variable(step.symbol[1])
            recursive = recursive or inner_recursive
            for key, (types, multiple, required) in inner.items():
                target = key if key is not None else step.field
                entry = result.setdefault(target, [set(), 0, False])
                entry[0] |= types
                entry[1] += 2 if multiple else 1
                entry[2] = entry[2] or required
        return result, recursive

    def variable(self, index):
        if index in self.memo:
            return self.memo[index], False
        if index in self.active:
            return {}, True
        self.active.add(index)
        variable = self.g.syntax[index]
        if variable.kind == AUXILIARY:
            # a repetition `aux -> aux aux | x`: one or more x
            this = ("n", index)
            items = [p for p in variable.productions if [s.symbol for s in p.steps] != [this, this]]
            combined = {key: (types, True, required) for key, (types, _, required) in self.combine(items).items()}
        else:
            combined = self.combine(variable.productions)
        self.active.discard(index)
        self.memo[index] = combined
        return combined, False

    def combine(self, productions):
        per_production = [self.production(p) for p in productions]
        keys = set()
        for fields, _ in per_production:
            keys |= set(fields)
        combined = {}
        for key in keys:
            types, multiple, required = set(), False, True
            for fields, recursive in per_production:
                if key in fields:
                    t, count, req = fields[key]
                    types |= t
                    multiple = multiple or count > 1 or recursive
                    required = required and req
                else:
                    required = False
            combined[key] = (types, multiple, required)
        return combined


def _types(types) -> list:
    return [{"type": name, "named": named} for name, named in sorted(types, key=lambda t: (t[0], t[1]))]


def render_node_types(tables) -> str:
    g = tables.grammar
    summaries = _Summaries(g)
    used = set(tables.symbol_ids)
    entries: dict = {}

    def add_node(name, named, productions, supertype_of=None):
        key = (name, named)
        node = entries.setdefault(key, {"type": name, "named": named, "productions": []})
        node["productions"].extend(productions)
        if supertype_of is not None:
            node["subtypes"] = supertype_of

    for symbol in sorted(used, key=lambda s: (s[0], s[1:] if len(s) > 1 else ())):
        if symbol == ("end",):
            continue
        kind = g.kind_of(symbol)
        name = g.name_of(symbol)
        if symbol[0] == "t":
            if kind in VISIBLE_KINDS:
                add_node(name, kind == NAMED, [])
            continue
        variable = g.syntax[symbol[1]]
        if variable.supertype:
            subtypes, _ = summaries.variable(symbol[1])
            add_node(name, True, [], supertype_of=sorted(subtypes.get(None, (set(),))[0]))
        elif kind in VISIBLE_KINDS:
            add_node(name, kind == NAMED, variable.productions)
    # aliased non-terminals are node types of their own
    for variable in g.syntax:
        for production in variable.productions:
            for step in production.steps:
                if step.alias is not None:
                    target = step.symbol
                    prods = g.syntax[target[1]].productions if target[0] == "n" else []
                    add_node(step.alias.value, step.alias.named, prods)
    for symbol, alias in g.default_aliases.items():
        if symbol[0] == "n" and symbol in used:
            entries.pop((g.syntax[symbol[1]].name, True), None)

    extras = {g.name_of(s) for s in g.extra_tokens}
    result = []
    for (name, named), node in entries.items():
        out = {"type": name, "named": named}
        if "subtypes" in node:
            out["subtypes"] = _types(node["subtypes"])
        elif node["productions"]:
            combined = summaries.combine(node["productions"])
            fields = {}
            for key in sorted(k for k in combined if k is not None):
                types, multiple, required = combined[key]
                fields[key] = {"multiple": multiple, "required": required, "types": _types(types)}
            out["fields"] = fields
            if None in combined:
                types, multiple, required = combined[None]
                named_types = {t for t in types if t[1]}
                if named_types:
                    out["children"] = {"multiple": multiple, "required": required, "types": _types(named_types)}
        if (name, named) == (g.name_of(g.start), True):
            out["root"] = True
        if name in extras and named:
            out["extra"] = True
        result.append(out)
    result.sort(key=lambda n: ("subtypes" not in n, not n["named"], n["type"]))
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
