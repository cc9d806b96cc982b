"""grammar.json rules -> :class:`model.Grammar`.

The passes, in the order tree-sitter's own generator applies them:
  1. intern rule names as syntax variables (hidden if the name starts with `_`);
  2. extract tokens: strings, patterns and token() become lexical variables; a
     rule whose whole body is one token *is* that token (e.g. `number`);
  3. flatten each rule into productions (sequences of steps), turning every
     repeat into a hidden `<rule>_repeatN` helper `aux -> aux aux | x` (a
     hidden rule whose whole body is a repeat1 becomes such a helper itself)
     and carrying field / alias / precedence metadata down to the steps;
  4. expand `inline` rules into the productions that use them;
  5. turn aliases that are used identically everywhere into symbol-level
     ("default") aliases, leaving the others as per-production alias sequences.
"""

from __future__ import annotations

import itertools
import json

from .errors import GrammarError
from .grammar_json import InputGrammar
from .model import (
    ANONYMOUS,
    AUXILIARY,
    HIDDEN,
    NAMED,
    Alias,
    Grammar,
    LexicalVariable,
    Production,
    Step,
    SyntaxVariable,
)
from .charset import CharSet
from .regex import parse_regex

TOKEN_TYPES = ("STRING", "PATTERN", "TOKEN", "IMMEDIATE_TOKEN")
MAX_PRODUCTIONS_PER_RULE = 50_000


def _kind_for_name(name: str) -> str:
    return HIDDEN if name.startswith("_") else NAMED


def _unwrap_token(rule):
    """Strip TOKEN / IMMEDIATE_TOKEN / lexical PREC wrappers; report immediacy."""
    immediate = False
    while rule["type"] in ("TOKEN", "IMMEDIATE_TOKEN"):
        immediate = immediate or rule["type"] == "IMMEDIATE_TOKEN"
        rule = rule["content"]
    return rule, immediate


def _string_value(rule):
    """The literal text of a token whose body is one string (maybe under prec)."""
    while rule["type"] in ("TOKEN", "IMMEDIATE_TOKEN", "PREC", "PREC_LEFT", "PREC_RIGHT"):
        rule = rule["content"]
    return rule["value"] if rule["type"] == "STRING" else None


def to_lexical_tree(rule, where: str):
    """Convert a grammar rule inside a token into a lexical rule tree."""
    kind = rule["type"]
    if kind == "STRING":
        if rule["value"] == "":
            raise GrammarError(f"empty string token in {where}: tokens must match at least one character")
        return ("seq", tuple(("chars", CharSet.of(c)) for c in rule["value"]))
    if kind == "PATTERN":
        return parse_regex(rule["value"], rule.get("flags", ""))
    if kind == "BLANK":
        return ("blank",)
    if kind == "SEQ":
        return ("seq", tuple(to_lexical_tree(m, where) for m in rule["members"]))
    if kind == "CHOICE":
        return ("choice", tuple(to_lexical_tree(m, where) for m in rule["members"]))
    if kind == "REPEAT":
        return ("repeat", to_lexical_tree(rule["content"], where), 0, None)
    if kind == "REPEAT1":
        return ("repeat", to_lexical_tree(rule["content"], where), 1, None)
    if kind in ("PREC", "PREC_LEFT", "PREC_RIGHT"):
        value = rule["value"]
        if not isinstance(value, int):
            raise GrammarError(f"named precedence '{value}' inside a token in {where}: lexical precedences must be integers")
        return ("prec", value, to_lexical_tree(rule["content"], where))
    if kind in ("TOKEN", "IMMEDIATE_TOKEN", "PREC_DYNAMIC", "FIELD", "ALIAS"):
        return to_lexical_tree(rule["content"], where)
    if kind == "SYMBOL":
        raise GrammarError(f"token rule in {where} refers to rule '{rule['name']}': tokens may only contain strings and patterns")
    raise GrammarError(f"unexpected {kind} inside a token in {where}")


