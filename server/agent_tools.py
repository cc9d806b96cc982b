"""custody's engine as tool calls, JSON in and JSON out, for agents: check, ownership_at, explain,
fix and run, each with a JSON schema for its arguments and for its answer, and the documents an
agent sent kept across calls.

Why a module of its own: the MCP server (server/mcp_server.py) is only the protocol around these
tools; what a tool answers is decided here, by calling the code the CLI and the language server
already answer with, never a copy of it:

- check: the findings as `custody check --format json` writes them (batch.json_records), for a
  file, a directory (batch.collect) or a text;
- ownership_at: the editor's hover (lsp/hover.py) and its `custody/ownership` request
  (lsp/cursor.py) at one position, on the same Snapshot the language server would have;
- explain: the catalog entry `custody explain` prints (analysis/catalog.py);
- fix: one finding's fix as `--format json` gives its edits, or fix-all as the editor's "Fix all
  custody problems in file" computes it (lsp/actions.py), with the patched text;
- run: `custody run`'s report (run_request.run_program: the front-end's sandboxed runner; no
  other way to execute code), for the languages whose front-end can run (`FrontEnd.can_run`).

Documents are kept in the language server's own state (lsp/service.py's Service), so a repeated
check of a text the agent changed a little is an editor's keystroke: the text is diffed against
the kept one, the change is applied as an edit, and the engine reuses every unit the change did
not touch (each answer says how many: `units`). A text is kept under its `name`; a file under its
path, read again on every call (the disk stays the truth: a kept file never stands in for the
disk when another file imports it).

Nothing here knows a language: what a language is called, its suffixes and whether it can run
come from the registry (analysis/languages.py). A malformed call (arguments the schema refuses,
an unknown language or code, a position outside the text, text that is not Unicode or too large)
raises CallError with a message saying what to change; the protocol layer turns it into an MCP
error result.
"""
from __future__ import annotations

import argparse
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from lsprotocol import types

from custody.analysis.catalog import CATALOG, lookup
from custody.analysis.findings import apply_edits
from custody.analysis.fix_all import chosen_fix
from custody.analysis.frontend import FrontEnd
from custody.analysis.languages import LANGUAGES
from custody.analysis.source import Position
from custody.batch import collect, json_records
from custody.quantities import parse_count, parse_duration, parse_size
from custody.run_request import RunRefused, refusal, run_program

from .lsp import actions, cursor, hover
from .lsp.run_lens import summary
from .lsp.service import Service, Snapshot
from .lsp.settings import Settings

MAX_TEXT = 16 * 1024 * 1024     # custody analyses files up to 16 MiB (CUS-INPUT-0002)
MAX_DOCUMENTS = 64              # documents kept across calls; the least recently used goes first
UNTITLED = "untitled:"          # a text's document is `untitled:<name>`, as an editor's unsaved buffer


class CallError(Exception):
    """A call custody cannot answer as asked; the message says what to change."""


# ---------------------------------------------------------------------------- the schemas

def _language_names() -> list[str]:
    return [lang.name for lang in LANGUAGES.languages]


def _suffixes() -> str:
    return "; ".join(f"{lang.title}: {', '.join(lang.suffixes)}" for lang in LANGUAGES.languages)


def _document_properties() -> dict:
    """The arguments naming the document a tool works on: a path, a text, or a kept text's name."""
    return {
        "path": {"type": "string", "minLength": 1,
                 "description": f"A source file to read ({_suffixes()}); read again on every call."},
        "text": {"type": "string", "description": "The document's text (kept under `name` for later calls)."},
        "language": {"type": "string", "enum": _language_names(),
                     "description": "The text's language (as the custody://languages resource "
                                    "names it); may be left out when `name` ends with one of the "
                                    "language's suffixes. Where a language has several source "
                                    "forms and no `name` suffix says which, the text is read in "
                                    "the form it is written in (a JSON text in the JSON form)."},
        "name": {"type": "string", "minLength": 1, "maxLength": 255,
                 "description": "The text's file name, e.g. main.kea (its suffix picks the form "
                                "where a language has several, e.g. X07's .x07t or .x07.json); "
                                "alone, without `text`, the text last sent under that name."},
    }


