'use strict';
/**
 * Janus (.jan): a language of its own (id `janus`, grammar source.janus, `//` and `/* *\/`
 * comments, indentation rules for `do … end` and braces), sent to the language server exactly as
 * Kea is (always, whatever custody.c.enable), with the cursor decorations and Show Ownership; Run
 * with Ownership Checks stays X07 only. The TextMate grammar is run through vscode-textmate +
 * vscode-oniguruma (what VS Code uses): on a sample of custody's own (the planned ownership
 * syntax too: profile :sovereign, move, owned, ~T, &mut T, with_scratchpad, region, unsafe, cap);
 * Janus's own .jan files go through scripts/tokenize_corpus.js by hand.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { activateWith } = require('../src/client');
const {
  documentSelector, isX07Document, isKeaDocument, isJanusDocument, isCustodyDocument, SOURCE_GLOB,
} = require('../src/languages');
const { makeVscode, makeLc, makeEditor, makeDocument } = require('./fakeVscode');
const textmate = require('./textmate');

const ROOT = path.join(__dirname, '..');
const ctx = () => ({ subscriptions: [] });
const flush = async () => { for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r)); };
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const JAN_URI = 'file:///w/src/moves.jan';
const NO_TEXTMATE = 'vscode-textmate and vscode-oniguruma are not installed (npm ci in editors/vscode)';

// ---- which documents go to the server ----

test('the selector covers Janus (language janus, **/*.jan) with C on and off, next to X07 and Kea', () => {
  for (const options of [undefined, { c: false }, { c: true }]) {
    const sel = documentSelector(options);
    assert.ok(sel.some((s) => s.language === 'janus'), JSON.stringify(sel));
    assert.ok(sel.some((s) => s.pattern === '**/*.jan' && s.scheme === 'file'), JSON.stringify(sel));
    for (const id of ['x07text', 'x07json', 'kea']) assert.ok(sel.some((s) => s.language === id), id);
  }
  assert.equal(SOURCE_GLOB, '**/*.{x07t,x07.json,kea,jan}');
});

test('a .jan document is custody\'s (by name or language id), but neither X07 (to run) nor Kea', () => {
  const docs = [
    { languageId: 'janus', fileName: '/w/a.jan' },
    { languageId: 'plaintext', fileName: '/w/b.jan' },      // before the language is known
    { languageId: 'janus', fileName: 'Untitled-1' },
    { languageId: 'plaintext', uri: { path: '/w/c.jan' } },
  ];
  for (const d of docs) {
    assert.ok(isJanusDocument(d), JSON.stringify(d));
    assert.ok(isCustodyDocument(d), JSON.stringify(d));
    assert.ok(isCustodyDocument(d, { c: true }), JSON.stringify(d));
    assert.ok(!isX07Document(d), JSON.stringify(d));
    assert.ok(!isKeaDocument(d), JSON.stringify(d));
  }
  for (const d of [{ languageId: 'plaintext', fileName: '/w/jan.txt' }, { languageId: 'plaintext', fileName: '/w/a.janus' }, undefined]) {
    assert.ok(!isJanusDocument(d), JSON.stringify(d));
  }
});

test('a workspace holding only Janus files starts the server, with Janus in its selector', async () => {
  const vscode = makeVscode({ files: ['/w/src/moves.jan'] });
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  assert.equal(lc.clients.length, 1);
  assert.deepEqual(vscode.workspace.searches, [{ include: '**/*.{x07t,x07.json,kea,jan}', exclude: undefined, maxResults: 1 }]);
  const sel = lc.clients[0].clientOptions.documentSelector;
  assert.ok(sel.some((s) => s.language === 'janus'));
  assert.ok(sel.some((s) => s.pattern === '**/*.jan'));
  assert.match(vscode.channels.custody.lines.join('\n'), /starting .*\(X07, Kea, Janus\)/);
});

