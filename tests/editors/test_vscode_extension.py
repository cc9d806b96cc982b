"""The VS Code extension (editors/vscode): its unit tests pass, it bundles and packages into a
.vsix holding the bundle, the grammars and a manifest that contributes what the server reads, and
its x07text grammar highlights what it should. Kea (.kea): a language of its own with a grammar
and a language configuration; the unit tests (editors/vscode/test/kea.test.js) run its grammar
through vscode-textmate, the checks here need no node. Janus (.jan) likewise
(editors/vscode/test/janus.test.js; its grammar's regexes are Oniguruma's, compiled there).

Building (the `built` fixture, conftest.py) needs node (>= 18) and npm; without them the build
tests are skipped, saying so. The first run installs the extension's npm packages (`npm ci`, from
the committed lockfile); later runs reuse node_modules until package-lock.json changes.
"""
from __future__ import annotations

import inspect
import json
import re
import zipfile
from pathlib import Path

import pytest

from custody.lsp import settings as server_settings

EXT = Path(__file__).resolve().parents[2] / "editors" / "vscode"
GRAMMAR = EXT / "syntaxes" / "x07text.tmLanguage.json"
KEA_GRAMMAR = EXT / "syntaxes" / "kea.tmLanguage.json"
KEA_CONFIG = EXT / "kea-language-configuration.json"
JANUS_GRAMMAR = EXT / "syntaxes" / "janus.tmLanguage.json"
JANUS_CONFIG = EXT / "janus-language-configuration.json"


def server_setting_keys() -> set[str]:
    """The keys Settings.parse reads: the declared list, checked against parse's own source."""
    read = set(re.findall(r'if "(\w+)" in raw', inspect.getsource(server_settings.Settings.parse)))
    assert read == set(server_settings.KEYS), "custody.lsp.settings.KEYS is out of date"
    return set(server_settings.KEYS)


def test_unit_tests_pass(built):
    out, _ = built
    counts = {k: int(v) for k, v in re.findall(r"^# (tests|pass|fail) (\d+)$", out, re.M)}
    assert counts.get("fail") == 0 and counts.get("pass", 0) >= 20 and counts["pass"] == counts["tests"], out[-3000:]
    # the Kea grammar tests ran (vscode-textmate is a devDependency), not skipped
    for name in ("grammar: every regex compiles in Oniguruma", "grammar: a Kea sample tokenizes as VS Code would show it"):
        assert re.search(rf"^ok \d+ - {re.escape(name)}$", out, re.M), f"{name!r} did not pass:\n{out[-3000:]}"
    # and the Janus ones (the run over Janus's own .jan files may skip without a checkout of it)
    for name in ("grammar: every regex compiles in Oniguruma", "grammar: a Janus sample tokenizes as VS Code would show it",
                 "grammar: a longer Janus program (test/fixtures/sample.jan) leaves nothing unscoped, invalid or open"):
        assert re.search(rf"^ok \d+ - {re.escape(name)}$", out, re.M), f"{name!r} did not pass:\n{out[-3000:]}"


def test_vsix_holds_the_bundle_grammar_and_manifest(built):
    _, vsix = built
    with zipfile.ZipFile(vsix) as z:
        names = set(z.namelist())
        for want in ("extension/package.json", "extension/dist/extension.js",
                     "extension/syntaxes/x07text.tmLanguage.json", "extension/language-configuration.json",
                     "extension/syntaxes/kea.tmLanguage.json", "extension/kea-language-configuration.json",
                     "extension/syntaxes/janus.tmLanguage.json", "extension/janus-language-configuration.json"):
            assert want in names, f"{want} missing from {vsix.name}: {sorted(names)}"
        assert not any("node_modules" in n or n.startswith("extension/src/") or n.startswith("extension/test/")
                       for n in names), f".vscodeignore lets sources in: {sorted(names)}"
        bundle = z.read("extension/dist/extension.js").decode()
        manifest = json.loads(z.read("extension/package.json"))
    assert 'require("vscode")' in bundle, "vscode must stay external to the bundle"
    assert "custody/ownership" in bundle
    assert vsix.stat().st_size < 1_000_000, f"{vsix.name} is {vsix.stat().st_size} bytes"
    _check_manifest(manifest)


