'use strict';
/**
 * Settings -> how to start the server and what to tell it. Pure: `config` is anything with
 * `get(key)` (a vscode.WorkspaceConfiguration for section "custody", or a fake in tests).
 */

/** The keys the server reads (server/lsp/settings.py), each contributed as `custody.<key>`. */
const SERVER_SETTING_KEYS = Object.freeze(['stdlibRoot', 'moduleRoots', 'inlayHints', 'severity', 'debounceMs']);
const INLAY_KINDS = Object.freeze(['drops', 'moves', 'borrows', 'defers']);
const SEVERITIES = Object.freeze(['error', 'warning', 'information', 'hint', 'off']);
const DEFAULT_COMMAND = Object.freeze(['custody', 'lsp']);
/** Settings whose change needs a new server process (the others are sent to the running one). */
const RESTART_KEYS = Object.freeze(['server.command', 'server.pythonPath']);
/** Settings that change which documents the client sends (its document selector): a restart. */
const LANGUAGE_KEYS = Object.freeze(['c.enable']);

/**
 * Splits a command line at whitespace; double or single quotes keep spaces in one argument.
 * @param {string} line
 * @returns {string[]}
 */
function splitCommandLine(line) {
  const out = [];
  let cur = '';
  let quote = null;
  let started = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += ch;
      started = true;
    }
  }
  if (started) out.push(cur);
  return out;
}

function substitute(arg, vars) {
  return arg.replace(/\$\{(workspaceFolder|userHome)\}/g, (whole, name) => (vars[name] !== undefined ? vars[name] : whole));
}

/**
 * The server's command line from `custody.server.pythonPath` (wins when set) or
 * `custody.server.command` (an array, or a string split at spaces; default `custody lsp`).
 * @param {{get(key: string): any}} config
 * @param {{workspaceFolder?: string, userHome?: string}} [vars] values for `${workspaceFolder}`, `${userHome}`
 * @returns {{command: string, args: string[], source: 'server.pythonPath' | 'server.command'}}
 */
function serverCommand(config, vars = {}) {
  const python = config.get('server.pythonPath');
  if (typeof python === 'string' && python.trim() !== '') {
    return { command: substitute(python.trim(), vars), args: ['-m', 'custody.cli', 'lsp'], source: 'server.pythonPath' };
  }
  const raw = config.get('server.command');
  let parts;
  if (Array.isArray(raw)) parts = raw.filter((p) => typeof p === 'string');
  else if (typeof raw === 'string') parts = splitCommandLine(raw);
  else parts = [];
  if (parts.length === 0 || parts[0].trim() === '') parts = [...DEFAULT_COMMAND];
  parts = parts.map((p) => substitute(p, vars));
  return { command: parts[0], args: parts.slice(1), source: 'server.command' };
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * What the server is told (initializationOptions, and `settings.custody` of
 * workspace/didChangeConfiguration): only the keys it reads, with values of the right shape.
 * Values of the wrong shape are left out (the server then keeps its current value) and listed
 * in `problems`.
 * @param {{get(key: string): any}} config
 * @returns {{settings: Record<string, any>, problems: string[]}}
 */
function serverSettingsWithProblems(config) {
  const settings = {};
  const problems = [];
  const stdlib = config.get('stdlibRoot');
  if (stdlib === undefined || stdlib === null || stdlib === '') settings.stdlibRoot = null;
  else if (typeof stdlib === 'string') settings.stdlibRoot = stdlib;
  else problems.push('custody.stdlibRoot must be a string');

  const roots = config.get('moduleRoots');
  if (roots === undefined || roots === null) settings.moduleRoots = [];
  else if (Array.isArray(roots) && roots.every((r) => typeof r === 'string')) settings.moduleRoots = roots.filter((r) => r !== '');
  else problems.push('custody.moduleRoots must be a list of paths');

  const inlay = config.get('inlayHints');
  settings.inlayHints = { drops: true, moves: true, borrows: true, defers: true };
  if (isPlainObject(inlay)) {
    for (const [k, on] of Object.entries(inlay)) {
      if (INLAY_KINDS.includes(k) && typeof on === 'boolean') settings.inlayHints[k] = on;
      else problems.push(`custody.inlayHints.${k}: expected one of ${INLAY_KINDS.join(', ')} with true or false`);
    }
  } else if (inlay !== undefined && inlay !== null) {
    problems.push('custody.inlayHints must be an object like {"drops": true, "moves": true, "borrows": true, "defers": true}');
  }

  const severity = config.get('severity');
  settings.severity = {};
  if (isPlainObject(severity)) {
    for (const [code, sev] of Object.entries(severity)) {
      if (SEVERITIES.includes(sev)) settings.severity[code] = sev;
      else problems.push(`custody.severity.${code}: expected one of ${SEVERITIES.join(', ')}`);
    }
  } else if (severity !== undefined && severity !== null) {
    problems.push('custody.severity must be an object mapping codes to severities');
  }

  const debounce = config.get('debounceMs');
  if (debounce === undefined || debounce === null) settings.debounceMs = 1;
  else if (Number.isInteger(debounce) && debounce >= 0 && debounce <= 2000) settings.debounceMs = debounce;
  else problems.push('custody.debounceMs must be an integer from 0 to 2000');
  return { settings, problems };
}

/** @param {{get(key: string): any}} config */
function serverSettings(config) {
  return serverSettingsWithProblems(config).settings;
}

/** The client-side cursor decoration settings. */
function decorationSettings(config) {
  const enabled = config.get('cursorDecorations.enabled');
  const delay = config.get('cursorDecorations.delayMs');
  return {
    enabled: enabled !== false,
    delayMs: Number.isInteger(delay) && delay >= 0 && delay <= 2000 ? delay : 120,
  };
}

/**
 * Is C on (`custody.c.enable`)? Only `true` turns it on.
 * @param {{get(key: string): any}} config
 */
function cEnabled(config) {
  return config.get('c.enable') === true;
}

/**
 * @param {{affectsConfiguration(section: string): boolean}} event a ConfigurationChangeEvent
 * @returns {{restart: boolean, notify: boolean, decorations: boolean, languages: boolean}}
 *   `languages`: the documents custody covers changed (the client is restarted with a new selector)
 */
function classifyChange(event) {
  const languages = LANGUAGE_KEYS.some((k) => event.affectsConfiguration(`custody.${k}`));
  return {
    restart: languages || RESTART_KEYS.some((k) => event.affectsConfiguration(`custody.${k}`)),
    notify: SERVER_SETTING_KEYS.some((k) => event.affectsConfiguration(`custody.${k}`)),
    decorations: event.affectsConfiguration('custody.cursorDecorations'),
    languages,
  };
}

module.exports = {
  SERVER_SETTING_KEYS,
  INLAY_KINDS,
  SEVERITIES,
  DEFAULT_COMMAND,
  RESTART_KEYS,
  LANGUAGE_KEYS,
  splitCommandLine,
  serverCommand,
  serverSettings,
  serverSettingsWithProblems,
  decorationSettings,
  cEnabled,
  classifyChange,
};
