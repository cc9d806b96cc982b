'use strict';
/**
 * The answer of `custody/ownership` -> what to draw. Pure: no `vscode` here.
 *
 * The server answers `[{kind, range, message}]` for the binding under the cursor (see
 * server/lsp/cursor.py); `mapOwnership` sorts them into one list per kind, drops kinds it does
 * not know and ranges that are not well-formed, and turns each message into hover text.
 */

const KINDS = Object.freeze(['live', 'borrow', 'move', 'drop', 'conflict']);
const METHOD = 'custody/ownership';

function isPosition(p) {
  return (
    p !== null && typeof p === 'object' &&
    Number.isInteger(p.line) && p.line >= 0 &&
    Number.isInteger(p.character) && p.character >= 0
  );
}

/** A well-formed LSP range whose start is not after its end. */
function isValidRange(r) {
  if (r === null || typeof r !== 'object' || !isPosition(r.start) || !isPosition(r.end)) return false;
  return r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
}

/** @returns {Record<string, Array<{range: object, hoverMessage: string}>>} one (empty) list per kind */
function emptyByKind() {
  const out = {};
  for (const k of KINDS) out[k] = [];
  return out;
}

/**
 * @param {unknown} items the request's result
 * @returns {Record<string, Array<{range: {start: {line: number, character: number}, end: {line: number, character: number}}, hoverMessage: string}>>}
 */
function mapOwnership(items) {
  const out = emptyByKind();
  if (!Array.isArray(items)) return out;
  for (const item of items) {
    if (item === null || typeof item !== 'object' || !KINDS.includes(item.kind) || !isValidRange(item.range)) continue;
    const { start, end } = item.range;
    out[item.kind].push({
      range: { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } },
      hoverMessage: typeof item.message === 'string' ? item.message : '',
    });
  }
  return out;
}

/** How many ranges in total (0: the cursor is on no binding). */
function countRanges(byKind) {
  return KINDS.reduce((n, k) => n + (byKind[k] ? byKind[k].length : 0), 0);
}

/**
 * The look of each kind, as options for `window.createTextEditorDecorationType`.
 * @param {(id: string) => any} color   makes a theme colour (`id => new vscode.ThemeColor(id)`)
 * @param {{Left: number, Center: number, Right: number, Full: number}} lanes  vscode.OverviewRulerLane
 * @param {{ClosedClosed: number}} rangeBehavior  vscode.DecorationRangeBehavior
 */
function decorationStyles(color, lanes, rangeBehavior) {
  const c = (kind) => color(`custody.ownership.${kind}`);
  const base = { rangeBehavior: rangeBehavior.ClosedClosed };
  return {
    live: { ...base, backgroundColor: c('live') },
    borrow: {
      ...base,
      borderStyle: 'solid', borderWidth: '0 0 2px 0', borderColor: c('borrow'),
      overviewRulerColor: c('borrow'), overviewRulerLane: lanes.Center,
    },
    move: {
      ...base,
      borderStyle: 'solid', borderWidth: '0 0 2px 0', borderColor: c('move'),
      overviewRulerColor: c('move'), overviewRulerLane: lanes.Center,
      after: { contentText: ' → moved', color: c('move'), fontStyle: 'italic', margin: '0 0 0 0.2em' },
    },
    drop: {
      ...base,
      after: { contentText: ' dropped', color: c('drop'), fontStyle: 'italic', margin: '0 0 0 0.2em' },
    },
    conflict: {
      ...base,
      borderStyle: 'solid', borderWidth: '1px', borderRadius: '2px', borderColor: c('conflict'),
      textDecoration: 'underline wavy',
      overviewRulerColor: c('conflict'), overviewRulerLane: lanes.Right,
    },
  };
}

/** The request's params for a document and a cursor position. */
function ownershipParams(uri, position) {
  return { textDocument: { uri: String(uri) }, position: { line: position.line, character: position.character } };
}

module.exports = { KINDS, METHOD, isValidRange, mapOwnership, countRanges, emptyByKind, decorationStyles, ownershipParams };