test('an open Janus document starts the server without searching; one opened later starts it too', async () => {
  const open = makeVscode({ files: [], documents: [makeDocument({ uri: JAN_URI, languageId: 'janus' })] });
  const lc1 = makeLc();
  await activateWith({ vscode: open, lc: lc1 }, ctx()).ready;
  assert.equal(lc1.clients.length, 1);
  assert.deepEqual(open.workspace.searches, []);

  const later = makeVscode({ files: [] });
  const lc2 = makeLc();
  await activateWith({ vscode: later, lc: lc2 }, ctx()).ready;
  assert.equal(lc2.clients.length, 0, 'nothing of custody\'s here yet');
  assert.match(later.channels.custody.lines.join('\n'), /starts when an X07, Kea or Janus file opens/);
  later.workspace.onDidOpenTextDocument.fire(makeDocument({ uri: JAN_URI, languageId: 'janus' }));
  await flush();
  assert.equal(lc2.clients.length, 1);
});

test('Janus editors get cursor decorations and Show Ownership; Run stays X07 only', async () => {
  const answer = [{ kind: 'move', range: { start: { line: 2, character: 20 }, end: { line: 2, character: 21 } }, message: 'moved' }];
  const vscode = makeVscode({ settings: { 'cursorDecorations.delayMs': 5 }, answers: { pick: () => undefined } });
  const lc = makeLc({ onRequest: (method) => (method === 'custody/ownership' ? answer : null) });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  const editor = makeEditor(vscode, { uri: JAN_URI, languageId: 'janus', line: 2, character: 20 });
  vscode.window.onDidChangeTextEditorSelection.fire({ textEditor: editor, selections: editor.selections });
  await wait(40);
  const reqs = lc.clients[0].requests;
  assert.equal(reqs.length, 1);
  assert.deepEqual(reqs[0].params.textDocument, { uri: JAN_URI });
  assert.equal(editor.decorations.get('move').length, 1);

  vscode.window.activeTextEditor = editor;
  const picks = await vscode.commands.registered['custody.showOwnershipOfSymbol']();
  assert.deepEqual(picks.map((p) => p.label), ['move']);
  assert.equal(await vscode.commands.registered['custody.runWithOwnershipChecks'](), undefined);
  assert.match(vscode.shown.warnings.at(-1), /runs only X07 programs/);
  assert.ok(!lc.clients[0].requests.some((q) => q.method === 'workspace/executeCommand'));
});

// ---- the manifest ----

test('manifest: the janus language, its grammar and configuration, activation, the commands\' clauses', () => {
  const c = manifest.contributes;
  const janus = c.languages.find((l) => l.id === 'janus');
  assert.ok(janus, 'no janus language');
  assert.deepEqual(janus.extensions, ['.jan']);
  assert.ok(janus.aliases.includes('Janus'));
  assert.equal(janus.configuration, './janus-language-configuration.json');
  assert.ok(fs.existsSync(path.join(ROOT, janus.configuration)), janus.configuration);
  const grammar = c.grammars.find((g) => g.language === 'janus');
  assert.deepEqual(grammar, { language: 'janus', scopeName: 'source.janus', path: './syntaxes/janus.tmLanguage.json' });
  assert.ok(fs.existsSync(path.join(ROOT, grammar.path)), grammar.path);
  for (const e of ['onLanguage:janus', 'workspaceContains:**/*.jan']) assert.ok(manifest.activationEvents.includes(e), e);
  const show = c.commands.find((x) => x.command === 'custody.showOwnershipOfSymbol');
  const context = c.menus['editor/context'].find((m) => m.command === 'custody.showOwnershipOfSymbol');
  for (const clause of [show.enablement, context.when]) {
    // before the C clause: `... || janus || config.c && (...)` must not make janus depend on C
    assert.match(clause, /editorLangId == janus \|\| config\.custody\.c\.enable &&/);
  }
  const run = c.commands.find((x) => x.command === 'custody.runWithOwnershipChecks');
  assert.doesNotMatch(run.enablement, /janus/);
  for (const m of c.menus['editor/title/run']) assert.doesNotMatch(m.when, /janus/);
  // the .vsix takes the configuration (.vscodeignore lists what goes in; syntaxes/*.tmLanguage.json already)
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(ignore.includes(`!${janus.configuration.replace('./', '')}`), '.vscodeignore leaves the Janus configuration out');
  assert.ok(ignore.includes('!syntaxes/*.tmLanguage.json'));
});

