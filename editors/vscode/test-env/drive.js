'use strict';
/**
 * Drives a real VS Code (code-server, already running with the custody extension installed) in a
 * headless Chromium (already running) through puppeteer-core, the way a person would: opens the
 * example files, looks at the squiggle, hovers it, reads the Problems view, applies the quick fix,
 * clicks the run code lens, moves the cursor onto a binding, and compares token colours.
 *
 * It only observes: everything it reads from the page goes to the JSON file OUT, step by step
 * (written after each step, so a failure still leaves what was seen), with a screenshot per step
 * in SHOTS. tests/editors/test_vscode_real.py starts the processes, decides what is right and
 * stops what it started.
 *
 * Environment: WS (Chromium's DevTools websocket), URL (code-server's page for the workspace),
 * FILES (JSON list of {name, expectLine}), SHOTS, OUT; for C (issue 12), optionally C_FILE (a C
 * file in the workspace, opened with custody.c.enable off), C_ON ('1': then turn the setting on
 * in WS_SETTINGS, the workspace's .vscode/settings.json, and wait for custody's MMM- problems), C_OFF_MS
 * (how long to watch the C file with the setting off).
 */
const fs = require('fs');
const path = require('path');
const puppeteer = require('puppeteer-core');

const STEP_MS = 60000;          // a hang guard per wait, not a speed requirement
const out = { steps: [], files: {} };
const shots = process.env.SHOTS;
const save = () => fs.writeFileSync(process.env.OUT, JSON.stringify(out, null, 1));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(page, what, fn, arg, ms = STEP_MS) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await page.evaluate(fn, arg);
      if (last) return last;
    } catch (e) { last = `error: ${e.message}`; }
    await sleep(250);
  }
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what} (last: ${JSON.stringify(last)})`);
}

let shotNo = 0;
async function shot(page, name) {
  shotNo += 1;
  const file = path.join(shots, `${String(shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  out.steps.push({ step: name, screenshot: path.basename(file) });
  save();
}

async function palette(page, command) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { visible: true, timeout: STEP_MS });
  await page.keyboard.type(command, { delay: 5 });
  await waitFor(page, `the command "${command}" in the palette`, (c) => [...document.querySelectorAll('.quick-input-list .monaco-list-row')]
    .some((r) => r.innerText.toLowerCase().includes(c.toLowerCase())), command);
  await page.keyboard.press('Enter');
  await sleep(300);
}

async function openFile(page, name) {
  // tried again when the tab does not show (a key press that lands while the palette or quick
  // open is still settling is lost, more often on a loaded machine)
  for (let attempt = 1; ; attempt++) {
    await palette(page, 'View: Close All Editors');
    await page.keyboard.down('Control'); await page.keyboard.press('KeyP'); await page.keyboard.up('Control');
    await page.waitForSelector('.quick-input-widget input', { visible: true, timeout: STEP_MS });
    await page.keyboard.type(name, { delay: 5 });
    await waitFor(page, `${name} in quick open`, (n) => [...document.querySelectorAll('.quick-input-list .monaco-list-row')]
      .some((r) => r.innerText.includes(n)), name);
    await sleep(200);
    await page.keyboard.press('Enter');
    try {
      await waitFor(page, `the editor tab for ${name}`, (n) => [...document.querySelectorAll('.tabs-container .tab.active')]
        .some((t) => t.innerText.includes(n)), name, attempt >= 3 ? STEP_MS : 15000);
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await shot(page, `open-${name}-retry-${attempt}`);
      await page.keyboard.press('Escape');
      await page.mouse.click(700, 300);
    }
  }
}

/** In the active editor: each error squiggle with the line number shown in the gutter at its height. */
function squiggles() {
  const ed = document.querySelector('.editor-group-container.active .monaco-editor');
  if (!ed) return [];
  const nums = [...ed.querySelectorAll('.margin-view-overlays .line-numbers')].map((n) => ({ n: Number(n.textContent.trim()), r: n.getBoundingClientRect() }));
  return [...ed.querySelectorAll('.squiggly-error')].map((s) => {
    const r = s.getBoundingClientRect();
    const mid = r.top + r.height / 2;
    const line = nums.find((n) => mid >= n.r.top && mid < n.r.bottom);
    return { line: line ? line.n : null, x: r.left + r.width / 2, y: mid, left: r.left, width: r.width };
  });
}