def _check_manifest(manifest: dict) -> None:
    assert manifest["name"] == "custody" and manifest["publisher"] == "custody-lsp"
    assert manifest["main"] == "./dist/extension.js"
    assert manifest["repository"]
    langs = {lang["id"]: lang for lang in manifest["contributes"]["languages"]}
    assert langs["x07text"]["extensions"] == [".x07t"]
    assert ".x07.json" in langs["x07json"]["extensions"] and "*.x07.json" in langs["x07json"]["filenamePatterns"]
    assert {"onLanguage:x07text", "onLanguage:x07json"} <= set(manifest["activationEvents"])
    # Kea (.kea): its own language, grammar and configuration, activated like X07
    assert langs["kea"]["extensions"] == [".kea"] and langs["kea"]["configuration"] == "./kea-language-configuration.json"
    assert {"onLanguage:kea", "workspaceContains:**/*.kea"} <= set(manifest["activationEvents"])
    kea_grammar = next(g for g in manifest["contributes"]["grammars"] if g["language"] == "kea")
    assert kea_grammar == {"language": "kea", "scopeName": "source.kea", "path": "./syntaxes/kea.tmLanguage.json"}
    # Janus (.jan): the same
    assert langs["janus"]["extensions"] == [".jan"] and langs["janus"]["configuration"] == "./janus-language-configuration.json"
    assert {"onLanguage:janus", "workspaceContains:**/*.jan"} <= set(manifest["activationEvents"])
    janus_grammar = next(g for g in manifest["contributes"]["grammars"] if g["language"] == "janus")
    assert janus_grammar == {"language": "janus", "scopeName": "source.janus", "path": "./syntaxes/janus.tmLanguage.json"}
    commands = {c["command"] for c in manifest["contributes"]["commands"]}
    assert {"custody.restartServer", "custody.runWithOwnershipChecks", "custody.showOwnershipOfSymbol"} <= commands
    props = manifest["contributes"]["configuration"]["properties"]
    missing = {k for k in server_setting_keys() if f"custody.{k}" not in props}
    assert not missing, f"server settings not contributed by the extension: {sorted(missing)}"
    assert set(props["custody.inlayHints"]["properties"]) == set(server_settings.INLAY_KINDS)
    assert set(props["custody.severity"]["additionalProperties"]["enum"]) == set(server_settings.SEVERITIES)
    assert props["custody.debounceMs"]["default"] == server_settings.Settings().debounce_ms
    for client_key in ("custody.server.command", "custody.server.pythonPath", "custody.trace.server"):
        assert client_key in props, client_key
    # C (issue 12): off by default, and next to clangd / the C/C++ extension: custody contributes
    # nothing of C itself (no language, grammar, extension association)
    assert props["custody.c.enable"]["type"] == "boolean" and props["custody.c.enable"]["default"] is False
    assert "onLanguage:c" in manifest["activationEvents"]
    assert set(langs) == {"x07text", "x07json", "kea", "janus"}
    assert {g["language"] for g in manifest["contributes"]["grammars"]} == {"x07text", "x07json", "kea", "janus"}
    assert not any(e in (".c", ".h") for lang in langs.values() for e in lang.get("extensions", []))


def test_source_manifest_contributes_every_server_setting():
    """The same check on the source package.json (runs without node)."""
    _check_manifest(json.loads((EXT / "package.json").read_text()))


def test_extension_knows_the_server_setting_keys():
    """src/settings.js lists the keys it sends; they must be exactly the server's."""
    src = (EXT / "src" / "settings.js").read_text()
    m = re.search(r"SERVER_SETTING_KEYS = Object\.freeze\(\[([^\]]*)\]\)", src)
    assert m, "SERVER_SETTING_KEYS not found in src/settings.js"
    assert set(re.findall(r"'(\w+)'", m.group(1))) == server_setting_keys()