// ---- the language configuration ----

const janusConf = JSON.parse(fs.readFileSync(path.join(ROOT, 'janus-language-configuration.json'), 'utf8'));

test('language configuration: // and /* */ comments, brackets, pairs, and it compiles', () => {
  assert.deepEqual(janusConf.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
  assert.deepEqual(janusConf.brackets, [['(', ')'], ['[', ']'], ['{', '}']]);
  for (const open of ['(', '[', '{', '"', "'", '/*']) assert.ok(janusConf.autoClosingPairs.some((p) => p.open === open), open);
  assert.deepEqual(janusConf.autoClosingPairs.find((p) => p.open === '"').notIn, ['string', 'comment']);
  const word = new RegExp(`^(?:${janusConf.wordPattern})$`);
  for (const w of ['with_scratchpad', 'x1', '1_000', '3.14']) assert.ok(word.test(w), w);
  assert.ok(!word.test('a.b'));
  for (const rule of janusConf.onEnterRules) {
    new RegExp(rule.beforeText);
    if (rule.afterText) new RegExp(rule.afterText);
  }
  assert.notEqual(janusConf.folding && janusConf.folding.offSide, true, 'Janus is not layout-sensitive');
  new RegExp(janusConf.folding.markers.start);
});

test('indentation rules: indent after do, do |x|, an open bracket, else; not after one-liners; end/else/closers dedent', () => {
  const inc = new RegExp(janusConf.indentationRules.increaseIndentPattern);
  const dec = new RegExp(janusConf.indentationRules.decreaseIndentPattern);
  const indents = [
    'func f(x: ~File) -> i32 do',
    'func g(owned p: Buffer) -> void {',
    '    for n in numbers do',
    '    while i < b.len and b[i] != \'\\n\' do',
    '    if x > 0 do   // positive',
    '    with_scratchpad |scratch| do',
    '    region r do',
    '    using f = open(p) do',
    '    grant cap FileSystem { read: true } do',
    '    while it.next() |part| do',
    '    let got = fs.read(path) catch |err| {',
    '    } else {',
    '    else',
    '    end else do',
    '    unsafe {',
    '    match mode {',
    'struct Handle {',
    'impl Closer for Handle {',
    '    print(a,',
    '    let xs = [',
    'profile :sovereign do',
  ];
  for (const line of indents) assert.ok(inc.test(line), `should indent after: ${line}`);
  const stays = [
    '    let x := f(y)',
    '    return x',
    '    end',
    '    let clamped = if end > n do n else end end;',
    '    for list.items do |*s| s.deinit();',
    '    let p = Point { x: 1, y: 2 }',
    '    // a comment that ends in do',
    '    /* or { */',
    '    defer close()',
    '    let undo = redo',
    '    x.do',
    '    let s = "else"',
    'profile :sovereign',
  ];
  for (const line of stays) assert.ok(!inc.test(line), `should not indent after: ${line}`);
  for (const line of ['    end', 'end', '  else', '    else do', '    end else', '}', '    } else {', '  )', '  ]']) {
    assert.ok(dec.test(line), `should dedent: ${line}`);
  }
  for (const line of ['  ending(x)', '  elsewhere(x)', '  x', '  endpoint = 1']) assert.ok(!dec.test(line), `should not dedent: ${line}`);
});

// ---- the TextMate grammar ----

const grammarRaw = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes', 'janus.tmLanguage.json'), 'utf8'));

test('grammar: valid JSON, scope source.janus, every include resolves, every scope ends in .janus', () => {
  assert.equal(grammarRaw.scopeName, 'source.janus');
  assert.deepEqual(grammarRaw.fileTypes, ['jan']);
  const repo = grammarRaw.repository;
  const text = JSON.stringify(grammarRaw);
  for (const [, ref] of text.matchAll(/"include":"#([^"]+)"/g)) assert.ok(repo[ref], `#${ref} is not in the repository`);
  for (const [, name] of text.matchAll(/"(?:name|contentName)":"([^"]+)"/g)) {
    if (name === 'Janus') continue;
    for (const part of name.split(' ')) assert.match(part, /\.janus$/, name);
  }
});

