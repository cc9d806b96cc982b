"""Generate + compile + load a grammar in one call, for tests and tools.

Results are cached on disk under the system temp directory, keyed by the
grammar text and by the generator's own source, so repeated test sessions
reuse compiled parsers and any change to the generator rebuilds them."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tempfile
from pathlib import Path

from . import generate_from_json
from .grammar_json import evaluate_grammar_js

_PACKAGE_DIR = Path(__file__).resolve().parent
_loaded: dict = {}


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    sources = sorted(_PACKAGE_DIR.glob("*.py")) + [_PACKAGE_DIR / "dsl.js", _PACKAGE_DIR.parent / "binding.c"]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_root() -> Path:
    root = Path(os.environ.get("CUSTODY_TSGEN_CACHE") or Path(tempfile.gettempdir()) / "custody-tsgen-cache")
    root.mkdir(parents=True, exist_ok=True)
    return root


def grammar_json_from_js(grammar_js_text: str) -> str:
    """Evaluate grammar.js source text (written to a temp file) with node."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "grammar.js"
        path.write_text(grammar_js_text, encoding="utf-8")
        return evaluate_grammar_js(path)


def build_from_json(grammar_json_text: str, scanner_c: str | None = None):
    """Returns (tree_sitter.Language, src_dir) for grammar.json text; `scanner_c` is the text of
    the grammar's external scanner (src/scanner.c), for a grammar with externals."""
    from ..build import compile_extension

    key = hashlib.sha256((generator_fingerprint() + grammar_json_text + (scanner_c or "")).encode()).hexdigest()[:20]
    if key in _loaded:
        return _loaded[key]
    name = json.loads(grammar_json_text)["name"]
    work = cache_root() / key
    src = work / "src"
    module_name = f"{name}_{key}"
    suffix_glob = list(work.glob(f"_{module_name}*.so")) if work.exists() else []
    if not suffix_glob:
        generate_from_json(grammar_json_text).write(src)
        if scanner_c is not None:
            (src / "scanner.c").write_text(scanner_c, encoding="utf-8")
        compiled = compile_extension_with_name(compile_extension, src, name, work, module_name)
    else:
        compiled = suffix_glob[0]
    language = _load_extension(compiled, module_name)
    _loaded[key] = (language, src)
    return _loaded[key]


def compile_extension_with_name(compile_extension, src, name, work, module_name):
    # The module init function is named after TS_GRAMMAR, so compile the
    # binding with a unique module name by wrapping the language symbol.
    shim = work / "shim"
    shim.mkdir(parents=True, exist_ok=True)
    (shim / "parser.c").write_text(
        f'#include "{(src / "parser.c").as_posix()}"\n'
        f"const TSLanguage *tree_sitter_{module_name}(void) {{ return tree_sitter_{name}(); }}\n",
        encoding="utf-8",
    )
    if (src / "scanner.c").exists():
        (shim / "scanner.c").write_text(f'#include "{(src / "scanner.c").as_posix()}"\n', encoding="utf-8")
    (shim / "tree_sitter").mkdir(exist_ok=True)
    (shim / "tree_sitter" / "parser.h").write_text((src / "tree_sitter" / "parser.h").read_text())
    return compile_extension(shim, module_name, work)


def _load_extension(path: Path, module_name: str):
    import tree_sitter

    spec = importlib.util.spec_from_file_location(f"_{module_name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tree_sitter.Language(module.language())


def build_from_js(grammar_js_text: str, scanner_c: str | None = None):
    """Returns (tree_sitter.Language, src_dir) for grammar.js source text."""
    return build_from_json(grammar_json_from_js(grammar_js_text), scanner_c)