/** The active editor's rendered text of line `line` and where each token starts. */
function tokenColours() {
  const ed = document.querySelector('.editor-group-container.active .monaco-editor');
  const plain = getComputedStyle(ed.querySelector('.view-lines')).color;
  const spans = [...ed.querySelectorAll('.view-lines .view-line span span')].map((s) => ({
    text: s.textContent, cls: s.className, color: getComputedStyle(s).color,
  }));
  return { plain, spans };
}

async function activeEditorText(page) {
  return page.evaluate(() => {
    const ed = document.querySelector('.editor-group-container.active .monaco-editor');
    return ed ? [...ed.querySelectorAll('.view-lines .view-line')].map((l) => l.innerText.replace(/\u00a0/g, ' ')).join('\n') : '';
  });
}

/** Clicks the first occurrence of `word` on the rendered line that contains `lineText`. */
async function clickWord(page, lineText, word) {
  const at = await page.evaluate((lt, w) => {
    const ed = document.querySelector('.editor-group-container.active .monaco-editor');
    for (const line of ed.querySelectorAll('.view-lines .view-line')) {
      if (!line.innerText.replace(/\u00a0/g, ' ').includes(lt)) continue;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent.indexOf(w);
        if (i < 0) continue;
        const range = document.createRange();
        range.setStart(n, i); range.setEnd(n, i + 1);
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
    }
    return null;
  }, lineText, word);
  if (!at) throw new Error(`"${word}" not found on a line with "${lineText}"`);
  await page.mouse.click(at.x, at.y);
  return at;
}

/** The language mode the status bar shows for the active editor ("Kea", "Janus", ...). */
function languageMode() {
  const item = document.getElementById('status.editor.mode');
  return item ? item.innerText.trim() : null;
}