class _Normalizer:
    def __init__(self, grammar: InputGrammar):
        self.input = grammar
        self.rule_names = list(grammar.rules)
        self.index_of = {name: i for i, name in enumerate(self.rule_names)}
        self.lexical: list[LexicalVariable] = []
        self.token_by_key: dict[str, int] = {}
        self.variable_token: dict[str, int] = {}  # rule name -> lexical index
        self.token_counters: dict[str, int] = {}
        self.syntax: list[SyntaxVariable] = []
        self.syntax_index: dict[str, int] = {}
        self.external_token: dict[str, int] = {}  # name of a scanner-only token -> lexical index

    # ---- tokens -------------------------------------------------------------

    def _add_token(self, rule, owner: str, name: str | None = None, kind: str | None = None, reuse: bool = True) -> int:
        body, immediate = _unwrap_token(rule)
        key = json.dumps({"rule": body, "immediate": immediate}, sort_keys=True)
        if reuse and key in self.token_by_key:
            return self.token_by_key[key]
        literal = _string_value(rule)
        if name is None:
            if literal is not None:
                name, kind = literal, ANONYMOUS
            else:
                count = self.token_counters.get(owner, 0) + 1
                self.token_counters[owner] = count
                name, kind = f"{owner}_token{count}", AUXILIARY
        tree = to_lexical_tree(body, f"rule {owner}")
        self.lexical.append(
            LexicalVariable(
                name=name,
                kind=kind,
                rule=tree,
                is_string=literal is not None,
                immediate=immediate,
                source_key=key,
            )
        )
        index = len(self.lexical) - 1
        if reuse:
            self.token_by_key[key] = index
        return index

    def extract_tokens(self):
        """Number tokens in the order they appear in the grammar (the order
        breaks ties between tokens matching the same text), then let each
        rule whose whole body is a token used nowhere else *be* that token."""
        usage: dict[int, int] = {}
        whole: dict[str, int] = {}
        for name in self.rule_names:
            rule = self.input.rules[name]
            if rule["type"] in TOKEN_TYPES:
                index = self._add_token(rule, name)
                whole[name] = index
                usage[index] = usage.get(index, 0) + 1
            else:
                for token_rule in _token_rules(rule):
                    index = self._add_token(token_rule, name)
                    usage[index] = usage.get(index, 0) + 1
        start = self.rule_names[0]
        for name, index in whole.items():
            if name != start and usage[index] == 1:
                variable = self.lexical[index]
                variable.name = name
                variable.kind = _kind_for_name(name)
                self.variable_token[name] = index

    # ---- flattening ---------------------------------------------------------

    def extract_externals(self) -> list:
        """The external scanner's tokens (after extract_tokens, so a string or token rule the
        scanner shares with the grammar is found): a name of its own becomes a lexical variable
        the internal lexer never produces; a string or a token rule stays that internal token
        (the scanner may produce it too, as in tree-sitter). Returns their terminals in order."""
        symbols = []
        for entry in self.input.externals:
            if entry["type"] == "STRING":
                symbols.append(("t", self._add_token(entry, "externals")))
                continue
            name = entry["name"]
            if name in self.input.rules:
                if name not in self.variable_token:
                    raise GrammarError(
                        f"external token '{name}' is also a rule that is not a single token: "
                        "an external must name a token")
                symbols.append(("t", self.variable_token[name]))
                continue
            self.lexical.append(LexicalVariable(name=name, kind=_kind_for_name(name), rule=("never",),
                                                source_key=f"external:{name}", external=True))
            index = len(self.lexical) - 1
            self.external_token[name] = index
            symbols.append(("t", index))
        return symbols

    def symbol_for_name(self, name: str):
        if name in self.external_token:
            return ("t", self.external_token[name])
        if name in self.variable_token:
            return ("t", self.variable_token[name])
        return ("n", self.syntax_index[name])

    def flatten_rule(self, rule, owner: str, ctx: dict):
        """Returns a list of (steps, dynamic_prec) alternatives."""
        kind = rule["type"]
        if kind == "BLANK":
            return [((), 0)]
        if kind == "SYMBOL":
            return [((self._step(self.symbol_for_name(rule["name"]), ctx),), 0)]
        if kind in TOKEN_TYPES:
            return [((self._step(("t", self._add_token(rule, owner)), ctx),), 0)]
        if kind == "SEQ":
            result = [((), 0)]
            for member in rule["members"]:
                parts = self.flatten_rule(member, owner, ctx)
                result = [
                    (a + b, _stronger(da, db)) for (a, da), (b, db) in itertools.product(result, parts)
                ]
                if len(result) > MAX_PRODUCTIONS_PER_RULE:
                    raise GrammarError(f"rule {owner} expands to too many alternatives; factor it into smaller rules")
            return result
        if kind == "CHOICE":
            result = []
            for member in rule["members"]:
                for alt in self.flatten_rule(member, owner, ctx):
                    if alt not in result:
                        result.append(alt)
            return result
        if kind in ("REPEAT", "REPEAT1"):
            aux = self._repeat_variable(rule["content"], owner)
            step = ((self._step(("n", aux), ctx),), 0)
            return [step] if kind == "REPEAT1" else [step, ((), 0)]
        if kind in ("PREC", "PREC_LEFT", "PREC_RIGHT"):
            assoc = {"PREC": ctx.get("assoc"), "PREC_LEFT": "left", "PREC_RIGHT": "right"}[kind]
            inner = dict(ctx, prec=rule["value"], assoc=assoc)
            return self.flatten_rule(rule["content"], owner, inner)
        if kind == "PREC_DYNAMIC":
            alts = self.flatten_rule(rule["content"], owner, ctx)
            return [(steps, _stronger(dp, rule["value"])) for steps, dp in alts]
        if kind == "FIELD":
            return self.flatten_rule(rule["content"], owner, dict(ctx, field=rule["name"]))
        if kind == "ALIAS":
            return self.flatten_rule(rule["content"], owner, dict(ctx, alias=Alias(rule["value"], bool(rule["named"]))))
        raise GrammarError(f"unexpected rule type {kind} in rule {owner}")

    def _step(self, symbol, ctx) -> Step:
        return Step(
            symbol=symbol,
            alias=ctx.get("alias"),
            field=ctx.get("field"),
            prec=ctx.get("prec"),
            assoc=ctx.get("assoc"),
        )

    def _repeat_variable(self, content, owner: str) -> int:
        # identical repeats share one helper, wherever they appear (as in
        # tree-sitter): two copies would only create reduce/reduce conflicts
        key = json.dumps(content, sort_keys=True)
        if key in self.repeat_cache:
            return self.repeat_cache[key]
        count = self.repeat_counters.get(owner, 0) + 1
        self.repeat_counters[owner] = count
        variable = SyntaxVariable(name=f"{owner}_repeat{count}", kind=AUXILIARY, origin=owner)
        self.syntax.append(variable)
        index = len(self.syntax) - 1
        self.repeat_cache[key] = index
        variable.productions = self._binary_repeat(index, content, owner)
        return index

    def _binary_repeat(self, index: int, content, owner: str) -> list:
        """tree-sitter's encoding of a repetition: `aux -> aux aux | x`.

        The binary production is ambiguous on purpose: the table resolves
        `aux aux • x` by reducing (see conflicts.py, repetition shifts), and
        the runtime rebalances long repeat subtrees into `aux aux` shapes
        that an incremental reparse must be able to take back as they are.
        """
        this = Step(symbol=("n", index))
        productions = [Production((this, this))]
        for steps, dp in self.flatten_rule(content, owner, {}):
            if steps:
                productions.append(Production(steps, dp))
        if len(productions) == 1:
            raise GrammarError(f"repeat in rule {owner} can match nothing")
        return _dedupe(productions)

    def build(self) -> Grammar:
        g = self.input
        self.extract_tokens()
        external_tokens = self.extract_externals()
        self.repeat_cache = {}
        self.repeat_counters = {}
        for name in self.rule_names:
            if name in self.variable_token:
                continue
            kind = _kind_for_name(name)
            self.syntax.append(SyntaxVariable(name=name, kind=kind, supertype=name in g.supertypes))
            self.syntax_index[name] = len(self.syntax) - 1
        for name in g.supertypes:
            if name in self.variable_token:
                raise GrammarError(f"supertype {name} must be a rule made of other rules, not a token")
            self.syntax[self.syntax_index[name]].kind = HIDDEN
        for name in list(self.syntax_index):
            index = self.syntax_index[name]
            variable = self.syntax[index]
            rule = g.rules[name]
            if variable.kind == HIDDEN and not variable.supertype and rule["type"] == "REPEAT1" and name != self.rule_names[0]:
                # as in tree-sitter: no extra helper, the rule is the repetition
                variable.kind, variable.origin = AUXILIARY, name
                variable.productions = self._binary_repeat(index, rule["content"], name)
                continue
            alternatives = self.flatten_rule(rule, name, {})
            variable.productions = _dedupe([Production(steps, dp) for steps, dp in alternatives])

        separators, extra_tokens = [], []
        for rule in g.extras:
            if rule["type"] == "SYMBOL" and rule["name"] in self.external_token:
                symbol = ("t", self.external_token[rule["name"]])
                if symbol not in extra_tokens:
                    extra_tokens.append(symbol)
            elif rule["type"] == "SYMBOL":
                if rule["name"] not in self.variable_token:
                    raise GrammarError(
                        f"extra '{rule['name']}' is a non-terminal: only tokens may be extras in the custody generator"
                    )
                symbol = ("t", self.variable_token[rule["name"]])
                if symbol not in extra_tokens:
                    extra_tokens.append(symbol)
            else:
                separators.append(to_lexical_tree(_unwrap_token(rule)[0], "extras"))

        word = None
        if g.word is not None:
            if g.word not in self.variable_token:
                raise GrammarError(f"word token '{g.word}' must be a token rule (a string, pattern or token())")
            word = ("t", self.variable_token[g.word])

        self._expand_inlines()
        start = self.symbol_for_name(self.rule_names[0])
        if start[0] != "n":
            raise GrammarError("the first rule (the start rule) must not be a token")

        expected = []
        for group in g.conflicts:
            symbols = []
            for name in group:
                if name in self.variable_token or name in g.inline or name in self.external_token:
                    raise GrammarError(f"conflicts entry names '{name}', which is not a non-terminal rule")
                symbols.append(("n", self.syntax_index[name]))
            expected.append(tuple(sorted(set(symbols))))

        precedences = []
        for group in g.precedences:
            entries = []
            for entry in group:
                if entry["type"] == "STRING":
                    entries.append(("name", entry["value"]))
                elif entry["type"] == "SYMBOL":
                    entries.append(("symbol", entry["name"]))
                else:
                    raise GrammarError("precedences entries must be strings or rule references")
            precedences.append(entries)

        grammar = Grammar(
            name=g.name,
            syntax=self.syntax,
            lexical=self.lexical,
            separators=separators,
            extra_tokens=extra_tokens,
            expected_conflicts=expected,
            precedences=precedences,
            word_token=word,
            start=start,
            external_tokens=external_tokens,
        )
        _extract_default_aliases(grammar)
        return grammar

    # ---- inline rules -------------------------------------------------------

    def _expand_inlines(self):
        inline = []
        for name in self.input.inline:
            if name in self.variable_token:
                continue  # inlining a token changes nothing
            if self.syntax[self.syntax_index[name]].kind == AUXILIARY:
                continue  # a repetition rule stays a rule (as in tree-sitter)
            if name == self.rule_names[0]:
                raise GrammarError("the start rule cannot be inlined")
            inline.append(self.syntax_index[name])
        if not inline:
            return
        inline_set = set(inline)
        for index in inline:
            for production in self.syntax[index].productions:
                if any(step.symbol == ("n", index) for step in production.steps):
                    raise GrammarError(f"inline rule {self.syntax[index].name} is recursive")
        changed = True
        rounds = 0
        while changed:
            changed = False
            rounds += 1
            if rounds > 100:
                raise GrammarError("inline rules refer to each other in a cycle")
            for variable in self.syntax:
                new_productions = []
                for production in variable.productions:
                    expanded = self._expand_production(production, inline_set)
                    if expanded != [production]:
                        changed = True
                    new_productions.extend(expanded)
                variable.productions = _dedupe(new_productions)
        # drop the inlined variables and renumber the rest
        keep = [i for i in range(len(self.syntax)) if i not in inline_set]
        renumber = {old: new for new, old in enumerate(keep)}

        def fix(step: Step) -> Step:
            return step.with_(symbol=("n", renumber[step.symbol[1]])) if step.symbol[0] == "n" else step

        self.syntax = [self.syntax[i] for i in keep]
        for variable in self.syntax:
            variable.productions = [Production(tuple(fix(s) for s in p.steps), p.dynamic_prec) for p in variable.productions]
        self.syntax_index = {name: renumber[i] for name, i in self.syntax_index.items() if i in renumber}

    def _expand_production(self, production: Production, inline_set) -> list:
        for position, step in enumerate(production.steps):
            if step.symbol[0] == "n" and step.symbol[1] in inline_set:
                result = []
                for inner in self.syntax[step.symbol[1]].productions:
                    spliced = []
                    for s in inner.steps:
                        if step.alias is not None:
                            s = s.with_(alias=step.alias)
                        if step.field is not None and s.field is None:
                            s = s.with_(field=step.field)
                        if step.prec is not None and s.prec is None:
                            s = s.with_(prec=step.prec, assoc=step.assoc if s.assoc is None else s.assoc)
                        spliced.append(s)
                    steps = production.steps[:position] + tuple(spliced) + production.steps[position + 1:]
                    dp = _stronger(production.dynamic_prec, inner.dynamic_prec)
                    result.extend(self._expand_production(Production(steps, dp), inline_set))
                return result
        return [production]


