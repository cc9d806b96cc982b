'use strict';
/**
 * C (custody.c.enable, issue 12): custody next to clangd / the C/C++ extension, never instead.
 * The selector covers C only when the setting is on; changing it restarts the client; activated
 * by a C file with the setting off, the extension starts nothing.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { activateWith } = require('../src/client');
const {
  documentSelector, isX07Document, isCDocument, isCustodyDocument,
} = require('../src/languages');
const { cEnabled } = require('../src/settings');
const { makeVscode, makeLc, makeEditor, makeDocument } = require('./fakeVscode');
const { showsOwnershipAtCursor } = require('./languageSuite');

const ctx = () => ({ subscriptions: [] });
const flush = async () => { for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r)); };
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const C_FILE = 'file:///w/src/agent.c';
const C_DOC = { languageId: 'c', fileName: '/w/src/agent.c' };
const changed = (...sections) => ({ affectsConfiguration: (s) => sections.some((x) => x === s || x.startsWith(`${s}.`)) });

function selectorCoversC(sel) {
  return sel.some((s) => s.language === 'c' || (s.pattern && /\.[ch]$/.test(s.pattern)));
}

test('the selector covers C (language c, **/*.c, **/*.h) only when C is on', () => {
  const off = documentSelector();
  assert.deepEqual(documentSelector({ c: false }), off);
  assert.ok(!selectorCoversC(off), JSON.stringify(off));
  const on = documentSelector({ c: true });
  assert.ok(on.some((s) => s.language === 'c'));
  for (const p of ['**/*.c', '**/*.h']) assert.ok(on.some((s) => s.pattern === p && s.scheme === 'file'), p);
  // X07 stays covered either way, and the on-selector only adds
  for (const s of off) assert.ok(on.some((t) => JSON.stringify(t) === JSON.stringify(s)), JSON.stringify(s));
  // custody never claims C++ by language id (a .h, which VS Code calls cpp, is covered by its name)
  assert.ok(!on.some((s) => s.language === 'cpp'));
});

test('isCustodyDocument: X07 always, C (.c, .h, language c) only with C on; isX07Document stays X07 only', () => {
  const header = { languageId: 'cpp', fileName: '/w/include/ar_agent.h' };    // VS Code's id for .h
  const untitledC = { languageId: 'c', fileName: 'Untitled-1' };
  const cpp = { languageId: 'cpp', fileName: '/w/a.cpp' };
  for (const d of [C_DOC, header, untitledC]) {
    assert.ok(isCDocument(d), d.fileName);
    assert.ok(!isCustodyDocument(d), `${d.fileName} with C off`);
    assert.ok(!isCustodyDocument(d, { c: false }), d.fileName);
    assert.ok(isCustodyDocument(d, { c: true }), d.fileName);
    assert.ok(!isX07Document(d), d.fileName);
  }
  assert.ok(!isCustodyDocument(cpp, { c: true }));
  assert.ok(!isCustodyDocument({ languageId: 'plaintext', fileName: '/w/notes.txt' }, { c: true }));
  assert.ok(!isCustodyDocument(undefined, { c: true }));
  for (const on of [false, true]) {
    assert.ok(isCustodyDocument({ languageId: 'x07text', fileName: '/w/main.x07t' }, { c: on }));
    assert.ok(isCustodyDocument({ languageId: 'plaintext', fileName: '/w/p.x07.json' }, { c: on }));
  }
  assert.equal(cEnabled({ get: () => undefined }), false);
  assert.equal(cEnabled({ get: () => 'yes' }), false);
  assert.equal(cEnabled({ get: (k) => k === 'c.enable' }), true);
});

test('manifest: custody.c.enable (off by default, described), onLanguage:c, and nothing of C contributed', () => {
  const prop = manifest.contributes.configuration.properties['custody.c.enable'];
  assert.ok(prop, 'custody.c.enable is not contributed');
  assert.equal(prop.type, 'boolean');
  assert.equal(prop.default, false);
  for (const word of ['AgeRun', 'clangd', 'C/C++', 'next to', 'docs/c.md']) assert.ok(prop.markdownDescription.includes(word), word);
  assert.ok(manifest.activationEvents.includes('onLanguage:c'));
  // the c language, its grammar, snippets, ... belong to VS Code / clangd / ms-vscode.cpptools
  const contributes = manifest.contributes;
  assert.deepEqual(contributes.languages.map((l) => l.id).sort(), ['janus', 'kea', 'x07json', 'x07text']);
  for (const l of contributes.languages) {
    for (const e of l.extensions || []) assert.ok(!/\.(c|h|cpp|hpp)$/.test(e), e);
  }
  assert.deepEqual(contributes.grammars.map((g) => g.language).sort(), ['janus', 'kea', 'x07json', 'x07text']);
  for (const key of ['snippets', 'semanticTokenScopes', 'jsonValidation', 'debuggers', 'breakpoints', 'taskDefinitions', 'problemMatchers']) {
    assert.equal(contributes[key], undefined, `contributes.${key}`);
  }
  assert.ok(!/\bc\b|cpp/.test(JSON.stringify(manifest.extensionDependencies || [])));
});

test('manifest: Show Ownership is enabled for C files when C is on; the run command stays X07 only', () => {
  const show = manifest.contributes.commands.find((c) => c.command === 'custody.showOwnershipOfSymbol');
  const run = manifest.contributes.commands.find((c) => c.command === 'custody.runWithOwnershipChecks');
  const context = manifest.contributes.menus['editor/context'].find((m) => m.command === 'custody.showOwnershipOfSymbol');
  for (const clause of [show.enablement, context.when]) {
    assert.match(clause, /editorLangId == x07text/);
    assert.match(clause, /config\.custody\.c\.enable && \(editorLangId == c \|\| resourceExtname == \.c \|\| resourceExtname == \.h\)/);
  }
  assert.doesNotMatch(run.enablement, /\bc\b|custody\.c/);
  for (const m of manifest.contributes.menus['editor/title/run']) assert.doesNotMatch(m.when, /custody\.c|== c\b/);
});

test('C off: the client never covers C documents', async () => {
  const vscode = makeVscode();
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  assert.equal(lc.clients.length, 1);
  assert.ok(!selectorCoversC(lc.clients[0].clientOptions.documentSelector));
});

test('C on: the client covers language c, **/*.c and **/*.h', async () => {
  const vscode = makeVscode({ settings: { 'c.enable': true } });
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  const sel = lc.clients[0].clientOptions.documentSelector;
  assert.ok(sel.some((s) => s.language === 'c'));
  assert.ok(sel.some((s) => s.pattern === '**/*.c'));
  assert.ok(sel.some((s) => s.pattern === '**/*.h'));
  assert.ok(sel.some((s) => s.language === 'x07text'));
  assert.match(vscode.channels.custody.lines.join('\n'), /starting .*\(X07, Kea, Janus and C\)/);
});

