"""Turning one canonical LR(1) state's items into parse actions, resolving
shift/reduce and reduce/reduce conflicts the way tree-sitter does:

* reduce/reduce: the production with the higher precedence wins;
* shift/reduce: the precedence of the items that would shift (taken from the
  step before their dot) is compared with the reduce precedence; on a tie the
  reduce's associativity decides (left: reduce, right: shift);
* a shift/reduce conflict inside one repeat helper (`aux -> aux aux • x`,
  ambiguous by construction) keeps both actions, the shift marked as a
  repetition: the runtime never takes it, so the reduce wins;
* anything still ambiguous is an error, unless the rules involved are listed
  together in the grammar's `conflicts`, in which case every action is kept
  and the GLR runtime explores them all (reduces first, the shift last).

Precedences are integers or names; names are ordered by the grammar's
`precedences` lists (earlier in a list = binds tighter).
"""

from __future__ import annotations

from .errors import GrammarError
from .model import ANONYMOUS, AUXILIARY


class ConflictError(GrammarError):
    """An LR conflict the grammar does not resolve."""


SHIFT, REDUCE, ACCEPT = "shift", "reduce", "accept"


def compare_precedence(grammar, left, left_names, right, right_names) -> int:
    """-1 / 0 / 1 comparing two step precedences (None = default 0)."""
    li = left if isinstance(left, int) else (0 if left is None else None)
    ri = right if isinstance(right, int) else (0 if right is None else None)
    if li is not None and ri is not None and (li != 0 or ri != 0):
        return (li > ri) - (li < ri)

    def matches(entry, prec, names):
        kind, value = entry
        if kind == "name":
            return prec == value
        return value in names

    for ordering in grammar.precedences:
        saw_left = saw_right = False
        for entry in ordering:
            if matches(entry, left, left_names):
                saw_left = True
                if saw_right:
                    return -1
            elif matches(entry, right, right_names):
                saw_right = True
                if saw_left:
                    return 1
    return 0


