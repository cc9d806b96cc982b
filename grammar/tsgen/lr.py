"""Canonical LR(1) automaton.

Symbols are renumbered to integers here: terminals 0..T-1 (0 is end of
input, 1+i is lexical variable i) and non-terminals T..T+N-1.  Production 0
is the augmented start production `S' -> start`.

Closures are computed once per *core* (set of LR(0) kernel items) as a
template: for every closure item, the lookaheads it gets spontaneously and
the kernel items whose lookaheads flow into it.  A concrete LR(1) state then
only combines its kernel lookahead sets with the template, which keeps the
canonical construction fast enough for real grammars.  Lookahead sets are
Python ints used as bit sets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import GrammarError
from .model import END, Grammar


@dataclass
class LRProduction:
    lhs: int                 # non-terminal id (or -1 for the augmented start)
    rhs: tuple               # symbol ids
    steps: tuple             # model.Step objects (empty tuple for augmented)
    dynamic_prec: int = 0
    variable: int = -1       # index into grammar.syntax (-1 for augmented)


@dataclass
class CoreTemplate:
    kernel: tuple            # ((prod, dot), ...)
    items: list              # closure items, kernel first
    spont: list              # per item: spontaneous lookahead mask
    props: list              # per item: bit set of kernel indices feeding it
    by_symbol: dict = field(default_factory=dict)  # symbol -> [item indices]


@dataclass
class LRState:
    core: int
    lookaheads: tuple        # per kernel item
    transitions: dict = field(default_factory=dict)  # symbol id -> state index
    parent: tuple | None = None  # (state index, symbol id) it was first reached by


class SymbolSpace:
    """Integer ids for the grammar's symbols."""

    def __init__(self, grammar: Grammar):
        self.grammar = grammar
        self.term_count = 1 + len(grammar.lexical)
        self.nonterm_count = len(grammar.syntax)

    def to_id(self, symbol) -> int:
        if symbol == END:
            return 0
        if symbol[0] == "t":
            return 1 + symbol[1]
        return self.term_count + symbol[1]

    def to_symbol(self, sid: int):
        if sid == 0:
            return END
        if sid < self.term_count:
            return ("t", sid - 1)
        return ("n", sid - self.term_count)

    def is_terminal(self, sid: int) -> bool:
        return sid < self.term_count

    def name(self, sid: int) -> str:
        return self.grammar.name_of(self.to_symbol(sid))


