'use strict';
/**
 * Which documents are custody's. X07 always: the two language ids this extension contributes,
 * and, whatever language id a document has, the two file name endings (as the server decides
 * too). C only when the user turned it on (`custody.c.enable`): the language id `c` (owned by
 * VS Code / clangd / the C/C++ extension, never contributed here) and the `.c` / `.h` endings
 * (VS Code gives `.h` files the language id `cpp`, so the ending must decide for headers).
 *
 * `options.c` says whether C is on; everything else about C stays with the other C extensions.
 */

const LANGUAGE_IDS = Object.freeze(['x07text', 'x07json']);
const FILE_PATTERNS = Object.freeze(['**/*.x07t', '**/*.x07.json']);
const X07_ENDINGS = Object.freeze(['.x07t', '.x07.json']);
/** One glob for all X07 files (vscode.workspace.findFiles). */
const X07_GLOB = '**/*.{x07t,x07.json}';

const C_LANGUAGE_IDS = Object.freeze(['c']);
const C_FILE_PATTERNS = Object.freeze(['**/*.c', '**/*.h']);
const C_ENDINGS = Object.freeze(['.c', '.h']);

/**
 * The language client's document selector: the X07 languages and file patterns, and, when
 * `options.c`, the `c` language id and the `.c` / `.h` file patterns.
 * @param {{c?: boolean}} [options]
 */
function documentSelector(options = {}) {
  const ids = options.c ? [...LANGUAGE_IDS, ...C_LANGUAGE_IDS] : LANGUAGE_IDS;
  const patterns = options.c ? [...FILE_PATTERNS, ...C_FILE_PATTERNS] : FILE_PATTERNS;
  return [
    ...ids.map((language) => ({ language })),
    ...patterns.map((pattern) => ({ scheme: 'file', pattern })),
  ];
}

function nameOf(doc) {
  return doc.fileName || (doc.uri && doc.uri.path) || '';
}

/**
 * An X07 document (what `custody run` can run), whatever the C setting.
 * @param {{languageId?: string, fileName?: string, uri?: {path?: string}} | undefined} doc
 * @returns {boolean}
 */
function isX07Document(doc) {
  if (!doc) return false;
  if (LANGUAGE_IDS.includes(doc.languageId)) return true;
  const name = nameOf(doc);
  return X07_ENDINGS.some((e) => name.endsWith(e));
}

/**
 * A C document custody would analyse if C were on (language id `c`, or a `.c` / `.h` file).
 * @param {{languageId?: string, fileName?: string, uri?: {path?: string}} | undefined} doc
 * @returns {boolean}
 */
function isCDocument(doc) {
  if (!doc) return false;
  if (C_LANGUAGE_IDS.includes(doc.languageId)) return true;
  const name = nameOf(doc);
  return C_ENDINGS.some((e) => name.endsWith(e));
}

/**
 * A document custody handles with these options: X07 always, C when `options.c`. The same
 * documents the selector of `documentSelector(options)` covers.
 * @param {{languageId?: string, fileName?: string, uri?: {path?: string}} | undefined} doc
 * @param {{c?: boolean}} [options]
 * @returns {boolean}
 */
function isCustodyDocument(doc, options = {}) {
  return isX07Document(doc) || (Boolean(options.c) && isCDocument(doc));
}

module.exports = {
  LANGUAGE_IDS,
  FILE_PATTERNS,
  X07_GLOB,
  C_LANGUAGE_IDS,
  C_FILE_PATTERNS,
  documentSelector,
  isX07Document,
  isCDocument,
  isCustodyDocument,
};