test('grammar: every regex compiles in Oniguruma', { skip: !textmate.available && NO_TEXTMATE }, async () => {
  await textmate.onigLib();
  const all = textmate.regexes(grammarRaw);
  assert.ok(all.length > 40, `only ${all.length} regexes`);
  for (const [where, key, source] of all) {
    // an `end` may refer back to its `begin` (\2): vscode-textmate substitutes it before compiling
    const src = key === 'end' ? source.replace(/\\(\d)/g, '') : source;
    assert.doesNotThrow(() => new textmate.oniguruma.OnigScanner([src]), `${where}.${key}: ${source}`);
  }
});

const SAMPLE = [
  /* 0 */ 'profile :sovereign',
  /* 1 */ '/// Opens a file; the caller must close it.',
  /* 2 */ 'func open_file(owned p: ~File, q: &mut Buf, r: &dyn Drawable) -> ~File do',
  /* 3 */ '    let n := 0x1F_FF + 0b1010 + 0o17 + 1_000 + 3.14 + 2.5e-3 + 7u32 // numbers',
  /* 4 */ '    let s = "tab\\t {} \\"q\\""',
  /* 5 */ '    let c = \'\\n\'',
  /* 6 */ '    process(move p)',
  /* 7 */ '    with_scratchpad |scratch| do',
  /* 8 */ '        let t = scratch.alloc(n)',
  /* 9 */ '    end',
  /* 10 */ '    region arena do /* a region',
  /* 11 */ '       over two lines */ end',
  /* 12 */ '    unsafe { @memset(q.ptr, 0, q.len) }',
  /* 13 */ '    cap SharedMemory',
  /* 14 */ '    defer close(p)',
  /* 15 */ '    using shared conn = connect() do end',
  /* 16 */ '    for i in 0..<n do if i == 2 and not done do break end end',
  /* 17 */ '    return p',
  /* 18 */ 'end',
  /* 19 */ 'pub struct Point { x: i32, y: f64 }',
  /* 20 */ 'enum Mode { Read, Write }',
  /* 21 */ 'impl Closer for Handle {',
  /* 22 */ '    let moved = removed.move() // not the move keyword',
  /* 23 */ '    let t = """',
  /* 24 */ '  several "lines"',
  /* 25 */ '    """',
  /* 26 */ '    let raw = r#"{"id": 1}"#',
  /* 27 */ '    let v = x |> f() ?? null; let ok = true',
  /* 28 */ '    let profile_name = ending',
  /* 29 */ '    match m { :full => 1, _ => 2 }',
  /* 30 */ '    let b = ~mask & flags',
  /* 31 */ 'trait Closer { func close(self: &mut Self) -> void }',
  /* 32 */ 'test "a test" { assert(x) }',
].join('\n');

