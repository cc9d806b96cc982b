"""Tree-sitter grammars and the parser generator.

`language(name)` returns the `tree_sitter.Language` compiled from
grammar/<name>/src/parser.c (built into the extension module
custody.grammar._<name> when the package is installed).
"""

from __future__ import annotations

import functools
import importlib


@functools.lru_cache(maxsize=None)
def language(name: str):
    """The cached tree_sitter.Language for the generated grammar `name`."""
    import tree_sitter

    try:
        module = importlib.import_module(f"{__name__}._{name}")
    except ImportError as error:
        raise LookupError(
            f"no compiled grammar '{name}': generate it with "
            f"`python -m custody.grammar.tsgen grammar/{name} --build` "
            f"or reinstall the package (pip install -e .)"
        ) from error
    return tree_sitter.Language(module.language())
