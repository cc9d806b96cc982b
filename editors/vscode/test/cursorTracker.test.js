'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { createCursorTracker } = require('../src/cursorTracker');

/** Fake timers: callbacks run only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map();
  return {
    setTimeout(fn, ms) { seq += 1; pending.set(seq, { fn, at: now + ms }); return seq; },
    clearTimeout(id) { pending.delete(id); },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...pending]) if (t.at <= now) { pending.delete(id); t.fn(); }
    },
    get count() { return pending.size; },
  };
}
const flush = () => new Promise((r) => setImmediate(r));

function setup(answer = (t) => [{ kind: 'live', at: t.at }]) {
  const timers = fakeTimers();
  const calls = { requests: [], renders: [], erases: 0, tokens: [] };
  const deferred = [];
  const tracker = createCursorTracker({
    delayMs: 120,
    timers,
    request: (t, token) => {
      calls.requests.push(t.at);
      calls.tokens.push(token);
      const a = answer(t);
      if (a === 'defer') return new Promise((resolve, reject) => deferred.push({ resolve, reject, t }));
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    },
    render: (t, result) => calls.renders.push({ at: t.at, result }),
    erase: () => { calls.erases += 1; },
  });
  return { tracker, timers, calls, deferred };
}

test('a burst of cursor moves makes one request, after the delay, for the last position', async () => {
  const { tracker, timers, calls } = setup();
  tracker.settle({ at: 1 });
  timers.advance(50);
  tracker.settle({ at: 2 });
  timers.advance(50);
  tracker.settle({ at: 3 });
  timers.advance(119);
  assert.deepEqual(calls.requests, []);
  timers.advance(1);
  await flush();
  assert.deepEqual(calls.requests, [3]);
  assert.deepEqual(calls.renders, [{ at: 3, result: [{ kind: 'live', at: 3 }] }]);
  assert.equal(tracker.pending, false);
});

test('a request overtaken by a newer cursor position is cancelled and its answer not drawn', async () => {
  const { tracker, timers, calls, deferred } = setup(() => 'defer');
  tracker.settle({ at: 1 });
  timers.advance(120);
  assert.equal(deferred.length, 1);
  tracker.settle({ at: 2 });
  assert.equal(calls.tokens[0].isCancellationRequested, true, 'the stale request is cancelled');
  timers.advance(120);
  deferred[1].resolve(['second']);
  deferred[0].resolve(['first, late']);
  await flush();
  assert.deepEqual(calls.renders, [{ at: 2, result: ['second'] }]);
});

test('clear() (the document changed) drops the pending request and erases what is drawn', async () => {
  const { tracker, timers, calls, deferred } = setup(() => 'defer');
  tracker.settle({ at: 1 });
  timers.advance(120);
  deferred[0].resolve(['drawn']);
  await flush();
  assert.equal(calls.renders.length, 1);
  tracker.settle({ at: 2 });
  timers.advance(120);
  tracker.clear();
  assert.equal(calls.erases, 1);
  deferred[1].resolve(['stale']);
  await flush();
  assert.equal(calls.renders.length, 1, 'nothing is drawn after clear()');
  tracker.settle({ at: 3 });
  tracker.clear();
  assert.equal(timers.count, 0, 'the delay is stopped');
});

test('a failed request erases the old drawing and reports the error', async () => {
  const errors = [];
  const timers = fakeTimers();
  let erased = 0;
  let n = 0;
  const tracker = createCursorTracker({
    delayMs: 10, timers,
    request: () => (++n === 1 ? Promise.resolve(['ok']) : Promise.reject(new Error('server gone'))),
    render: () => {}, erase: () => { erased += 1; }, onError: (e) => errors.push(e.message),
  });
  tracker.settle({});
  timers.advance(10);
  await flush();
  tracker.settle({});
  timers.advance(10);
  await flush();
  assert.equal(erased, 1);
  assert.deepEqual(errors, ['server gone']);
});

test('setDelay changes the delay of the next settle', async () => {
  const { tracker, timers, calls } = setup();
  tracker.setDelay(300);
  tracker.settle({ at: 1 });
  timers.advance(299);
  assert.equal(calls.requests.length, 0);
  timers.advance(1);
  assert.equal(calls.requests.length, 1);
});
