"""Build hook: which packages go into the wheel, and the C extensions; all other metadata lives
in pyproject.toml.

Packages are found, not listed: every folder holding Python files under one of PACKAGE_ROOTS is
a package, so a new language front-end (analysis/c/) ships without touching the packaging
(tests/analysis/test_architecture.py checks it). Each generated grammar
(grammar/*/src/parser.c) is compiled into an extension module custody.grammar._<name>; see
grammar/build.py.
"""

import importlib.util
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent

# import name -> folder, as in pyproject.toml's package-dir
PACKAGE_ROOTS = {"custody": "server", "custody.analysis": "analysis", "custody.grammar": "grammar",
                 "custody.runtime": "runtime_c"}


def find_custody_packages(root: Path = ROOT) -> list[str]:
    """Every folder under a package root that holds a .py file, as a dotted package name."""
    found = []
    for package, folder in PACKAGE_ROOTS.items():
        base = root / folder
        for dirpath, dirnames, names in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")) and d != "node_modules")
            rel = Path(dirpath).relative_to(base)
            name = ".".join((package,) + rel.parts)
            if name in PACKAGE_ROOTS and name != package:
                continue    # mapped to its own folder (e.g. custody.analysis is not server/analysis)
            if rel == Path(".") or any(n.endswith(".py") for n in names):
                found.append(name)
    return sorted(found)


if __name__ == "__main__":      # setuptools runs this file as __main__; tests import it for the list
    from setuptools import setup

    _spec = importlib.util.spec_from_file_location("_custody_grammar_build", ROOT / "grammar" / "build.py")
    _build = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_build)

    setup(packages=find_custody_packages(), ext_modules=_build.extensions(ROOT / "grammar", relative_to=ROOT))
