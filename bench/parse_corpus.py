"""Parse every source file of one language in a directory or a git repository with custody's
grammar for it: how much of a language's real code the grammar reads without an error node.

    python bench/parse_corpus.py kea DIR_OR_GIT_DIR [--rev REV] [--quiet]
    python bench/parse_corpus.py janus /work/.mirror/janus-lang+janus/repo

The language is a grammar under grammar/ (kea: *.kea, janus: *.jan, x07text: *.x07t).
A git directory (bare or not; e.g. the mirror /work/.mirror/amplifiedai+kea/repo)
is read with `git ls-tree`/`git show` at REV (default HEAD); any other directory
is walked for the language's files.  For each file it prints `ok` or the first ERROR /
MISSING node (line:column and the text there), then the count:
"75/75 files parse without error".  Exit status 1 when some file has an error.

Not imported by the tests: the tests must not depend on a fetched repository.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


SUFFIXES = {"kea": ".kea", "janus": ".jan", "x07text": ".x07t"}


def grammar_parser(name: str):
    import tree_sitter

    from custody.grammar import language

    return tree_sitter.Parser(language(name))


def first_problem(node):
    """The first ERROR or MISSING node in document order, or None."""
    if not node.has_error:
        return None
    cursor = [node]
    while cursor:
        current = cursor.pop()
        if current.is_error or current.is_missing:
            return current
        if current.has_error:
            cursor.extend(reversed(current.children))
    return None


def git_sources(git_dir: Path, rev: str, suffix: str):
    names = subprocess.run(
        ["git", "-C", str(git_dir), "ls-tree", "-r", "--name-only", rev],
        check=True, capture_output=True, text=True,
    ).stdout.split("\n")
    for name in sorted(n for n in names if n.endswith(suffix)):
        text = subprocess.run(
            ["git", "-C", str(git_dir), "show", f"{rev}:{name}"],
            check=True, capture_output=True,
        ).stdout
        yield name, text


def dir_sources(root: Path, suffix: str):
    for path in sorted(root.rglob("*" + suffix)):
        yield str(path.relative_to(root)), path.read_bytes()


def is_git_dir(path: Path) -> bool:
    result = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--is-bare-repository"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        return False
    # A plain directory inside some other repository is walked, not read from git.
    top = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    return result.stdout.strip() == "true" or (
        top.returncode == 0 and Path(top.stdout.strip()).resolve() == path.resolve()
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("language", choices=sorted(SUFFIXES))
    ap.add_argument("source", type=Path)
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--quiet", action="store_true", help="print only failures and the count")
    args = ap.parse_args(argv)

    if not args.source.is_dir():
        ap.error(f"{args.source}: no such directory")
    suffix = SUFFIXES[args.language]
    sources = (git_sources(args.source, args.rev, suffix) if is_git_dir(args.source)
               else dir_sources(args.source, suffix))
    parser = grammar_parser(args.language)
    total = good = 0
    started = time.perf_counter()
    size = 0
    for name, text in sources:
        total += 1
        size += len(text)
        tree = parser.parse(text)
        problem = first_problem(tree.root_node)
        if problem is None:
            good += 1
            if not args.quiet:
                print(f"ok     {name}")
            continue
        row, column = problem.start_point
        kind = "MISSING " + problem.type if problem.is_missing else "ERROR"
        line = text.split(b"\n")[row].decode("utf-8", "replace").strip() if row < text.count(b"\n") + 1 else ""
        print(f"error  {name}:{row + 1}:{column + 1}: {kind}: {line[:80]}")
    elapsed = time.perf_counter() - started
    print(f"{good}/{total} files parse without error ({size} bytes in {elapsed:.2f} s)")
    return 0 if good == total else 1


if __name__ == "__main__":
    sys.exit(main())
