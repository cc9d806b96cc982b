"""custody's tree-sitter parser generator.

`generate(grammar_dir)` evaluates `grammar_dir/grammar.js` with node (through
the DSL shim dsl.js) and writes, under `grammar_dir/src/`:
  grammar.json, parser.c, tree_sitter/parser.h and node-types.json.
The command line is `python -m custody.grammar.tsgen GRAMMAR_DIR [--build]`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .emit_c import render_parser_c
from .errors import GrammarError
from .grammar_json import evaluate_grammar_js, parse_grammar_json
from .node_types import render_node_types
from .normalize import normalize
from .parser_header import HEADER
from .tables import build_tables

__all__ = ["GrammarError", "GeneratedParser", "generate", "generate_from_json"]


@dataclass
class GeneratedParser:
    name: str
    grammar_json: str
    parser_c: str
    node_types_json: str
    header: str = HEADER

    def write(self, src_dir: Path) -> None:
        src_dir = Path(src_dir)
        (src_dir / "tree_sitter").mkdir(parents=True, exist_ok=True)
        _write_if_changed(src_dir / "grammar.json", self.grammar_json)
        _write_if_changed(src_dir / "parser.c", self.parser_c)
        _write_if_changed(src_dir / "node-types.json", self.node_types_json)
        _write_if_changed(src_dir / "tree_sitter" / "parser.h", self.header)


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return
    path.write_bytes(data)


def generate_from_json(grammar_json_text: str) -> GeneratedParser:
    """Build the parser sources from grammar.json text."""
    data = json.loads(grammar_json_text)
    grammar = normalize(parse_grammar_json(data))
    tables = build_tables(grammar)
    return GeneratedParser(
        name=grammar.name,
        grammar_json=grammar_json_text,
        parser_c=render_parser_c(tables),
        node_types_json=render_node_types(tables),
    )


def generate(grammar_dir: Path, src_dir: Path | None = None) -> GeneratedParser:
    """Generate the parser for `grammar_dir` (which holds grammar.js) and
    write it to `src_dir` (default: grammar_dir/src)."""
    grammar_dir = Path(grammar_dir)
    grammar_js = grammar_dir / "grammar.js"
    if grammar_js.exists():
        text = evaluate_grammar_js(grammar_js)
    elif (grammar_dir / "src" / "grammar.json").exists():
        text = (grammar_dir / "src" / "grammar.json").read_text(encoding="utf-8")
    else:
        raise GrammarError(f"{grammar_dir} has neither grammar.js nor src/grammar.json")
    result = generate_from_json(text)
    result.write(src_dir if src_dir is not None else grammar_dir / "src")
    return result
