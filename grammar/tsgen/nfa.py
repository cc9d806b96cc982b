"""One NFA holding every token of a grammar (plus the separator pattern made
of the anonymous extras), built Thompson-style from lexical rule trees.

Each NFA state records which token it belongs to and the lexical precedence
in force there, because the lexer DFA resolves conflicts per thread."""

from __future__ import annotations

from .charset import CharSet
from .errors import GrammarError

SEPARATOR = -1  # owner id of the separator pattern's states


class Nfa:
    def __init__(self):
        self.char_edges: list = []   # state -> (CharSet, target) or None
        self.eps_edges: list = []    # state -> list of targets
        self.accepts: list = []      # state -> token id (or SEPARATOR) or None
        self.precs: list = []        # state -> lexical precedence
        self.owners: list = []       # state -> token id (or SEPARATOR)
        self.token_starts: dict = {}  # token id -> start state
        self.separator_start: int | None = None

    def _new(self, owner: int, prec: int) -> int:
        self.char_edges.append(None)
        self.eps_edges.append([])
        self.accepts.append(None)
        self.precs.append(prec)
        self.owners.append(owner)
        return len(self.char_edges) - 1

    def add_token(self, token_id: int, tree) -> None:
        end = self._new(token_id, 0)
        self.accepts[end] = token_id
        start = self._compile(tree, end, token_id, 0, accept_prec_target=end)
        self.token_starts[token_id] = start

    def add_separator(self, trees) -> None:
        if not trees:
            return
        end = self._new(SEPARATOR, 0)
        self.accepts[end] = SEPARATOR
        branch = self._new(SEPARATOR, 0)
        for tree in trees:
            self.eps_edges[branch].append(self._compile(tree, end, SEPARATOR, 0, accept_prec_target=end))
        self.separator_start = branch

    def _compile(self, tree, target: int, owner: int, prec: int, accept_prec_target: int) -> int:
        kind = tree[0]
        if kind == "chars":
            charset = tree[1].without_nul()
            if not charset:
                raise GrammarError("a token contains an empty character class")
            state = self._new(owner, prec)
            self.char_edges[state] = (charset, target)
            return state
        if kind == "never":     # an external scanner's token: the internal lexer never makes it
            return self._new(owner, prec)
        if kind == "blank":
            state = self._new(owner, prec)
            self.eps_edges[state].append(target)
            return state
        if kind == "seq":
            for item in reversed(tree[1]):
                target = self._compile(item, target, owner, prec, accept_prec_target)
            return target
        if kind == "choice":
            state = self._new(owner, prec)
            for item in tree[1]:
                self.eps_edges[state].append(self._compile(item, target, owner, prec, accept_prec_target))
            return state
        if kind == "prec":
            if target == accept_prec_target:
                # The precedence covering a token's end is the precedence the
                # token is accepted with: give this path its own accept state.
                accept = self._new(owner, tree[1])
                self.accepts[accept] = self.accepts[target]
                return self._compile(tree[2], accept, owner, tree[1], accept)
            return self._compile(tree[2], target, owner, tree[1], accept_prec_target)
        if kind == "repeat":
            _, inner, lo, hi = tree
            if hi is None:
                # loop: entry -> inner -> entry, entry -> target
                entry = self._new(owner, prec)
                body = self._compile(inner, entry, owner, prec, accept_prec_target)
                self.eps_edges[entry].extend([body, target])
                start = entry
                for _ in range(lo):
                    start = self._compile(inner, start, owner, prec, accept_prec_target)
                return start
            if hi > 1000:
                raise GrammarError("repetition count over 1000 in a token")
            start = target
            for _ in range(hi - lo):
                optional = self._new(owner, prec)
                self.eps_edges[optional].extend([self._compile(inner, start, owner, prec, accept_prec_target), target])
                start = optional
            for _ in range(lo):
                start = self._compile(inner, start, owner, prec, accept_prec_target)
            return start
        raise GrammarError(f"unknown lexical rule {kind}")

    def closure(self, states) -> frozenset:
        seen = set(states)
        stack = list(states)
        while stack:
            s = stack.pop()
            for t in self.eps_edges[s]:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return frozenset(seen)

    def first_chars(self, start: int) -> CharSet:
        result = CharSet()
        for s in self.closure([start]):
            edge = self.char_edges[s]
            if edge:
                result = result.union(edge[0])
        return result


def build_nfa(grammar) -> Nfa:
    nfa = Nfa()
    for index, variable in enumerate(grammar.lexical):
        nfa.add_token(index, variable.rule)
    nfa.add_separator(grammar.separators)
    return nfa
