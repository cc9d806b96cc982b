'use strict';
/**
 * Kea (.kea): a language of its own (id `kea`, grammar source.kea, `--` comments, indentation
 * rules), sent to the language server exactly as X07 is (always, whatever custody.c.enable),
 * with the cursor decorations and Show Ownership; Run with Ownership Checks stays X07 only.
 * The TextMate grammar is run through vscode-textmate + vscode-oniguruma (what VS Code uses).
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { activateWith } = require('../src/client');
const {
  documentSelector, isX07Document, isKeaDocument, isCustodyDocument, SOURCE_GLOB,
} = require('../src/languages');
const { makeVscode, makeLc, makeEditor, makeDocument } = require('./fakeVscode');
const textmate = require('./textmate');

const ROOT = path.join(__dirname, '..');
const ctx = () => ({ subscriptions: [] });
const flush = async () => { for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r)); };
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const KEA_URI = 'file:///w/src/moves.kea';
const NO_TEXTMATE = 'vscode-textmate and vscode-oniguruma are not installed (npm ci in editors/vscode)';

// ---- which documents go to the server ----

test('the selector covers Kea (language kea, **/*.kea) with C on and off, next to X07', () => {
  for (const options of [undefined, { c: false }, { c: true }]) {
    const sel = documentSelector(options);
    assert.ok(sel.some((s) => s.language === 'kea'), JSON.stringify(sel));
    assert.ok(sel.some((s) => s.pattern === '**/*.kea' && s.scheme === 'file'), JSON.stringify(sel));
    for (const id of ['x07text', 'x07json']) assert.ok(sel.some((s) => s.language === id), id);
  }
  assert.equal(SOURCE_GLOB, '**/*.{x07t,x07.json,kea,jan}');
});

test('a .kea document is custody\'s (by name or language id), but not an X07 program to run', () => {
  const docs = [
    { languageId: 'kea', fileName: '/w/a.kea' },
    { languageId: 'plaintext', fileName: '/w/b.kea' },       // before the language is known
    { languageId: 'kea', fileName: 'Untitled-1' },
  ];
  for (const d of docs) {
    assert.ok(isKeaDocument(d), JSON.stringify(d));
    assert.ok(isCustodyDocument(d), JSON.stringify(d));
    assert.ok(isCustodyDocument(d, { c: true }), JSON.stringify(d));
    assert.ok(!isX07Document(d), JSON.stringify(d));
  }
  assert.ok(!isKeaDocument({ languageId: 'plaintext', fileName: '/w/kea.txt' }));
  assert.ok(!isKeaDocument(undefined));
});

test('a workspace holding only Kea files starts the server, with Kea in its selector', async () => {
  const vscode = makeVscode({ files: ['/w/src/moves.kea'] });
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  assert.equal(lc.clients.length, 1);
  assert.deepEqual(vscode.workspace.searches, [{ include: '**/*.{x07t,x07.json,kea,jan}', exclude: undefined, maxResults: 1 }]);
  const sel = lc.clients[0].clientOptions.documentSelector;
  assert.ok(sel.some((s) => s.language === 'kea'));
  assert.ok(sel.some((s) => s.pattern === '**/*.kea'));
  assert.match(vscode.channels.custody.lines.join('\n'), /starting .*\(X07, Kea, Janus\)/);
});

test('an open Kea document starts the server without searching; one opened later starts it too', async () => {
  const open = makeVscode({ files: [], documents: [makeDocument({ uri: KEA_URI, languageId: 'kea' })] });
  const lc1 = makeLc();
  await activateWith({ vscode: open, lc: lc1 }, ctx()).ready;
  assert.equal(lc1.clients.length, 1);
  assert.deepEqual(open.workspace.searches, []);

  const later = makeVscode({ files: [] });
  const lc2 = makeLc();
  await activateWith({ vscode: later, lc: lc2 }, ctx()).ready;
  assert.equal(lc2.clients.length, 0, 'nothing of custody\'s here yet');
  later.workspace.onDidOpenTextDocument.fire(makeDocument({ uri: KEA_URI, languageId: 'kea' }));
  await flush();
  assert.equal(lc2.clients.length, 1);
});

