'use strict';
/**
 * The extension's life: start the language client, forward settings, draw cursor decorations,
 * register commands. `vscode`, the language client module and `os.homedir` are injected
 * (src/extension.js passes the real ones; the tests pass fakes).
 */
const { documentSelector, isAlwaysCustodyDocument, isCustodyDocument, SOURCE_GLOB } = require('./languages');
const {
  serverCommand, serverSettingsWithProblems, decorationSettings, cEnabled, classifyChange,
} = require('./settings');
const { KINDS, METHOD, mapOwnership, decorationStyles, ownershipParams } = require('./decorations');
const { createCursorTracker } = require('./cursorTracker');
const { OPEN_SETTINGS, SHOW_LOG, describeStartFailure, createErrorHandler } = require('./startup');
const { createCommands, retargetRunLenses } = require('./commands');

/**
 * The server is started only when custody has something to do: C is on (`custody.c.enable`), an
 * X07, Kea or Janus document is open, or the workspace holds such a file; else (e.g. activated by
 * a C file with C off) nothing is started until such a document opens or C is turned on.
 * @param {{vscode: any, lc: any, homedir?: () => string}} env
 * @param {{subscriptions: {dispose(): any}[]}} context
 */
function activateWith(env, context) {
  const { vscode, lc } = env;
  const subs = context.subscriptions;
  const log = vscode.window.createOutputChannel('custody');
  const runOutput = vscode.window.createOutputChannel('custody run');
  subs.push(log, runOutput);

  let client;            // the running client, or undefined
  let starting;          // the promise of the start in progress or done; undefined: not started
  let failureShown = false;

  const config = () => vscode.workspace.getConfiguration('custody');
  const languageOptions = () => ({ c: cEnabled(config()) });
  const isCustody = (doc) => isCustodyDocument(doc, languageOptions());
  const vars = () => {
    const folders = vscode.workspace.workspaceFolders;
    return {
      workspaceFolder: folders && folders.length > 0 ? folders[0].uri.fsPath : undefined,
      userHome: env.homedir ? env.homedir() : undefined,
    };
  };

  function settingsForServer() {
    const { settings, problems } = serverSettingsWithProblems(config());
    for (const p of problems) log.appendLine(`custody settings: ${p} (ignored)`);
    return settings;
  }

  async function tellFailure(message) {
    if (failureShown) return;
    failureShown = true;
    log.appendLine(message);
    const choice = await vscode.window.showErrorMessage(message, OPEN_SETTINGS, SHOW_LOG);
    if (choice === OPEN_SETTINGS) await vscode.commands.executeCommand('workbench.action.openSettings', 'custody.server');
    else if (choice === SHOW_LOG) log.show();
  }

  async function start() {
    const cmd = serverCommand(config(), vars());
    failureShown = false;
    const { workspaceFolder } = vars();
    // No `transport`: with TransportKind.stdio vscode-languageclient appends `--stdio` to the
    // command line, and a server command from the settings (a wrapper script, an older custody)
    // may not take it. Left out, the client still talks over the process's stdin/stdout and runs
    // exactly the command the settings give.
    const exe = {
      command: cmd.command,
      args: cmd.args,
      options: workspaceFolder ? { cwd: workspaceFolder } : {},
    };
    const errorHandler = createErrorHandler({
      ErrorAction: lc.ErrorAction,
      CloseAction: lc.CloseAction,
      onEarlyExit: () => { client = undefined; void tellFailure(describeStartFailure('it closed the connection', cmd).message); },
      onGiveUp: () => { client = undefined; void tellFailure('custody: the language server stopped 5 times in 3 minutes and is not restarted again; see the "custody" log, then run "custody: Restart Language Server".'); },
    });
    const languages = languageOptions();
    const clientOptions = {
      documentSelector: documentSelector(languages),
      initializationOptions: settingsForServer(),
      outputChannel: log,
      errorHandler,
      revealOutputChannelOn: lc.RevealOutputChannelOn ? lc.RevealOutputChannelOn.Never : undefined,
      initializationFailedHandler: () => false,
      middleware: {
        // the run lens runs the extension's command (input box, report in "custody run")
        provideCodeLenses: async (document, token, next) => retargetRunLenses(await next(document, token)),
        resolveCodeLens: async (lens, token, next) => {
          const resolved = await next(lens, token);
          return resolved ? retargetRunLenses([resolved])[0] : resolved;
        },
      },
    };
    log.appendLine(`custody: starting ${[cmd.command, ...cmd.args].join(' ')} (X07, Kea, Janus${languages.c ? ' and C' : ''})`);
    const c = new lc.LanguageClient('custody', 'custody', { run: exe, debug: exe }, clientOptions);
    try {
      await c.start();
      errorHandler.started();
      client = c;
    } catch (e) {
      client = undefined;
      try { await c.dispose(); } catch (_) { /* it never ran */ }
      await tellFailure(describeStartFailure(e, cmd).message);
    }
  }

  async function stop() {
    tracker.clear();
    const c = client;
    client = undefined;
    if (c) {
      try { await c.stop(); } catch (e) { log.appendLine(`custody: stopping the server: ${e && e.message ? e.message : e}`); }
    }
  }

  /** Does custody have something to do here? (see activateWith) */
  async function needed() {
    if (languageOptions().c) return true;
    const docs = vscode.workspace.textDocuments || [];
    if (docs.some(isAlwaysCustodyDocument)) return true;
    if (typeof vscode.workspace.findFiles !== 'function') return false;
    try {
      const found = await vscode.workspace.findFiles(SOURCE_GLOB, undefined, 1);
      return Boolean(found && found.length > 0);
    } catch (e) {
      log.appendLine(`custody: looking for X07, Kea and Janus files failed: ${e && e.message ? e.message : e}`);
      return false;
    }
  }

  function ensureStarted() {
    if (!starting) starting = start();
    return starting;
  }

  /**
   * Stops the server and starts a new one; with `ifNeeded`, only when custody has something to
   * do (a settings change must not start a server that was not needed).
   */
  async function restart({ ifNeeded = false } = {}) {
    if (starting) await starting.catch(() => undefined);
    await stop();
    starting = undefined;
    if (ifNeeded && !(await needed())) {
      log.appendLine('custody: no X07, Kea or Janus file here and C is off (custody.c.enable); the server is not started');
      return;
    }
    await ensureStarted();
  }

  // ---- cursor decorations ----
  const styles = decorationStyles((id) => new vscode.ThemeColor(id), vscode.OverviewRulerLane, vscode.DecorationRangeBehavior);
  const decorationTypes = {};
  for (const kind of KINDS) {
    decorationTypes[kind] = vscode.window.createTextEditorDecorationType(styles[kind]);
    subs.push(decorationTypes[kind]);
  }
  let decoSettings = decorationSettings(config());
  let drawnEditor;

  function eraseEditor(editor) {
    if (!editor) return;
    for (const kind of KINDS) editor.setDecorations(decorationTypes[kind], []);
    if (drawnEditor === editor) drawnEditor = undefined;
  }

  const tracker = createCursorTracker({
    delayMs: decoSettings.delayMs,
    request: (t, token) => (client
      ? client.sendRequest(METHOD, ownershipParams(t.editor.document.uri.toString(), t.position), token)
      : Promise.resolve([])),
    render: (t, result) => {
      if (drawnEditor && drawnEditor !== t.editor) eraseEditor(drawnEditor);
      if (t.editor.document.version !== t.version) { eraseEditor(t.editor); return; }
      const byKind = mapOwnership(result);
      for (const kind of KINDS) {
        t.editor.setDecorations(decorationTypes[kind], byKind[kind].map((d) => ({
          range: new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character),
          hoverMessage: new vscode.MarkdownString().appendText(d.hoverMessage),
        })));
      }
      drawnEditor = t.editor;
    },
    erase: () => eraseEditor(drawnEditor),
    onError: (e) => log.appendLine(`custody: ${METHOD} failed: ${e && e.message ? e.message : e}`),
    cancellation: () => {
      const s = new vscode.CancellationTokenSource();
      return { token: s.token, cancel: () => s.cancel(), dispose: () => s.dispose() };
    },
  });
  subs.push({ dispose: () => tracker.dispose() });

  function cursorSettled(editor) {
    if (!decoSettings.enabled || !editor || !isCustody(editor.document) || editor.selections.length !== 1) {
      tracker.clear();
      return;
    }
    tracker.settle({ editor, position: editor.selection.active, version: editor.document.version });
  }

  subs.push(
    vscode.window.onDidChangeTextEditorSelection((e) => cursorSettled(e.textEditor)),
    vscode.window.onDidChangeActiveTextEditor((editor) => { tracker.clear(); if (editor) cursorSettled(editor); }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && drawnEditor && drawnEditor.document === e.document) tracker.clear();
      else if (e.contentChanges.length > 0 && isCustody(e.document)) tracker.cancel();
    }),
  );
  // a custody document opened while no server runs (activated by a C file with C off, say)
  if (vscode.workspace.onDidOpenTextDocument) {
    subs.push(vscode.workspace.onDidOpenTextDocument((doc) => {
      if (!starting && isCustody(doc)) void ensureStarted();
    }));
  }

  // ---- settings ----
  subs.push(vscode.workspace.onDidChangeConfiguration((e) => {
    const what = classifyChange(e);
    if (what.decorations) {
      decoSettings = decorationSettings(config());
      tracker.setDelay(decoSettings.delayMs);
      if (!decoSettings.enabled) tracker.clear();
    }
    if (what.restart) {
      if (what.languages) tracker.clear();
      log.appendLine(what.languages
        ? `custody: C is now ${languageOptions().c ? 'on' : 'off'} (custody.c.enable); restarting the server`
        : 'custody: the server command changed; restarting the server');
      void restart({ ifNeeded: true });
    } else if (what.notify && client) {
      void client.sendNotification('workspace/didChangeConfiguration', { settings: { custody: settingsForServer() } });
    }
  }));

  // ---- commands ----
  const handlers = createCommands({
    vscode, getClient: () => client, restart: () => restart(), output: runOutput, languageOptions,
  });
  for (const [id, fn] of Object.entries(handlers)) subs.push(vscode.commands.registerCommand(id, fn));

  const ready = needed().then((yes) => {
    if (yes) return ensureStarted();
    log.appendLine('custody: no X07, Kea or Janus file here and C is off (custody.c.enable); the server starts when an X07, Kea or Janus file opens');
    return undefined;
  });
  return {
    ready,
    getClient: () => client,
    restart,
    deactivate: () => stop(),
    tracker,
  };
}

module.exports = { activateWith };
