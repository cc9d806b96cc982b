'use strict';
/**
 * The tests every one of custody's own languages besides X07 (Kea, Janus) gets, registered by
 * `languageSuite(spec)` from that language's test file, which keeps what is the language's own:
 * its documents, its language configuration, its indentation lines, its grammar sample and what
 * each token of it must be. The language is sent to the server exactly as X07 is (always, whatever
 * custody.c.enable), with the cursor decorations and Show Ownership; Run with Ownership Checks
 * stays X07 only. The grammar is run through vscode-textmate + vscode-oniguruma (test/textmate.js).
 *
 * `showsOwnershipAtCursor` is the cursor/Show Ownership/Run check, for C's tests too.
 * (Not a *.test.js file: `npm test` runs it only through the files that call it.)
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { activateWith } = require('../src/client');
const {
  documentSelector, isCustodyDocument, SOURCE_GLOB,
} = require('../src/languages');
const { makeVscode, makeLc, makeEditor, makeDocument } = require('./fakeVscode');
const textmate = require('./textmate');

const ROOT = path.join(__dirname, '..');
const ctx = () => ({ subscriptions: [] });
const flush = async () => { for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r)); };
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const readJson = (...parts) => JSON.parse(fs.readFileSync(path.join(ROOT, ...parts), 'utf8'));
const NO_TEXTMATE = 'vscode-textmate and vscode-oniguruma are not installed (npm ci in editors/vscode)';
const GRAMMAR_TEST = { skip: !textmate.available && NO_TEXTMATE };

/**
 * With the cursor at `cursor` ([line, character]) in a `languageId` editor of `uri`, the extension
 * asks the server for the ownership there once, decorates `answer.kind`, Show Ownership lists it,
 * and Run with Ownership Checks refuses (X07 only) without asking the server.
 */
async function showsOwnershipAtCursor({ settings = {}, uri, languageId, cursor: [line, character], answer }) {
  const vscode = makeVscode({ settings: { 'cursorDecorations.delayMs': 5, ...settings }, answers: { pick: () => undefined } });
  const lc = makeLc({ onRequest: (method) => (method === 'custody/ownership' ? [answer] : null) });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  const editor = makeEditor(vscode, { uri, languageId, line, character });
  vscode.window.onDidChangeTextEditorSelection.fire({ textEditor: editor, selections: editor.selections });
  await wait(40);
  const reqs = lc.clients[0].requests;
  assert.equal(reqs.length, 1);
  assert.deepEqual(reqs[0].params.textDocument, { uri });
  assert.equal(editor.decorations.get(answer.kind).length, 1);

  vscode.window.activeTextEditor = editor;
  const picks = await vscode.commands.registered['custody.showOwnershipOfSymbol']();
  assert.deepEqual(picks.map((p) => p.label), [answer.kind]);
  assert.equal(await vscode.commands.registered['custody.runWithOwnershipChecks'](), undefined);
  assert.match(vscode.shown.warnings.at(-1), /runs only X07 programs/);
  assert.ok(!lc.clients[0].requests.some((q) => q.method === 'workspace/executeCommand'));
}

/**
 * The scope checks of a tokenized sample (`lines` from textmate.load(...).tokenize): each takes a
 * 0-based line, a token's exact text and, for a text found more than once on the line, which
 * hit (nth). Scopes are compared with the grammar's suffix (`.kea`) dropped.
 */
function scopeChecks(lines, suffix) {
  const drop = new RegExp(`${suffix.replace('.', '\\.')}$`);
  /** the scopes (innermost last, the suffix dropped) of the token `text` on line `line` (nth hit) */
  const scopesOf = (line, text, nth = 0) => {
    const hits = lines[line].filter((t) => t.text === text);
    assert.ok(hits.length > nth, `no token ${JSON.stringify(text)} on line ${line}: ${JSON.stringify(lines[line].map((t) => t.text))}`);
    return hits[nth].scopes.map((s) => s.replace(drop, ''));
  };
  return {
    /** the token has `scope` */
    has(line, text, scope, nth = 0) {
      const got = scopesOf(line, text, nth);
      assert.ok(got.includes(scope), `${JSON.stringify(text)} on line ${line}: ${got.join(' ')} lacks ${scope}`);
    },
    /** the token has no scope starting with `prefix` */
    lacks(line, text, prefix, nth = 0) {
      const got = scopesOf(line, text, nth);
      assert.ok(!got.some((s) => s.startsWith(prefix)), `${JSON.stringify(text)} on line ${line}: ${got.join(' ')} has ${prefix}`);
    },
    /** every non-empty token of the line has a scope starting with `scope` (full scope names) */
    whole(line, scope) {
      for (const t of lines[line]) {
        if (t.text.length) assert.ok(t.scopes.some((s) => s.startsWith(scope)), `line ${line} ${JSON.stringify(t.text)}: ${t.scopes.join(' ')}`);
      }
    },
  };
}

