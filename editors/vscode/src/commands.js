'use strict';
/**
 * The extension's commands. `vscode` and the language client are injected, so the wiring can be
 * tested with fakes.
 */
const { isX07Document, isCustodyDocument } = require('./languages');
const { KINDS, METHOD, mapOwnership, countRanges, ownershipParams } = require('./decorations');

const COMMANDS = Object.freeze({
  restartServer: 'custody.restartServer',
  runWithOwnershipChecks: 'custody.runWithOwnershipChecks',
  showOwnershipOfSymbol: 'custody.showOwnershipOfSymbol',
});
const SERVER_RUN_COMMAND = 'custody.run';
const EXECUTE_COMMAND = 'workspace/executeCommand';
const NOT_RUNNING = 'custody: the language server is not running. Run "custody: Restart Language Server"; if it fails to start, see the "custody" log.';

function where(range) {
  return `${range.start.line + 1}:${range.start.character + 1}`;
}

/**
 * A run report (server/lsp/run_lens.py: the JSON of `custody run --format json`) as lines of text.
 * @param {any} report
 * @param {{file: string, entry: string | null, input: string}} what
 * @returns {string[]}
 */
function formatRunReport(report, what) {
  const lines = [`custody run ${what.file} (${what.entry || 'solve'}), input ${JSON.stringify(what.input)}`];
  if (!report || typeof report !== 'object') {
    lines.push('  the server returned no report');
    return lines;
  }
  if (typeof report.output_text === 'string') {
    lines.push(`  output: ${JSON.stringify(report.output_text)}`);
  } else if (typeof report.output_hex === 'string') {
    lines.push(`  output (hex): ${report.output_hex}`);
  }
  if (report.trap) {
    const at = report.trap.range ? ` at ${where(report.trap.range)}` : '';
    lines.push(`  trap${report.trap.code ? ` ${report.trap.code}` : ''}${at}: ${report.trap.message}`);
  }
  const stats = report.mem_stats || {};
  if (stats.peak_live_bytes !== undefined) {
    lines.push(`  peak memory: ${stats.peak_live_bytes} bytes in ${stats.peak_live_allocs ?? '?'} allocation(s)`);
  }
  if (report.leak_free === true) lines.push('  leak-free');
  else if (report.leak_free === false) lines.push(`  LEAKED ${stats.live_bytes ?? '?'} bytes in ${stats.live_allocs ?? '?'} allocation(s)`);
  const violations = Array.isArray(report.borrow_violations) ? report.borrow_violations : [];
  if (violations.length === 0) lines.push('  no borrow violations');
  for (const v of violations) lines.push(`  borrow violation${v.range ? ` at ${where(v.range)}` : ''}: ${v.message}`);
  if (report.fuel_used !== undefined) lines.push(`  fuel used: ${report.fuel_used}`);
  for (const d of Array.isArray(report.diagnostics) ? report.diagnostics : []) {
    lines.push(`  ${d.range ? where(d.range) : '?'}: ${d.severity || 'note'}[${d.code}]: ${d.message}`);
  }
  lines.push(report.ok ? '  => ok' : '  => not ok (see above)');
  return lines;
}

/**
 * @param {{
 *   vscode: any,
 *   getClient: () => any,           // the running LanguageClient, or undefined
 *   restart: () => Promise<void>,
 *   output: {appendLine(s: string): void, show(preserveFocus?: boolean): void},
 *   languageOptions?: () => {c?: boolean},   // which documents are custody's (C on or off)
 * }} deps
 * @returns {Record<string, (...args: any[]) => Promise<any>>} command id -> handler
 */
