"""Subset construction of the lexer DFA, with tree-sitter's rules for
choosing between tokens that match at the same position:

  1. lexical precedence: once a token is complete, threads of tokens with a
     lower precedence are dropped (a higher-precedence token wins even when
     shorter);
  2. longest match: threads of equal or higher precedence keep running and
     the runtime falls back to the last accepted token (mark_end);
  3. among tokens complete at the same length: precedence, then a string
     token over a pattern, then the token defined first.

Each lex *group* (a set of tokens valid together, plus whether end of input is
valid) gets a start state.  The separator pattern (anonymous extras such as
/\\s/) runs alongside the tokens at a token start; characters only it can
take become SKIP transitions, which move the token start forward.  After a
separator, immediate tokens (token.immediate) are no longer allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .charset import partition
from .nfa import SEPARATOR, Nfa


@dataclass
class LexState:
    accept: int | None = None       # token id
    eof_accepts_end: bool = False   # end of input here is the `end` token
    transitions: list = field(default_factory=list)  # (CharSet, target, skip)


@dataclass
class LexGroup:
    tokens: frozenset
    eof: bool


class LexTableBuilder:
    def __init__(self, nfa: Nfa, is_string: list, immediate: list, use_separator: bool = True):
        self.nfa = nfa
        self.is_string = is_string
        self.immediate = immediate
        self.use_separator = use_separator and nfa.separator_start is not None
        self.states: list[LexState] = []
        self.ids: dict = {}
        self.queue: list = []

    def preference(self, nfa_state: int):
        token = self.nfa.accepts[nfa_state]
        return (self.nfa.precs[nfa_state], self.is_string[token], -token)

    def best_completion(self, threads):
        best = None
        for s in threads:
            token = self.nfa.accepts[s]
            if token is None or token == SEPARATOR:
                continue
            key = self.preference(s)
            if best is None or key > best:
                best = key
        return best

    def live_threads(self, threads, best):
        nfa = self.nfa
        live = []
        for s in sorted(threads):
            if nfa.char_edges[s] is None:
                continue
            if best is not None:
                if nfa.precs[s] < best[0]:
                    continue
                if nfa.owners[s] == SEPARATOR:
                    continue
            live.append(s)
        return live

    def _restart(self, group: LexGroup) -> frozenset:
        starts = [self.nfa.token_starts[t] for t in sorted(group.tokens) if not self.immediate[t]]
        if self.use_separator:
            starts.append(self.nfa.separator_start)
        return frozenset(starts)

    def _state_id(self, threads: frozenset, eof: bool, restart):
        if not any(self.nfa.owners[s] == SEPARATOR for s in threads):
            restart = None
        key = (threads, eof, restart)
        if key not in self.ids:
            self.ids[key] = len(self.states)
            self.states.append(LexState())
            self.queue.append(key)
        return self.ids[key]

    def add_group(self, group: LexGroup) -> int:
        starts = [self.nfa.token_starts[t] for t in sorted(group.tokens)]
        if self.use_separator:
            starts.append(self.nfa.separator_start)
        restart = self._restart(group) if self.use_separator else None
        start = self._state_id(self.nfa.closure(starts), group.eof, (restart, group.eof))
        self._drain()
        return start

    def _drain(self):
        nfa = self.nfa
        while self.queue:
            key = self.queue.pop(0)
            threads, eof, restart = key
            state = self.states[self.ids[key]]
            best = self.best_completion(threads)
            if best is not None:
                state.accept = -best[2]
            state.eof_accepts_end = eof
            live = self.live_threads(threads, best)
            if not live:
                continue
            pieces = partition([nfa.char_edges[s][0] for s in live])
            by_target: dict = {}
            for piece, members in pieces:
                movers = [live[i] for i in members]
                token_movers = [m for m in movers if nfa.owners[m] != SEPARATOR]
                if token_movers:
                    targets = nfa.closure([nfa.char_edges[m][1] for m in token_movers])
                    target = self._state_id(targets, False, None)
                    skip = False
                else:
                    targets = nfa.closure([nfa.char_edges[m][1] for m in movers])
                    restart_starts, group_eof = restart
                    next_eof = False
                    if any(nfa.accepts[t] == SEPARATOR for t in targets):
                        targets = nfa.closure(set(targets) | set(restart_starts))
                        next_eof = group_eof
                    target = self._state_id(targets, next_eof, restart)
                    skip = True
                k = (target, skip)
                by_target[k] = by_target[k].union(piece) if k in by_target else piece
            state.transitions = sorted(
                ((chars, target, skip) for (target, skip), chars in by_target.items()),
                key=lambda t: t[0].ranges[0],
            )


def build_lex_states(nfa: Nfa, is_string, immediate, groups, use_separator=True):
    """Returns (states, start state per group)."""
    builder = LexTableBuilder(nfa, is_string, immediate, use_separator)
    starts = [builder.add_group(group) for group in groups]
    return builder.states, starts