class LRAutomaton:
    def __init__(self, grammar: Grammar):
        self.grammar = grammar
        self.space = SymbolSpace(grammar)
        sp = self.space
        self.productions: list[LRProduction] = [
            LRProduction(lhs=-1, rhs=(sp.to_id(grammar.start),), steps=())
        ]
        self.by_lhs: dict[int, list[int]] = {}
        for index, variable in enumerate(grammar.syntax):
            nt = sp.term_count + index
            self.by_lhs[nt] = []
            for production in variable.productions:
                if len(production.steps) > 255:
                    raise GrammarError(f"rule {variable.name} has a production longer than 255 symbols")
                self.by_lhs[nt].append(len(self.productions))
                self.productions.append(
                    LRProduction(
                        lhs=nt,
                        rhs=tuple(sp.to_id(s.symbol) for s in production.steps),
                        steps=production.steps,
                        dynamic_prec=production.dynamic_prec,
                        variable=index,
                    )
                )
        for nt, prods in self.by_lhs.items():
            if not prods:
                raise GrammarError(f"rule {sp.name(nt)} matches nothing")
        self._compute_first_sets()
        self.templates: list[CoreTemplate] = []
        self.template_ids: dict = {}
        self.states: list[LRState] = []

    # ---- FIRST sets -----------------------------------------------------------

    def _compute_first_sets(self):
        sp = self.space
        nts = list(self.by_lhs)
        self.first = {nt: 0 for nt in nts}
        self.nullable = {nt: False for nt in nts}
        changed = True
        while changed:
            changed = False
            for p in self.productions[1:]:
                mask, nullable = self._sequence_first(p.rhs)
                if mask | self.first[p.lhs] != self.first[p.lhs]:
                    self.first[p.lhs] |= mask
                    changed = True
                if nullable and not self.nullable[p.lhs]:
                    self.nullable[p.lhs] = True
                    changed = True
        # FIRST of every production suffix, used by closures
        self.suffix_first = []
        for p in self.productions:
            row = [None] * (len(p.rhs) + 1)
            row[len(p.rhs)] = (0, True)
            for d in range(len(p.rhs) - 1, -1, -1):
                sid = p.rhs[d]
                if sp.is_terminal(sid):
                    row[d] = (1 << sid, False)
                else:
                    after_mask, after_nullable = row[d + 1]
                    if self.nullable[sid]:
                        row[d] = (self.first[sid] | after_mask, after_nullable)
                    else:
                        row[d] = (self.first[sid], False)
            self.suffix_first.append(row)

    def _sequence_first(self, rhs):
        mask = 0
        for sid in rhs:
            if self.space.is_terminal(sid):
                return mask | (1 << sid), False
            mask |= self.first[sid]
            if not self.nullable[sid]:
                return mask, False
        return mask, True

    def first_of_symbol(self, sid: int) -> int:
        return 1 << sid if self.space.is_terminal(sid) else self.first[sid]

    # ---- closure templates ------------------------------------------------------

    def template(self, kernel: tuple) -> int:
        if kernel in self.template_ids:
            return self.template_ids[kernel]
        items = list(kernel)
        index = {item: i for i, item in enumerate(items)}
        edges = []  # (from, to, spont, propagates)
        queue = list(range(len(items)))
        while queue:
            i = queue.pop(0)
            p, d = items[i]
            rhs = self.productions[p].rhs
            if d >= len(rhs) or self.space.is_terminal(rhs[d]):
                continue
            spont, nullable = self.suffix_first[p][d + 1]
            for q in self.by_lhs[rhs[d]]:
                item = (q, 0)
                if item not in index:
                    index[item] = len(items)
                    items.append(item)
                    queue.append(index[item])
                edges.append((i, index[item], spont, nullable))
        spont_masks = [0] * len(items)
        props = [0] * len(items)
        for k in range(len(kernel)):
            props[k] = 1 << k
        changed = True
        while changed:
            changed = False
            for a, b, s, nullable in edges:
                new_s = spont_masks[b] | s | (spont_masks[a] if nullable else 0)
                new_p = props[b] | (props[a] if nullable else 0)
                if new_s != spont_masks[b] or new_p != props[b]:
                    spont_masks[b], props[b] = new_s, new_p
                    changed = True
        template = CoreTemplate(kernel=kernel, items=items, spont=spont_masks, props=props)
        for i, (p, d) in enumerate(items):
            rhs = self.productions[p].rhs
            if d < len(rhs):
                template.by_symbol.setdefault(rhs[d], []).append(i)
        self.templates.append(template)
        self.template_ids[kernel] = len(self.templates) - 1
        return self.template_ids[kernel]

    def closure_lookaheads(self, state: LRState) -> list:
        template = self.templates[state.core]
        result = []
        for spont, prop in zip(template.spont, template.props):
            mask = spont
            k = 0
            while prop:
                if prop & 1:
                    mask |= state.lookaheads[k]
                prop >>= 1
                k += 1
            result.append(mask)
        return result

    # ---- canonical construction -------------------------------------------------

    def build(self, max_states: int = 200_000) -> None:
        start_core = self.template(((0, 0),))
        ids = {}

        def state_for(core, lookaheads, parent):
            key = (core, lookaheads)
            if key not in ids:
                ids[key] = len(self.states)
                self.states.append(LRState(core=core, lookaheads=lookaheads, parent=parent))
                if len(self.states) > max_states:
                    raise GrammarError("the LR(1) automaton grew past its size limit; the grammar may be too ambiguous")
            return ids[key]

        state_for(start_core, (1 << 0,), None)
        i = 0
        while i < len(self.states):
            state = self.states[i]
            template = self.templates[state.core]
            lookaheads = self.closure_lookaheads(state)
            for sid in sorted(template.by_symbol):
                members = template.by_symbol[sid]
                pairs = sorted(
                    ((template.items[m][0], template.items[m][1] + 1), lookaheads[m]) for m in members
                )
                kernel = tuple(item for item, _ in pairs)
                core = self.template(kernel)
                state.transitions[sid] = state_for(core, tuple(la for _, la in pairs), (i, sid))
            i += 1

    def preceding_symbols(self, state_index: int) -> list:
        path = []
        while self.states[state_index].parent is not None:
            state_index, sid = self.states[state_index].parent
            path.append(sid)
        return list(reversed(path))
