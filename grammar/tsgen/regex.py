"""A parser for the subset of JavaScript regular expressions grammars use in
tree-sitter tokens, producing the lexical rule tree of :mod:`lexical`.

Supported: literals, escapes (\\d \\D \\w \\W \\s \\S \\n \\t \\r \\f \\v \\0
\\xHH \\uXXXX \\u{...} and escaped punctuation), classes with ranges and
negation, `.`, groups `( )` and `(?: )`, alternation, and the quantifiers
* + ? {m} {m,} {m,n} (a trailing lazy `?` is accepted and ignored: a lexer
DFA has no notion of laziness).  Anchors, backreferences, lookaround and
Unicode property escapes are rejected with a message.
"""

from __future__ import annotations

from .charset import CharSet
from .errors import GrammarError

# Whitespace as the tree-sitter JSON parser's lexer treats \s: ASCII only.
SPACE = CharSet([(0x09, 0x0D), (0x20, 0x20)])
DIGIT = CharSet([(0x30, 0x39)])
WORD = CharSet([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
NEWLINE = CharSet.of("\n")

SIMPLE_ESCAPES = {"n": 0x0A, "t": 0x09, "r": 0x0D, "f": 0x0C, "v": 0x0B, "0": 0x00}
CLASS_ESCAPES = {
    "d": DIGIT,
    "D": DIGIT.negate(),
    "w": WORD,
    "W": WORD.negate(),
    "s": SPACE,
    "S": SPACE.negate(),
}


def chars(charset: CharSet):
    return ("chars", charset)


def seq(items):
    items = [i for i in items if i != ("blank",)]
    if not items:
        return ("blank",)
    if len(items) == 1:
        return items[0]
    return ("seq", tuple(items))


def choice(items):
    return items[0] if len(items) == 1 else ("choice", tuple(items))


class _RegexParser:
    def __init__(self, source: str, flags: str):
        self.source = source
        self.pos = 0
        unknown = set(flags) - set("iusgmy")
        if unknown:
            raise GrammarError(f"regex /{source}/{flags}: unsupported flags {''.join(sorted(unknown))}")
        self.ignore_case = "i" in flags

    def error(self, message: str):
        return GrammarError(f"regex /{self.source}/ at offset {self.pos}: {message}")

    def peek(self):
        return self.source[self.pos] if self.pos < len(self.source) else None

    def take(self):
        ch = self.peek()
        if ch is None:
            raise self.error("unexpected end of pattern")
        self.pos += 1
        return ch

    def parse(self):
        node = self.alternation()
        if self.pos != len(self.source):
            raise self.error(f"unexpected '{self.peek()}'")
        return node

    def alternation(self):
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        return choice(branches)

    def sequence(self):
        items = []
        while self.peek() is not None and self.peek() not in "|)":
            items.append(self.quantified())
        return seq(items)

    def quantified(self):
        atom = self.atom()
        while True:
            ch = self.peek()
            if ch == "*":
                self.pos += 1
                atom = ("repeat", atom, 0, None)
            elif ch == "+":
                self.pos += 1
                atom = ("repeat", atom, 1, None)
            elif ch == "?":
                self.pos += 1
                atom = ("repeat", atom, 0, 1)
            elif ch == "{" and self._looks_like_count():
                lo, hi = self.count()
                atom = ("repeat", atom, lo, hi)
            else:
                return atom
            if self.peek() == "?":  # lazy quantifier: same language
                self.pos += 1

    def _looks_like_count(self):
        rest = self.source[self.pos:]
        close = rest.find("}")
        if close < 0:
            return False
        body = rest[1:close]
        parts = body.split(",")
        return 1 <= len(parts) <= 2 and parts[0].isdigit() and (len(parts) == 1 or parts[1] == "" or parts[1].isdigit())

    def count(self):
        close = self.source.index("}", self.pos)
        body = self.source[self.pos + 1:close]
        self.pos = close + 1
        if "," not in body:
            n = int(body)
            return n, n
        lo, hi = body.split(",")
        lo = int(lo)
        hi = int(hi) if hi else None
        if hi is not None and hi < lo:
            raise self.error("quantifier {m,n} with n < m")
        return lo, hi

    def atom(self):
        ch = self.take()
        if ch == "(":
            if self.source.startswith("?:", self.pos):
                self.pos += 2
            elif self.source.startswith("?<", self.pos) and self.source[self.pos + 2:self.pos + 3] not in ("=", "!"):
                close = self.source.index(">", self.pos)
                self.pos = close + 1
            elif self.peek() == "?":
                raise self.error("lookahead/lookbehind groups are not supported")
            node = self.alternation()
            if self.take() != ")":
                raise self.error("expected ')'")
            return node
        if ch == "[":
            return chars(self.char_class())
        if ch == ".":
            return chars(NEWLINE.negate())
        if ch == "\\":
            return chars(self.escape(in_class=False))
        if ch in "^$":
            raise self.error("anchors (^ and $) are not supported in tokens")
        if ch in "*+?":
            raise self.error(f"nothing to repeat before '{ch}'")
        if ch == ")":
            raise self.error("unbalanced ')'")
        return chars(self.literal(ord(ch)))

    def literal(self, point: int) -> CharSet:
        result = CharSet.of(point)
        if self.ignore_case and point < 128 and chr(point).isalpha():
            result = CharSet.of(ord(chr(point).lower()), ord(chr(point).upper()))
        return result

    def escape(self, in_class: bool) -> CharSet:
        ch = self.take()
        if ch in CLASS_ESCAPES:
            return CLASS_ESCAPES[ch]
        if ch in SIMPLE_ESCAPES:
            return CharSet.of(SIMPLE_ESCAPES[ch])
        if ch == "u":
            if self.peek() == "{":
                close = self.source.find("}", self.pos)
                if close < 0:
                    raise self.error("unterminated \\u{...}")
                digits = self.source[self.pos + 1:close]
                self.pos = close + 1
            else:
                digits = self.source[self.pos:self.pos + 4]
                self.pos += 4
            try:
                return self.literal(int(digits, 16))
            except ValueError:
                raise self.error(f"bad unicode escape \\u{digits}") from None
        if ch == "x":
            digits = self.source[self.pos:self.pos + 2]
            self.pos += 2
            try:
                return self.literal(int(digits, 16))
            except ValueError:
                raise self.error(f"bad hex escape \\x{digits}") from None
        if ch in "pP":
            raise self.error("unicode property escapes (\\p{...}) are not supported")
        if ch == "b":
            if in_class:
                return CharSet.of(0x08)
            raise self.error("word boundaries (\\b) are not supported")
        if ch == "B" or ch.isdigit():
            raise self.error(f"\\{ch} is not supported")
        if ch == "c":
            letter = self.take()
            return CharSet.of(ord(letter) % 32)
        return self.literal(ord(ch))

    def class_atom(self):
        """One element of a [...] class: ("point", code) or ("set", CharSet)."""
        ch = self.take()
        if ch != "\\":
            return ("point", ord(ch))
        if self.peek() in CLASS_ESCAPES:
            return ("set", CLASS_ESCAPES[self.take()])
        escaped = self.escape(in_class=True)
        return ("point", escaped.ranges[0][0]) if escaped.size() == 1 else ("set", escaped)

    def char_class(self) -> CharSet:
        negated = False
        if self.peek() == "^":
            negated = True
            self.pos += 1
        result = CharSet()
        while self.peek() != "]":
            kind, value = self.class_atom()
            is_range = (
                kind == "point"
                and self.peek() == "-"
                and self.source[self.pos + 1:self.pos + 2] not in ("]", "")
            )
            if not is_range:
                result = result.union(self.literal(value) if kind == "point" else value)
                continue
            self.pos += 1
            hi_kind, hi = self.class_atom()
            if hi_kind != "point" or hi < value:
                raise self.error("bad range in character class")
            span = CharSet.range(value, hi)
            result = result.union(_case_fold(span) if self.ignore_case else span)
        self.take()
        return result.negate() if negated else result


def _case_fold(s: CharSet) -> CharSet:
    extra = []
    for lo, hi in s.ranges:
        for p in range(max(lo, 0x41), min(hi, 0x7A) + 1):
            c = chr(p)
            if c.isalpha():
                extra.append((ord(c.lower()), ord(c.lower())))
                extra.append((ord(c.upper()), ord(c.upper())))
    return s.union(CharSet(extra))


def parse_regex(source: str, flags: str = ""):
    """Parse a JS regex source into a lexical rule tree."""
    return _RegexParser(source, flags or "").parse()