test('changing custody.c.enable restarts the client with the new selector (and back)', async () => {
  const vscode = makeVscode();
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  vscode.configValues['c.enable'] = true;
  vscode.workspace.onDidChangeConfiguration.fire(changed('custody.c.enable'));
  await flush();
  assert.equal(lc.clients[0].stopped, true);
  assert.equal(lc.clients.length, 2);
  assert.ok(selectorCoversC(lc.clients[1].clientOptions.documentSelector));
  assert.equal(ext.getClient(), lc.clients[1]);
  assert.deepEqual(lc.clients[0].notifications, [], 'c.enable is not a server setting');

  vscode.configValues['c.enable'] = false;
  vscode.workspace.onDidChangeConfiguration.fire(changed('custody.c.enable'));
  await flush();
  assert.equal(lc.clients[1].stopped, true);
  assert.equal(lc.clients.length, 3);
  assert.ok(!selectorCoversC(lc.clients[2].clientOptions.documentSelector));
});

test('activated by a C file with C off and no X07 anywhere: no server, until an X07 file opens', async () => {
  const vscode = makeVscode({ files: ['/w/src/agent.c', '/w/include/ar_agent.h'], documents: [makeDocument({ uri: C_FILE, languageId: 'c' })] });
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  assert.equal(lc.clients.length, 0, 'no server for C with C off');
  assert.equal(ext.getClient(), undefined);
  assert.deepEqual(vscode.workspace.searches, [{ include: '**/*.{x07t,x07.json,kea,jan}', exclude: undefined, maxResults: 1 }]);
  // more C files: still nothing
  vscode.workspace.onDidOpenTextDocument.fire(makeDocument({ uri: 'file:///w/include/ar_agent.h', languageId: 'cpp' }));
  await flush();
  assert.equal(lc.clients.length, 0);
  // the cursor in a C file asks nothing
  const editor = makeEditor(vscode, { uri: C_FILE, languageId: 'c' });
  vscode.window.onDidChangeTextEditorSelection.fire({ textEditor: editor, selections: editor.selections });
  await wait(150);
  assert.equal(lc.clients.length, 0);
  // an X07 file opens: now the server starts (X07 only)
  vscode.workspace.onDidOpenTextDocument.fire(makeDocument({ uri: 'file:///w/main.x07t', languageId: 'x07text' }));
  await flush();
  assert.equal(lc.clients.length, 1);
  assert.ok(!selectorCoversC(lc.clients[0].clientOptions.documentSelector));
  vscode.workspace.onDidOpenTextDocument.fire(makeDocument({ uri: 'file:///w/other.x07t', languageId: 'x07text' }));
  await flush();
  assert.equal(lc.clients.length, 1, 'one server');
});

