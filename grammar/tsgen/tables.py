"""Assembling everything the C emitter needs: the final parse states (error
state 0, start state 1), symbol numbering and metadata, aliases, fields,
production ids, lex modes and lexers, and the large/small table split."""

from __future__ import annotations

from dataclasses import dataclass, field

from .conflicts import REDUCE, SHIFT, StateResolver
from .lexical import analyze_tokens, build_lexers, group_lex_sets
from .lr import LRAutomaton
from .minimize import StateMerger
from .model import ANONYMOUS, AUXILIARY, END, HIDDEN, NAMED, VISIBLE_KINDS, Grammar

RECOVER, SHIFT_EXTRA = "recover", "shift_extra"
LARGE_STATE_MIN_ENTRIES = 64


@dataclass
class SymbolInfo:
    symbol: object      # model symbol, or Alias for alias-only symbols
    name: str
    visible: bool
    named: bool
    supertype: bool = False
    c_name: str = ""


@dataclass
class Tables:
    grammar: Grammar
    symbols: list                 # SymbolInfo in emission order
    symbol_ids: dict              # model symbol -> emitted id
    alias_ids: dict               # Alias -> emitted id
    token_count: int
    public_map: list
    field_names: list             # sorted, field id = index + 1
    production_infos: list        # [(alias_seq tuple, field entries tuple)], id 0 empty
    max_alias_length: int
    states: list                  # per state: dict emitted symbol id -> entry
    large_state_count: int
    lex_modes: list
    lex_states: list
    keyword_lex_states: list
    keyword_capture: int
    primary_state_ids: list
    non_terminal_alias_map: list  # [(symbol id, [alias ids...])]
    action_lists: list = field(default_factory=list)


def _variable_fields(grammar: Grammar) -> list:
    """Field names each syntax variable may carry, including those inherited
    from hidden children (the runtime looks through hidden nodes)."""
    fields = [set() for _ in grammar.syntax]
    for i, variable in enumerate(grammar.syntax):
        for production in variable.productions:
            for step in production.steps:
                if step.field:
                    fields[i].add(step.field)
    changed = True
    while changed:
        changed = False
        for i, variable in enumerate(grammar.syntax):
            for production in variable.productions:
                for step in production.steps:
                    s = step.symbol
                    if s[0] == "n" and grammar.syntax[s[1]].kind not in VISIBLE_KINDS:
                        if not fields[s[1]] <= fields[i]:
                            fields[i] |= fields[s[1]]
                            changed = True
    return fields


def _following_tokens(automaton, actions, grammar) -> dict:
    """Lexical index -> lexical indices that can come right after it: the
    lookaheads of every state reached by shifting it, plus the extras (and
    after an extra, anything)."""
    space = automaton.space
    extras = {s[1] for s in grammar.extra_tokens}
    every = set(range(len(grammar.lexical)))
    following: dict = {}
    for state, state_actions in zip(automaton.states, actions):
        for sid, target in state.transitions.items():
            if sid == 0 or not space.is_terminal(sid):
                continue
            after = following.setdefault(sid - 1, set(extras))
            after.update(t - 1 for t in actions[target] if t != 0)
    for extra in extras:
        following[extra] = set(every)
    return following


def c_identifier(prefix: str, name: str) -> str:
    replacements = {
        "~": "TILDE", "`": "BQUOTE", "!": "BANG", "@": "AT", "#": "POUND", "$": "DOLLAR",
        "%": "PERCENT", "^": "CARET", "&": "AMP", "*": "STAR", "(": "LPAREN", ")": "RPAREN",
        "-": "DASH", "+": "PLUS", "=": "EQ", "{": "LBRACE", "}": "RBRACE", "[": "LBRACK",
        "]": "RBRACK", "\\": "BSLASH", "|": "PIPE", ":": "COLON", ";": "SEMI", '"': "DQUOTE",
        "'": "SQUOTE", "<": "LT", ">": "GT", ",": "COMMA", ".": "DOT", "?": "QMARK", "/": "SLASH",
        "\n": "LF", "\r": "CR", "\t": "TAB", " ": "SPACE",
    }
    out, last_was_word = [], True
    for ch in name:
        if ch.isascii() and (ch.isalnum() or ch == "_"):
            if not last_was_word:
                out.append("_")
            out.append(ch)
            last_was_word = True
        else:
            word = replacements.get(ch, f"u{ord(ch):04x}")
            if out:
                out.append("_")
            out.append(word)
            last_was_word = False
    return prefix + "".join(out)


