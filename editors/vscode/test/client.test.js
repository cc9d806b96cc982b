'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { activateWith } = require('../src/client');
const { formatRunReport } = require('../src/commands');
const { makeVscode, makeLc, makeEditor } = require('./fakeVscode');

const ctx = () => ({ subscriptions: [] });
const flush = () => new Promise((r) => setImmediate(r));
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const r = (l1, c1, l2, c2) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

test('starts `custody lsp` over stdio with both languages, both file patterns and the settings', async () => {
  const vscode = makeVscode({ settings: { severity: { 'X07-MOVE-0901': 'hint' }, debounceMs: 5 } });
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  assert.equal(lc.clients.length, 1);
  const c = lc.clients[0];
  assert.equal(c.id, 'custody');
  assert.equal(c.serverOptions.run.command, 'custody');
  assert.deepEqual(c.serverOptions.run.args, ['lsp']);
  // exactly the configured command: a `transport` would make vscode-languageclient append `--stdio`
  assert.equal(c.serverOptions.run.transport, undefined);
  assert.deepEqual(c.serverOptions.debug, c.serverOptions.run);
  const sel = c.clientOptions.documentSelector;
  for (const want of [{ language: 'x07text' }, { language: 'x07json' }]) assert.ok(sel.some((s) => s.language === want.language));
  for (const p of ['**/*.x07t', '**/*.x07.json']) assert.ok(sel.some((s) => s.pattern === p), p);
  assert.deepEqual(c.clientOptions.initializationOptions, {
    stdlibRoot: null, moduleRoots: [], inlayHints: { drops: true, moves: true, borrows: true, defers: true },
    severity: { 'X07-MOVE-0901': 'hint' }, debounceMs: 5,
  });
  assert.equal(ext.getClient(), c);
  for (const id of ['custody.restartServer', 'custody.runWithOwnershipChecks', 'custody.showOwnershipOfSymbol']) {
    assert.equal(typeof vscode.commands.registered[id], 'function', id);
  }
});

test('a missing executable: a clear error naming the fix, and a button that opens the settings', async () => {
  const vscode = makeVscode({ answers: { error: 'Open Settings' } });
  const lc = makeLc({ startError: 'Launching server using command custody failed. Error: spawn custody ENOENT' });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  assert.equal(ext.getClient(), undefined);
  assert.equal(vscode.shown.errors.length, 1);
  const { msg, buttons } = vscode.shown.errors[0];
  assert.match(msg, /was not found/);
  assert.match(msg, /pip install -e \./);
  assert.match(msg, /custody\.server\.command/);
  assert.ok(buttons.includes('Open Settings'));
  assert.deepEqual(vscode.shown.executed, [['workbench.action.openSettings', 'custody.server']]);
  assert.ok(lc.clients[0].disposed);
});

test('settings changes: server keys are sent as didChangeConfiguration; a new server command restarts', async () => {
  const vscode = makeVscode();
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  vscode.configValues.inlayHints = { moves: false };
  vscode.workspace.onDidChangeConfiguration.fire({ affectsConfiguration: (s) => s === 'custody.inlayHints' });
  assert.deepEqual(lc.clients[0].notifications, [{
    method: 'workspace/didChangeConfiguration',
    params: { settings: { custody: { stdlibRoot: null, moduleRoots: [], inlayHints: { drops: true, moves: false, borrows: true, defers: true }, severity: {}, debounceMs: 1 } } },
  }]);
  vscode.configValues['server.pythonPath'] = '/v/bin/python';
  vscode.workspace.onDidChangeConfiguration.fire({ affectsConfiguration: (s) => s === 'custody.server.pythonPath' });
  await flush(); await flush();
  assert.equal(lc.clients[0].stopped, true);
  assert.equal(lc.clients.length, 2);
  assert.equal(lc.clients[1].serverOptions.run.command, '/v/bin/python');
  assert.deepEqual(lc.clients[1].serverOptions.run.args, ['-m', 'custody.cli', 'lsp']);
});