test('activated by a C file with C off: turning C on starts the server; off again stops it', async () => {
  const vscode = makeVscode({ files: ['/w/src/agent.c'], documents: [makeDocument({ uri: C_FILE, languageId: 'c' })] });
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  assert.equal(lc.clients.length, 0);
  vscode.configValues['c.enable'] = true;
  vscode.workspace.onDidChangeConfiguration.fire(changed('custody.c.enable'));
  await flush();
  assert.equal(lc.clients.length, 1);
  assert.ok(selectorCoversC(lc.clients[0].clientOptions.documentSelector));
  vscode.configValues['c.enable'] = false;
  vscode.workspace.onDidChangeConfiguration.fire(changed('custody.c.enable'));
  await flush();
  assert.equal(lc.clients[0].stopped, true);
  assert.equal(lc.clients.length, 1, 'nothing justifies a server any more');
  assert.equal(ext.getClient(), undefined);
  // a new server command does not start one either
  vscode.configValues['server.command'] = ['/opt/custody', 'lsp'];
  vscode.workspace.onDidChangeConfiguration.fire(changed('custody.server.command'));
  await flush();
  assert.equal(lc.clients.length, 1);
  // but the explicit restart command does
  await vscode.commands.registered['custody.restartServer']();
  assert.equal(lc.clients.length, 2);
});

test('an open X07 document starts the server without searching the workspace', async () => {
  const vscode = makeVscode({ files: [], documents: [makeDocument()] });
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  assert.equal(lc.clients.length, 1);
  assert.deepEqual(vscode.workspace.searches, []);
});

test('C on: cursor decorations and Show Ownership work in C files; Run stays X07 only', async () => {
  const answer = { kind: 'live', range: { start: { line: 3, character: 4 }, end: { line: 9, character: 1 } }, message: 'owned' };
  await showsOwnershipAtCursor({ settings: { 'c.enable': true }, uri: C_FILE, languageId: 'c', cursor: [3, 8], answer });
});

test('C off: a C editor gets no decorations request and Show Ownership says how to turn C on', async () => {
  const vscode = makeVscode({ settings: { 'cursorDecorations.delayMs': 5 } });
  const lc = makeLc({ onRequest: () => [] });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  const editor = makeEditor(vscode, { uri: 'file:///w/include/ar_agent.h', languageId: 'cpp' });
  vscode.window.onDidChangeTextEditorSelection.fire({ textEditor: editor, selections: editor.selections });
  await wait(40);
  assert.equal(lc.clients[0].requests.length, 0);
  vscode.window.activeTextEditor = editor;
  assert.equal(await vscode.commands.registered['custody.showOwnershipOfSymbol'](), undefined);
  assert.match(vscode.shown.warnings.at(-1), /custody\.c\.enable/);
  assert.equal(lc.clients[0].requests.length, 0);
});
