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


def _regenerating(grammar_dir: Path, out: Path, hash_seed: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    return subprocess.Popen(
        [sys.executable, "-m", "custody.grammar.tsgen", str(grammar_dir), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.parametrize("grammar_dir", GRAMMARS, ids=[p.name for p in GRAMMARS])
def test_committed_src_is_what_the_generator_writes_whatever_the_hash_seed(grammar_dir, tmp_path):
    """Two regenerations under different hash seeds (run side by side), each byte for byte the
    committed src/: the output is the committed one and depends on no seed."""
    committed = grammar_dir / "src"
    if not (committed / "parser.c").exists():
        pytest.skip(f"{grammar_dir.name}: src/ not generated yet (run python -m custody.grammar.tsgen grammar/{grammar_dir.name})")
    runs = {seed: _regenerating(grammar_dir, tmp_path / seed, seed) for seed in ("1", "4242")}
    for seed, proc in runs.items():
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    for seed in runs:
        stale = [name for name in GENERATED
                 if (tmp_path / seed / name).read_bytes() != (committed / name).read_bytes()]
        assert not stale, (
            f"grammar/{grammar_dir.name}/src is stale or depends on the hash seed (PYTHONHASHSEED={seed}: "
            f"{', '.join(stale)}): run `python -m custody.grammar.tsgen grammar/{grammar_dir.name} --build` "
            "and commit src/"
        )