class StateResolver:
    def __init__(self, automaton):
        self.a = automaton
        self.grammar = automaton.grammar
        self.space = automaton.space
        self.expected = set(self.grammar.expected_conflicts)
        self.used_expected = set()

    # -- naming helpers for messages --
    def display(self, sid: int) -> str:
        symbol = self.space.to_symbol(sid)
        name = self.grammar.name_of(symbol)
        if self.space.is_terminal(sid) and sid != 0 and self.grammar.kind_of(symbol) == ANONYMOUS:
            return "'" + name.replace("\n", "\\n") + "'"
        return name

    def lhs_name(self, prod) -> str:
        return self.grammar.syntax[prod.variable].name

    def step_prec(self, prod, dot):
        if dot == 0:
            return None, None
        step = prod.steps[dot - 1]
        return step.prec, step.assoc

    def parent_symbols(self, state_index: int, p: int, d: int, depth: int = 0) -> list:
        """The rules a conflicting item stands for.  A repeat helper (which
        may be shared by several rules) stands for the rules that were using
        it where it began: walk back `d` states along the path that first
        reached this state and look for items expecting the helper there
        (through `aux -> aux • aux`, which continues the same repetition)."""
        a = self.a
        prod = a.productions[p]
        if self.grammar.syntax[prod.variable].origin is None or depth > 20:
            return [("n", prod.variable)]
        state = state_index
        for _ in range(d):
            if a.states[state].parent is None:
                break
            state = a.states[state].parent[0]
        template = a.templates[a.states[state].core]
        result = []
        for q, e in template.items:
            rhs = a.productions[q].rhs
            if q == 0 or e >= len(rhs) or rhs[e] != prod.lhs:
                continue
            # `aux -> aux • aux` continues the same repetition: look further back
            if a.productions[q].lhs != prod.lhs or e > 0:
                for symbol in self.parent_symbols(state, q, e, depth + 1):
                    if symbol not in result:
                        result.append(symbol)
        return result or [("n", prod.variable)]

    def resolve(self, state_index: int) -> dict:
        a = self.a
        state = a.states[state_index]
        template = a.templates[state.core]
        lookaheads = a.closure_lookaheads(state)
        actions: dict = {}
        reduce_info: dict = {}
        conflicted = set()

        for i, (p, d) in enumerate(template.items):
            prod = a.productions[p]
            if d < len(prod.rhs):
                continue
            la = lookaheads[i]
            if p == 0:
                if la & 1:
                    actions[0] = [(ACCEPT,)]
                continue
            prec, assoc = self.step_prec(prod, d)
            name = self.lhs_name(prod)
            t = 0
            while la:
                if la & 1:
                    entry = actions.setdefault(t, [])
                    info = reduce_info.setdefault(t, {"prec": None, "names": [], "assoc": set()})
                    action = (REDUCE, p)
                    if not entry:
                        entry.append(action)
                    else:
                        order = compare_precedence(self.grammar, prec, [name], info["prec"], info["names"])
                        if order > 0:
                            entry.clear()
                            entry.append(action)
                            conflicted.discard(t)
                            info = reduce_info[t] = {"prec": None, "names": [], "assoc": set()}
                        elif order == 0:
                            if action not in entry:
                                entry.append(action)
                                conflicted.add(t)
                        else:
                            la >>= 1
                            t += 1
                            continue
                    info["prec"] = prec
                    if name not in info["names"]:
                        info["names"].append(name)
                    info["assoc"].add(assoc)
                la >>= 1
                t += 1

        for sid, target in state.transitions.items():
            if a.space.is_terminal(sid):
                entry = actions.setdefault(sid, [])
                if entry:
                    conflicted.add(sid)
                entry.append((SHIFT, target))

        for t in sorted(conflicted):
            actions[t] = self._handle_conflict(state_index, template, lookaheads, t, actions[t], reduce_info.get(t))
        return {t: tuple(entry) for t, entry in actions.items()}

    def _handle_conflict(self, state_index, template, lookaheads, t, entry, info):
        a = self.a
        conflicting = []
        shift_precs = []
        for i, (p, d) in enumerate(template.items):
            prod = a.productions[p]
            if d < len(prod.rhs):
                if d > 0 and a.first_of_symbol(prod.rhs[d]) >> t & 1:
                    if p != 0:
                        conflicting.append((p, d))
                    prec, _ = self.step_prec(prod, d)
                    key = (prec, self.lhs_name(prod) if p else "")
                    if key not in shift_precs:
                        shift_precs.append(key)
            elif lookaheads[i] >> t & 1 and p != 0:
                conflicting.append((p, d))

        if entry[-1][0] == SHIFT and self._within_one_repetition(conflicting):
            # `aux aux • x`: the ambiguity a repeat helper has by construction.
            # Keep both actions; the shift, marked as a repetition, is never
            # taken by the runtime (so the reduce wins: left associative), but
            # the entry stays as tree-sitter's own tables have it.
            return entry[:-1] + [(SHIFT, entry[-1][1], True)]

        considered_assoc = False
        has_shift = entry[-1][0] == SHIFT
        if has_shift and info is not None:
            more = less = equal = False
            for prec, name in shift_precs:
                order = compare_precedence(self.grammar, prec, [name], info["prec"], info["names"])
                if order > 0:
                    more = True
                elif order < 0:
                    less = True
                else:
                    equal = True
            assoc = info["assoc"]
            only_right = assoc == {"right"}
            only_left = assoc == {"left"}
            if more and not less:
                entry = [entry[-1]]
            elif less and not more:
                if equal and only_right:
                    entry = [entry[-1]]
                else:
                    entry = entry[:-1]
                    conflicting = [(p, d) for p, d in conflicting if d == len(a.productions[p].rhs)]
            elif not less and not more:
                considered_assoc = True
                if only_left:
                    entry = entry[:-1]
                    conflicting = [(p, d) for p, d in conflicting if d == len(a.productions[p].rhs)]
                elif only_right:
                    entry = [entry[-1]]
        if len(entry) == 1:
            return entry

        symbols = set()
        for p, d in conflicting:
            symbols.update(self.parent_symbols(state_index, p, d))
        key = tuple(sorted(symbols))
        if key in self.expected:
            self.used_expected.add(key)
            reduces = sorted(x for x in entry if x[0] == REDUCE)
            shifts = [x for x in entry if x[0] == SHIFT]
            return reduces + shifts
        raise ConflictError(self._message(state_index, t, conflicting, considered_assoc, key))

    def _within_one_repetition(self, conflicting) -> bool:
        variables = {self.a.productions[p].variable for p, _ in conflicting}
        return len(variables) == 1 and self.grammar.syntax[variables.pop()].kind == AUXILIARY

    def _message(self, state_index, t, conflicting, considered_assoc, key) -> str:
        a = self.a
        sequence = [self.display(s) for s in a.preceding_symbols(state_index)]
        lookahead = self.display(t)
        lines = ["Unresolved conflict for symbol sequence:", ""]
        lines.append("  " + "  ".join(sequence + ["•", lookahead, "…"]))
        lines += ["", "Possible interpretations:", ""]
        interpretations = []
        for p, d in sorted(conflicting):
            prod = a.productions[p]
            rhs = [self.display(s) for s in prod.rhs]
            before = sequence[: len(sequence) - d]
            lhs = self.lhs_name(prod)
            if d == len(rhs):
                text = "  ".join(before + ["(" + "  ".join([lhs] + rhs) + ")", "•", lookahead, "…"])
                prec, assoc = self.step_prec(prod, d)
                notes = []
                if prec is not None:
                    notes.append(f"precedence: {prec}")
                if assoc is not None:
                    notes.append(f"associativity: {assoc}")
                text += f"   [reduce {lhs}" + (", " + ", ".join(notes) if notes else "") + "]"
            else:
                text = "  ".join(before + ["(" + "  ".join([lhs] + rhs[:d] + ["•"] + rhs[d:]) + ")"])
                prec, _ = self.step_prec(prod, d)
                text += f"   [shift {lookahead}" + (f", precedence: {prec}" if prec is not None else "") + "]"
            interpretations.append(text)
        for n, text in enumerate(interpretations, 1):
            lines.append(f"  {n}:  {text}")
        names = sorted({self.grammar.name_of(s) for s in key})
        rules = ", ".join(f"`{n}`" for n in names)
        lines += ["", "Possible resolutions:", ""]
        resolutions = [f"Specify a higher precedence (prec) in one of {rules} than in the others"]
        if considered_assoc:
            resolutions.append(f"Specify a left or right associativity (prec.left / prec.right) in {rules}")
        resolutions.append(f"Add a conflicts entry for these rules: [{', '.join('$.' + n for n in names)}]")
        for n, text in enumerate(resolutions, 1):
            lines.append(f"  {n}:  {text}")
        return "\n".join(lines)

    def unused_expected_conflicts(self) -> list:
        return [c for c in self.expected if c not in self.used_expected]
