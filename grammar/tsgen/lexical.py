"""The lexical side of table building: keywords, lexer token sets per parse
state, grouping of compatible sets into shared lex states, the
error-recovery token set, and the lexer DFAs themselves."""

from __future__ import annotations

from dataclasses import dataclass

from .charset import CharSet
from .dfa import LexGroup, build_lex_states
from .nfa import build_nfa
from .token_conflicts import TokenConflicts


@dataclass
class LexicalAnalysis:
    nfa: object
    conflicts: TokenConflicts
    keywords: frozenset        # lexical indices lexed via the word token
    word: int | None           # lexical index of the word token
    is_string: list
    immediate: list
    external: frozenset = frozenset()   # lexical indices only the external scanner produces

    def lexer_token(self, lexical_index: int) -> int:
        """The token the main lexer produces for a valid terminal."""
        if lexical_index in self.keywords:
            return self.word
        return lexical_index

    def token_compatible(self, token: int, others) -> bool:
        """May `token` (lexical index) become valid where only `others` were,
        without changing what the lexer returns for any input those states
        accept?  It may, unless it could win against one of them (same text
        preferred, longer match, or higher precedence) or take characters a
        separator would have skipped."""
        mine = self.lexer_token(token)
        theirs = {self.lexer_token(o) for o in others}
        if mine in theirs:
            return True  # the lexer already produces this token there
        if mine in self.external:
            # as in tree-sitter: a state gaining an external token changes what the scanner is
            # told is valid, which may change what it returns
            return False
        if self.conflicts.overlaps_separator(mine):
            return False
        return not any(self.conflicts.shadows(mine, t) for t in theirs)


def following_characters(nfa, token_count: int, following_tokens) -> list:
    """Characters that may follow each token: the first characters of the
    tokens that may follow it, and of the separators."""
    first = [nfa.first_chars(nfa.token_starts[t]) for t in range(token_count)]
    base = nfa.first_chars(nfa.separator_start) if nfa.separator_start is not None else CharSet()
    result = []
    for t in range(token_count):
        chars = base
        for u in sorted(following_tokens.get(t, ())):
            chars = chars.union(first[u])
        result.append(chars)
    return result


def analyze_tokens(grammar, following_tokens=None) -> LexicalAnalysis:
    """`following_tokens`: lexical index -> lexical indices that may follow
    it in a valid document (None when unknown: then anything may)."""
    nfa = build_nfa(grammar)
    is_string = [v.is_string for v in grammar.lexical]
    immediate = [v.immediate for v in grammar.lexical]
    following = None
    if following_tokens is not None:
        following = following_characters(nfa, len(grammar.lexical), following_tokens)
    conflicts = TokenConflicts(nfa, is_string, len(grammar.lexical), following)
    word = grammar.word_token[1] if grammar.word_token else None
    external = frozenset(k for k, v in enumerate(grammar.lexical) if v.external)
    keywords = set()
    if word is not None:
        extras = {s[1] for s in grammar.extra_tokens}
        for k in range(len(grammar.lexical)):
            if k != word and k not in extras and k not in external and conflicts.matches_subset(k, word):
                keywords.add(k)
    return LexicalAnalysis(nfa, conflicts, frozenset(keywords), word, is_string, immediate, external)


def group_lex_sets(analysis: LexicalAnalysis, state_sets: list) -> tuple:
    """Assign every parse state's (tokens, eof) set to a shared lex group.

    A set joins an existing group when every token present on only one side
    is compatible with the other side: then the merged lexer returns the same
    token as the state's own lexer would for every input."""
    groups: list = []  # [tokens set, eof]
    assignment = []
    for tokens, eof in state_sets:
        for g, (group_tokens, group_eof) in enumerate(groups):
            if tokens == group_tokens:
                break
            ok = all(analysis.token_compatible(t, group_tokens) for t in tokens - group_tokens) and all(
                analysis.token_compatible(t, tokens) for t in group_tokens - tokens
            )
            if ok:
                groups[g] = (group_tokens | tokens, group_eof or eof)
                break
        else:
            groups.append((frozenset(tokens), eof))
            g = len(groups) - 1
        assignment.append(g)
    return [LexGroup(frozenset(t), e) for t, e in groups], assignment


def build_lexers(analysis: LexicalAnalysis, groups: list):
    states, starts = build_lex_states(analysis.nfa, analysis.is_string, analysis.immediate, groups)
    keyword_states = []
    if analysis.keywords:
        keyword_states, _ = build_lex_states(
            analysis.nfa,
            analysis.is_string,
            analysis.immediate,
            [LexGroup(analysis.keywords, False)],
            use_separator=False,
        )
    return states, starts, keyword_states