# ---- the TextMate grammar ----

def _grammar() -> dict:
    return json.loads(GRAMMAR.read_text())


def _patterns(node):
    """Every dict in the grammar that carries a regex."""
    if isinstance(node, dict):
        if any(k in node for k in ("match", "begin", "end")):
            yield node
        for v in node.values():
            yield from _patterns(v)
    elif isinstance(node, list):
        for v in node:
            yield from _patterns(v)


def test_grammar_regexes_compile_and_use_the_expected_scopes():
    g = _grammar()
    assert g["scopeName"] == "source.x07text"
    for p in _patterns(g):
        for key in ("match", "begin", "end"):
            if key in p:
                re.compile(p[key])     # no Oniguruma-only constructs
    text = GRAMMAR.read_text()
    for scope in ("comment.line.semicolon", "string.quoted.double", "constant.character.escape",
                  "constant.numeric.integer", "constant.numeric.raw", "constant.language",
                  "support.type.property-name", "keyword.control", "entity.name.function"):
        assert f'"{scope}.x07text' in text, f"scope {scope} not used by the grammar"


def _tokenize(line: str) -> list[tuple[str, str]]:
    """A small TextMate-like tokenizer over the grammar's `value` patterns: at each position the
    earliest match wins (ties: the first pattern). -> [(text, scope)], captures included."""
    g = _grammar()
    repo = g["repository"]
    rules = [repo[inc["include"][1:]] for inc in repo["value"]["patterns"]]
    flat = []
    for r in rules:
        flat.extend(r["patterns"] if "patterns" in r and "begin" not in r else [r])
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(line):
        best = None
        for r in flat:
            m = re.compile(r.get("match") or r["begin"]).search(line, pos)
            if m and m.end() > m.start() and (best is None or m.start() < best[1].start()):
                best = (r, m)
        if best is None:
            break
        r, m = best
        if "begin" in r:
            end = re.compile(r["end"])
            inner = [re.compile(p["match"]) for p in r["patterns"]]
            i = m.end()
            while True:
                e = end.search(line, i)
                stop = e.start() if e else len(line)
                found = [(p, x.search(line, i)) for p, x in zip(r["patterns"], inner)]
                found = [(p, x) for p, x in found if x and x.start() < stop]
                if not found:
                    break
                p, x = min(found, key=lambda f: f[1].start())
                out.append((x.group(0), p["name"]))
                i = x.end()
            out.append((line[m.start():(e.end() if e else len(line))], r["name"]))
            pos = e.end() if e and e.end() > m.end() else (e.start() if e else len(line))
            pos = max(pos, m.end())
            continue
        for n, cap in sorted(r.get("captures", {}).items(), key=lambda kv: int(kv[0])):
            if m.group(int(n)) is not None:
                out.append((m.group(int(n)), cap["name"]))
        if "name" in r:
            out.append((m.group(0), r["name"]))
        pos = m.end()
    return out


def _scopes_of(tokens, text):
    return {s.rsplit(".x07text", 1)[0] for t, s in tokens if t == text}


def test_grammar_highlights_a_sample():
    toks = _tokenize('(let who (view.to_bytes input)) {:kind defn :n -7 :f #num"1.5" :ok true} '
                     '(if null (bytes.lit "a\\"b\\u{1F600}\\q") (set0 x 12)) ; done')
    assert "keyword.control" in _scopes_of(toks, "let")
    assert "keyword.control" in _scopes_of(toks, "if")
    assert "keyword.control" in _scopes_of(toks, "set0")
    assert "entity.name.function" in _scopes_of(toks, "view.to_bytes")
    assert "entity.name.function" in _scopes_of(toks, "bytes.lit")
    assert "support.type.property-name" in _scopes_of(toks, ":kind")
    assert "constant.numeric.integer" in _scopes_of(toks, "-7")
    assert "constant.numeric.integer" in _scopes_of(toks, "12")
    assert "constant.numeric.raw" in _scopes_of(toks, '#num"1.5"')
    assert "constant.language" in _scopes_of(toks, "true")
    assert "constant.language" in _scopes_of(toks, "null")
    assert "constant.character.escape" in _scopes_of(toks, '\\"')
    assert "constant.character.escape" in _scopes_of(toks, "\\u{1F600}")
    assert "invalid.illegal.escape" in _scopes_of(toks, "\\q")
    assert "comment.line.semicolon" in _scopes_of(toks, "; done")
    assert "variable.other" in _scopes_of(toks, "who")
    assert "entity.name.function" not in _scopes_of(toks, "who")


