'use strict';
/**
 * Which documents are X07: the two language ids this extension contributes, and, whatever
 * language id a document has, the two file name endings (as the server decides too).
 */

const LANGUAGE_IDS = Object.freeze(['x07text', 'x07json']);
const FILE_PATTERNS = Object.freeze(['**/*.x07t', '**/*.x07.json']);

/** The language client's document selector: both languages and both file patterns. */
function documentSelector() {
  return [
    ...LANGUAGE_IDS.map((language) => ({ language })),
    ...FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
  ];
}

/**
 * @param {{languageId?: string, fileName?: string, uri?: {path?: string}} | undefined} doc
 * @returns {boolean}
 */
function isX07Document(doc) {
  if (!doc) return false;
  if (LANGUAGE_IDS.includes(doc.languageId)) return true;
  const name = doc.fileName || (doc.uri && doc.uri.path) || '';
  return name.endsWith('.x07t') || name.endsWith('.x07.json');
}

module.exports = { LANGUAGE_IDS, FILE_PATTERNS, documentSelector, isX07Document };