test('cursor decorations: the settled cursor is asked about and each kind drawn with its type; an edit clears them', async () => {
  const answer = [
    { kind: 'live', range: r(9, 7, 11, 22), message: 'live' },
    { kind: 'move', range: r(10, 23, 10, 26), message: 'moves into main.greet' },
    { kind: 'conflict', range: r(11, 20, 11, 23), message: 'X07-MOVE-0901' },
    { kind: 'bogus', range: r(0, 0, 0, 1), message: '?' },
  ];
  const vscode = makeVscode({ settings: { 'cursorDecorations.delayMs': 5 } });
  const lc = makeLc({ onRequest: (method) => (method === 'custody/ownership' ? answer : null) });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  const editor = makeEditor(vscode, { line: 10, character: 24 });
  vscode.window.onDidChangeTextEditorSelection.fire({ textEditor: editor, selections: editor.selections });
  vscode.window.onDidChangeTextEditorSelection.fire({ textEditor: editor, selections: editor.selections });
  await wait(30);
  const reqs = lc.clients[0].requests;
  assert.equal(reqs.length, 1, 'two quick selection changes make one request');
  assert.deepEqual(reqs[0].params, { textDocument: { uri: 'file:///w/main.x07t' }, position: { line: 10, character: 24 } });
  assert.ok(reqs[0].token && 'isCancellationRequested' in reqs[0].token, 'the request can be cancelled');
  assert.equal(editor.decorations.get('move').length, 1);
  assert.equal(editor.decorations.get('move')[0].hoverMessage.value, 'moves into main.greet');
  assert.deepEqual({ ...editor.decorations.get('move')[0].range.start }, { line: 10, character: 23 });
  assert.equal(editor.decorations.get('live').length, 1);
  assert.equal(editor.decorations.get('conflict').length, 1);
  assert.equal(editor.decorations.get('borrow').length, 0);

  vscode.workspace.onDidChangeTextDocument.fire({ document: editor.document, contentChanges: [{ text: 'x' }] });
  for (const kind of ['live', 'borrow', 'move', 'drop', 'conflict']) assert.equal(editor.decorations.get(kind).length, 0, kind);

  const other = makeEditor(vscode, { uri: 'file:///w/notes.txt', languageId: 'plaintext' });
  vscode.window.onDidChangeTextEditorSelection.fire({ textEditor: other, selections: other.selections });
  await wait(30);
  assert.equal(reqs.length, 1, 'non-X07 editors are not asked about');
});

test('Run with Ownership Checks sends custody.run for the active document and prints the report', async () => {
  const report = {
    ok: false, output_text: 'hello bob', trap: null, leak_free: true, fuel_used: 13,
    mem_stats: { peak_live_bytes: 18, peak_live_allocs: 3 },
    borrow_violations: [{ range: r(11, 20, 11, 23), message: 'use after move' }], diagnostics: [],
  };
  const vscode = makeVscode({ answers: { input: 'bob' } });
  const lc = makeLc({ onRequest: (method) => (method === 'workspace/executeCommand' ? report : null) });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  vscode.window.activeTextEditor = makeEditor(vscode);
  const got = await vscode.commands.registered['custody.runWithOwnershipChecks']();
  assert.equal(got, report);
  assert.deepEqual(lc.clients[0].requests[0].method, 'workspace/executeCommand');
  assert.deepEqual(lc.clients[0].requests[0].params, { command: 'custody.run', arguments: ['file:///w/main.x07t', null, 'bob'] });
  const out = vscode.channels['custody run'];
  assert.ok(out.shown > 0);
  const text = out.lines.join('\n');
  assert.match(text, /output: "hello bob"/);
  assert.match(text, /borrow violation at 12:21: use after move/);
  assert.match(text, /peak memory: 18 bytes in 3 allocation\(s\)/);

  // from a code lens-like call with arguments: no prompt
  vscode.shown.inputBoxes.length = 0;
  await vscode.commands.registered['custody.runWithOwnershipChecks']('file:///w/main.x07t', 'main.f', '');
  assert.deepEqual(lc.clients[0].requests[1].params.arguments, ['file:///w/main.x07t', 'main.f', '']);
  assert.equal(vscode.shown.inputBoxes.length, 0);
});