_RANGE = {"type": "object", "required": ["start", "end"], "properties": {
    "start": {"type": "object", "required": ["line", "character"]},
    "end": {"type": "object", "required": ["line", "character"]}}}
_EDIT = {"type": "object", "required": ["range", "newText"],
         "properties": {"range": _RANGE, "newText": {"type": "string"}}}
_FINDING = {"type": "object", "required": ["path", "range", "severity", "code", "message", "related", "fixes"],
            "properties": {"path": {"type": "string"}, "range": _RANGE, "severity": {"type": "string"},
                           "code": {"type": "string"}, "message": {"type": "string"},
                           "related": {"type": "array"}, "fixes": {"type": "array"}}}
_ITEMS = {"type": "array", "items": {"type": "object", "required": ["range", "message"]}}
_POSITION = {"type": "integer", "minimum": 0}


def _obj(properties: dict, required=(), additional: bool = False) -> dict:
    schema = {"type": "object", "properties": properties, "additionalProperties": additional}
    if required:
        schema["required"] = list(required)
    return schema


@dataclass(frozen=True)
class Tool:
    name: str
    title: str
    description: str
    input_schema: dict
    output_schema: dict
    read_only: bool = True


def _tools() -> dict[str, Tool]:
    doc = _document_properties()
    runs = " or ".join(lang.title for lang in LANGUAGES.languages if lang.can_run)
    tools = [
        Tool("check", "Check ownership",
             "Check a program for ownership problems (use after move or transfer, borrow conflicts, "
             "views that outlive their owner, leaks, double destroys). Give `path` (a file or a "
             "directory), or `text` with `language` (and optionally `name`). `findings` is exactly "
             "what `custody check --format json` prints: 0-based lines, UTF-16 characters, each "
             "finding's code (see `explain`), related locations and fixes (see `fix`). Repeated "
             "checks of a changed text reuse the unchanged functions (`units`).",
             _obj(doc),
             _obj({"findings": {"type": "array", "items": _FINDING},
                   "errors": {"type": "integer"}, "warnings": {"type": "integer"},
                   "documents": {"type": "array", "items": _obj({
                       "path": {"type": "string"}, "language": {"type": "string"}, "cached": {"type": "boolean"},
                       "units": {"type": ["object", "null"]}}, ["path", "language", "cached", "units"], True)}},
                  ["findings", "errors", "warnings", "documents"], True)),
        Tool("ownership_at", "Ownership at a position",
             "The ownership state of the binding at a position, as custody's editor hover and its "
             "cursor decorations give it: the binding (name, type, state), why it is in that state "
             "(`why`: where it was moved, borrowed, ...), where it is live, who borrows it (for a "
             "view: the owners it borrows from), where it moves and is dropped, and the findings "
             "it is involved in. `line` and `character` are 0-based, characters in UTF-16 code "
             "units, as in `check`'s ranges.",
             _obj({**doc, "line": _POSITION, "character": _POSITION}, ["line", "character"]),
             _obj({"path": {"type": "string"}, "binding": {"type": ["object", "null"]},
                   "hover": {"type": ["string", "null"]}, "live": _ITEMS, "borrows": _ITEMS,
                   "moves": _ITEMS, "drops": _ITEMS, "conflicts": _ITEMS, "items": {"type": "array"}},
                  ["path", "binding", "hover", "live", "borrows", "moves", "drops", "conflicts", "items"], True)),
        Tool("explain", "Explain a code",
             "A diagnostic code's catalog entry (what it means, an example, the fix), as "
             "`custody explain CODE` prints it; the custody://catalog resource lists every code.",
             _obj({"code": {"type": "string", "minLength": 1, "maxLength": 64,
                            "description": "A code as `check` reports it, e.g. X07-MOVE-0901."}}, ["code"]),
             _obj({"code": {"type": "string"}, "title": {"type": "string"}, "explanation": {"type": "string"},
                   "example": {"type": "string"}, "fix": {"type": "string"}, "url": {"type": "string"},
                   "languages": {"type": "array", "items": {"type": "string"}}, "text": {"type": "string"}},
                  ["code", "title", "explanation", "example", "fix", "url", "languages", "text"], True)),
        Tool("fix", "Fix a finding, or all",
             "The edits of one finding's fix (`finding`: its index in `check`'s findings for the "
             "same text; `fix`: which of its fixes, default the preferred one) or of fixing the "
             "whole document (`all`: one fix at a time, re-checked after each; `safe_only`: only "
             "fixes marked safe, as `custody check --fix`). Answers the edits (0-based lines, "
             "UTF-16 characters) and the patched `text`; nothing is written to disk.",
             _obj({**doc, "finding": {"type": "integer", "minimum": 0},
                   "fix": {"type": "integer", "minimum": 0},
                   "all": {"type": "boolean"}, "safe_only": {"type": "boolean"}}),
             _obj({"path": {"type": "string"}, "applied": {"type": "array", "items": {"type": "string"}},
                   "edits": {"type": "array", "items": _EDIT}, "text": {"type": "string"}},
                  ["path", "applied", "edits", "text"], True)),
        Tool("run", "Run with ownership checks",
             f"Run a program ({runs}) in custody's sandbox, as `custody run --format json`: its "
             "output, memory use, leaks, traps and (with `debug_borrows`, on by default) the "
             "borrows it breaks at run time, mapped to source ranges. The program cannot touch "
             "files, the network or other processes.",
             _obj({**doc, "entry": {"type": "string", "minLength": 1, "maxLength": 255,
                                    "description": "The function to run (default: the language's)."},
                   "input": {"type": "string", "description": "The program's input, as UTF-8 text."},
                   "debug_borrows": {"type": "boolean"},
                   "fuel": {"type": ["integer", "string"], "description": "Evaluation budget: 1e9, 10M, inf."},
                   "mem_cap": {"type": ["integer", "string"], "description": "Heap cap in bytes: 64M, 1G."},
                   "timeout": {"type": ["number", "string"], "description": "Wall time: 10, 500ms, 2m."}}),
             _obj({"path": {"type": "string"}, "summary": {"type": "string"}, "ok": {"type": "boolean"},
                   "diagnostics": {"type": "array"}}, ["path", "summary", "ok", "diagnostics"], True),
             read_only=False),
    ]
    return {t.name: t for t in tools}


