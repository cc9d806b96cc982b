"""The generator's output is a pure function of the grammar: regenerating
every grammar/*/grammar.js must reproduce the committed src/ byte for byte,
whatever Python's hash seed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GRAMMARS = sorted(p.parent for p in (REPO / "grammar").glob("*/grammar.js"))
GENERATED = ["grammar.json", "parser.c", "node-types.json", "tree_sitter/parser.h"]


def regenerate(grammar_dir: Path, out: Path, hash_seed: str) -> None:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    proc = subprocess.run(
        [sys.executable, "-m", "custody.grammar.tsgen", str(grammar_dir), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("grammar_dir", GRAMMARS, ids=[p.name for p in GRAMMARS])
def test_committed_src_is_what_the_generator_writes(grammar_dir, tmp_path):
    committed = grammar_dir / "src"
    if not (committed / "parser.c").exists():
        pytest.skip(f"{grammar_dir.name}: src/ not generated yet (run python -m custody.grammar.tsgen grammar/{grammar_dir.name})")
    regenerate(grammar_dir, tmp_path, "0")
    stale = [name for name in GENERATED if (tmp_path / name).read_bytes() != (committed / name).read_bytes()]
    assert not stale, (
        f"grammar/{grammar_dir.name}/src is stale ({', '.join(stale)}): "
        f"run `python -m custody.grammar.tsgen grammar/{grammar_dir.name} --build` and commit src/"
    )


@pytest.mark.parametrize("grammar_dir", GRAMMARS, ids=[p.name for p in GRAMMARS])
def test_output_does_not_depend_on_hash_seed(grammar_dir, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    regenerate(grammar_dir, first, "1")
    regenerate(grammar_dir, second, "4242")
    for name in GENERATED:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_generation_is_fast():
    # The JSON grammar must take seconds, not minutes (the whole run here).
    import time

    from custody.grammar.tsgen import generate_from_json

    text = (REPO / "grammar" / "json" / "src" / "grammar.json").read_text()
    started = time.monotonic()
    generate_from_json(text)
    assert time.monotonic() - started < 5
