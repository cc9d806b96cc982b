"""Which grammars exist, which are built, and real text to exercise them with."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from corpus_runner import GRAMMAR_DIR, REPO, collect_cases, load_language

SAMPLES = Path(__file__).resolve().parent / "samples"
# Bits of syntax that random edits and fuzz inputs are made of: brackets,
# quotes, keys, comments, escapes, newlines, and a few bytes that are not ASCII.
PIECES = [
    b"(", b")", b"{", b"}", b"[", b"]", b'"', b":", b";", b",", b"\n", b" ", b"\t",
    b"\\", b"\\n", b"\\u{41}", b"#num\"", b"1", b"-", b"-7", b"x", b"true", b"null",
    b":kind", b"(f ", b"{:a ", b"\xc3\xa9", b"\xff",
]
# Sample files per grammar, by file-name suffix.
_SAMPLE_SUFFIX = {"x07text": ".x07t", "json": ".json"}


def grammar_names() -> list[str]:
    """Every grammar directory (one with a grammar.js)."""
    return sorted(p.parent.name for p in GRAMMAR_DIR.glob("*/grammar.js"))


@lru_cache(maxsize=None)
def language(name: str):
    return load_language(name)


def built_grammar_names() -> list[str]:
    return [name for name in grammar_names() if language(name) is not None]


def built_parser(name: str):
    """A tree-sitter parser for grammar `name`; the test is skipped when that parser is not built."""
    import pytest
    import tree_sitter

    if name not in built_grammar_names():
        pytest.skip(f"the {name} parser is not built")
    return tree_sitter.Parser(language(name))


@lru_cache(maxsize=None)
def sample_texts(name: str) -> tuple[bytes, ...]:
    """Real documents for a grammar: its sample files, then its corpus sources."""
    texts: list[bytes] = []
    suffix = _SAMPLE_SUFFIX.get(name)
    if suffix:
        texts.extend(p.read_bytes() for p in sorted(SAMPLES.glob("*" + suffix)))
        # Real programs elsewhere in the repository: the examples and the
        # ownership case files (a deterministic selection, to bound the time).
        others = sorted(REPO.glob("examples/*" + suffix)) + sorted(
            REPO.glob("tests/cases/**/*" + suffix)
        )
        texts.extend(p.read_bytes() for p in others[:: max(1, len(others) // 12)])
    texts.extend(
        case.source
        for case in collect_cases()
        if case.language_name == name and case.source.strip()
    )
    return tuple(texts)


def point_at(text: bytes, offset: int) -> tuple[int, int]:
    """Tree-sitter point (row, byte column) of a byte offset."""
    row = text.count(b"\n", 0, offset)
    return row, offset - (text.rfind(b"\n", 0, offset) + 1)


def _json_long_texts() -> list[bytes]:
    numbers = ",".join(str(i * 7 - 20) for i in range(60))
    mixed = ", ".join(
        ['"s%d"' % i, '"e\\n\\u0041%d"' % i, "true", "false", "null", "[%d, {}]" % i, '{"k": %d}' % i][i % 7]
        for i in range(45)
    )
    pairs = ",\n  ".join('"key%d": %s' % (i, ["%d" % i, '"v"', "[1, 2]", "null"][i % 4]) for i in range(50))
    nested = "[\n" + ",\n".join(
        "  [" + ", ".join(str(i * 41 + j) for j in range(41 if i % 10 == 3 else 2)) + "]" for i in range(40)
    ) + "\n]"
    table = "{" + ", ".join(
        '"row%d": {%s}' % (i, ", ".join('"c%d": %d' % (j, j) for j in range(40))) for i in range(3)
    ) + "}"
    string = '"' + "".join("ab\\n" if i % 2 else "\\u00e9x" for i in range(50)) + '"'
    return [t.encode() + b"\n" for t in (
        "[" + numbers + "]", "[" + mixed + "]", "{\n  " + pairs + "\n}", nested, table, string,
    )]


def _x07text_long_texts() -> list[bytes]:
    atoms = "(f " + " ".join("a%d" % i for i in range(60)) + ")"
    mixed = "(g " + " ".join(
        ["x%d" % i, "%d" % -i, '"s\\n%d"' % i, "#num\"1.5\"", "true", "(h %d)" % i, "{:k %d}" % i][i % 7]
        for i in range(45)
    ) + ")"
    pairs = "{" + "\n ".join(":key%d %s" % (i, ["%d" % i, "v", "(a b)", "null"][i % 4]) for i in range(50)) + "}"
    top = "\n".join("(decl%d %d)" % (i, i) for i in range(45))
    nested = "(module\n" + "\n".join(
        " (defn f%d " % i + " ".join("x%d" % j for j in range(41 if i % 10 == 3 else 2)) + ")" for i in range(40)
    ) + ")"
    table = "{" + " ".join(
        ":row%d {%s}" % (i, " ".join(":c%d %d" % (j, j) for j in range(40))) for i in range(3)
    ) + "}"
    string = '"' + "".join("ab\\n" if i % 2 else "\\u{e9}x" for i in range(50)) + '"'
    return [t.encode() + b"\n" for t in (atoms, mixed, pairs, top, nested, table, string)]


def long_repetition_texts(name: str) -> tuple[bytes, ...]:
    """Documents with long repetitions (40 elements and more, nested too):
    the runtime rebalances their repeat subtrees after a parse, and an
    incremental reparse has to take those rebalanced subtrees back."""
    makers = {"json": _json_long_texts, "x07text": _x07text_long_texts}
    return tuple(makers[name]()) if name in makers else ()