def _unit_reduction_symbol(entries: dict, token_count: int, skippable: set):
    """The symbol X when the state's only actions reduce `X -> y` (one child,
    no fields, aliases or dynamic precedence) for a hidden X, else None."""
    symbol = None
    for sym, value in entries.items():
        if sym >= token_count:
            continue
        for action in value:
            if action[0] == SHIFT_EXTRA:
                continue
            if action[0] != REDUCE or action[2:] != (1, 0, 0) or action[1] not in skippable:
                return None
            if symbol is not None and action[1] != symbol:
                return None
            symbol = action[1]
    return symbol


def _skip_unit_reductions(states: list, cores: list, token_count: int, skippable: set):
    """As tree-sitter's table minimization does: a shift or goto into a state
    that only reduces `X -> y` for a hidden X goes straight to the state the
    goto on X would reach, so no one-child X node is built (a repetition of
    single symbols then holds its elements directly: `aux -> aux aux | y`).
    States no longer reachable from the start state are dropped."""
    unit = {}
    for k in range(1, len(states)):
        symbol = _unit_reduction_symbol(states[k], token_count, skippable)
        if symbol is not None:
            unit[k] = symbol
    if not unit:
        return states, cores

    def redirect(entries, target):
        for _ in range(len(states)):
            symbol = unit.get(target)
            goto = entries.get(symbol) if symbol is not None else None
            if goto is None or goto[1] == target:
                return target
            target = goto[1]
        return target

    states = [dict(entries) for entries in states]
    for entries in states:
        for sym, value in list(entries.items()):
            if value[0] == "goto":
                entries[sym] = ("goto", redirect(entries, value[1]))
            else:
                entries[sym] = tuple(
                    (SHIFT, redirect(entries, a[1])) + a[2:] if a[0] == SHIFT else a for a in value
                )

    reachable, pending = {0, 1}, [0, 1]
    while pending:
        for value in states[pending.pop()].values():
            targets = [value[1]] if value[0] == "goto" else [a[1] for a in value if a[0] == SHIFT]
            for target in targets:
                if target not in reachable:
                    reachable.add(target)
                    pending.append(target)
    keep = sorted(reachable)
    renumber = {old: new for new, old in enumerate(keep)}

    def remap(value):
        if value[0] == "goto":
            return ("goto", renumber[value[1]])
        return tuple((SHIFT, renumber[a[1]]) + a[2:] if a[0] == SHIFT else a for a in value)

    return [{sym: remap(v) for sym, v in states[k].items()} for k in keep], [cores[k] for k in keep]


