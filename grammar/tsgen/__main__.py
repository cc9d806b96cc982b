"""Command line: regenerate a grammar's parser sources, optionally rebuild
its extension in place.

    python -m custody.grammar.tsgen grammar/x07text            # regenerate src/
    python -m custody.grammar.tsgen grammar/x07text --build    # ... and compile
    python -m custody.grammar.tsgen --all --build               # every grammar/*/grammar.js
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import generate
from .errors import GrammarError

GRAMMAR_ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m custody.grammar.tsgen", description=__doc__.splitlines()[0])
    parser.add_argument("grammar_dirs", nargs="*", type=Path, help="directories holding grammar.js")
    parser.add_argument("--all", action="store_true", help="every grammar/*/ that has a grammar.js")
    parser.add_argument("--build", action="store_true", help="compile the extension in place afterwards")
    parser.add_argument("--out", type=Path, help="write the sources here instead of <dir>/src (one grammar only)")
    args = parser.parse_args(argv)
    dirs = list(args.grammar_dirs)
    if args.all:
        dirs += sorted(p.parent for p in GRAMMAR_ROOT.glob("*/grammar.js"))
    if not dirs:
        parser.error("name a grammar directory or pass --all")
    if args.out and len(dirs) != 1:
        parser.error("--out works with exactly one grammar")
    status = 0
    for grammar_dir in dirs:
        started = time.monotonic()
        try:
            result = generate(grammar_dir, args.out)
        except GrammarError as error:
            print(f"{grammar_dir}: {error}", file=sys.stderr)
            status = 1
            continue
        src = args.out or grammar_dir / "src"
        print(f"{grammar_dir}: wrote {src}/parser.c ({time.monotonic() - started:.1f}s)")
        if args.build:
            if args.out:
                print("--build ignored with --out", file=sys.stderr)
                continue
            from ..build import build_inplace

            try:
                target = build_inplace(grammar_dir)
            except RuntimeError as error:
                print(str(error), file=sys.stderr)
                status = 1
                continue
            print(f"{grammar_dir}: built {target}")
    return status


if __name__ == "__main__":
    sys.exit(main())
