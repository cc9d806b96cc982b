'use strict';
/**
 * Runs one of this extension's TextMate grammars (through vscode-textmate and vscode-oniguruma,
 * as VS Code does) over every file with a suffix in a git repository or mirror, and reports each
 * line where a token is `invalid`, a non-blank token has no scope of the grammar, or a string or
 * comment is still open at the end of a file. For developing the grammars against a language's
 * real code (Janus's, Kea's); the unit tests use custody's own samples and never a fetched
 * repository.
 *
 *   node scripts/tokenize_corpus.js janus.tmLanguage.json .jan /path/to/janus.git
 *
 * Exits 0 when every file is clean, 1 with the problems listed otherwise, 2 on bad arguments.
 */
const { spawnSync } = require('node:child_process');
const textmate = require('../test/textmate');

function gitFiles(repo, suffix) {
  const ls = spawnSync('git', ['-C', repo, 'ls-tree', '-r', 'HEAD'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (ls.status !== 0) throw new Error(`not a git repository: ${repo}\n${ls.stderr}`);
  const blobs = ls.stdout.split('\n').map((l) => l.match(/^\d+ blob ([0-9a-f]+)\t(.*)$/))
    .filter((m) => m && m[2].endsWith(suffix));
  if (!blobs.length) return [];
  const cat = spawnSync('git', ['-C', repo, 'cat-file', '--batch'], {
    input: blobs.map((b) => b[1]).join('\n') + '\n', maxBuffer: 256 << 20,
  });
  const out = cat.stdout;
  const files = [];
  let at = 0;
  for (const [, , name] of blobs) {
    const nl = out.indexOf(10, at);
    const size = Number(out.subarray(at, nl).toString().split(' ')[2]);
    files.push([name, out.subarray(nl + 1, nl + 1 + size).toString('utf8')]);
    at = nl + 1 + size + 1;
  }
  return files;
}

async function main(argv) {
  if (argv.length !== 3) {
    process.stderr.write('usage: node scripts/tokenize_corpus.js GRAMMAR.tmLanguage.json SUFFIX REPO\n');
    return 2;
  }
  const [grammarFile, suffix, repo] = argv;
  if (!textmate.available) {
    process.stderr.write('vscode-textmate and vscode-oniguruma are not installed (npm ci in editors/vscode)\n');
    return 2;
  }
  const { grammar } = await textmate.load(grammarFile);
  const files = gitFiles(repo, suffix);
  const found = files.flatMap(([name, text]) => textmate.problems(grammar, text, name));
  for (const p of found) process.stdout.write(p + '\n');
  const bad = new Set(found.map((p) => p.split(':')[0])).size;
  process.stdout.write(`${files.length - bad}/${files.length} ${suffix} files clean\n`);
  return found.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 2;
});
