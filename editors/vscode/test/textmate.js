'use strict';
/**
 * Tokenizes text with a grammar of this extension through vscode-textmate and vscode-oniguruma
 * (the engine VS Code uses), for the grammar tests and scripts/tokenize_corpus.js. `load()` is
 * undefined when those packages are not installed (the tests then skip, saying so).
 */
const fs = require('node:fs');
const path = require('node:path');

function tryRequire(name) {
  try { return require(name); } catch (_) { return undefined; }
}

const vsctm = tryRequire('vscode-textmate');
const oniguruma = tryRequire('vscode-oniguruma');
const SYNTAXES = path.join(__dirname, '..', 'syntaxes');

let onigReady;
function onigLib() {
  if (!onigReady) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    onigReady = oniguruma.loadWASM(wasm).then(() => ({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
  }
  return onigReady;
}

/**
 * @param {string} file e.g. 'kea.tmLanguage.json'
 * @returns {Promise<{grammar: any, tokenize: (text: string) => {text: string, scopes: string[], line: number}[][]}> | undefined}
 */
function load(file) {
  if (!vsctm || !oniguruma) return undefined;
  return (async () => {
    const raw = JSON.parse(fs.readFileSync(path.join(SYNTAXES, file), 'utf8'));
    const registry = new vsctm.Registry({
      onigLib: onigLib(),
      loadGrammar: async (scopeName) => (scopeName === raw.scopeName
        ? vsctm.parseRawGrammar(JSON.stringify(raw), path.join(SYNTAXES, file)) : null),
    });
    const grammar = await registry.loadGrammar(raw.scopeName);
    /** -> one list of tokens per line: {text, scopes (outermost first, the grammar's scope dropped)} */
    function tokenize(text) {
      let stack = vsctm.INITIAL;
      return text.split('\n').map((lineText, line) => {
        const r = grammar.tokenizeLine(lineText, stack);
        stack = r.ruleStack;
        return r.tokens.map((t) => ({
          text: lineText.slice(t.startIndex, t.endIndex),
          scopes: t.scopes.slice(1),
          line,
        }));
      });
    }
    return { grammar, tokenize, raw };
  })();
}

/**
 * What is wrong with `text` under `grammar` (from load()): each token that is `invalid`, each
 * non-blank token with no scope but the grammar's own, and a string or comment still open at the
 * end; one message a problem, each starting with `name`. [] when the text is clean. Used by the
 * grammar tests (on custody's samples) and scripts/tokenize_corpus.js (on a language's own code).
 */
function problems(grammar, text, name) {
  const found = [];
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((lineText, i) => {
    const r = grammar.tokenizeLine(lineText, stack);
    stack = r.ruleStack;
    for (const t of r.tokens) {
      const s = lineText.slice(t.startIndex, t.endIndex);
      if (t.scopes.some((x) => x.startsWith('invalid'))) found.push(`${name}:${i + 1}: ${JSON.stringify(s)} is invalid`);
      else if (s.trim() && t.scopes.length < 2) found.push(`${name}:${i + 1}: ${JSON.stringify(s)} is unscoped`);
    }
  });
  if (stack.depth !== 1) found.push(`${name}: a string or comment is still open at the end`);
  return found;
}

/** Every regex in a grammar: [where, key, source]. */
function regexes(node, where = '') {
  const out = [];
  if (Array.isArray(node)) node.forEach((v, i) => out.push(...regexes(v, `${where}[${i}]`)));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (['match', 'begin', 'end', 'while'].includes(k) && typeof v === 'string') out.push([where, k, v]);
      else out.push(...regexes(v, `${where}.${k}`));
    }
  }
  return out;
}

module.exports = { available: Boolean(vsctm && oniguruma), load, onigLib, problems, regexes, oniguruma };
