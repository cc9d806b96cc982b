'use strict';
/**
 * What to say when the server cannot start or exits at once, and when to stop restarting it.
 * Pure: the language client's enums are injected.
 */

const INSTALL_HINT =
  'Install custody with `pip install -e .` in the custody checkout (it puts `custody` in that ' +
  "environment's bin directory), or set `custody.server.command` (e.g. " +
  '["/path/to/custody/.venv/bin/custody", "lsp"]) or `custody.server.pythonPath` ' +
  '(a Python that has custody installed).';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_LOG = 'Show Log';

function commandLine(cmd) {
  return [cmd.command, ...cmd.args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

function errorText(error) {
  if (error === undefined || error === null) return '';
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && typeof error.message === 'string') return error.message;
  return String(error);
}

/**
 * @param {unknown} error why `client.start()` failed (vscode-languageclient rejects with a string
 *   like "Launching server using command custody failed. Error: spawn custody ENOENT")
 * @param {{command: string, args: string[], source: string}} cmd the command that was run
 * @returns {{missing: boolean, message: string}}
 */
function describeStartFailure(error, cmd) {
  const text = errorText(error);
  const code = error && typeof error === 'object' ? error.code : undefined;
  const missing = code === 'ENOENT' || /\bENOENT\b/.test(text) || /\bEACCES\b/.test(text);
  const setting = `custody.${cmd.source}`;
  if (missing) {
    return {
      missing: true,
      message: `custody: could not start the language server: \`${cmd.command}\` (from \`${setting}\`) was not found or is not executable. ${INSTALL_HINT}`,
    };
  }
  const detail = text ? ` (${text.replace(/\s+/g, ' ').trim()})` : '';
  return {
    missing: false,
    message: `custody: the language server \`${commandLine(cmd)}\` exited as soon as it started${detail}. ` +
      `Its output is in the "custody" log. ${INSTALL_HINT}`,
  };
}

/**
 * An error handler for the language client: a server that closes within `earlyMs` of its
 * (re)start is not restarted (`onEarlyExit` tells the user why); one that dies later is restarted
 * up to `maxRestarts` times in `windowMs`.
 * @param {{
 *   ErrorAction: {Continue: any, Shutdown: any}, CloseAction: {DoNotRestart: any, Restart: any},
 *   now?: () => number, earlyMs?: number, maxRestarts?: number, windowMs?: number,
 *   onEarlyExit: () => void, onGiveUp?: () => void,
 * }} deps
 */
function createErrorHandler(deps) {
  const now = deps.now || Date.now;
  const earlyMs = deps.earlyMs === undefined ? 3000 : deps.earlyMs;
  const maxRestarts = deps.maxRestarts === undefined ? 4 : deps.maxRestarts;
  const windowMs = deps.windowMs === undefined ? 180000 : deps.windowMs;
  let startedAt = now();
  let restarts = [];
  return {
    /** call when the client (re)starts the server */
    started() { startedAt = now(); },
    error(_error, _message, count) {
      return { action: count && count > 3 ? deps.ErrorAction.Shutdown : deps.ErrorAction.Continue };
    },
    closed() {
      const t = now();
      if (t - startedAt < earlyMs) {
        deps.onEarlyExit();
        return { action: deps.CloseAction.DoNotRestart, handled: true };
      }
      restarts = restarts.filter((r) => t - r < windowMs);
      if (restarts.length >= maxRestarts) {
        if (deps.onGiveUp) deps.onGiveUp();
        return { action: deps.CloseAction.DoNotRestart, handled: Boolean(deps.onGiveUp) };
      }
      restarts.push(t);
      startedAt = t;
      return { action: deps.CloseAction.Restart, handled: true };
    },
  };
}

module.exports = { INSTALL_HINT, OPEN_SETTINGS, SHOW_LOG, commandLine, describeStartFailure, createErrorHandler };
