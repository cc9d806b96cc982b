'use strict';
const { KINDS } = require('../src/decorations');
/** A small stand-in for the `vscode` API and `vscode-languageclient/node`, recording what is done. */

function event() {
  const listeners = [];
  const on = (fn) => { listeners.push(fn); return { dispose() { listeners.splice(listeners.indexOf(fn), 1); } }; };
  on.fire = (e) => listeners.forEach((fn) => fn(e));
  on.listeners = listeners;
  return on;
}

class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range {
  constructor(a, b, c, d) {
    if (a instanceof Position) { this.start = a; this.end = b; } else { this.start = new Position(a, b); this.end = new Position(c, d); }
  }
}
class Selection extends Range { constructor(anchor, active) { super(anchor, active); this.anchor = anchor; this.active = active; } }

function makeConfig(values) {
  return { get: (key) => values[key], values };
}

function makeDocument({ uri = 'file:///w/main.x07t', languageId = 'x07text', version = 1 } = {}) {
  return { uri: { toString: () => uri, scheme: 'file', path: uri.replace('file://', '') }, fileName: uri.replace('file://', ''), languageId, version };
}

function makeEditor(vscode, { uri = 'file:///w/main.x07t', languageId = 'x07text', line = 0, character = 0, version = 1 } = {}) {
  const document = makeDocument({ uri, languageId, version });
  const editor = {
    document,
    selection: new Selection(new Position(line, character), new Position(line, character)),
    get selections() { return [this.selection]; },
    decorations: new Map(),
    setDecorations(type, ranges) { this.decorations.set(type.kind, ranges); },
    revealed: [],
    revealRange(r) { this.revealed.push(r); },
  };
  return editor;
}

/**
 * @param {{settings?: object, answers?: object, files?: string[], documents?: object[]}} [options]
 *   files: the workspace's files (paths) findFiles searches (default: one X07 file, so the
 *   extension starts its server at once); documents: the open text documents
 */
function makeVscode({ settings = {}, answers = {}, files = ['/w/main.x07t'], documents = [] } = {}) {
  const shown = { errors: [], warnings: [], infos: [], inputBoxes: [], quickPicks: [], executed: [] };
  const channels = {};
  const configValues = { ...settings };
  const vscode = {
    shown, channels, configValues, decorationTypes: [],
    Position, Range, Selection,
    ThemeColor: class { constructor(id) { this.id = id; } },
    MarkdownString: class { constructor() { this.value = ''; } appendText(t) { this.value += t; return this; } },
    CancellationTokenSource: class {
      constructor() { this.token = { isCancellationRequested: false }; }
      cancel() { this.token.isCancellationRequested = true; }
      dispose() {}
    },
    OverviewRulerLane: { Left: 1, Center: 2, Right: 4, Full: 7 },
    DecorationRangeBehavior: { OpenOpen: 0, ClosedClosed: 1, OpenClosed: 2, ClosedOpen: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    window: {
      activeTextEditor: undefined,
      createOutputChannel(name) {
        const ch = { name, lines: [], shown: 0, appendLine(s) { this.lines.push(s); }, append(s) { this.lines.push(s); }, show() { this.shown += 1; }, dispose() {} };
        channels[name] = ch;
        return ch;
      },
      createTextEditorDecorationType(options) {
        // the extension creates one type per kind, in the order of decorations.KINDS
        const type = { kind: KINDS[vscode.decorationTypes.length], options, dispose() {} };
        vscode.decorationTypes.push(type);
        return type;
      },
      async showErrorMessage(msg, ...buttons) { shown.errors.push({ msg, buttons }); return answers.error; },
      async showWarningMessage(msg) { shown.warnings.push(msg); },
      async showInformationMessage(msg) { shown.infos.push(msg); },
      async showInputBox(opts) { shown.inputBoxes.push(opts); return answers.input; },
      async showQuickPick(items, opts) { shown.quickPicks.push({ items, opts }); return answers.pick ? answers.pick(items) : undefined; },
      async withProgress(_opts, task) { return task({ report() {} }); },
      onDidChangeTextEditorSelection: event(),
      onDidChangeActiveTextEditor: event(),
    },
    workspace: {
      workspaceFolders: [{ uri: { fsPath: '/w' } }],
      files,
      textDocuments: documents,
      searches: [],
      async findFiles(include, exclude, maxResults) {
        this.searches.push({ include, exclude, maxResults });
        // the one glob the extension searches with: **/*.{a,b,...}
        const m = /^\*\*\/\*\.\{(.*)\}$/.exec(include);
        if (!m) throw new Error(`unexpected glob ${include}`);
        const endings = m[1].split(',').map((e) => `.${e}`);
        const hits = this.files.filter((f) => endings.some((e) => f.endsWith(e))).map((f) => ({ fsPath: f, path: f }));
        return maxResults === undefined ? hits : hits.slice(0, maxResults);
      },
      onDidOpenTextDocument: event(),
      getConfiguration: (section) => {
        if (section !== 'custody') throw new Error(`unexpected section ${section}`);
        return makeConfig(configValues);
      },
      onDidChangeConfiguration: event(),
      onDidChangeTextDocument: event(),
    },
    commands: {
      registered: {},
      registerCommand(id, fn) { this.registered[id] = fn; return { dispose() {} }; },
      async executeCommand(id, ...args) { shown.executed.push([id, ...args]); },
    },
  };
  return vscode;
}

/** A fake vscode-languageclient/node whose clients answer from `behaviour`. */
function makeLc(behaviour = {}) {
  const lc = {
    clients: [],
    TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 },
    ErrorAction: { Continue: 1, Shutdown: 2 },
    CloseAction: { DoNotRestart: 1, Restart: 2 },
    RevealOutputChannelOn: { Info: 1, Warn: 2, Error: 3, Never: 4 },
    LanguageClient: class {
      constructor(id, name, serverOptions, clientOptions) {
        Object.assign(this, { id, name, serverOptions, clientOptions, requests: [], notifications: [], stopped: false, disposed: false });
        lc.clients.push(this);
      }
      async start() { if (behaviour.startError !== undefined) throw behaviour.startError; }
      async stop() { this.stopped = true; }
      async dispose() { this.disposed = true; }
      async sendRequest(method, params, token) {
        this.requests.push({ method, params, token });
        if (behaviour.onRequest) return behaviour.onRequest(method, params, token);
        return null;
      }
      async sendNotification(method, params) { this.notifications.push({ method, params }); }
    },
  };
  return lc;
}

module.exports = { makeVscode, makeLc, makeEditor, makeDocument, makeConfig, event, Position, Range, Selection };
