"""Merging canonical LR(1) states that share a core (LALR-style), but only
where the merge changes nothing a parse can observe:

* for every lookahead both states act on, the resolved actions must be the
  same (shift targets compare by core, because those get merged too);
* a lookahead only one state acts on must not compete lexically with the
  tokens valid in the other state (their first characters must differ and it
  must not start like a separator), so the lexer of the merged state returns
  exactly what each original state's lexer returned.

Merging two states forces merging their successors, so each attempt runs as a
transaction over a union-find structure and is rolled back if any forced
merge is incompatible.  States therefore never gain conflicts, and the table
stays close to LALR size.
"""

from __future__ import annotations

from .conflicts import SHIFT


class StateMerger:
    def __init__(self, automaton, actions: list, token_compatible):
        self.a = automaton
        n = len(automaton.states)
        self.parent = list(range(n))
        self.class_actions = [dict(acts) for acts in actions]
        self.token_compatible = token_compatible  # (token sid, other sids) -> bool
        self.trail = []

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            x = self.parent[x]
        return x

    def _norm(self, action):
        if action[0] == SHIFT:
            return (SHIFT, self.a.states[action[1]].core) + action[2:]
        return action

    def _compatible(self, x: int, y: int) -> bool:
        ax, ay = self.class_actions[x], self.class_actions[y]
        for t, acts in ax.items():
            other = ay.get(t)
            if other is None:
                continue
            if len(acts) != len(other) or any(self._norm(p) != self._norm(q) for p, q in zip(acts, other)):
                return False
        only_x = [t for t in ax if t not in ay]
        only_y = [t for t in ay if t not in ax]
        for t in only_x:
            if not self.token_compatible(t, ay.keys()):
                return False
        for t in only_y:
            if not self.token_compatible(t, ax.keys()):
                return False
        return True

    def try_merge(self, a: int, b: int) -> bool:
        mark = len(self.trail)
        pending = [(a, b)]
        while pending:
            x, y = pending.pop()
            x, y = self.find(x), self.find(y)
            if x == y:
                continue
            if x > y:
                x, y = y, x
            if not self._compatible(x, y):
                self._rollback(mark)
                return False
            self.trail.append((y, self.class_actions[x]))
            self.parent[y] = x
            merged = dict(self.class_actions[y])
            merged.update(self.class_actions[x])
            self.class_actions[x] = merged
            tx = self.a.states[x].transitions
            ty = self.a.states[y].transitions
            for sid in tx:
                pending.append((tx[sid], ty[sid]))
        return True

    def _rollback(self, mark: int) -> None:
        while len(self.trail) > mark:
            y, old_actions = self.trail.pop()
            x = self.parent[y]
            self.parent[y] = y
            self.class_actions[x] = old_actions

    def run(self) -> list:
        """Returns, for each canonical state, the index of its merged class root."""
        roots_by_core: dict = {}
        for s, state in enumerate(self.a.states):
            if self.find(s) != s:
                continue
            roots = roots_by_core.setdefault(state.core, [])
            for r in roots:
                if self.find(r) == r and self.try_merge(r, s):
                    break
            else:
                roots.append(s)
            self.trail.clear()
        return [self.find(s) for s in range(len(self.a.states))]