test('commands say what to do when there is no X07 editor or no server', async () => {
  const vscode = makeVscode();
  const lc = makeLc({ startError: 'spawn custody ENOENT' });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  await vscode.commands.registered['custody.showOwnershipOfSymbol']();
  assert.match(vscode.shown.warnings[0], /open an X07 file/);
  vscode.window.activeTextEditor = makeEditor(vscode);
  await vscode.commands.registered['custody.showOwnershipOfSymbol']();
  assert.match(vscode.shown.errors.at(-1).msg, /not running.*Restart Language Server/);
});

test('Show Ownership lists the ranges in a quick pick and jumps to the chosen one', async () => {
  const answer = [
    { kind: 'drop', range: r(11, 25, 11, 26), message: 'dropped at the end of its scope' },
    { kind: 'live', range: r(9, 7, 11, 22), message: 'live' },
  ];
  const vscode = makeVscode({ answers: { pick: (items) => items.find((i) => i.label === 'drop') } });
  const lc = makeLc({ onRequest: () => answer });
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  const editor = makeEditor(vscode, { line: 9, character: 8 });
  vscode.window.activeTextEditor = editor;
  const picks = await vscode.commands.registered['custody.showOwnershipOfSymbol']();
  assert.deepEqual(picks.map((p) => p.label), ['live', 'drop']);
  assert.equal(picks[1].detail, 'dropped at the end of its scope');
  assert.deepEqual({ ...editor.selection.start }, { line: 11, character: 25 });
  assert.equal(editor.revealed.length, 1);

  lc.clients[0].requests.length = 0;
  const empty = makeLc({ onRequest: () => [] });
  const vscode2 = makeVscode();
  const ext2 = activateWith({ vscode: vscode2, lc: empty }, ctx());
  await ext2.ready;
  vscode2.window.activeTextEditor = makeEditor(vscode2);
  assert.deepEqual(await vscode2.commands.registered['custody.showOwnershipOfSymbol'](), []);
  assert.match(vscode2.shown.infos[0], /not on a binding/);
});

test('formatRunReport: trap, leak and hex output', () => {
  const lines = formatRunReport({
    ok: false, output_hex: 'ff00', trap: { code: 'fuel', message: 'out of fuel', range: r(0, 0, 0, 1) },
    leak_free: false, mem_stats: { live_bytes: 8, live_allocs: 1 }, borrow_violations: [],
    diagnostics: [{ range: r(2, 3, 2, 4), severity: 'error', code: 'CUS-RUN-0003', message: 'leak' }],
  }, { file: 'a.x07t', entry: null, input: '' });
  const text = lines.join('\n');
  assert.match(text, /output \(hex\): ff00/);
  assert.match(text, /trap fuel at 1:1: out of fuel/);
  assert.match(text, /LEAKED 8 bytes in 1 allocation/);
  assert.match(text, /3:4: error\[CUS-RUN-0003\]: leak/);
  assert.match(text, /not ok/);
  assert.match(formatRunReport(null, { file: 'a', entry: 'f', input: '' }).join('\n'), /no report/);
});

test('the run code lens runs the extension command (input box, report), not the bare server command', async () => {
  const vscode = makeVscode();
  const lc = makeLc();
  const ext = activateWith({ vscode, lc }, ctx());
  await ext.ready;
  const mw = lc.clients[0].clientOptions.middleware;
  const lens = (cmd) => ({ range: r(0, 0, 0, 1), command: { title: '▶ Run with ownership checks', command: cmd, arguments: ['file:///a.x07t', null] } });
  const out = await mw.provideCodeLenses({}, {}, async () => [lens('custody.run'), lens('other.command')]);
  assert.equal(out[0].command.command, 'custody.runWithOwnershipChecks');
  assert.deepEqual(out[0].command.arguments, ['file:///a.x07t', null]);
  assert.equal(out[0].command.title, '▶ Run with ownership checks');
  assert.equal(out[1].command.command, 'other.command');
  assert.equal(await mw.provideCodeLenses({}, {}, async () => null), null);
  assert.equal((await mw.resolveCodeLens(lens('custody.run'), {}, async (l) => l)).command.command, 'custody.runWithOwnershipChecks');
});