TOOLS = _tools()
_VALIDATORS = {name: Draft202012Validator(t.input_schema) for name, t in TOOLS.items()}


def _validate(name: str, arguments) -> dict:
    if arguments is None:
        arguments = {}
    error = best_match(_VALIDATORS[name].iter_errors(arguments))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path)
        raise CallError(f"{name}: " + (f"argument {where!r}: " if where else "") + error.message)
    return arguments


# ---------------------------------------------------------------------------- resources

def languages_json() -> list[dict]:
    """The custody://languages resource: every language custody reads."""
    return [{"name": lang.name, "title": lang.title, "suffixes": list(lang.suffixes),
             "language_ids": list(lang.language_ids), "can_run": bool(lang.can_run),
             "codes": [info.code for info in lang.codes]} for lang in LANGUAGES.languages]


def _reported_by(code: str) -> list[str]:
    return [lang.name for lang in LANGUAGES.languages if any(i.code == code for i in lang.codes)]


def catalog_json() -> list[dict]:
    """The custody://catalog resource: every code custody reports, with the languages reporting it."""
    return [{**info.to_json(), "languages": _reported_by(info.code)} for info in CATALOG.values()]


# ---------------------------------------------------------------------------- the tools

@dataclass
class _Doc:
    """A document a call names: its key in the Service, the path answers name it by."""

    uri: str
    path: str            # as the answer names it: the path as given, or untitled:<name>
    on_disk: bool
    cached: bool = False      # answered by the kept analysis (the text had not changed since)


def _edit_json(edit: types.TextEdit) -> dict:
    r = edit.range
    return {"range": {"start": {"line": r.start.line, "character": r.start.character},
                      "end": {"line": r.end.line, "character": r.end.character}},
            "newText": edit.new_text}


