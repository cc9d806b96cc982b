'use strict';
/** The entry point VS Code loads (bundled into dist/extension.js; `vscode` stays external). */
const vscode = require('vscode');
const lc = require('vscode-languageclient/node');
const os = require('os');
const { activateWith } = require('./client');

let running;

function activate(context) {
  running = activateWith({ vscode, lc, homedir: os.homedir }, context);
  return running.ready;
}

function deactivate() {
  return running ? running.deactivate() : undefined;
}

module.exports = { activate, deactivate };