def test_grammar_atoms_that_look_like_numbers():
    toks = _tokenize("(-1 2) -12x (letter 1)")
    assert "entity.name.function" not in _scopes_of(toks, "-1"), "a negative integer is not a call head"
    assert "constant.numeric.integer" in _scopes_of(toks, "-1")
    assert "variable.other" in _scopes_of(toks, "-12x")
    assert "keyword.control" not in _scopes_of(toks, "let"), "`letter` is not the special form `let`"
    assert "entity.name.function" in _scopes_of(toks, "letter")


def test_language_configuration():
    conf = json.loads((EXT / "language-configuration.json").read_text())
    assert conf["comments"]["lineComment"] == ";"
    assert conf["brackets"] == [["(", ")"], ["[", "]"], ["{", "}"]]
    assert {"open": '"', "close": '"'}.items() <= next(p for p in conf["autoClosingPairs"] if p["open"] == '"').items()
    re.compile(conf["wordPattern"])


# ---- Kea (the tokenization itself is tested with vscode-textmate in editors/vscode/test/kea.test.js) ----

def test_kea_grammar_is_valid_and_its_regexes_compile():
    g = json.loads(KEA_GRAMMAR.read_text())
    assert g["scopeName"] == "source.kea"
    found = list(_patterns(g))
    assert len(found) > 30
    for p in found:
        for key in ("match", "begin", "end"):
            if key in p:
                # an end's \1 refers to its begin's group (TextMate substitutes it): drop it here
                re.compile(re.sub(r"\\\d", "", p[key]) if key == "end" else p[key])
    text = KEA_GRAMMAR.read_text()
    for scope in ("comment.line.double-dash", "comment.block.documentation", "string.quoted.double",
                  "string.quoted.triple", "meta.interpolation", "constant.character.escape",
                  "constant.numeric.hex", "constant.numeric.float", "storage.type.annotation",
                  "meta.effect-row", "entity.name.type.effect", "storage.modifier.unique",
                  "keyword.control", "entity.name.function", "entity.name.type"):
        assert f'"{scope}.kea' in text, f"scope {scope} not used by the Kea grammar"
    refs = set(re.findall(r'"include": "#([^"]+)"', text))
    assert refs <= set(g["repository"]), f"unresolved includes: {sorted(refs - set(g['repository']))}"


def test_kea_grammar_knows_the_keywords():
    """Every word the brief and Kea's lexer make a keyword appears in a keyword rule."""
    g = json.loads(KEA_GRAMMAR.read_text())
    words = set()
    for p in _patterns(g):
        for key in ("match", "begin"):
            words |= set(re.findall(r"[A-Za-z_]+", re.sub(r"\\[A-Za-z]", " ", p.get(key, ""))))
    for kw in ("borrow", "Unique", "fn", "let", "if", "else", "case", "handle", "resume", "then", "with",
               "use", "as", "pub", "effect", "struct", "enum", "type", "trait", "where", "doc", "and",
               "or", "not", "true", "false", "None", "unsafe", "cond", "for", "in", "impl"):
        assert kw in words, kw


def test_kea_language_configuration():
    conf = json.loads(KEA_CONFIG.read_text())
    assert conf["comments"] == {"lineComment": "--"}
    assert conf["brackets"] == [["(", ")"], ["[", "]"], ["{", "}"]]
    assert any(p["open"] == '"' for p in conf["autoClosingPairs"])
    inc = re.compile(conf["indentationRules"]["increaseIndentPattern"])
    for line in ("pub fn f(x: Unique Int) -> Int", "  case v", "  Unique(v) ->", "type T =", "  else",
                 "effect Echo A", "struct P", "  handle e", "trait Show a"):
        assert inc.search(line), line
    for line in ("  let x = f(y)", "type T = Unique(Int)", "  Unique(v) -> v", "-- comment ="):
        assert not inc.search(line), line
    assert re.compile(conf["indentationRules"]["decreaseIndentPattern"]).search("  else")