test('Kea editors get cursor decorations and Show Ownership; Run stays X07 only', async () => {
  const answer = [{ kind: 'move', range: { start: { line: 2, character: 6 }, end: { line: 2, character: 7 } }, message: 'moved' }];
  const vscode = makeVscode({ settings: { 'cursorDecorations.delayMs': 5 }, answers: { pick: () => undefined } });
  const lc = makeLc({ onRequest: (method) => (method === 'custody/ownership' ? answer : null) });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  const editor = makeEditor(vscode, { uri: KEA_URI, languageId: 'kea', line: 2, character: 6 });
  vscode.window.onDidChangeTextEditorSelection.fire({ textEditor: editor, selections: editor.selections });
  await wait(40);
  const reqs = lc.clients[0].requests;
  assert.equal(reqs.length, 1);
  assert.deepEqual(reqs[0].params.textDocument, { uri: KEA_URI });
  assert.equal(editor.decorations.get('move').length, 1);

  vscode.window.activeTextEditor = editor;
  const picks = await vscode.commands.registered['custody.showOwnershipOfSymbol']();
  assert.deepEqual(picks.map((p) => p.label), ['move']);
  assert.equal(await vscode.commands.registered['custody.runWithOwnershipChecks'](), undefined);
  assert.match(vscode.shown.warnings.at(-1), /runs only X07 programs/);
  assert.ok(!lc.clients[0].requests.some((q) => q.method === 'workspace/executeCommand'));
});

// ---- the manifest ----

test('manifest: the kea language, its grammar and configuration, activation, the commands\' clauses', () => {
  const c = manifest.contributes;
  const kea = c.languages.find((l) => l.id === 'kea');
  assert.ok(kea, 'no kea language');
  assert.deepEqual(kea.extensions, ['.kea']);
  assert.ok(kea.aliases.includes('Kea'));
  assert.ok(fs.existsSync(path.join(ROOT, kea.configuration)), kea.configuration);
  const grammar = c.grammars.find((g) => g.language === 'kea');
  assert.deepEqual(grammar, { language: 'kea', scopeName: 'source.kea', path: './syntaxes/kea.tmLanguage.json' });
  for (const e of ['onLanguage:kea', 'workspaceContains:**/*.kea']) assert.ok(manifest.activationEvents.includes(e), e);
  const show = c.commands.find((x) => x.command === 'custody.showOwnershipOfSymbol');
  const context = c.menus['editor/context'].find((m) => m.command === 'custody.showOwnershipOfSymbol');
  for (const clause of [show.enablement, context.when]) {
    // before the C clause: `a || b || kea || config.c && (...)` must not make kea depend on C
    assert.match(clause, /editorLangId == kea \|\| (?:editorLangId == \w+ \|\| )*config\.custody\.c\.enable &&/);
  }
  const run = c.commands.find((x) => x.command === 'custody.runWithOwnershipChecks');
  assert.doesNotMatch(run.enablement, /kea/);
  for (const m of c.menus['editor/title/run']) assert.doesNotMatch(m.when, /kea/);
  // the .vsix takes the configuration (.vscodeignore lists what goes in)
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes(`!${kea.configuration.replace('./', '')}`), '.vscodeignore leaves the Kea configuration out');
});

// ---- the language configuration ----

const keaConf = JSON.parse(fs.readFileSync(path.join(ROOT, 'kea-language-configuration.json'), 'utf8'));

test('language configuration: -- comments, brackets, pairs, and it compiles', () => {
  assert.deepEqual(keaConf.comments, { lineComment: '--' });
  assert.deepEqual(keaConf.brackets, [['(', ')'], ['[', ']'], ['{', '}']]);
  for (const open of ['(', '[', '{', '"', "'"]) assert.ok(keaConf.autoClosingPairs.some((p) => p.open === open), open);
  assert.deepEqual(keaConf.autoClosingPairs.find((p) => p.open === '"').notIn, ['string', 'comment']);
  new RegExp(keaConf.wordPattern);
  assert.equal(keaConf.folding.offSide, true, 'Kea folds by indentation');
});

