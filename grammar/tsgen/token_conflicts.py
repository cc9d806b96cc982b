"""Pairwise relations between tokens, used to decide
  * which tokens the error-recovery lex state may contain,
  * which tokens are keywords (lexed as the word token, then re-lexed),
  * whether two parse states (or two lex groups) may share a lexer, and
  * which table entries are "reusable" for incremental parsing.

`overlap(i, j)`: some input can start both tokens (first characters meet).
Tokens that do not overlap never compete: the first character decides.

`shadows(i, j)`: with both tokens valid, some input that j matches is lexed
as i instead: i is preferred on the same text, i completes first with higher
precedence, or i continues past the end of j's match with a character that
may really follow j in the language (its *valid continuation*; `...` does
not shadow `.` when `.` is always followed by a name).
"""

from __future__ import annotations

from .charset import partition
from .nfa import SEPARATOR, Nfa


class TokenConflicts:
    def __init__(self, nfa: Nfa, is_string: list, token_count: int, following_chars=None):
        """`following_chars[j]`: characters that may come right after token j
        in a valid document (None: anything may)."""
        self.nfa = nfa
        self.following_chars = following_chars
        self.is_string = is_string
        self.n = token_count
        self.first = [nfa.first_chars(nfa.token_starts[t]) for t in range(token_count)]
        self.separator_first = (
            nfa.first_chars(nfa.separator_start) if nfa.separator_start is not None else None
        )
        self._shadow = set()
        self._overlap = set()
        self._separator_cache: dict = {}
        for i in range(token_count):
            for j in range(i + 1, token_count):
                if self.first[i].intersect(self.first[j]):
                    self._overlap.add((i, j))
                    self._overlap.add((j, i))
                    self._analyze_pair(i, j)

    def overlap(self, i: int, j: int) -> bool:
        return (i, j) in self._overlap

    def overlaps_separator(self, i: int) -> bool:
        """Could token i take text a separator would otherwise skip?"""
        if self.separator_first is None or not self.first[i].intersect(self.separator_first):
            return False
        if i not in self._separator_cache:
            self._separator_cache[i] = self._takes_separator_text(i)
        return self._separator_cache[i]

    def _explore(self, starts, visit) -> bool:
        """Walk the lexer states (NFA thread sets) reachable from `starts`.
        `visit(threads)` returns the threads whose transitions to follow
        (empty: stop on this path), or None to end the whole walk; the walk
        returns False when it was ended that way."""
        nfa = self.nfa
        start = nfa.closure(starts)
        seen = {start}
        queue = [start]
        while queue:
            follow = visit(queue.pop())
            if follow is None:
                return False
            for _, members in partition([nfa.char_edges[s][0] for s in follow]):
                nxt = nfa.closure([nfa.char_edges[follow[m]][1] for m in members])
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return True

    def _moving(self, threads) -> list:
        return [s for s in sorted(threads) if self.nfa.char_edges[s] is not None]

    def _takes_separator_text(self, i: int) -> bool:
        """Run token i and the separator side by side: i takes separator
        text if it is still running (or done) where a separator just ended."""
        nfa = self.nfa

        def visit(threads):
            if not any(nfa.owners[s] == i for s in threads):
                return []
            if any(nfa.accepts[s] == SEPARATOR for s in threads):
                return None
            moving = self._moving(threads)
            return moving if any(nfa.owners[s] == SEPARATOR for s in moving) else []

        return not self._explore([nfa.token_starts[i], nfa.separator_start], visit)

    def shadows(self, i: int, j: int) -> bool:
        return (i, j) in self._shadow

    def _preference(self, s):
        token = self.nfa.accepts[s]
        return (self.nfa.precs[s], self.is_string[token], -token)

    def _analyze_pair(self, i: int, j: int) -> None:
        nfa = self.nfa

        def visit(threads):
            completed = {}
            for s in threads:
                token = nfa.accepts[s]
                if token is not None and token >= 0:
                    key = self._preference(s)
                    if token not in completed or key > completed[token]:
                        completed[token] = key
            best = max(completed.values()) if completed else None
            best_token = -best[2] if best else None
            if len(completed) == 2:
                loser = j if best_token == i else i
                self._shadow.add((best_token, loser))
            moving = self._moving(threads)
            live = [s for s in moving if best is None or nfa.precs[s] >= best[0]]
            if best is not None:
                other = j if best_token == i else i
                if any(nfa.owners[s] == other and self._may_follow(best_token, s) for s in live):
                    self._shadow.add((other, best_token))  # other runs past best's end
                if any(nfa.owners[s] == other for s in moving) and not any(nfa.owners[s] == other for s in live):
                    self._shadow.add((best_token, other))  # best cuts other short
            # once only one token is still running there is no more interaction
            return live if len({nfa.owners[s] for s in live}) > 1 else []

        self._explore([nfa.token_starts[i], nfa.token_starts[j]], visit)

    def _may_follow(self, token: int, nfa_state: int) -> bool:
        if self.following_chars is None:
            return True
        return bool(self.nfa.char_edges[nfa_state][0].intersect(self.following_chars[token]))

    def matches_subset(self, k: int, word: int) -> bool:
        """Does `word` match every string token `k` matches?"""
        nfa = self.nfa

        def visit(threads):
            k_threads = [s for s in threads if nfa.owners[s] == k]
            if not k_threads:
                return []
            w_threads = [s for s in threads if nfa.owners[s] == word]
            if not w_threads:
                return None  # k goes on where word cannot
            if any(nfa.accepts[s] == k for s in k_threads) and not any(nfa.accepts[s] == word for s in w_threads):
                return None  # k matches a string word does not
            return self._moving(threads)

        return self._explore([nfa.token_starts[k], nfa.token_starts[word]], visit)
