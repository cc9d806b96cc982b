"""Build hook for the C extensions; all metadata lives in pyproject.toml.

Each generated grammar (grammar/*/src/parser.c) is compiled into an extension
module custody.grammar._<name>; see grammar/build.py."""

import importlib.util
from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("_custody_grammar_build", ROOT / "grammar" / "build.py")
_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_build)

setup(ext_modules=_build.extensions(ROOT / "grammar", relative_to=ROOT))