async function checkFile(page, file, full) {
  const rec = { name: file.name };
  out.files[file.name] = rec;
  await openFile(page, file.name);
  await shot(page, `${file.name}-opened`);
  rec.language = await waitFor(page, `the language mode of ${file.name} in the status bar`, languageMode, undefined, 15000)
    .catch(() => null);
  save();

  // a file custody reports nothing for (file.diagnostics === false): only its colours, once the
  // grammar has coloured its first line (a comment) in something other than plain text
  if (file.diagnostics === false) {
    rec.tokens = await waitFor(page, `${file.name} coloured by its grammar`, () => {
      const ed = document.querySelector('.editor-group-container.active .monaco-editor');
      if (!ed) return null;
      const plain = getComputedStyle(ed.querySelector('.view-lines')).color;
      const spans = [...ed.querySelectorAll('.view-lines .view-line span span')].map((x) => ({
        text: x.textContent, cls: x.className, color: getComputedStyle(x).color,
      }));
      return spans.some((x) => x.text.trim() && x.color !== plain) ? { plain, spans } : null;
    }, undefined, 30000).catch(async (e) => { rec.tokensError = e.message; rec.tokens = await page.evaluate(tokenColours); return rec.tokens; });
    rec.squiggles = await page.evaluate(squiggles);
    save();
    await shot(page, `${file.name}-coloured`);
    return;
  }

  // the squiggle, on the line the server reports
  rec.squiggles = await waitFor(page, `an error squiggle in ${file.name} (is the server running?)`, () => {
    const s = squiggles();
    return s.length > 0 && s.every((q) => q.line !== null) ? s : null;
  }, undefined).catch(async (e) => { rec.squiggleError = e.message; save(); await shot(page, `${file.name}-no-squiggle`); throw e; });
  save();
  await shot(page, `${file.name}-squiggle`);

  // the token colours
  rec.tokens = await page.evaluate(tokenColours);
  save();

  // the hover: the squiggle measured again once the layout settles (inlay hints arriving move
  // it), and tried again if what shows is another hover (that of a neighbouring token)
  for (let attempt = 1; ; attempt++) {
    await sleep(500);
    const sq = (await page.evaluate(squiggles))[0];
    await page.mouse.move(sq.x, sq.y);
    try {
      rec.hover = await waitFor(page, 'the hover over the squiggle', () => {
        const h = [...document.querySelectorAll('.monaco-hover')].filter((e) => e.offsetParent !== null && /X07-[A-Z]+-\d+|KEA-K\d+|JAN-[A-Z0-9]+(?:-\d+)?/.test(e.innerText));
        return h.length ? h.map((e) => e.innerText.replace(/\u00a0/g, ' ')).join('\n') : null;
      }, undefined, 8000);
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
      await page.mouse.move(5, 5);
    }
  }
  save();
  await shot(page, `${file.name}-hover`);
  await page.keyboard.press('Escape');
  await page.mouse.move(5, 5);

  // the Problems view
  await palette(page, 'Problems: Focus on Problems View');
  rec.problems = await waitFor(page, 'an entry in the Problems view', () => {
    const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => r.innerText.replace(/\s+/g, ' ').trim());
    return rows.some((r) => /\[Ln \d+, Col \d+\]/.test(r)) ? rows : null;
  });
  save();
  await shot(page, `${file.name}-problems`);
  if (!full) return;

  // the cursor decorations: on the declaration of `who`
  await clickWord(page, '(let who', 'who');
  rec.decorations = await waitFor(page, 'cursor decorations around `who`', () => {
    const ed = document.querySelector('.editor-group-container.active .monaco-editor');
    const els = [...ed.querySelectorAll('[class*="ced-"]')];
    if (els.length === 0) return null;
    return els.map((e) => ({
      cls: String(e.className), after: getComputedStyle(e, '::after').content, before: getComputedStyle(e, '::before').content,
      background: getComputedStyle(e).backgroundColor, border: getComputedStyle(e).borderBottomColor,
    }));
  });
  await sleep(500);
  rec.decorations = await page.evaluate(() => {
    const ed = document.querySelector('.editor-group-container.active .monaco-editor');
    return [...ed.querySelectorAll('[class*="ced-"]')].map((e) => ({
      cls: String(e.className), text: e.textContent, after: getComputedStyle(e, '::after').content,
      background: getComputedStyle(e).backgroundColor, border: getComputedStyle(e).borderBottomColor,
    }));
  });
  save();
  await shot(page, `${file.name}-decorations`);

  // the quick fix: cursor on the squiggle, Ctrl+. , the fix, and the squiggle goes
  const now = await page.evaluate(squiggles);
  await page.mouse.click(now[0].x, now[0].y);
  await page.keyboard.down('Control'); await page.keyboard.press('Period'); await page.keyboard.up('Control');
  rec.quickFixes = await waitFor(page, 'the quick fix menu', () => {
    const rows = [...document.querySelectorAll('.action-widget .monaco-list-row')].map((r) => r.innerText.trim()).filter(Boolean);
    return rows.length ? rows : null;
  });
  await shot(page, `${file.name}-quickfix-menu`);
  const idx = rec.quickFixes.findIndex((t) => /copy/i.test(t));
  if (idx < 0) throw new Error(`no "copy" fix in ${JSON.stringify(rec.quickFixes)}`);
  await page.evaluate((i) => {
    const rows = [...document.querySelectorAll('.action-widget .monaco-list-row')].filter((r) => r.innerText.trim());
    rows[i].click();
  }, idx);
  await sleep(300);
  try {
    await waitFor(page, 'the squiggle to disappear after the quick fix', () => squiggles().length === 0 && document.querySelectorAll('.action-widget .monaco-list-row').length === 0, undefined, 30000);
    rec.squigglesAfterFix = [];
  } catch (e) {
    rec.squigglesAfterFix = await page.evaluate(squiggles);
  }
  rec.textAfterFix = await activeEditorText(page);
  save();
  await shot(page, `${file.name}-fixed`);

  // the code lens: run with ownership checks, input "bob", and its report in the output. The
  // lenses are re-rendered after the edit; a click that lands on the old one is tried again.
  for (let attempt = 1; ; attempt++) {
    await sleep(1000);
    const lens = await waitFor(page, 'the run code lens', () => {
      const a = [...document.querySelectorAll('.editor-group-container.active .codelens-decoration a')].find((e) => /Run with ownership checks/.test(e.innerText));
      if (!a) return null;
      const r = a.getBoundingClientRect();
      return { text: a.innerText, x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    rec.codeLens = lens.text;
    await page.mouse.move(lens.x, lens.y);
    await sleep(200);
    await page.mouse.click(lens.x, lens.y);
    try {
      await page.waitForSelector('.quick-input-widget input', { visible: true, timeout: 8000 });
      break;
    } catch (e) {
      if (attempt >= 4) throw new Error(`clicking the code lens "${lens.text}" showed no input box (${attempt} tries)`);
    }
  }
  await page.keyboard.type('bob', { delay: 5 });
  await shot(page, `${file.name}-run-input`);
  await page.keyboard.press('Enter');
  rec.runReport = await waitFor(page, 'the run report in the "custody run" output', () => {
    const o = document.querySelector('.output-view .view-lines') || document.querySelector('.panel .output-view');
    const t = o ? o.innerText.replace(/\u00a0/g, ' ') : '';
    return /=> (ok|not ok)/.test(t) ? t : null;
  }, undefined, 120000);
  save();
  await shot(page, `${file.name}-run-report`);
}

/** The Problems view's rows (after focusing it). */
async function problemRows(page) {
  return page.evaluate(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')]
    .map((r) => r.innerText.replace(/\s+/g, ' ').trim()));
}

/**
 * C next to the other C tools: with custody.c.enable off, the C file gets nothing from custody;
 * with it on (C_ON), custody's MMM- findings appear (the client restarts with C in its selector).
 */
async function checkC(page) {
  const name = process.env.C_FILE;
  const rec = { name };
  out.c = rec;
  await openFile(page, name);
  await shot(page, 'c-opened-setting-off');
  // a negative check needs a wait: long enough for a diagnostic if the file had been sent (the
  // server is running, it answered the X07 files within seconds)
  await sleep(Number(process.env.C_OFF_MS || 5000));
  await palette(page, 'Problems: Focus on Problems View');
  await sleep(500);
  rec.problemsOff = await problemRows(page);
  rec.squigglesOff = await page.evaluate(() => document.querySelectorAll('.editor-group-container.active .monaco-editor .squiggly-error, .editor-group-container.active .monaco-editor .squiggly-warning').length);
  save();
  await shot(page, 'c-problems-setting-off');
  if (process.env.C_ON !== '1') return;

  // turn the setting on for the workspace (.vscode/settings.json, which VS Code watches). Not
  // through the Settings editor: in code-server its user-settings edits replace the user
  // settings file's values in the extension host (custody.server.command was lost).
  const wsSettings = process.env.WS_SETTINGS;
  fs.mkdirSync(path.dirname(wsSettings), { recursive: true });
  fs.writeFileSync(wsSettings, JSON.stringify({ 'custody.c.enable': true }, null, 1));
  rec.settingWritten = wsSettings;
  save();
  await openFile(page, name);
  await palette(page, 'Problems: Focus on Problems View');
  rec.problemsOn = await waitFor(page, 'custody\'s MMM- problems for the C file after turning custody.c.enable on', () => {
    const rows = [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => r.innerText.replace(/\s+/g, ' ').trim());
    return rows.some((r) => /MMM-/.test(r)) ? rows : null;
  }).catch(async (e) => { rec.problemsOn = await problemRows(page); rec.onError = e.message; save(); await shot(page, 'c-no-problems-setting-on'); throw e; });
  save();
  await shot(page, 'c-problems-setting-on');
}

async function main() {
  const files = JSON.parse(process.env.FILES);
  const browser = await puppeteer.connect({ browserWSEndpoint: process.env.WS, defaultViewport: { width: 1400, height: 900 } });
  const page = await browser.newPage();
  page.on('pageerror', (e) => { (out.pageErrors = out.pageErrors || []).push(String(e.message).slice(0, 300)); });
  try {
    await page.goto(process.env.URL, { waitUntil: 'domcontentloaded', timeout: STEP_MS });
    await page.waitForSelector('.monaco-workbench', { timeout: STEP_MS * 2 });
    await page.evaluate(`window.squiggles = ${squiggles.toString()};`);   // used inside waitFor's checks
    await waitFor(page, 'the explorer to list the workspace', () => document.querySelectorAll('.explorer-folders-view .monaco-list-row').length > 0, undefined, STEP_MS * 2);
    await shot(page, 'workbench');
    for (const f of files) await checkFile(page, f, f.full);
    if (process.env.C_FILE) await checkC(page);
    out.done = true;
  } catch (e) {
    out.error = e.message;
    try { await shot(page, 'failure'); } catch (_) { /* the page is gone */ }
  } finally {
    save();
    await browser.disconnect();
  }
}

main().catch((e) => { out.error = String(e && e.stack ? e.stack : e); save(); process.exit(1); });
