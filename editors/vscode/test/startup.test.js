'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { describeStartFailure, createErrorHandler } = require('../src/startup');

const cmd = { command: 'custody', args: ['lsp'], source: 'server.command' };

test('a missing executable is named, with how to install custody and which settings to set', () => {
  // what vscode-languageclient rejects with when spawn fails
  const d = describeStartFailure('Launching server using command custody failed. Error: spawn custody ENOENT', cmd);
  assert.equal(d.missing, true);
  assert.match(d.message, /`custody` \(from `custody.server.command`\) was not found/);
  assert.match(d.message, /pip install -e \./);
  assert.match(d.message, /custody\.server\.command/);
  assert.match(d.message, /custody\.server\.pythonPath/);
  const e = Object.assign(new Error('spawn /v/bin/python ENOENT'), { code: 'ENOENT' });
  const p = describeStartFailure(e, { command: '/v/bin/python', args: ['-m', 'custody.cli', 'lsp'], source: 'server.pythonPath' });
  assert.equal(p.missing, true);
  assert.match(p.message, /`\/v\/bin\/python` \(from `custody.server.pythonPath`\)/);
});

test('a server that exits at once: the command line, the reason, and the install hint', () => {
  const d = describeStartFailure(new Error('Connection to server got closed. Server will not be restarted.'),
    { command: '/My Tools/python', args: ['-m', 'custody.cli', 'lsp'], source: 'server.pythonPath' });
  assert.equal(d.missing, false);
  assert.match(d.message, /"\/My Tools\/python" -m custody.cli lsp` exited as soon as it started \(Connection to server got closed/);
  assert.match(d.message, /pip install -e \./);
});

test('error handler: an early exit is not restarted and is reported; later deaths restart a few times', () => {
  let t = 0;
  const early = [];
  const gaveUp = [];
  const h = createErrorHandler({
    ErrorAction: { Continue: 'continue', Shutdown: 'shutdown' }, CloseAction: { DoNotRestart: 'stop', Restart: 'restart' },
    now: () => t, earlyMs: 3000, maxRestarts: 2, windowMs: 60000,
    onEarlyExit: () => early.push(t), onGiveUp: () => gaveUp.push(t),
  });
  t = 1000;
  assert.deepEqual(h.closed(), { action: 'stop', handled: true });
  assert.deepEqual(early, [1000]);

  h.started();
  t = 10000;
  assert.equal(h.closed().action, 'restart');
  t = 20000;
  assert.equal(h.closed().action, 'restart');
  t = 30000;
  assert.equal(h.closed().action, 'stop');
  assert.deepEqual(gaveUp, [30000]);
  assert.equal(h.error(new Error('x'), undefined, 1).action, 'continue');
  assert.equal(h.error(new Error('x'), undefined, 5).action, 'shutdown');
});