class Tools:
    """The tools over one Service (its engine, its kept documents). Not thread-safe: the caller
    makes one call at a time (`run`'s program runs outside, see `run`)."""

    def __init__(self, module_roots=(), stdlib_root: str | None = None):
        self.service = Service(Settings(stdlib_root=stdlib_root, module_roots=tuple(module_roots)))
        self.kept: OrderedDict[str, None] = OrderedDict()      # uris, least recently used first

    def call(self, name: str, arguments) -> dict:
        """Answer one tool call (its arguments already parsed from JSON). Raises CallError."""
        return self.prepare(name, arguments)()

    def prepare(self, name: str, arguments) -> Callable[[], dict]:
        """A tool call in two steps: what needs the engine, now (one call at a time); the rest
        when the returned function is called (`run`'s program: it shares nothing with the
        engine, so other calls may be answered meanwhile). Raises CallError, either step."""
        if name not in TOOLS:
            raise CallError(f"unknown tool {name!r}; the tools are {', '.join(TOOLS)}")
        args = _validate(name, arguments)
        if name == "run":
            return self.prepare_run(args)
        answer = getattr(self, "tool_" + name)(args)
        return lambda: answer

    # ---- documents ----
    def _language(self, value: str) -> FrontEnd:
        for lang in LANGUAGES.languages:
            if value == lang.name:
                return lang
        raise CallError(f"unknown language {value!r}; custody reads {', '.join(_language_names())}")

    def _document(self, args: dict, tool: str) -> tuple[_Doc, Snapshot]:
        """The document the arguments name, brought up to date and analysed."""
        given = [k for k in ("path", "text") if k in args]
        if len(given) == 2:
            raise CallError(f"{tool}: give `path` or `text`, not both")
        if "path" in args:
            if "language" in args or "name" in args:
                raise CallError(f"{tool}: `language` and `name` go with `text`; a path's suffix says its language")
            path = args["path"]
            if os.path.isdir(path):
                raise CallError(f"{tool}: {path} is a directory; name a file")
            return self._file(path)
        if "text" in args:
            return self._text(args["text"], args.get("language"), args.get("name"), tool)
        if "name" in args:
            if "language" in args:
                raise CallError(f"{tool}: `language` goes with `text`")
            found = self._kept_texts(args["name"])
            if not found:
                raise CallError(f"{tool}: no text was sent under the name {args['name']!r}; send it as `text`")
            if len(found) > 1:
                raise CallError(f"{tool}: texts were sent under the names "
                                f"{', '.join(repr(u[len(UNTITLED):]) for u in found)}; say which")
            uri = found[0]
            self.kept.move_to_end(uri)
            doc = _Doc(uri, self.service.docs[uri].path, False)
            return doc, self._analysed(doc)
        raise CallError(f"{tool}: name the document: `path` (a file), or `text` with `language` (and `name`)")

    def _kept_texts(self, name: str) -> list[str]:
        """The kept texts a name may mean: the one sent under that name, else those kept under it
        and a suffix (`main` names the text kept as main.kea, which `text` with `name` main and
        `language` kea sent). An agent may also give back the `path` an answer named it by."""
        uri = self._untitled(name)
        if uri in self.service.docs:
            return [uri]
        if LANGUAGES.for_path(name) is not None:
            return []
        return [uri + sfx for lang in LANGUAGES.languages for sfx in lang.suffixes if uri + sfx in self.service.docs]

    @staticmethod
    def _untitled(name: str) -> str:
        return name if name.startswith(UNTITLED) else UNTITLED + name

    def _file(self, path: str) -> tuple[_Doc, Snapshot]:
        lang = LANGUAGES.for_path(path)
        if lang is None:
            raise CallError(f"{path}: not a source custody reads ({_suffixes()})")
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as e:
            raise CallError(f"{path}: {e.strerror}") from None
        doc = _Doc(Path(os.path.abspath(path)).as_uri(), path, True)
        self._keep(doc, data, None)
        return doc, self._analysed(doc)

    def _text(self, text: str, language: str | None, name: str | None, tool: str) -> tuple[_Doc, Snapshot]:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise CallError(f"{tool}: the text is not valid Unicode (a lone surrogate at character "
                            f"{e.start}); send UTF-8 text") from None
        if len(data) > MAX_TEXT:
            raise CallError(f"{tool}: the text is {len(data):,} bytes; custody analyses texts up to "
                            f"{MAX_TEXT // (1024 * 1024)} MiB")
        lang = self._language(language) if language is not None else None
        if name is not None:
            named = LANGUAGES.for_path(name)
            if lang is None:
                lang = named
                if lang is None:
                    raise CallError(f"{tool}: give `language`: the name {name!r} ends with no suffix "
                                    f"custody reads ({_suffixes()})")
            elif named is not None and named is not lang:
                raise CallError(f"{tool}: the name {name!r} is a {named.title} file name, "
                                f"but `language` says {lang.title}")
            if named is None:
                name += lang.suffix_for(data)
        elif lang is None:
            raise CallError(f"{tool}: give the text's `language` ({', '.join(_language_names())})")
        else:
            name = "untitled" + lang.suffix_for(data)
        uri = self._untitled(name)
        doc = _Doc(uri, uri, False)
        self._keep(doc, data, lang.language_ids[0] if lang.language_ids else None)
        return doc, self._analysed(doc)

    def _keep(self, doc: _Doc, data: bytes, language_id: str | None) -> None:
        """Bring the kept document to `data`: an edit of the differing stretch when both texts
        are UTF-8 (the engine then re-reads only what the edit touched), else open it anew."""
        svc = self.service
        kept = svc.docs.get(doc.uri)
        if kept is not None and kept.data == data:
            pass
        elif kept is not None and _utf8(kept.data) and _utf8(data):
            edit = actions.whole_edit(kept.index, kept.data, data)
            svc.change(doc.uri, kept.version + 1, [types.TextDocumentContentChangePartial(edit.range, edit.new_text)])
        else:
            svc.open(doc.uri, kept.version + 1 if kept is not None else 1, data,
                     language_id or (kept.language_id if kept is not None else None))
        self.kept.pop(doc.uri, None)
        self.kept[doc.uri] = None
        while len(self.kept) > MAX_DOCUMENTS:
            svc.close(self.kept.popitem(last=False)[0])

    def _analysed(self, doc: _Doc) -> Snapshot:
        doc.cached = self.service.is_current(doc.uri)
        snap = self.service.snapshot(doc.uri)
        if doc.on_disk:      # read from disk: not an unsaved buffer that other files should see
            self.service.engine.overlay.pop(snap.path, None)
        return snap

    # ---- check ----
    def tool_check(self, args: dict) -> dict:
        path = args.get("path")
        if path is not None and os.path.isdir(path):
            if "text" in args or "language" in args or "name" in args:
                raise CallError("check: `language` and `name` go with `text`; a path's suffix says its language")
            files, _ = collect([path])
            checked = [self._file(f) for f in files]
        else:
            checked = [self._document(args, "check")]
        findings: list[dict] = []
        documents = []
        errors = warnings = 0
        for doc, snap in checked:
            findings += json_records(doc.path, snap.index, snap.findings)
            errors += sum(f.severity == "error" for f in snap.findings)
            warnings += sum(f.severity == "warning" for f in snap.findings)
            counts = snap.language.unit_counts(snap.result)
            documents.append({"path": doc.path, "language": snap.language.name, "cached": doc.cached,
                              "units": None if counts is None else {"reused": counts[0], "analysed": counts[1]}})
        return {"findings": findings, "errors": errors, "warnings": warnings, "documents": documents}

    # ---- ownership_at ----
    def tool_ownership_at(self, args: dict) -> dict:
        doc, snap = self._document(args, "ownership_at")
        offset = _offset(snap, args["line"], args["character"])
        out: dict = {"path": doc.path, "binding": None, "hover": None}
        shown = hover.hover(snap, offset)
        if shown is not None:
            out["hover"] = shown.contents.value
        found = cursor.binding_at(snap, offset)
        if found is not None:
            _, p = found
            words = snap.language.vocabulary
            out["binding"] = {
                "name": p.name, "type": p.ty, "class": p.cls, "state": words.states.get(p.state, p.state),
                "range": snap.index.range(p.span).to_json(), "is_definition": p.is_definition,
                "here": p.action,
                "why": [{"range": snap.index.range(n.span).to_json(), "message": n.label} for n in p.notes]}
        items = cursor.ownership_at(snap, offset)
        for key, kind in (("live", "live"), ("borrows", "borrow"), ("moves", "move"), ("drops", "drop"),
                          ("conflicts", "conflict")):
            out[key] = [{"range": i["range"], "message": i["message"]} for i in items if i["kind"] == kind]
        out["items"] = items
        return out

    # ---- explain ----
    def tool_explain(self, args: dict) -> dict:
        info = lookup(args["code"].strip())
        if info is None:
            raise CallError(f"explain: unknown code {args['code']!r}; the custody://catalog resource "
                            f"lists the {len(CATALOG)} codes custody reports")
        return {**info.to_json(), "languages": _reported_by(info.code), "text": info.text()}

    # ---- fix ----
    def tool_fix(self, args: dict) -> dict:
        everything = args.get("all", False)
        if everything == ("finding" in args):
            raise CallError("fix: give either `finding` (an index into check's findings) or `all`: true")
        if everything and "fix" in args:
            raise CallError("fix: `fix` picks one of a finding's fixes; it does not go with `all`")
        if not everything and "safe_only" in args:
            raise CallError("fix: `safe_only` goes with `all`")
        doc, snap = self._document(args, "fix")
        if everything:
            accept: Callable = (lambda fx: fx.safe) if args.get("safe_only") else (lambda fx: True)
            new, applied, edit = actions.fix_all_edit(snap, self.service.checker(snap), accept)
            edits = [_edit_json(edit)] if edit is not None else []
        else:
            i = args["finding"]
            if i >= len(snap.findings):
                raise CallError(f"fix: there are {len(snap.findings)} finding(s) in {doc.path}; "
                                f"`finding` {i} is not one of them (check again: the text may have changed)")
            f = snap.findings[i]
            if not f.fixes:
                raise CallError(f"fix: finding {i} ({f.code}: {f.message}) has no fix; "
                                f"`explain` {f.code} says how to fix it by hand")
            if "fix" in args:
                k = args["fix"]
                if k >= len(f.fixes):
                    raise CallError(f"fix: finding {i} has {len(f.fixes)} fix(es); `fix` {k} is not one of them")
            else:
                k = f.fixes.index(chosen_fix(f, lambda fx: True))
            chosen = f.fixes[k]
            edits = json_records(doc.path, snap.index, [f])[0]["fixes"][k]["edits"]
            new, applied = apply_edits(snap.data, list(chosen.edits)), [chosen.title]
        return {"path": doc.path, "applied": applied, "edits": edits,
                "text": new.decode("utf-8", errors="replace")}

    # ---- run ----
    def prepare_run(self, args: dict) -> Callable[[], dict]:
        """The run tool in two steps: here (with the engine, one call at a time) the document and
        the options; the returned function runs the program (no shared state: it may run while
        other calls are answered)."""
        doc, snap = self._document(args, "run")
        limits = {}
        for key, option, parse in (("fuel", "fuel", parse_count), ("mem_cap", "mem_cap", parse_size),
                                   ("timeout", "timeout_s", parse_duration)):
            if key in args:
                try:
                    limits[option] = parse(str(args[key]))
                except argparse.ArgumentTypeError as e:
                    raise CallError(f"run: `{key}`: {e}") from None
        entry = args.get("entry")
        debug = args.get("debug_borrows", True)
        data, lang = snap.data, snap.language
        why = refusal(lang, suffixes=True)
        if why is not None:         # refused before anything is built, in `custody run`'s words
            raise CallError(f"run: {doc.path}: {why}; `check` checks it")
        try:
            input_bytes = args.get("input", "").encode("utf-8")
        except UnicodeEncodeError:
            raise CallError("run: the input is not valid Unicode; send UTF-8 text") from None

        def go() -> dict:
            try:
                report = run_program(lang, doc.path, data, input=input_bytes, entry=entry, debug_borrows=debug,
                                     limits=limits)
            except RunRefused as e:
                raise CallError(f"run: {doc.path}: {e}") from None
            return {"path": doc.path, "summary": summary(report, entry), **report.to_json()}

        return go


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _offset(snap: Snapshot, line: int, character: int) -> int:
    """A 0-based (line, UTF-16 character) inside the text -> byte offset; CallError outside it."""
    index = snap.index
    lines = index.lines()
    if line >= lines:
        raise CallError(f"ownership_at: line {line} is past the end of the text ({lines} line(s), counted from 0)")
    start = index.start_of(line)
    end = index.start_of(line + 1) - 1 if line + 1 < lines else len(snap.data)
    width = len(snap.data[start:end].decode("utf-8", errors="replace").encode("utf-16-le")) // 2
    if character > width:
        raise CallError(f"ownership_at: character {character} is past the end of line {line} "
                        f"({width} UTF-16 code units)")
    return index.offset(Position(line, character))
