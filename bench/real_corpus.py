"""`custody check` over a language's real code, from a directory or a git repository (a mirror
too): how many files, how many findings of each code, which files have findings, and the time.
Precision on real, correct code is what users judge first; this is the check a developer runs
after changing a front-end (the tests never read a fetched repository).

    python bench/real_corpus.py janus /work/.mirror/janus-lang+janus/repo
    python bench/real_corpus.py kea /work/.mirror/amplifiedai+kea/repo
    python bench/real_corpus.py c /work/.mirror/quenio+agerun/repo --under modules
    python bench/real_corpus.py x07 /work/.mirror/x07lang+x07/repo --under stdlib/std/0.1.3

A git directory is read at REV (default HEAD) with `git show` file by file and written to a
temporary directory (a mirror may lack the blobs of large files, which `git archive` refuses),
then checked with one engine, as `custody check DIR` would; the language's files only (X07:
.x07t and .x07.json; C: .c and .h). Prints the counts per code and the files with findings
(`--files`); exit status 0.

Numbers seen (session 10, HEADs fetched that day): janus 247 files, 0 ownership findings (2,405
CUS-SYNTAX-0001 in the 103 files Janus's own parser rejects); kea 75 files, no finding; c
(AgeRun `--under modules`, 242 .c/.h, tests and fixtures included) 170 MMM findings, all
reviewed real (docs/agerun-findings.md), plus 11 CUS-SYNTAX-0001; x07 `--under
stdlib/std-core/0.1.4/modules` 31 files, no finding (the whole ecosystem needs module roots per
project: docs/x07-ecosystem.md).
"""
from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parse_corpus import git_sources, is_git_dir  # noqa: E402

SUFFIXES = {"x07": (".x07t", ".x07.json"), "c": (".c", ".h"), "kea": (".kea",), "janus": (".jan",)}


def extract(git_dir: Path, rev: str, suffixes, under: str | None, dest: Path) -> int:
    count = 0
    for suffix in suffixes:
        for name, data in git_sources(git_dir, rev, suffix):
            if under and not name.startswith(under.rstrip("/") + "/"):
                continue
            out = dest / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
            count += 1
    return count


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("language", choices=sorted(SUFFIXES))
    ap.add_argument("source", type=Path, help="a directory, or a git directory (bare or not)")
    ap.add_argument("--rev", default="HEAD")
    ap.add_argument("--under", help="only files below this folder of the repository")
    ap.add_argument("--files", action="store_true", help="list the files with findings")
    a = ap.parse_args()
    if not a.source.exists():
        print(f"real_corpus: {a.source}: no such directory", file=sys.stderr)
        return 2

    from custody.analysis.engine import Engine
    from custody.batch import collect

    with tempfile.TemporaryDirectory(prefix="custody-corpus-") as tmp:
        if is_git_dir(a.source):
            root = Path(tmp)
            n = extract(a.source, a.rev, SUFFIXES[a.language], a.under, root)
            print(f"{n} files extracted from {a.source} at {a.rev}")
        else:
            root = a.source / a.under if a.under else a.source
        files = [f for f in collect([str(root)])[0] if f.endswith(SUFFIXES[a.language])]
        engine = Engine(module_roots=[str(root)])
        codes: collections.Counter = collections.Counter()
        with_findings: dict[str, collections.Counter] = {}
        started = time.perf_counter()
        for path in files:
            data = open(path, "rb").read()
            found = engine.check(path, data).findings
            if found:
                with_findings[os.path.relpath(path, root)] = collections.Counter(f.code for f in found)
                codes.update(f.code for f in found)
        took = time.perf_counter() - started
    syntax = sum(v for k, v in codes.items() if k.startswith("CUS-SYNTAX"))
    print(f"{len(files)} {a.language} files checked in {took:.1f} s: {sum(codes.values())} findings "
          f"({sum(codes.values()) - syntax} other than syntax errors) in {len(with_findings)} files")
    for code, n in codes.most_common():
        print(f"  {code}: {n}")
    if a.files:
        for name, c in sorted(with_findings.items()):
            print(f"  {name}: " + ", ".join(f"{k} x{v}" for k, v in c.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
