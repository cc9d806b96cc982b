"""Compiling generated grammars into CPython extensions.

Every `grammar/<dir>/src/parser.c` becomes the extension module
`custody.grammar._<name>` (name = the grammar's `name`, read from
src/grammar.json, falling back to the directory name), built from that
parser.c, the grammar's external scanner src/scanner.c when it has one, and
grammar/binding.c.  A grammar directory without a generated
parser.c yet is skipped, so half-written grammars never break an install.

Used two ways:
  * setup.py calls `extensions()` so `pip install -e .` builds them;
  * `build_inplace()` compiles one grammar straight into grammar/ with the
    C compiler (what `python -m custody.grammar.tsgen DIR --build` runs).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sysconfig
from pathlib import Path

GRAMMAR_ROOT = Path(__file__).resolve().parent
BINDING_C = GRAMMAR_ROOT / "binding.c"
PACKAGE = "custody.grammar"


def grammar_name(grammar_dir: Path) -> str:
    grammar_json = Path(grammar_dir) / "src" / "grammar.json"
    if grammar_json.exists():
        try:
            return json.loads(grammar_json.read_text(encoding="utf-8"))["name"]
        except (ValueError, KeyError):
            pass
    return Path(grammar_dir).name


def grammar_dirs(root: Path = GRAMMAR_ROOT) -> list:
    """Grammar directories whose parser has been generated, sorted."""
    return sorted(p.parent.parent for p in Path(root).glob("*/src/parser.c"))


def c_sources(src: Path) -> list:
    """The grammar's own C files: the generated parser and, if any, its external scanner."""
    scanner = Path(src) / "scanner.c"
    return [Path(src) / "parser.c"] + ([scanner] if scanner.exists() else [])


def extensions(root: Path = GRAMMAR_ROOT, relative_to: Path | None = None) -> list:
    from setuptools import Extension

    result = []
    for grammar_dir in grammar_dirs(root):
        name = grammar_name(grammar_dir)
        src = grammar_dir / "src"
        sources = c_sources(src) + [BINDING_C]
        if relative_to is not None:
            sources = [os.path.relpath(s, relative_to) for s in sources]
            include = os.path.relpath(src, relative_to)
        else:
            include = str(src)
        result.append(
            Extension(
                f"{PACKAGE}._{name}",
                sources=[str(s) for s in sources],
                include_dirs=[include],
                define_macros=[("TS_GRAMMAR", name)],
                extra_compile_args=["-std=c11", "-O2", "-fvisibility=hidden"],
            )
        )
    return result


def compile_extension(src_dir: Path, name: str, out_dir: Path, module: str | None = None) -> Path:
    """Compile parser.c + binding.c from `src_dir` into `out_dir/_<name>.<suffix>`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = out_dir / f"_{module or name}{suffix}"
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    include = sysconfig.get_paths()["include"]
    command = cc + [
        "-shared",
        "-fPIC",
        "-O2",
        "-std=c11",
        "-fvisibility=hidden",
        f"-DTS_GRAMMAR={name}",
        f"-I{src_dir}",
        f"-I{include}",
        *(str(p) for p in c_sources(Path(src_dir))),
        str(BINDING_C),
        "-o",
        str(target),
    ]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"compiling {src_dir} failed:\n{proc.stderr}")
    return target


def build_inplace(grammar_dir: Path) -> Path:
    """Rebuild one grammar's extension next to grammar/__init__.py."""
    grammar_dir = Path(grammar_dir).resolve()
    return compile_extension(grammar_dir / "src", grammar_name(grammar_dir), GRAMMAR_ROOT)