/**
 * Registers the common tests of one language.
 * @param {object} spec
 * @param {string} spec.name         'Kea'
 * @param {string} spec.id           the language id, also the grammar's scope suffix: 'kea'
 * @param {string} spec.suffix       the file suffix: '.kea'
 * @param {{ids: string[], label: string}} spec.nextTo  the languages the selector covers as well
 * @param {Function} spec.isDocument the language's predicate (src/languages.js)
 * @param {Array<[string, Function]>} spec.notDocument  what its documents are not: [label, predicate]
 * @param {object[]} spec.documents  documents of the language (by name or language id)
 * @param {any[]} spec.nonDocuments  documents that are not
 * @param {[number, number]} spec.cursor  where the cursor decoration test puts the cursor
 * @param {RegExp} spec.showClause   what the Show Ownership enablement/when clause must match
 * @param {object} spec.configuration  {comments, autoClosing, words, nonWords, offSide}
 * @param {object} spec.indentation  {about, indents, stays, dedents, keeps}: lines of each kind
 * @param {number} spec.minRegexes   the grammar has more regexes than this
 * @param {{text: string, check: Function}} spec.sample  check({has, lacks, whole}) on its tokens
 * @param {{file: string, declaration: RegExp, notIn: string[]}} spec.fixture  test/fixtures/<file>:
 *   a line matching `declaration` starts outside any scope starting with one of `notIn`
 */
