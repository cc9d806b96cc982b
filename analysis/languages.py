"""The registry of language front-ends: which one handles a file (by its name) or an editor
buffer (by its LSP languageId).

The only module above the front-ends that names them; adding a language is one line in
`_register_builtin`. Everything else asks `LANGUAGES`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import CodeInfo
from .frontend import FrontEnd


@dataclass
class Registry:
    """Front-ends by file name and languageId; the first registered is the default (used for a
    buffer whose name and languageId say nothing)."""

    languages: list[FrontEnd] = field(default_factory=list)

    def register(self, language: FrontEnd) -> None:
        self.languages.append(language)

    def for_path(self, path: str | None) -> FrontEnd | None:
        if path:
            for lang in self.languages:
                if path.endswith(lang.suffixes):
                    return lang
        return None

    def for_language_id(self, language_id: str | None) -> FrontEnd | None:
        if not language_id:
            return None
        return next((lang for lang in self.languages if language_id in lang.language_ids), None)

    def pick(self, path: str | None, language_id: str | None = None) -> FrontEnd:
        """The file name decides (as before the registry: the extension decides the form,
        whatever languageId the client sent); else the languageId; else the default."""
        return self.for_path(path) or self.for_language_id(language_id) or self.languages[0]

    def handles(self, path: str | None, language_id: str | None = None) -> bool:
        return self.for_path(path) is not None or self.for_language_id(language_id) is not None

    def is_source(self, path: str) -> bool:
        return self.for_path(path) is not None

    @property
    def watch_globs(self) -> tuple[str, ...]:
        return tuple(g for lang in self.languages for g in lang.watch_globs)

    @property
    def codes(self) -> tuple[CodeInfo, ...]:
        """Every front-end's catalog entries, in registration order (analysis/catalog.py
        assembles the full catalog from them; a shared entry may appear more than once)."""
        return tuple(info for lang in self.languages for info in lang.codes)


def _register_builtin(registry: Registry) -> Registry:
    from .c.frontend import CFrontEnd
    from .janus.frontend import JanusFrontEnd
    from .kea.frontend import KeaFrontEnd
    from .x07.frontend import X07FrontEnd

    registry.register(X07FrontEnd())
    registry.register(CFrontEnd())
    registry.register(KeaFrontEnd())
    registry.register(JanusFrontEnd())
    return registry


LANGUAGES = _register_builtin(Registry())


def is_source(path: str) -> bool:
    """Is this file name one of a registered language's sources?"""
    return LANGUAGES.is_source(path)
