"""The normalized grammar every later pass works on.

Symbols are small tuples so they sort and hash cheaply:
  ("end",)       the end-of-input terminal
  ("t", i)       lexical variable i (a token the lexer produces)
  ("n", i)       syntax variable i (a non-terminal)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

END = ("end",)

# Variable kinds decide the node metadata the runtime sees.
NAMED = "named"          # visible, named   (rule `foo`, token `number`)
ANONYMOUS = "anonymous"  # visible, unnamed (string tokens such as "{")
HIDDEN = "hidden"        # invisible but named (rule `_value`)
AUXILIARY = "auxiliary"  # invisible helper (`foo_repeat1`, `foo_token1`)

VISIBLE_KINDS = (NAMED, ANONYMOUS)


def is_terminal(symbol) -> bool:
    return symbol[0] != "n"


@dataclass(frozen=True)
class Alias:
    value: str
    named: bool


@dataclass(frozen=True)
class Step:
    symbol: tuple
    alias: Alias | None = None
    field: str | None = None
    prec: int | str | None = None
    assoc: str | None = None  # "left" / "right" / None

    def with_(self, **changes) -> "Step":
        return replace(self, **changes)


@dataclass(frozen=True)
class Production:
    steps: tuple
    dynamic_prec: int = 0


@dataclass
class SyntaxVariable:
    name: str
    kind: str
    productions: list = field(default_factory=list)
    supertype: bool = False
    origin: str | None = None  # for auxiliary repeat rules: the rule they came from


@dataclass
class LexicalVariable:
    name: str
    kind: str
    rule: tuple            # lexical rule tree (see regex.py / lexical.py)
    is_string: bool = False
    immediate: bool = False
    source_key: str = ""   # canonical text of the grammar rule it came from
    external: bool = False  # produced only by the external scanner (rule is ("never",))


@dataclass
class Grammar:
    name: str
    syntax: list          # SyntaxVariable, index = ("n", i)
    lexical: list         # LexicalVariable, index = ("t", i)
    separators: list      # lexical rule trees skipped between tokens
    extra_tokens: list    # terminal symbols that may appear anywhere
    expected_conflicts: list  # sorted tuples of non-terminal symbols
    precedences: list     # lists of ("name", str) / ("symbol", name)
    word_token: tuple | None = None
    start: tuple = ("n", 0)
    # symbol-level ("default") aliases: symbol -> Alias
    default_aliases: dict = field(default_factory=dict)
    # the external scanner's tokens, in its order: the terminal each one is (a token only the
    # scanner makes, or an internal token the scanner may also produce)
    external_tokens: list = field(default_factory=list)

    def name_of(self, symbol) -> str:
        if symbol == END:
            return "end"
        if symbol in self.default_aliases:
            return self.default_aliases[symbol].value
        if symbol[0] == "t":
            return self.lexical[symbol[1]].name
        return self.syntax[symbol[1]].name

    def kind_of(self, symbol) -> str:
        if symbol == END:
            return AUXILIARY
        if symbol in self.default_aliases:
            return NAMED if self.default_aliases[symbol].named else ANONYMOUS
        if symbol[0] == "t":
            return self.lexical[symbol[1]].kind
        return self.syntax[symbol[1]].kind
