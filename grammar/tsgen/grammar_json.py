"""Loading grammar.json (the format `tree-sitter generate` reads) into a
validated :class:`InputGrammar`.  Rules stay as the JSON dictionaries; every
later pass only reads them."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GrammarError

RULE_TYPES = {
    "BLANK": (),
    "STRING": ("value",),
    "PATTERN": ("value",),
    "SYMBOL": ("name",),
    "SEQ": ("members",),
    "CHOICE": ("members",),
    "REPEAT": ("content",),
    "REPEAT1": ("content",),
    "PREC": ("value", "content"),
    "PREC_LEFT": ("value", "content"),
    "PREC_RIGHT": ("value", "content"),
    "PREC_DYNAMIC": ("value", "content"),
    "TOKEN": ("content",),
    "IMMEDIATE_TOKEN": ("content",),
    "FIELD": ("name", "content"),
    "ALIAS": ("content", "named", "value"),
}

DSL_JS = Path(__file__).with_name("dsl.js")


@dataclass
class InputGrammar:
    name: str
    rules: dict  # rule name -> rule dict, in grammar order
    extras: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)  # list of lists of rule names
    precedences: list = field(default_factory=list)  # list of lists of rule dicts
    inline: list = field(default_factory=list)
    supertypes: list = field(default_factory=list)
    word: str | None = None
    # tokens of the external scanner, in its order: {"type": "SYMBOL", "name"} or a STRING rule
    externals: list = field(default_factory=list)


def _check_rule(rule, where: str, names: set) -> None:
    if not isinstance(rule, dict) or rule.get("type") not in RULE_TYPES:
        raise GrammarError(f"invalid rule in {where}: {json.dumps(rule)[:120]}")
    kind = rule["type"]
    for key in RULE_TYPES[kind]:
        if key not in rule:
            raise GrammarError(f"{kind} rule in {where} lacks '{key}'")
    if kind == "SYMBOL" and rule["name"] not in names:
        raise GrammarError(f"Undefined symbol '{rule['name']}' in {where}")
    if kind in ("SEQ", "CHOICE"):
        for member in rule["members"]:
            _check_rule(member, where, names)
    elif "content" in rule:
        _check_rule(rule["content"], where, names)
    if kind == "PREC_DYNAMIC" and not isinstance(rule["value"], int):
        raise GrammarError(f"prec.dynamic in {where} needs an integer")


def parse_grammar_json(data: dict) -> InputGrammar:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise GrammarError("grammar.json needs a string 'name'")
    rules = data.get("rules")
    if not isinstance(rules, dict) or not rules:
        raise GrammarError("grammar.json needs a non-empty 'rules' object")
    externals = data.get("externals") or []
    if not isinstance(externals, list):
        raise GrammarError("'externals' must be a list")
    external_names = set()
    for entry in externals:
        if not isinstance(entry, dict) or entry.get("type") not in ("SYMBOL", "STRING") or not isinstance(
                entry.get("name" if entry.get("type") == "SYMBOL" else "value"), str):
            raise GrammarError(f"externals entries must be symbols or strings: {json.dumps(entry)[:120]}")
        if entry["type"] == "SYMBOL":
            if entry["name"] in external_names:
                raise GrammarError(f"external token '{entry['name']}' is listed twice")
            external_names.add(entry["name"])
        elif entry["value"] == "":
            raise GrammarError("an external string token must not be empty")
    names = set(rules) | external_names
    for name, rule in rules.items():
        _check_rule(rule, f"rule {name}", names)
    extras = data.get("extras")
    if extras is None:
        extras = [{"type": "PATTERN", "value": "\\s"}]
    for rule in extras:
        _check_rule(rule, "extras", names)
    for key in ("inline", "supertypes"):
        for name in data.get(key, []):
            if name not in names:
                raise GrammarError(f"Undefined symbol '{name}' in {key}")
    for group in data.get("conflicts", []):
        for name in group:
            if name not in names:
                raise GrammarError(f"Undefined symbol '{name}' in conflicts")
    word = data.get("word")
    if word is not None and word not in names:
        raise GrammarError(f"Undefined symbol '{word}' used as word token")
    return InputGrammar(
        name=data["name"],
        rules=dict(rules),
        extras=list(extras),
        conflicts=[list(c) for c in data.get("conflicts", [])],
        precedences=[list(p) for p in data.get("precedences", [])],
        inline=list(data.get("inline", [])),
        supertypes=list(data.get("supertypes", [])),
        word=word,
        externals=[dict(e) for e in externals],
    )


def load_grammar_json(path: Path) -> InputGrammar:
    return parse_grammar_json(json.loads(Path(path).read_text(encoding="utf-8")))


def evaluate_grammar_js(grammar_js: Path) -> str:
    """Run node on grammar.js through our DSL shim; returns grammar.json text."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        raise GrammarError("node is needed to evaluate grammar.js but was not found on PATH")
    proc = subprocess.run(
        [node, str(DSL_JS), str(Path(grammar_js).resolve())],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if proc.returncode != 0:
        raise GrammarError(f"evaluating {grammar_js} failed:\n{proc.stderr.strip()}")
    return proc.stdout