function languageSuite(spec) {
  const { name, id, suffix } = spec;
  const uri = `file:///w/src/moves${suffix}`;
  const glob = `**/*${suffix}`;
  const configurationPath = `./${id}-language-configuration.json`;
  const grammarFile = `${id}.tmLanguage.json`;

  // ---- which documents go to the server ----

  test(`the selector covers ${name} (language ${id}, ${glob}) with C on and off, next to ${spec.nextTo.label}`, () => {
    for (const options of [undefined, { c: false }, { c: true }]) {
      const sel = documentSelector(options);
      assert.ok(sel.some((s) => s.language === id), JSON.stringify(sel));
      assert.ok(sel.some((s) => s.pattern === glob && s.scheme === 'file'), JSON.stringify(sel));
      for (const other of spec.nextTo.ids) assert.ok(sel.some((s) => s.language === other), other);
    }
    assert.equal(SOURCE_GLOB, '**/*.{x07t,x07.json,kea,jan}');
  });

  test(`a ${suffix} document is custody's (by name or language id), but not ${spec.notDocument.map(([label]) => label).join(' or ')}`, () => {
    for (const d of spec.documents) {
      assert.ok(spec.isDocument(d), JSON.stringify(d));
      assert.ok(isCustodyDocument(d), JSON.stringify(d));
      assert.ok(isCustodyDocument(d, { c: true }), JSON.stringify(d));
      for (const [label, is] of spec.notDocument) assert.ok(!is(d), `${label}: ${JSON.stringify(d)}`);
    }
    for (const d of spec.nonDocuments) assert.ok(!spec.isDocument(d), JSON.stringify(d));
  });

  test(`a workspace holding only ${name} files starts the server, with ${name} in its selector`, async () => {
    const vscode = makeVscode({ files: [`/w/src/moves${suffix}`] });
    const lc = makeLc();
    const ext = activateWith({ vscode, lc }, ctx());
    await ext.ready;
    assert.equal(lc.clients.length, 1);
    assert.deepEqual(vscode.workspace.searches, [{ include: '**/*.{x07t,x07.json,kea,jan}', exclude: undefined, maxResults: 1 }]);
    const sel = lc.clients[0].clientOptions.documentSelector;
    assert.ok(sel.some((s) => s.language === id));
    assert.ok(sel.some((s) => s.pattern === glob));
    assert.match(vscode.channels.custody.lines.join('\n'), /starting .*\(X07, Kea, Janus\)/);
  });

  test(`an open ${name} document starts the server without searching; one opened later starts it too`, async () => {
    const open = makeVscode({ files: [], documents: [makeDocument({ uri, languageId: id })] });
    const lc1 = makeLc();
    await activateWith({ vscode: open, lc: lc1 }, ctx()).ready;
    assert.equal(lc1.clients.length, 1);
    assert.deepEqual(open.workspace.searches, []);

    const later = makeVscode({ files: [] });
    const lc2 = makeLc();
    await activateWith({ vscode: later, lc: lc2 }, ctx()).ready;
    assert.equal(lc2.clients.length, 0, 'nothing of custody\'s here yet');
    assert.match(later.channels.custody.lines.join('\n'), /starts when an X07, Kea or Janus file opens/);
    later.workspace.onDidOpenTextDocument.fire(makeDocument({ uri, languageId: id }));
    await flush();
    assert.equal(lc2.clients.length, 1);
  });

  test(`${name} editors get cursor decorations and Show Ownership; Run stays X07 only`, async () => {
    const [line, character] = spec.cursor;
    const range = { start: { line, character }, end: { line, character: character + 1 } };
    await showsOwnershipAtCursor({ uri, languageId: id, cursor: spec.cursor, answer: { kind: 'move', range, message: 'moved' } });
  });

  // ---- the manifest ----

  test(`manifest: the ${id} language, its grammar and configuration, activation, the commands' clauses`, () => {
    const manifest = readJson('package.json');
    const c = manifest.contributes;
    const language = c.languages.find((l) => l.id === id);
    assert.ok(language, `no ${id} language`);
    assert.deepEqual(language.extensions, [suffix]);
    assert.ok(language.aliases.includes(name));
    assert.equal(language.configuration, configurationPath);
    assert.ok(fs.existsSync(path.join(ROOT, language.configuration)), language.configuration);
    const grammar = c.grammars.find((g) => g.language === id);
    assert.deepEqual(grammar, { language: id, scopeName: `source.${id}`, path: `./syntaxes/${grammarFile}` });
    assert.ok(fs.existsSync(path.join(ROOT, grammar.path)), grammar.path);
    for (const e of [`onLanguage:${id}`, `workspaceContains:${glob}`]) assert.ok(manifest.activationEvents.includes(e), e);
    const show = c.commands.find((x) => x.command === 'custody.showOwnershipOfSymbol');
    const context = c.menus['editor/context'].find((m) => m.command === 'custody.showOwnershipOfSymbol');
    // before the C clause: `... || <id> || config.c && (...)` must not make the language depend on C
    for (const clause of [show.enablement, context.when]) assert.match(clause, spec.showClause);
    const run = c.commands.find((x) => x.command === 'custody.runWithOwnershipChecks');
    const mentioned = new RegExp(id);
    assert.doesNotMatch(run.enablement, mentioned);
    for (const m of c.menus['editor/title/run']) assert.doesNotMatch(m.when, mentioned);
    // the .vsix takes the configuration and the grammar (.vscodeignore lists what goes in)
    const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes(`!${configurationPath.replace('./', '')}`), `.vscodeignore leaves the ${name} configuration out`);
    assert.ok(ignore.includes('!syntaxes/*.tmLanguage.json'));
  });

  // ---- the language configuration ----

  const conf = readJson(configurationPath);
  const want = spec.configuration;
  const commentsLabel = [want.comments.lineComment, ...(want.comments.blockComment ? [want.comments.blockComment.join(' ')] : [])].join(' and ');

  test(`language configuration: ${commentsLabel} comments, brackets, pairs, and it compiles`, () => {
    assert.deepEqual(conf.comments, want.comments);
    assert.deepEqual(conf.brackets, [['(', ')'], ['[', ']'], ['{', '}']]);
    for (const open of want.autoClosing) assert.ok(conf.autoClosingPairs.some((p) => p.open === open), open);
    assert.deepEqual(conf.autoClosingPairs.find((p) => p.open === '"').notIn, ['string', 'comment']);
    const word = new RegExp(`^(?:${conf.wordPattern})$`);
    for (const w of want.words) assert.ok(word.test(w), w);
    for (const w of want.nonWords) assert.ok(!word.test(w), w);
    assert.ok(Array.isArray(conf.onEnterRules), 'no onEnterRules');
    for (const rule of conf.onEnterRules) {
      new RegExp(rule.beforeText);
      if (rule.afterText) new RegExp(rule.afterText);
    }
    if (want.offSide) {
      assert.equal(conf.folding.offSide, true, `${name} folds by indentation`);
    } else {
      assert.notEqual(conf.folding && conf.folding.offSide, true, `${name} is not layout-sensitive`);
      new RegExp(conf.folding.markers.start);
    }
  });

  test(`indentation rules: ${spec.indentation.about}`, () => {
    const inc = new RegExp(conf.indentationRules.increaseIndentPattern);
    const dec = new RegExp(conf.indentationRules.decreaseIndentPattern);
    const { indents, stays, dedents, keeps } = spec.indentation;
    for (const line of indents) assert.ok(inc.test(line), `should indent after: ${line}`);
    for (const line of stays) assert.ok(!inc.test(line), `should not indent after: ${line}`);
    for (const line of dedents) assert.ok(dec.test(line), `should dedent: ${line}`);
    for (const line of keeps) assert.ok(!dec.test(line), `should not dedent: ${line}`);
  });

  // ---- the TextMate grammar ----

  const grammarRaw = readJson('syntaxes', grammarFile);

  test(`grammar: valid JSON, scope source.${id}, every include resolves, every scope ends in .${id}`, () => {
    assert.equal(grammarRaw.scopeName, `source.${id}`);
    assert.deepEqual(grammarRaw.fileTypes, [suffix.slice(1)]);
    const repo = grammarRaw.repository;
    const text = JSON.stringify(grammarRaw);
    for (const [, ref] of text.matchAll(/"include":"#([^"]+)"/g)) assert.ok(repo[ref], `#${ref} is not in the repository`);
    for (const [, scope] of text.matchAll(/"(?:name|contentName)":"([^"]+)"/g)) {
      if (scope === name) continue;
      for (const part of scope.split(' ')) assert.match(part, new RegExp(`\\.${id}$`), scope);
    }
  });

  test('grammar: every regex compiles in Oniguruma', GRAMMAR_TEST, async () => {
    await textmate.onigLib();
    const all = textmate.regexes(grammarRaw);
    assert.ok(all.length > spec.minRegexes, `only ${all.length} regexes`);
    for (const [where, key, source] of all) {
      // an `end` may refer back to its `begin` (\1): vscode-textmate substitutes it before compiling
      const src = key === 'end' ? source.replace(/\\(\d)/g, '') : source;
      assert.doesNotThrow(() => new textmate.oniguruma.OnigScanner([src]), `${where}.${key}: ${source}`);
    }
  });

  test(`grammar: a ${name} sample tokenizes as VS Code would show it`, GRAMMAR_TEST, async () => {
    const { tokenize } = await textmate.load(grammarFile);
    spec.sample.check(scopeChecks(tokenize(spec.sample.text), `.${id}`));
  });

  const { file, declaration, notIn } = spec.fixture;
  test(`grammar: a longer ${name} program (test/fixtures/${file}) leaves nothing unscoped, invalid or open`, GRAMMAR_TEST, async () => {
    const { grammar, tokenize } = await textmate.load(grammarFile);
    const text = fs.readFileSync(path.join(__dirname, 'fixtures', file), 'utf8');
    assert.deepEqual(textmate.problems(grammar, text, file), []);
    // every declaration at the left margin starts outside any comment (or string) above it
    const src = text.split('\n');
    tokenize(text).forEach((tokens, i) => {
      if (declaration.test(src[i])) {
        assert.ok(!tokens[0].scopes.some((s) => notIn.some((p) => s.startsWith(p))), `line ${i + 1} ${JSON.stringify(src[i])}`);
      }
    });
  });
}

module.exports = { languageSuite, showsOwnershipAtCursor, scopeChecks };