test('indentation rules: indent after ->, =, block heads; not after one-liners; else dedents', () => {
  const inc = new RegExp(keaConf.indentationRules.increaseIndentPattern);
  const dec = new RegExp(keaConf.indentationRules.decreaseIndentPattern);
  const indents = [
    'pub fn f(x: Unique Int, borrow v: Unique Int) -> Unique Int',
    'fn g() -[Echo UniqueInt]> Int',
    '@fip pub fn h(x: Unique Int) -> Unique Int',
    '    Unique(v) ->',
    'type UniqueInt =',
    '  let y =',
    '  if c',
    '  else',
    '  else if d',
    '  case v',
    '  let r = case v',
    '  let now = handle Clock.now()',
    '  handle e',
    'struct P',
    'enum Unique a',
    'effect Echo A',
    'trait Show a',
    'Int as Eq',
    'Option a as Decode where a: Decode',
    '  unsafe',
    '  State.with_state(0, ||',
    '  xs.List.map(|x|',
    '  let p = P {',
    'doc',
  ];
  for (const line of indents) assert.ok(inc.test(line), `should indent after: ${line}`);
  const stays = [
    '  let x = f(y)',
    '  x + 1',
    'type UniqueInt = Unique(Int)',
    '  let c = if cap <= 0 then 1 else cap',
    '  Unique(v) -> v',
    'use Alpha as A',
    '-- a comment ending in =',
    '  with conn <- Db.with_connection(cfg)',
    '  [1, 2, 3].List.map(|x| x * 2)     -- => [2, 4, 6]',
  ];
  for (const line of stays) assert.ok(!inc.test(line), `should not indent after: ${line}`);
  for (const line of ['  else', 'else', '  )', '  ]']) assert.ok(dec.test(line), `should dedent: ${line}`);
  for (const line of ['  elsewhere(x)', '  x']) assert.ok(!dec.test(line), `should not dedent: ${line}`);
});

// ---- the TextMate grammar ----

const grammarRaw = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes', 'kea.tmLanguage.json'), 'utf8'));

test('grammar: valid JSON, scope source.kea, every include resolves, every scope ends in .kea', () => {
  assert.equal(grammarRaw.scopeName, 'source.kea');
  const repo = grammarRaw.repository;
  const text = JSON.stringify(grammarRaw);
  for (const [, ref] of text.matchAll(/"include":"#([^"]+)"/g)) assert.ok(repo[ref], `#${ref} is not in the repository`);
  for (const [, name] of text.matchAll(/"(?:name|contentName)":"([^"]+)"/g)) {
    if (name === 'Kea') continue;
    assert.match(name, /\.kea$/, name);
  }
});

test('grammar: every regex compiles in Oniguruma', { skip: !textmate.available && NO_TEXTMATE }, async () => {
  await textmate.onigLib();
  const all = textmate.regexes(grammarRaw);
  assert.ok(all.length > 30, `only ${all.length} regexes`);
  for (const [where, key, source] of all) {
    // an `end` may refer back to its `begin` (\1): vscode-textmate substitutes it before compiling
    const src = key === 'end' ? source.replace(/\\(\d)/g, '') : source;
    assert.doesNotThrow(() => new textmate.oniguruma.OnigScanner([src]), `${where}.${key}: ${source}`);
  }
});

const SAMPLE = [
  /* 0 */ 'doc',
  /* 1 */ '  Moves a `Unique` value: x is gone after this.',
  /* 2 */ '',
  /* 3 */ '    let y = f(x)  -- an example, not code',
  /* 4 */ '@fip',
  /* 5 */ 'pub fn f(x: Unique Int, borrow v: Unique Int) -[Echo UniqueInt, State Int]> Unique Int',
  /* 6 */ '  let n = 0x1F_FF + 0b1010 + 0o17 + 1_000 + 3.14 -- numbers',
  /* 7 */ '  let s = "total {n + 1} \\n {{lit}} \\q"',
  /* 8 */ '  let c = \'\\n\'',
  /* 9 */ '  if n >= 2 then x else consume(x)',
  /* 10 */ '  handle Echo.echo(x)',
  /* 11 */ '    Echo.echo(w) -> resume w',
  /* 12 */ '    then r -> r',
  /* 13 */ '@derive(Eq, Show)',
  /* 14 */ 'enum Unique a',
  /* 15 */ 'effect Echo A',
  /* 16 */ 'type W = { value: Unique(Int), tag: Int }',
  /* 17 */ 'use Alpha as A',
  /* 18 */ 'fn g(@with k: fn(Int) -> Int) -> Bool',
  /* 19 */ '  with y <- A.f(k)',
  /* 20 */ '  case y',
  /* 21 */ '    Some(z) -> |q| q and not true',
  /* 22 */ '    None -> false',
  /* 23 */ 'struct P',
  /* 24 */ 'trait Show a where a: Eq',
  /* 25 */ 'doc Inline doc text.',
  /* 26 */ 'let t = """',
  /* 27 */ '  multi {t} line',
  /* 28 */ '  """',
  /* 29 */ 'let letter = docs',
].join('\n');