def _token_rules(rule):
    """Token rules inside a syntax rule, depth first in member order."""
    if rule["type"] in TOKEN_TYPES:
        yield rule
    elif rule["type"] in ("SEQ", "CHOICE"):
        for member in rule["members"]:
            yield from _token_rules(member)
    elif "content" in rule:
        yield from _token_rules(rule["content"])


def _stronger(a: int, b: int) -> int:
    return a if abs(a) >= abs(b) else b


def _dedupe(productions):
    seen, result = set(), []
    for p in productions:
        if p not in seen:
            seen.add(p)
            result.append(p)
    return result


def _extract_default_aliases(grammar: Grammar) -> None:
    """A symbol aliased the same way at every use becomes that alias itself."""
    uses: dict = {}
    for variable in grammar.syntax:
        for production in variable.productions:
            for step in production.steps:
                uses.setdefault(step.symbol, set()).add(step.alias)
    protected = set(grammar.extra_tokens) | {grammar.start}
    if grammar.word_token:
        protected.add(grammar.word_token)
    for symbol, aliases in uses.items():
        if symbol in protected or len(aliases) != 1:
            continue
        (alias,) = aliases
        if alias is None:
            continue
        grammar.default_aliases[symbol] = alias
    if not grammar.default_aliases:
        return
    for variable in grammar.syntax:
        variable.productions = [
            Production(
                tuple(s.with_(alias=None) if s.symbol in grammar.default_aliases else s for s in p.steps),
                p.dynamic_prec,
            )
            for p in variable.productions
        ]


def normalize(grammar: InputGrammar) -> Grammar:
    return _Normalizer(grammar).build()