test('grammar: a Janus sample tokenizes as VS Code would show it', { skip: !textmate.available && NO_TEXTMATE }, async () => {
  const { tokenize } = await textmate.load('janus.tmLanguage.json');
  const lines = tokenize(SAMPLE);
  /** the scopes (innermost last, `.janus` dropped) of the token `text` on line `line` (nth hit) */
  const scopesOf = (line, text, nth = 0) => {
    const hits = lines[line].filter((t) => t.text === text);
    assert.ok(hits.length > nth, `no token ${JSON.stringify(text)} on line ${line}: ${JSON.stringify(lines[line].map((t) => t.text))}`);
    return hits[nth].scopes.map((s) => s.replace(/\.janus$/, ''));
  };
  const has = (line, text, scope, nth = 0) => {
    const got = scopesOf(line, text, nth);
    assert.ok(got.includes(scope), `${JSON.stringify(text)} on line ${line}: ${got.join(' ')} lacks ${scope}`);
  };
  const lacks = (line, text, prefix, nth = 0) => {
    const got = scopesOf(line, text, nth);
    assert.ok(!got.some((s) => s.startsWith(prefix)), `${JSON.stringify(text)} on line ${line}: ${got.join(' ')} has ${prefix}`);
  };
  // profile :sovereign
  has(0, 'profile', 'keyword.other.profile');
  has(0, ':', 'punctuation.definition.constant');
  has(0, 'sovereign', 'constant.other.symbol.profile');
  // comments: /// documents, // to the end of the line, /* */ across lines
  has(1, ' Opens a file; the caller must close it.', 'comment.line.documentation');
  has(3, ' numbers', 'comment.line.double-slash');
  has(3, '//', 'punctuation.definition.comment');
  has(10, ' a region', 'comment.block');
  has(11, '       over two lines ', 'comment.block');
  has(11, '*/', 'punctuation.definition.comment.end');
  has(11, 'end', 'keyword.control.block');
  lacks(11, 'end', 'comment');
  // declarations, ownership in types and parameters
  has(2, 'func', 'storage.type.function');
  has(2, 'open_file', 'entity.name.function');
  has(2, 'owned', 'storage.modifier.owned');
  has(2, '~', 'storage.modifier.linear');
  has(2, 'File', 'entity.name.type');
  has(2, '~', 'storage.modifier.linear', 1);
  has(2, '&', 'storage.modifier.reference');
  has(2, 'mut', 'storage.modifier.mut');
  has(2, 'Buf', 'entity.name.type');
  has(2, '&', 'storage.modifier.reference', 1);
  has(2, 'dyn', 'storage.modifier');
  has(2, '->', 'keyword.operator.arrow');
  has(2, 'do', 'keyword.control.block');
  has(6, 'move', 'keyword.other.move');
  has(6, 'process', 'entity.name.function.call');
  has(7, 'with_scratchpad', 'keyword.control.region');
  has(7, '|', 'punctuation.definition.parameters.begin');
  has(7, 'scratch', 'variable.parameter');
  has(8, 'alloc', 'entity.name.function.call');
  has(9, 'end', 'keyword.control.block');
  has(10, 'region', 'keyword.control.region');
  has(10, 'arena', 'variable.other.region');
  has(12, 'unsafe', 'keyword.other.unsafe');
  has(12, 'memset', 'support.function.builtin');
  has(12, '@', 'punctuation.definition.builtin');
  has(13, 'cap', 'keyword.other.capability');
  has(13, 'SharedMemory', 'entity.name.type.capability');
  has(14, 'defer', 'keyword.control.defer');
  has(15, 'using', 'keyword.control.using');
  has(15, 'shared', 'storage.modifier');
  has(17, 'return', 'keyword.control.flow');
  has(18, 'end', 'keyword.control.block');
  // keywords
  has(3, 'let', 'storage.type.variable');
  has(3, ':=', 'keyword.operator.assignment.declaration');
  has(16, 'for', 'keyword.control.loop');
  has(16, 'in', 'keyword.control.loop');
  has(16, '..<', 'keyword.operator.range');
  has(16, 'if', 'keyword.control.conditional');
  has(16, '==', 'keyword.operator.comparison');
  has(16, 'and', 'keyword.operator.logical');
  has(16, 'not', 'keyword.operator.logical');
  has(16, 'break', 'keyword.control.loop');
  has(19, 'pub', 'storage.modifier');
  has(19, 'struct', 'storage.type');
  has(19, 'Point', 'entity.name.type');
  has(19, 'i32', 'support.type.primitive');
  has(19, 'f64', 'support.type.primitive');
  has(20, 'enum', 'storage.type');
  has(20, 'Mode', 'entity.name.type');
  has(20, 'Read', 'entity.name.type');
  has(21, 'impl', 'storage.type.impl');
  has(21, 'Closer', 'entity.name.type');
  has(21, 'for', 'keyword.other.for');
  has(21, 'Handle', 'entity.name.type');
  has(27, '|>', 'keyword.operator.pipeline');
  has(27, '??', 'keyword.operator.optional');
  has(27, 'null', 'constant.language.null');
  has(27, 'true', 'constant.language.boolean');
  has(27, ';', 'punctuation.terminator.statement');
  has(29, 'match', 'keyword.control.conditional');
  has(29, 'full', 'constant.other.symbol');
  has(29, '=>', 'keyword.operator.arrow');
  has(29, '_', 'variable.language.wildcard');
  has(30, '~', 'keyword.operator.bitwise');
  lacks(30, '~', 'storage.modifier');
  has(30, '&', 'keyword.operator.bitwise');
  has(31, 'trait', 'storage.type');
  has(31, 'self', 'variable.language.self');
  has(31, 'Self', 'variable.language.self');
  has(31, 'mut', 'storage.modifier.mut');
  has(31, 'void', 'support.type.primitive');
  has(32, 'test', 'keyword.other.test');
  has(32, 'a test', 'string.quoted.double');
  // numbers
  has(3, '0x1F_FF', 'constant.numeric.hex');
  has(3, '0b1010', 'constant.numeric.binary');
  has(3, '0o17', 'constant.numeric.octal');
  has(3, '1_000', 'constant.numeric.integer');
  has(3, '3.14', 'constant.numeric.float');
  has(3, '2.5e-3', 'constant.numeric.float');
  has(3, '7u32', 'constant.numeric.integer');
  // strings, escapes, placeholders, chars, triple and raw strings
  has(4, '"', 'punctuation.definition.string.begin');
  has(4, 'tab', 'string.quoted.double');
  has(4, '\\t', 'constant.character.escape');
  has(4, '{}', 'constant.other.placeholder');
  has(4, '\\"', 'constant.character.escape');
  has(5, '\\n', 'constant.character.escape');
  has(5, '\\n', 'string.quoted.single');
  has(24, '  several "lines"', 'string.quoted.triple');
  has(25, '"""', 'punctuation.definition.string.end');
  has(26, '{"id": 1}', 'string.quoted.raw');
  has(26, 'r', 'storage.type.string');
  has(26, '#', 'punctuation.definition.string.raw', 1);
  has(26, '#', 'string.quoted.raw', 1);
  // words that only contain or start like keywords, and a method named move
  has(22, 'moved', 'variable.other');
  lacks(22, 'moved', 'keyword');
  lacks(22, 'move', 'keyword');
  has(22, 'move', 'entity.name.function.call');
  has(22, ' not the move keyword', 'comment.line.double-slash');
  has(28, 'profile_name', 'variable.other');
  has(28, 'ending', 'variable.other');
  lacks(28, 'ending', 'keyword');
});