test('grammar: a Kea sample tokenizes as VS Code would show it', { skip: !textmate.available && NO_TEXTMATE }, async () => {
  const { tokenize } = await textmate.load('kea.tmLanguage.json');
  const lines = tokenize(SAMPLE);
  /** the scopes (innermost last, `.kea` dropped) of the token `text` on line `line` (nth hit) */
  const scopesOf = (line, text, nth = 0) => {
    const hits = lines[line].filter((t) => t.text === text);
    assert.ok(hits.length > nth, `no token ${JSON.stringify(text)} on line ${line}: ${JSON.stringify(lines[line].map((t) => t.text))}`);
    return hits[nth].scopes.map((s) => s.replace(/\.kea$/, ''));
  };
  const has = (line, text, scope, nth = 0) => {
    const got = scopesOf(line, text, nth);
    assert.ok(got.includes(scope), `${JSON.stringify(text)} on line ${line}: ${got.join(' ')} lacks ${scope}`);
  };
  const lacks = (line, text, prefix, nth = 0) => {
    const got = scopesOf(line, text, nth);
    assert.ok(!got.some((s) => s.startsWith(prefix)), `${JSON.stringify(text)} on line ${line}: ${got.join(' ')} has ${prefix}`);
  };
  const whole = (line, scope) => {
    for (const t of lines[line]) {
      if (t.text.length) assert.ok(t.scopes.some((s) => s.startsWith(scope)), `line ${line} ${JSON.stringify(t.text)}: ${t.scopes.join(' ')}`);
    }
  };
  // doc blocks: `doc` and the indented lines (blank ones too) are documentation, the next declaration is not
  has(0, 'doc', 'storage.type.doc');
  for (const l of [1, 2, 3]) whole(l, 'comment.block.documentation');
  has(1, '`Unique`', 'markup.inline.raw');
  lacks(4, 'fip', 'comment');
  has(25, 'doc', 'storage.type.doc');
  whole(25, 'comment.line.documentation');
  // annotations
  has(4, 'fip', 'storage.type.annotation');
  has(4, '@', 'punctuation.definition.annotation');
  has(13, 'derive', 'storage.type.annotation');
  has(13, 'Eq', 'entity.name.type');
  has(18, 'with', 'storage.type.annotation');
  // declarations, keywords, Unique, borrow
  has(5, 'pub', 'storage.modifier');
  has(5, 'fn', 'storage.type.function');
  has(5, 'f', 'entity.name.function');
  has(5, 'Unique', 'storage.modifier.unique');
  has(5, 'borrow', 'storage.modifier');
  has(5, 'Int', 'entity.name.type');
  has(18, '->', 'keyword.operator.arrow');
  has(6, 'let', 'keyword.other');
  has(9, 'if', 'keyword.control');
  has(9, 'then', 'keyword.control');
  has(9, 'else', 'keyword.control');
  has(9, 'consume', 'entity.name.function.call');
  has(10, 'handle', 'keyword.control.effect');
  has(11, 'resume', 'keyword.control.effect');
  has(11, 'echo', 'entity.name.function.call');
  has(12, 'then', 'keyword.control');
  has(14, 'enum', 'storage.type');
  has(14, 'Unique', 'entity.name.type');        // declaring the type Unique
  has(15, 'effect', 'storage.type.effect');
  has(15, 'Echo', 'entity.name.type.effect');
  has(16, 'type', 'storage.type');
  has(16, 'W', 'entity.name.type');
  has(17, 'use', 'keyword.control.import');
  has(17, 'as', 'keyword.control.import');
  has(17, 'A', 'entity.name.type');
  has(19, 'with', 'keyword.control');
  has(19, '<-', 'keyword.operator.arrow');
  has(20, 'case', 'keyword.control');
  has(21, 'Some', 'entity.name.type');
  has(21, '|', 'punctuation.separator.lambda');
  has(21, 'and', 'keyword.operator.logical');
  has(21, 'not', 'keyword.operator.logical');
  has(21, 'true', 'constant.language.boolean');
  has(22, 'None', 'constant.language.none');
  has(23, 'struct', 'storage.type');
  has(24, 'trait', 'storage.type');
  has(24, 'where', 'keyword.other');
  // effect rows: -[ ... ]>, the effects named, their arguments types
  has(5, '-[', 'punctuation.definition.effect-row.begin');
  has(5, ']>', 'punctuation.definition.effect-row.end');
  has(5, 'Echo', 'entity.name.type.effect');
  has(5, 'State', 'entity.name.type.effect');
  has(5, 'UniqueInt', 'meta.effect-row');
  lacks(5, 'UniqueInt', 'entity.name.type.effect');
  // numbers
  has(6, '0x1F_FF', 'constant.numeric.hex');
  has(6, '0b1010', 'constant.numeric.binary');
  has(6, '0o17', 'constant.numeric.octal');
  has(6, '1_000', 'constant.numeric.integer');
  has(6, '3.14', 'constant.numeric.float');
  has(6, ' numbers', 'comment.line.double-dash');
  has(6, '--', 'punctuation.definition.comment');
  // strings: escapes, {{ }}, interpolation with code inside, bad escapes; chars; triple strings
  has(7, '"', 'punctuation.definition.string.begin');
  has(7, '\\n', 'constant.character.escape');
  has(7, '{{', 'constant.character.escape');
  has(7, '\\q', 'invalid.illegal.escape');
  has(7, '{', 'punctuation.section.interpolation.begin');
  has(7, 'n', 'meta.interpolation');
  has(7, 'n', 'variable.other');
  has(7, '+', 'keyword.operator');
  has(7, '+', 'string.quoted.double');
  has(7, '1', 'constant.numeric.integer');
  has(8, '\\n', 'constant.character.escape');
  has(8, '\\n', 'string.quoted.single');
  has(27, '  multi ', 'string.quoted.triple');
  has(27, 't', 'meta.interpolation');
  has(28, '"""', 'punctuation.definition.string.end');
  // words that only start like keywords
  has(29, 'letter', 'variable.other');
  lacks(29, 'letter', 'keyword');
  has(29, 'docs', 'variable.other');
  lacks(29, 'docs', 'comment');
});

test('grammar: a longer Kea program (test/fixtures/sample.kea) leaves nothing unscoped or invalid', { skip: !textmate.available && NO_TEXTMATE }, async () => {
  const { tokenize } = await textmate.load('kea.tmLanguage.json');
  const text = fs.readFileSync(path.join(__dirname, 'fixtures', 'sample.kea'), 'utf8');
  const src = text.split('\n');
  const lines = tokenize(text);
  lines.forEach((tokens, i) => {
    for (const t of tokens) {
      assert.ok(!t.scopes.some((s) => s.startsWith('invalid')), `line ${i + 1} ${JSON.stringify(src[i])}: ${t.text} is invalid`);
      if (t.text.trim()) assert.ok(t.scopes.length > 0, `line ${i + 1} ${JSON.stringify(src[i])}: ${JSON.stringify(t.text)} is unscoped`);
    }
    // a declaration at the left margin is never swallowed by a doc block above it
    if (/^(pub |fn |@|enum |struct |trait |effect |type |use |test )/.test(src[i])) {
      assert.ok(!tokens[0].scopes.some((s) => s.startsWith('comment')), `line ${i + 1} ${JSON.stringify(src[i])} is a comment`);
    }
  });
});