function createCommands(deps) {
  const { vscode, output } = deps;
  let lastInput = '';

  const languageOptions = deps.languageOptions || (() => ({}));

  /** The active editor if it shows an X07 program (only X07 programs can be run). */
  function x07Editor() {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isX07Document(editor.document)) {
      vscode.window.showWarningMessage('custody: open an X07 file (.x07t or .x07.json) and put the cursor in it first (custody runs only X07 programs).');
      return undefined;
    }
    return editor;
  }

  /** The active editor if it shows a document custody analyses (X07, Kea, Janus; C when custody.c.enable). */
  function custodyEditor() {
    const editor = vscode.window.activeTextEditor;
    const options = languageOptions();
    if (!editor || !isCustodyDocument(editor.document, options)) {
      vscode.window.showWarningMessage(options.c
        ? 'custody: open an X07 file (.x07t or .x07.json), a Kea file (.kea), a Janus file (.jan) or a C file (.c or .h) and put the cursor in it first.'
        : 'custody: open an X07 file (.x07t or .x07.json), a Kea file (.kea) or a Janus file (.jan) and put the cursor in it first (for C files, turn on custody.c.enable).');
      return undefined;
    }
    return editor;
  }

  function runningClient() {
    const client = deps.getClient();
    if (!client) vscode.window.showErrorMessage(NOT_RUNNING);
    return client;
  }

  async function runWithOwnershipChecks(uriArg, entryArg, inputArg) {
    let uri = typeof uriArg === 'string' ? uriArg : uriArg && typeof uriArg.toString === 'function' && uriArg.scheme ? uriArg.toString() : undefined;
    let file = uri;
    if (uri === undefined) {
      const editor = x07Editor();
      if (!editor) return undefined;
      uri = editor.document.uri.toString();
      file = editor.document.fileName || uri;
    }
    const client = runningClient();
    if (!client) return undefined;
    const entry = typeof entryArg === 'string' && entryArg !== '' ? entryArg : null;
    let input = inputArg;
    if (typeof input !== 'string') {
      input = await vscode.window.showInputBox({
        title: `custody: run ${entry || 'solve'} with ownership checks`,
        prompt: 'The input given to the program, as text (empty for none)',
        value: lastInput,
      });
      if (input === undefined) return undefined;   // cancelled
      lastInput = input;
    }
    let report;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `custody: running ${entry || 'solve'} with ownership checks…` },
        () => client.sendRequest(EXECUTE_COMMAND, { command: SERVER_RUN_COMMAND, arguments: [uri, entry, input] }),
      );
    } catch (e) {
      const msg = e && e.message ? e.message : String(e);
      output.appendLine(`custody run ${file}: failed: ${msg}`);
      vscode.window.showErrorMessage(`custody: the run failed: ${msg}`);
      return undefined;
    }
    for (const line of formatRunReport(report, { file, entry, input })) output.appendLine(line);
    output.show(true);
    return report;
  }

  async function showOwnershipOfSymbol() {
    const editor = custodyEditor();
    if (!editor) return undefined;
    const client = runningClient();
    if (!client) return undefined;
    const pos = editor.selection.active;
    let result;
    try {
      result = await client.sendRequest(METHOD, ownershipParams(editor.document.uri.toString(), pos));
    } catch (e) {
      vscode.window.showErrorMessage(`custody: ${METHOD} failed: ${e && e.message ? e.message : e}`);
      return undefined;
    }
    const byKind = mapOwnership(result);
    if (countRanges(byKind) === 0) {
      vscode.window.showInformationMessage('custody: the cursor is not on a binding (a parameter or a local: a name bound by let in X07, Kea or Janus, a variable in C).');
      return [];
    }
    const picks = [];
    for (const kind of KINDS) {
      for (const d of byKind[kind]) {
        picks.push({ label: kind, description: `line ${where(d.range)}`, detail: d.hoverMessage, range: d.range });
      }
    }
    picks.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    output.appendLine(`custody/ownership at ${editor.document.fileName || editor.document.uri}:${pos.line + 1}:${pos.character + 1}`);
    for (const p of picks) output.appendLine(`  ${p.description} ${p.label}: ${p.detail}`);
    const chosen = await vscode.window.showQuickPick(picks, { title: 'custody: ownership of the binding at the cursor', matchOnDetail: true });
    if (chosen) {
      const r = chosen.range;
      const range = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
      editor.selection = new vscode.Selection(range.start, range.end);
      editor.revealRange(range);
    }
    return picks;
  }

  return {
    [COMMANDS.restartServer]: () => deps.restart(),
    [COMMANDS.runWithOwnershipChecks]: runWithOwnershipChecks,
    [COMMANDS.showOwnershipOfSymbol]: showOwnershipOfSymbol,
  };
}

/**
 * The server's run code lens carries the server command `custody.run`; run as it is, VS Code would
 * send it straight to the server (vscode-languageclient registers the server's commands) and throw
 * the report away. So each such lens is pointed at the extension's own command, which asks for the
 * input and shows the report, with the same arguments ([uri, entry]). Other lenses are unchanged.
 * @param {any[] | null | undefined} lenses code lenses as the language client returns them
 * @returns {any[] | null | undefined}
 */
function retargetRunLenses(lenses) {
  if (!Array.isArray(lenses)) return lenses;
  for (const lens of lenses) {
    if (lens && lens.command && lens.command.command === SERVER_RUN_COMMAND) {
      lens.command = { ...lens.command, command: COMMANDS.runWithOwnershipChecks };
    }
  }
  return lenses;
}

module.exports = { COMMANDS, SERVER_RUN_COMMAND, EXECUTE_COMMAND, NOT_RUNNING, formatRunReport, createCommands, retargetRunLenses };