/** Tokenizes `text` line by line; fails on an invalid or unscoped token; returns the final rule stack. */
function tokenizeAll(grammar, vsctm, text, label) {
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((lineText, i) => {
    const r = grammar.tokenizeLine(lineText, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) {
      const s = lineText.slice(t.startIndex, t.endIndex);
      assert.ok(!t.scopes.some((x) => x.startsWith('invalid')), `${label}:${i + 1} ${JSON.stringify(lineText)}: ${s} is invalid`);
      if (s.trim()) assert.ok(t.scopes.length > 1, `${label}:${i + 1} ${JSON.stringify(lineText)}: ${JSON.stringify(s)} is unscoped`);
    }
  });
  return stack;
}

test('grammar: a longer Janus program (test/fixtures/sample.jan) leaves nothing unscoped, invalid or open', { skip: !textmate.available && NO_TEXTMATE }, async () => {
  const { grammar } = await textmate.load('janus.tmLanguage.json');
  const vsctm = require('vscode-textmate');
  const text = fs.readFileSync(path.join(__dirname, 'fixtures', 'sample.jan'), 'utf8');
  const stack = tokenizeAll(grammar, vsctm, text, 'sample.jan');
  assert.equal(stack.depth, 1, 'a string or comment is still open at the end of sample.jan');
  // every declaration at the left margin starts outside any comment or string
  const { tokenize } = await textmate.load('janus.tmLanguage.json');
  const src = text.split('\n');
  tokenize(text).forEach((tokens, i) => {
    if (/^(pub |func |struct |enum |error |trait |impl |test |async |profile |import |use )/.test(src[i])) {
      assert.ok(!tokens[0].scopes.some((s) => s.startsWith('comment') || s.startsWith('string')), `line ${i + 1} ${JSON.stringify(src[i])}`);
    }
  });
});

// Janus's own .jan files: node scripts/tokenize_corpus.js janus.tmLanguage.json .jan REPO (a test
// must not depend on a fetched repository).