def build_tables(grammar: Grammar) -> Tables:
    automaton = LRAutomaton(grammar)
    automaton.build()
    space = automaton.space
    resolver = StateResolver(automaton)
    canonical_actions = [resolver.resolve(i) for i in range(len(automaton.states))]

    analysis = analyze_tokens(grammar, _following_tokens(automaton, canonical_actions, grammar))

    def token_compatible(t_sid, other_sids) -> bool:
        if t_sid == 0:
            return True
        return analysis.token_compatible(t_sid - 1, [o - 1 for o in other_sids if o != 0])

    merger = StateMerger(automaton, canonical_actions, token_compatible)
    class_of = merger.run()
    roots = sorted(set(class_of))

    # ---- per-state entries in LR symbol ids (before renumbering) ----
    extras = [space.to_id(s) for s in grammar.extra_tokens]
    raw_states = [dict()]  # state 0: error recovery, filled below
    root_index = {r: i + 1 for i, r in enumerate(roots)}
    for r in roots:
        entries = {}
        for t, acts in merger.class_actions[r].items():
            entries[t] = tuple((SHIFT, root_index[class_of[a[1]]]) + a[2:] if a[0] == SHIFT else a for a in acts)
        for sid, target in automaton.states[r].transitions.items():
            if not space.is_terminal(sid):
                entries[sid] = ("goto", root_index[class_of[target]])
        for e in extras:
            entries.setdefault(e, ((SHIFT_EXTRA,),))
        raw_states.append(entries)
    cores = [None] + [automaton.states[r].core for r in roots]

    # ---- error recovery state ----
    term_count = space.term_count
    coincident = set()
    for entries in raw_states[1:]:
        valid = sorted(t - 1 for t in entries if 0 < t < term_count)
        for i in valid:
            for j in valid:
                coincident.add((i, j))
    error_entries = {}
    for e in extras:
        error_entries[e] = ((SHIFT_EXTRA,),)
    for i in range(len(grammar.lexical)):
        keep = i == analysis.word or i in analysis.keywords or not any(
            analysis.conflicts.shadows(i, j) and (i, j) not in coincident
            for j in range(len(grammar.lexical))
            if j != i
        )
        if keep:
            error_entries.setdefault(1 + i, ((RECOVER,),))
    error_entries[0] = ((RECOVER,),)
    raw_states[0] = error_entries

    # ---- which symbols are used, and their emitted order ----
    used_terms, used_nonterms = set(), set()
    for entries in raw_states:
        for sid, value in entries.items():
            (used_terms if space.is_terminal(sid) else used_nonterms).add(sid)
            if value and value[0] != "goto":
                for a in value:
                    if a[0] == REDUCE:
                        used_nonterms.add(automaton.productions[a[1]].lhs)
    if analysis.word is not None:
        used_terms.add(1 + analysis.word)
    # the scanner's symbol map names every external token, used or not
    used_terms.update(space.to_id(symbol) for symbol in grammar.external_tokens)
    order = [0]
    if analysis.word is not None:
        order.append(1 + analysis.word)
    order += [t for t in range(1, term_count) if t in used_terms and t not in order]
    token_count = len(order)
    order += [n for n in range(term_count, term_count + space.nonterm_count) if n in used_nonterms]
    emitted = {sid: k for k, sid in enumerate(order)}

    symbols = []
    for sid in order:
        symbol = space.to_symbol(sid)
        kind = grammar.kind_of(symbol)
        name = grammar.name_of(symbol)
        supertype = symbol[0] == "n" and grammar.syntax[symbol[1]].supertype
        if symbol == END:
            info = SymbolInfo(symbol, "end", False, True, c_name="ts_builtin_sym_end")
        else:
            prefix = {NAMED: "sym_", HIDDEN: "sym_", ANONYMOUS: "anon_sym_", AUXILIARY: "aux_sym_"}[kind]
            info = SymbolInfo(symbol, name, kind in VISIBLE_KINDS, kind in (NAMED, HIDDEN), supertype, c_identifier(prefix, name))
        symbols.append(info)

    # ---- alias symbols ----
    productions_used = set()
    for entries in raw_states:
        for value in entries.values():
            if value and value[0] != "goto":
                for a in value:
                    if a[0] == REDUCE:
                        productions_used.add(a[1])
    alias_ids = {}
    for p in sorted(productions_used):
        for step in automaton.productions[p].steps:
            alias = step.alias
            if alias is None or alias in alias_ids:
                continue
            match = next(
                (k for k, s in enumerate(symbols) if s.visible and s.name == alias.value and s.named == alias.named),
                None,
            )
            if match is None:
                symbols.append(
                    SymbolInfo(alias, alias.value, True, alias.named, c_name=c_identifier("alias_sym_", alias.value))
                )
                match = len(symbols) - 1
            alias_ids[alias] = match

    # unique C identifiers
    seen_c = {}
    for info in symbols:
        base = info.c_name
        if base in seen_c:
            seen_c[base] += 1
            info.c_name = f"{base}{seen_c[base]}"
        else:
            seen_c[base] = 1

    public_map = []
    for k, info in enumerate(symbols):
        canonical = k
        for j in range(k):
            other = symbols[j]
            if other.name == info.name and other.visible == info.visible and other.named == info.named and j != 0:
                canonical = j
                break
        public_map.append(canonical)

    # ---- fields and production infos ----
    variable_fields = _variable_fields(grammar)
    field_names = sorted({s.field for p in automaton.productions for s in p.steps if s.field})
    field_ids = {name: i + 1 for i, name in enumerate(field_names)}
    production_infos = [((), ())]
    production_id_of = {}
    max_alias_length = 0
    for p in sorted(productions_used):
        prod = automaton.productions[p]
        max_alias_length = max(max_alias_length, len(prod.steps))
        aliases = [alias_ids[s.alias] if s.alias is not None else 0 for s in prod.steps]
        while aliases and aliases[-1] == 0:
            aliases.pop()
        entries = []
        for index, step in enumerate(prod.steps):
            if step.field:
                entries.append((step.field, index, False))
            sym = step.symbol
            if sym[0] == "n" and grammar.syntax[sym[1]].kind not in VISIBLE_KINDS:
                for name in sorted(variable_fields[sym[1]]):
                    entries.append((name, index, True))
        entries.sort(key=lambda e: e[0])  # stable: by field name, then step order
        info = (tuple(aliases), tuple((field_ids[n], i, inh) for n, i, inh in entries))
        if info not in production_infos:
            production_infos.append(info)
        production_id_of[p] = production_infos.index(info)

    # ---- non-terminal alias map ----
    nt_aliases = {}
    for p in sorted(productions_used):
        for step in automaton.productions[p].steps:
            if step.alias is not None and step.symbol[0] == "n":
                sid = emitted[space.to_id(step.symbol)]
                nt_aliases.setdefault(sid, set()).add(alias_ids[step.alias])
    non_terminal_alias_map = [
        (sid, [public_map[sid]] + sorted(a for a in ids if a != public_map[sid])) for sid, ids in sorted(nt_aliases.items())
    ]

    # ---- final entries with emitted ids ----
    def convert(value):
        if value[0] == "goto":
            return ("goto", value[1])
        out = []
        for a in value:
            if a[0] == REDUCE:
                prod = automaton.productions[a[1]]
                out.append((REDUCE, emitted[prod.lhs], len(prod.rhs), prod.dynamic_prec, production_id_of[a[1]]))
            else:
                out.append(a)
        return tuple(out)

    converted = []
    for entries in raw_states:
        converted.append({emitted[sid]: convert(v) for sid, v in entries.items()})

    aliased = {s.symbol for v in grammar.syntax for p in v.productions for s in p.steps if s.alias is not None}
    skippable = {
        emitted[sid]
        for sid in order[token_count:]
        if grammar.kind_of(space.to_symbol(sid)) in (HIDDEN, AUXILIARY)
        and not grammar.syntax[space.to_symbol(sid)[1]].supertype
        and space.to_symbol(sid) not in grammar.default_aliases
        and space.to_symbol(sid) not in aliased
    }
    converted, cores = _skip_unit_reductions(converted, cores, token_count, skippable)

    # ---- state order: error, start, large states, then small ones ----
    # A state gets a full row of the large table when it has many entries;
    # the others are listed sparsely in the small table.
    threshold = min(LARGE_STATE_MIN_ENTRIES, len(order) // 2)

    def is_large(k):
        return k <= 1 or len(converted[k]) > threshold

    new_order = [k for k in range(len(converted)) if is_large(k)] + [k for k in range(len(converted)) if not is_large(k)]
    large_state_count = sum(1 for k in range(len(converted)) if is_large(k))
    renumber = {old: new for new, old in enumerate(new_order)}

    def remap(value):
        if value[0] == "goto":
            return ("goto", renumber[value[1]])
        return tuple((SHIFT, renumber[a[1]]) + a[2:] if a[0] == SHIFT else a for a in value)

    states = [{sym: remap(v) for sym, v in converted[old].items()} for old in new_order]
    state_cores = [cores[old] for old in new_order]
    primary = []
    first_with_core = {}
    for k, core in enumerate(state_cores):
        if core is None:
            primary.append(k)
            continue
        primary.append(first_with_core.setdefault(core, k))

    # ---- lex modes ----
    state_sets = []
    for entries in states:
        tokens = set()
        eof = False
        for sym in entries:
            if sym >= token_count:
                continue
            sid = order[sym]
            if sid == 0:
                eof = True
            elif sid - 1 not in analysis.external:
                tokens.add(analysis.lexer_token(sid - 1))
        state_sets.append((frozenset(tokens), eof))
    groups, assignment = group_lex_sets(analysis, state_sets)
    lex_states, group_starts, keyword_lex_states = build_lexers(analysis, groups)
    lex_modes = [group_starts[g] for g in assignment]

    # ---- external scanner states: which of the scanner's tokens each state accepts (its
    # `valid_symbols`); set 0 is "none" (the scanner is not called), the others numbered in the
    # order states first use them ----
    external_ids = [emitted[space.to_id(symbol)] for symbol in grammar.external_tokens]
    external_sets = [tuple(False for _ in external_ids)]
    external_lex_states = []
    for entries in states:
        row = tuple(sym in entries for sym in external_ids)
        if not any(row):
            external_lex_states.append(0)
            continue
        if row not in external_sets:
            external_sets.append(row)
        external_lex_states.append(external_sets.index(row))

    # ---- reusable flags: a token that competes with another valid token
    # may lex differently after an edit, so its entry is not reusable.  That
    # includes a valid token able to take separator text (the string content
    # of `"  "`): a reused token's leading whitespace might now be its text.
    # Tokens are compared as the grammar has them, not as the main lexer
    # returns them: a keyword and the word token are one lexer token, but an
    # identifier lexed where the keyword was not valid (during error
    # recovery, say) must not be reused where it now is (as tree-sitter's
    # fragile-token marking does) ----
    conflicts = analysis.conflicts
    takes_separator: dict = {}
    for entries in states:
        valid = [order[sym] - 1 for sym in entries if 0 < sym < token_count]
        seps = []
        for o in valid:
            got = takes_separator.get(o)
            if got is None:
                got = takes_separator[o] = conflicts.overlaps_separator(analysis.lexer_token(o))
            if got:
                seps.append(o)
        for sym, value in list(entries.items()):
            if sym >= token_count or value[0] == "goto":
                continue
            reusable = value[0][0] != RECOVER
            if reusable and sym != 0:
                mine = order[sym] - 1
                if any(o != mine for o in seps) or any(conflicts.overlap(mine, o) for o in valid if o != mine):
                    reusable = False
            entries[sym] = ("actions", reusable, value)

    emitted_of_lexical = {}
    for sym, sid in enumerate(order[:token_count]):
        if sid != 0:
            emitted_of_lexical[sid - 1] = sym
    keyword_capture = emitted_of_lexical[analysis.word] if analysis.keywords else 0

    tables = Tables(
        grammar=grammar,
        symbols=symbols,
        symbol_ids={space.to_symbol(sid): emitted[sid] for sid in order},
        alias_ids=alias_ids,
        token_count=token_count,
        public_map=public_map,
        field_names=field_names,
        production_infos=production_infos,
        max_alias_length=max_alias_length,
        states=states,
        large_state_count=large_state_count,
        lex_modes=lex_modes,
        lex_states=lex_states,
        keyword_lex_states=keyword_lex_states,
        keyword_capture=keyword_capture,
        primary_state_ids=primary,
        non_terminal_alias_map=non_terminal_alias_map,
    )
    tables.emitted_of_lexical = emitted_of_lexical
    tables.external_symbol_map = external_ids
    tables.external_scanner_states = external_sets
    tables.external_lex_states = external_lex_states
    tables.productions = automaton.productions
    tables.variable_fields = variable_fields
    return tables
