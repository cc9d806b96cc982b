"""The one exception type the generator raises for problems in a grammar."""


class GrammarError(Exception):
    """A grammar cannot be turned into a parser; the message says why."""
