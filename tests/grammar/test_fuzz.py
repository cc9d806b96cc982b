"""Random bytes and mangled real documents never crash a parser.

Parsing happens in a child process (fuzz_child.py), so a segfault or an abort
in generated C code fails the test instead of killing pytest.  Every grammar
that is built is fuzzed; the inputs are deterministic (seeded by grammar name,
or by CUSTODY_FUZZ_SEED to explore other ones).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz_child import write_inputs
from grammars import PIECES, built_grammar_names, grammar_names, sample_texts

CHILD = Path(__file__).resolve().parent / "fuzz_child.py"
SEED = os.environ.get("CUSTODY_FUZZ_SEED", "")


def fuzz_inputs(rng: random.Random, samples: tuple[bytes, ...]) -> list[bytes]:
    inputs: list[bytes] = [b"", b"\x00", b"\xff" * 3, b"\n" * 50, b"(" * 2000, b"{" * 2000]
    # Random bytes, uniform and syntax-heavy.
    for _ in range(3000):
        inputs.append(rng.randbytes(rng.randint(1, 300)))
    for _ in range(3000):
        inputs.append(b"".join(rng.choice(PIECES) for _ in range(rng.randint(1, 80))))
    for text in samples[:24]:
        n = len(text)
        for _ in range(300):  # truncations: a prefix, a suffix, a middle cut out
            cut = rng.randint(0, n)
            inputs.append(text[:cut])
            inputs.append(text[cut:])
            end = rng.randint(cut, n)
            inputs.append(text[:cut] + text[end:])
        for _ in range(150):  # a few random bytes overwritten or inserted
            mangled = bytearray(text)
            for _ in range(rng.randint(1, 6)):
                at = rng.randint(0, len(mangled))
                piece = rng.choice(PIECES) if rng.random() < 0.7 else rng.randbytes(1)
                if rng.random() < 0.5:
                    mangled[at : at + len(piece)] = piece
                else:
                    mangled[at:at] = piece
            inputs.append(bytes(mangled))
    return inputs


@pytest.mark.parametrize("name", grammar_names())
def test_parser_survives_random_input(name: str, tmp_path: Path) -> None:
    if name not in built_grammar_names():
        pytest.skip(f"the {name} parser is not built")
    rng = random.Random(f"{name}-{SEED}")
    inputs = fuzz_inputs(rng, sample_texts(name))
    inputs_file = tmp_path / "inputs.bin"
    write_inputs(str(inputs_file), inputs)

    run = subprocess.run(
        [sys.executable, str(CHILD), name, str(inputs_file)],
        capture_output=True,
        timeout=300,
    )
    if run.returncode == 0:
        return
    lines = run.stdout.split()
    last = int(lines[-1]) if lines else 0
    culprit = tmp_path / "culprit.bin"
    culprit.write_bytes(inputs[last])
    how = (
        f"killed by {signal.Signals(-run.returncode).name}"
        if run.returncode < 0
        else f"exit {run.returncode}: {run.stderr.decode(errors='replace').strip()}"
    )
    pytest.fail(f"{name} parser {how} on input {last} (saved to {culprit}): {inputs[last][:300]!r}")