# ---- Janus (tokenization and Oniguruma compilation are tested in editors/vscode/test/janus.test.js) ----

def test_janus_grammar_is_valid_and_uses_the_expected_scopes():
    g = json.loads(JANUS_GRAMMAR.read_text())
    assert g["scopeName"] == "source.janus" and g["fileTypes"] == ["jan"]
    assert len(list(_patterns(g))) > 40
    text = JANUS_GRAMMAR.read_text()
    for scope in ("comment.line.double-slash", "comment.line.documentation", "comment.block", "string.quoted.double",
                  "string.quoted.triple", "string.quoted.raw", "string.quoted.single", "constant.character.escape",
                  "constant.numeric.hex", "constant.numeric.binary", "constant.numeric.octal", "constant.numeric.float",
                  "keyword.other.profile", "constant.other.symbol.profile", "keyword.other.move", "storage.modifier.owned",
                  "storage.modifier.linear", "storage.modifier.reference", "storage.modifier.mut", "keyword.other.unsafe",
                  "keyword.control.region", "keyword.other.capability", "keyword.control.defer", "keyword.control.using",
                  "keyword.control.block", "storage.type.function", "entity.name.function", "entity.name.type",
                  "support.type.primitive", "support.function.builtin"):
        assert f'"{scope}.janus' in text, f"scope {scope} not used by the Janus grammar"
    refs = set(re.findall(r'"include": "#([^"]+)"', text))
    assert refs <= set(g["repository"]), f"unresolved includes: {sorted(refs - set(g['repository']))}"


def test_janus_grammar_knows_the_keywords():
    """Every keyword of Janus's tokenizer (compiler/libjanus/janus_tokenizer.zig, getKeywordType) and
    every word of the planned ownership syntax appears in a rule of the grammar."""
    g = json.loads(JANUS_GRAMMAR.read_text())
    words = set()
    for p in _patterns(g):
        for key in ("match", "begin"):
            words |= set(re.findall(r"[A-Za-z_]+", re.sub(r"\\[A-Za-z]", " ", p.get(key, ""))))
    tokenizer = ("let var func if else for in while match break continue do end return use import extern zig graft "
                 "true false null and or not when unless struct enum union trait impl type dyn using requires ensures "
                 "invariant ghost package const nil switch case default defer go where pub test error fail catch "
                 "async await nursery spawn shared select timeout").split()
    planned = "profile move owned mut unsafe with_scratchpad region cap capability grant destructor".split()
    for kw in tokenizer + planned:
        assert kw in words, kw


def test_janus_language_configuration():
    conf = json.loads(JANUS_CONFIG.read_text())
    assert conf["comments"] == {"lineComment": "//", "blockComment": ["/*", "*/"]}
    assert conf["brackets"] == [["(", ")"], ["[", "]"], ["{", "}"]]
    assert any(p["open"] == '"' for p in conf["autoClosingPairs"])
    inc = re.compile(conf["indentationRules"]["increaseIndentPattern"])
    for line in ("func f(x: ~File) -> i32 do", "  with_scratchpad |s| do", "  region r do", "  unsafe {",
                 "  } else {", "  else", "  using f = open(p) do", "  print(a,"):
        assert inc.search(line), line
    for line in ("  let x := f(y)", "  end", "  // ends in do", "  let p = P { x: 1 }", "  defer close()"):
        assert not inc.search(line), line
    dec = re.compile(conf["indentationRules"]["decreaseIndentPattern"])
    for line in ("  end", "  else do", "  }", "  end else"):
        assert dec.search(line), line
    assert not dec.search("  endpoint = 1")
