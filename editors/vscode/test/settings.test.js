'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const {
  SERVER_SETTING_KEYS, splitCommandLine, serverCommand, serverSettings, serverSettingsWithProblems,
  decorationSettings, classifyChange,
} = require('../src/settings');
const { documentSelector, isX07Document } = require('../src/languages');

const cfg = (values) => ({ get: (k) => values[k] });
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const props = manifest.contributes.configuration.properties;
const defaults = () => {
  const v = {};
  for (const [k, p] of Object.entries(props)) v[k.replace(/^custody\./, '')] = p.default;
  return v;
};

test('default command is `custody lsp`', () => {
  assert.deepEqual(serverCommand(cfg(defaults())), { command: 'custody', args: ['lsp'], source: 'server.command' });
  assert.deepEqual(serverCommand(cfg({})), { command: 'custody', args: ['lsp'], source: 'server.command' });
  assert.deepEqual(serverCommand(cfg({ 'server.command': [] })).command, 'custody');
  assert.deepEqual(serverCommand(cfg({ 'server.command': '  ' })).command, 'custody');
});

test('server.command as a string is split at spaces, quotes keep spaces', () => {
  assert.deepEqual(serverCommand(cfg({ 'server.command': '/opt/custody/.venv/bin/custody lsp' })),
    { command: '/opt/custody/.venv/bin/custody', args: ['lsp'], source: 'server.command' });
  assert.deepEqual(splitCommandLine('"/My Tools/custody" lsp  --x \'a b\''), ['/My Tools/custody', 'lsp', '--x', 'a b']);
  assert.deepEqual(splitCommandLine('a "" b'), ['a', '', 'b']);
});

test('server.command as an array is taken as is, with ${workspaceFolder} replaced', () => {
  assert.deepEqual(serverCommand(cfg({ 'server.command': ['${workspaceFolder}/.venv/bin/custody', 'lsp'] }), { workspaceFolder: '/w' }),
    { command: '/w/.venv/bin/custody', args: ['lsp'], source: 'server.command' });
});

test('server.pythonPath, when set, runs the custody.cli module and wins over server.command', () => {
  assert.deepEqual(serverCommand(cfg({ 'server.pythonPath': '/v/bin/python', 'server.command': 'other lsp' })),
    { command: '/v/bin/python', args: ['-m', 'custody.cli', 'lsp'], source: 'server.pythonPath' });
  assert.equal(serverCommand(cfg({ 'server.pythonPath': '', 'server.command': 'other lsp' })).command, 'other');
});

test('the defaults in package.json become the server\'s defaults', () => {
  assert.deepEqual(serverSettings(cfg(defaults())), {
    stdlibRoot: null, moduleRoots: [], inlayHints: { drops: true, moves: true, borrows: true, defers: true }, severity: {}, debounceMs: 0,
  });
});

test('server settings carry exactly the keys the server reads, with values passed through', () => {
  const s = serverSettings(cfg({
    stdlibRoot: '/x07/stdlib', moduleRoots: ['/a', '', '/b'], inlayHints: { drops: false },
    severity: { 'X07-MOVE-0901': 'warning' }, debounceMs: 50, 'server.command': 'custody lsp', 'trace.server': 'verbose',
  }));
  assert.deepEqual(Object.keys(s).sort(), [...SERVER_SETTING_KEYS].sort());
  assert.deepEqual(s, {
    stdlibRoot: '/x07/stdlib', moduleRoots: ['/a', '/b'], inlayHints: { drops: false, moves: true, borrows: true, defers: true },
    severity: { 'X07-MOVE-0901': 'warning' }, debounceMs: 50,
  });
});

test('wrong values are left out and reported, never sent', () => {
  const { settings, problems } = serverSettingsWithProblems(cfg({
    stdlibRoot: 3, moduleRoots: '/a', inlayHints: { drops: 'no', lifetimes: true }, severity: { A: 'loud', B: 'off' }, debounceMs: 5000,
  }));
  assert.equal(settings.stdlibRoot, undefined);
  assert.equal(settings.moduleRoots, undefined);
  assert.equal(settings.debounceMs, undefined);
  assert.deepEqual(settings.inlayHints, { drops: true, moves: true, borrows: true, defers: true });
  assert.deepEqual(settings.severity, { B: 'off' });
  assert.equal(problems.length, 6, problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('custody.debounceMs')));
  assert.ok(problems.some((p) => p.includes('custody.severity.A')));
});

test('every key the server reads is contributed, with the server\'s shape', () => {
  for (const key of SERVER_SETTING_KEYS) assert.ok(props[`custody.${key}`], `custody.${key} is not contributed`);
  assert.deepEqual(Object.keys(props['custody.inlayHints'].properties), ['drops', 'moves', 'borrows', 'defers']);
  assert.deepEqual(props['custody.severity'].additionalProperties.enum, ['error', 'warning', 'information', 'hint', 'off']);
  for (const key of ['custody.server.command', 'custody.server.pythonPath', 'custody.trace.server']) assert.ok(props[key], key);
});

test('decoration settings and config change classification', () => {
  assert.deepEqual(decorationSettings(cfg({})), { enabled: true, delayMs: 120 });
  assert.deepEqual(decorationSettings(cfg({ 'cursorDecorations.enabled': false, 'cursorDecorations.delayMs': 40 })), { enabled: false, delayMs: 40 });
  const ev = (...sections) => ({ affectsConfiguration: (s) => sections.includes(s) });
  assert.deepEqual(classifyChange(ev('custody.severity')), { restart: false, notify: true, decorations: false, languages: false });
  assert.deepEqual(classifyChange(ev('custody.server.pythonPath')), { restart: true, notify: false, decorations: false, languages: false });
  assert.deepEqual(classifyChange(ev('custody.cursorDecorations')), { restart: false, notify: false, decorations: true, languages: false });
  // turning C on or off changes the document selector: the client is restarted
  assert.deepEqual(classifyChange(ev('custody.c.enable', 'custody.c')), { restart: true, notify: false, decorations: false, languages: true });
});

test('document selector has both languages and both file patterns', () => {
  const sel = documentSelector();
  assert.ok(sel.some((s) => s.language === 'x07text'));
  assert.ok(sel.some((s) => s.language === 'x07json'));
  assert.ok(sel.some((s) => s.pattern === '**/*.x07t'));
  assert.ok(sel.some((s) => s.pattern === '**/*.x07.json'));
  assert.ok(isX07Document({ languageId: 'plaintext', fileName: '/a/b.x07.json' }));
  assert.ok(isX07Document({ languageId: 'x07text', fileName: 'Untitled-1' }));
  assert.ok(!isX07Document({ languageId: 'json', fileName: '/a/x07.json' }));
  assert.ok(!isX07Document(undefined));
});
