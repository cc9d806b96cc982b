'use strict';
/**
 * Which documents are custody's. X07, Kea and Janus always: the language ids this extension
 * contributes (`x07text`, `x07json`, `kea`, `janus`), and, whatever language id a document has,
 * their file name endings (`.x07t`, `.x07.json`, `.kea`, `.jan`; the server decides by name too,
 * and ignores a document no front-end of it handles). C only when the user
 * turned it on (`custody.c.enable`): the language id `c` (owned by VS Code / clangd / the C/C++
 * extension, never contributed here) and the `.c` / `.h` endings (VS Code gives `.h` files the
 * language id `cpp`, so the ending must decide for headers).
 *
 * Only X07 programs can be run (`custody run`); Kea and Janus files get everything else X07 files
 * get.
 * `options.c` says whether C is on; everything else about C stays with the other C extensions.
 */

const X07_LANGUAGE_IDS = Object.freeze(['x07text', 'x07json']);
const X07_FILE_PATTERNS = Object.freeze(['**/*.x07t', '**/*.x07.json']);
const X07_ENDINGS = Object.freeze(['.x07t', '.x07.json']);

const KEA_LANGUAGE_IDS = Object.freeze(['kea']);
const KEA_FILE_PATTERNS = Object.freeze(['**/*.kea']);
const KEA_ENDINGS = Object.freeze(['.kea']);

const JANUS_LANGUAGE_IDS = Object.freeze(['janus']);
const JANUS_FILE_PATTERNS = Object.freeze(['**/*.jan']);
const JANUS_ENDINGS = Object.freeze(['.jan']);

/** The languages custody always covers (X07, Kea and Janus). */
const LANGUAGE_IDS = Object.freeze([...X07_LANGUAGE_IDS, ...KEA_LANGUAGE_IDS, ...JANUS_LANGUAGE_IDS]);
const FILE_PATTERNS = Object.freeze([...X07_FILE_PATTERNS, ...KEA_FILE_PATTERNS, ...JANUS_FILE_PATTERNS]);
const ENDINGS = Object.freeze([...X07_ENDINGS, ...KEA_ENDINGS, ...JANUS_ENDINGS]);
/** One glob for all files custody always covers (vscode.workspace.findFiles). */
const SOURCE_GLOB = '**/*.{x07t,x07.json,kea,jan}';
/** Kept for older callers: the same glob (X07, Kea and Janus). */
const X07_GLOB = SOURCE_GLOB;

const C_LANGUAGE_IDS = Object.freeze(['c']);
const C_FILE_PATTERNS = Object.freeze(['**/*.c', '**/*.h']);
const C_ENDINGS = Object.freeze(['.c', '.h']);

/**
 * The language client's document selector: the X07, Kea and Janus languages and file patterns, and, when
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
  if (X07_LANGUAGE_IDS.includes(doc.languageId)) return true;
  const name = nameOf(doc);
  return X07_ENDINGS.some((e) => name.endsWith(e));
}

/**
 * A Kea document (`.kea`, language id `kea`).
 * @param {{languageId?: string, fileName?: string, uri?: {path?: string}} | undefined} doc
 * @returns {boolean}
 */
function isKeaDocument(doc) {
  if (!doc) return false;
  if (KEA_LANGUAGE_IDS.includes(doc.languageId)) return true;
  const name = nameOf(doc);
  return KEA_ENDINGS.some((e) => name.endsWith(e));
}

/**
 * A Janus document (`.jan`, language id `janus`).
 * @param {{languageId?: string, fileName?: string, uri?: {path?: string}} | undefined} doc
 * @returns {boolean}
 */
function isJanusDocument(doc) {
  if (!doc) return false;
  if (JANUS_LANGUAGE_IDS.includes(doc.languageId)) return true;
  const name = nameOf(doc);
  return JANUS_ENDINGS.some((e) => name.endsWith(e));
}

/**
 * A document custody always analyses, whatever the C setting: X07, Kea or Janus.
 * @param {{languageId?: string, fileName?: string, uri?: {path?: string}} | undefined} doc
 * @returns {boolean}
 */
function isAlwaysCustodyDocument(doc) {
  return isX07Document(doc) || isKeaDocument(doc) || isJanusDocument(doc);
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
 * A document custody handles with these options: X07, Kea and Janus always, C when `options.c`. The same
 * documents the selector of `documentSelector(options)` covers.
 * @param {{languageId?: string, fileName?: string, uri?: {path?: string}} | undefined} doc
 * @param {{c?: boolean}} [options]
 * @returns {boolean}
 */
function isCustodyDocument(doc, options = {}) {
  return isAlwaysCustodyDocument(doc) || (Boolean(options.c) && isCDocument(doc));
}

module.exports = {
  LANGUAGE_IDS,
  FILE_PATTERNS,
  ENDINGS,
  X07_LANGUAGE_IDS,
  X07_FILE_PATTERNS,
  KEA_LANGUAGE_IDS,
  KEA_FILE_PATTERNS,
  JANUS_LANGUAGE_IDS,
  JANUS_FILE_PATTERNS,
  SOURCE_GLOB,
  X07_GLOB,
  C_LANGUAGE_IDS,
  C_FILE_PATTERNS,
  documentSelector,
  isX07Document,
  isKeaDocument,
  isJanusDocument,
  isAlwaysCustodyDocument,
  isCDocument,
  isCustodyDocument,
};
