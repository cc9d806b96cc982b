'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { KINDS, mapOwnership, countRanges, isValidRange, decorationStyles, ownershipParams } = require('../src/decorations');

const r = (l1, c1, l2, c2) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

test('each kind goes to its own list, with its message as hover text', () => {
  const byKind = mapOwnership([
    { kind: 'live', range: r(9, 7, 11, 22), message: '"who" is live from its definition to its last use' },
    { kind: 'move', range: r(10, 23, 10, 26), message: '"who" moves into main.greet' },
    { kind: 'borrow', range: r(9, 14, 9, 20), message: '"who": borrowed for this call' },
    { kind: 'drop', range: r(11, 25, 11, 26), message: '"who" is dropped at the end of its scope' },
    { kind: 'conflict', range: r(11, 20, 11, 23), message: 'X07-MOVE-0901: use after move: "who"' },
  ]);
  assert.deepEqual(Object.keys(byKind), [...KINDS]);
  assert.deepEqual(byKind.move, [{ range: r(10, 23, 10, 26), hoverMessage: '"who" moves into main.greet' }]);
  assert.equal(byKind.conflict[0].hoverMessage, 'X07-MOVE-0901: use after move: "who"');
  assert.equal(countRanges(byKind), 5);
});

test('unknown kinds, malformed items and invalid ranges are dropped', () => {
  const byKind = mapOwnership([
    { kind: 'teleport', range: r(0, 0, 0, 1), message: 'x' },
    null,
    'live',
    { kind: 'live', range: r(3, 5, 2, 0), message: 'ends before it starts' },
    { kind: 'live', range: r(1, 4, 1, 2), message: 'same line, backwards' },
    { kind: 'move', range: { start: { line: -1, character: 0 }, end: { line: 0, character: 1 } }, message: 'negative' },
    { kind: 'move', range: { start: { line: 0.5, character: 0 }, end: { line: 1, character: 1 } }, message: 'fraction' },
    { kind: 'drop', range: { start: { line: 0 } }, message: 'incomplete' },
    { kind: 'drop', message: 'no range' },
    { kind: 'borrow', range: r(2, 3, 2, 3), message: 42 },
  ]);
  assert.equal(countRanges(byKind), 1);
  assert.deepEqual(byKind.borrow, [{ range: r(2, 3, 2, 3), hoverMessage: '' }], 'an empty range is valid; a non-string message becomes empty');
});

test('an answer that is not a list (null, an error object) draws nothing', () => {
  for (const answer of [null, undefined, {}, 'x', 3]) assert.equal(countRanges(mapOwnership(answer)), 0);
});

test('isValidRange', () => {
  assert.ok(isValidRange(r(0, 0, 0, 0)));
  assert.ok(isValidRange(r(0, 9, 1, 0)));
  assert.ok(!isValidRange(r(1, 0, 0, 9)));
  assert.ok(!isValidRange(null));
  assert.ok(!isValidRange({ start: { line: '1', character: 0 }, end: { line: 1, character: 0 } }));
});

test('the kinds look different: move says "→ moved", drop "dropped", conflict is wavy', () => {
  const styles = decorationStyles((id) => ({ color: id }), { Left: 1, Center: 2, Right: 4, Full: 7 }, { ClosedClosed: 1 });
  assert.deepEqual(Object.keys(styles), [...KINDS]);
  assert.match(styles.move.after.contentText, /→ moved/);
  assert.match(styles.drop.after.contentText, /dropped/);
  assert.match(styles.conflict.textDecoration, /wavy/);
  assert.equal(styles.borrow.borderColor.color, 'custody.ownership.borrow');
  assert.notDeepEqual(styles.borrow.borderColor, styles.move.borderColor);
  const colours = KINDS.map((k) => JSON.stringify(styles[k]));
  assert.equal(new Set(colours).size, KINDS.length);
});

test('ownershipParams is the request the server expects', () => {
  assert.deepEqual(ownershipParams('file:///a.x07t', { line: 3, character: 7, extra: 1 }),
    { textDocument: { uri: 'file:///a.x07t' }, position: { line: 3, character: 7 } });
});
