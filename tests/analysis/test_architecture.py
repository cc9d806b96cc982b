"""The layering docs/architecture.md states, checked on the source: which layer may import which.

Imports are read from the syntax tree (absolute `custody.` imports and relative ones resolved
against the module's own package), so a lazy import inside a function counts too.
"""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {"server": "custody", "analysis": "custody.analysis", "grammar": "custody.grammar",
           "runtime_c": "custody.runtime"}
PROTOCOL = ("pygls", "lsprotocol", "mcp", "mcp_types", "custody.lsp", "custody.cli", "custody.quantities",
            "custody.mcp_server", "custody.mcp_stdio", "custody.agent_tools")


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT)
    base = FOLDERS[rel.parts[0]]
    parts = list(rel.with_suffix("").parts[1:])
    if parts and parts[-1] == "__init__":
        parts.pop()
    return ".".join([base] + parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, as an absolute dotted name."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            out.add(mod)
            out.update(f"{mod}.{a.name}" for a in node.names)
    return out


def _sources(folder: str) -> list[Path]:
    return sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def _violations(folder: str, forbidden) -> list[str]:
    bad = []
    for path in _sources(folder):
        for mod in _imports(path):
            if any(mod == f or mod.startswith(f + ".") for f in forbidden(path)):
                bad.append(f"{path.relative_to(ROOT)} imports {mod}")
    return sorted(set(bad))


def _languages() -> list[str]:
    """The front-end packages: folders under analysis/ other than the shared checkers."""
    return sorted(p.name for p in (ROOT / "analysis").iterdir()
                  if p.is_dir() and (p / "__init__.py").exists() and p.name != "ownership")


def test_there_is_a_language():
    assert "x07" in _languages()


def test_analysis_never_imports_the_protocol():
    assert _violations("analysis", lambda p: PROTOCOL) == []


def test_shared_checkers_never_import_a_front_end():
    fronts = [f"custody.analysis.{lang}" for lang in _languages()]
    bad = [v for v in _violations("analysis", lambda p: fronts if "ownership" in p.parts else ())]
    assert bad == []


def test_engine_and_contract_never_import_a_front_end():
    """Only the registry (analysis/languages.py) names the front-ends."""
    fronts = [f"custody.analysis.{lang}" for lang in _languages()]
    shared = {"engine.py", "frontend.py", "findings.py", "fix_all.py", "source.py", "catalog.py"}
    bad = _violations("analysis", lambda p: fronts if p.parent == ROOT / "analysis" and p.name in shared else ())
    assert bad == []


def test_server_never_imports_a_language():
    fronts = [f"custody.analysis.{lang}" for lang in _languages()]
    assert _violations("server", lambda p: fronts) == []


def test_a_front_end_never_imports_another():
    langs = _languages()
    bad = []
    for lang in langs:
        others = [f"custody.analysis.{o}" for o in langs if o != lang]
        bad += _violations(f"analysis/{lang}", lambda p, others=others: others)
    assert bad == []


@pytest.fixture(scope="module")
def packaged() -> list[str]:
    spec = importlib.util.spec_from_file_location("_custody_setup", ROOT / "setup.py")
    setup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup)      # defines the discovery; setup() runs only as __main__
    return setup.find_custody_packages(ROOT)


def test_every_folder_with_python_files_is_a_package(packaged):
    folders = sorted({p.parent for folder in FOLDERS for p in _sources(folder)})
    missing = [str(f.relative_to(ROOT)) for f in folders if _module_name(f / "__init__.py") not in packaged]
    assert missing == []


def test_a_new_language_folder_would_be_packaged(tmp_path):
    """Discovery, not a list: a new analysis/<language>/ is found without touching packaging."""
    spec = importlib.util.spec_from_file_location("_custody_setup", ROOT / "setup.py")
    setup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup)
    for folder in FOLDERS:
        (tmp_path / folder).mkdir()
    (tmp_path / "analysis" / "c").mkdir()
    (tmp_path / "analysis" / "c" / "__init__.py").write_text("")
    assert "custody.analysis.c" in setup.find_custody_packages(tmp_path)


def test_registered_front_ends_are_complete():
    """Each registered front-end implements the whole contract and claims its own suffixes."""
    from custody.analysis.languages import LANGUAGES

    seen = set()
    for lang in LANGUAGES.languages:
        assert not getattr(type(lang), "__abstractmethods__", ()), lang.name
        assert lang.suffixes and not (set(lang.suffixes) & seen)
        seen.update(lang.suffixes)
        assert LANGUAGES.pick(f"file{lang.suffixes[0]}") is lang
        for language_id in lang.language_ids:
            assert LANGUAGES.pick(None, language_id) is lang
