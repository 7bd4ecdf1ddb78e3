// Shared helpers for the browser tests: a real kirokud with the demo data on loopback
// ports, headless Chromium (Debian's, through playwright-core), logging in and out, and
// the per-page check (axe-core accessibility rules and screenshots at two widths).
//
// Usage in a test file (node --test; see start_page.test.mjs):
//   import { after, before, test } from 'node:test';
//   import { startKiroku, launchBrowser, login, checkPage, DEMO } from './lib.mjs';
//   let kiroku, browser;
//   before(async () => { kiroku = await startKiroku(); browser = await launchBrowser(); });
//   after(async () => { await browser?.close(); await kiroku?.stop(); });
//   test('...', async () => {
//     const page = await browser.newPage();
//     await login(page, kiroku.url, DEMO.yamada.name, DEMO.yamada.password);
//     await checkPage(page, 'home-yamada');
//   });
//
// Environment: KIROKU_BIN (kirokud and kiroku; default <repo>/build/bin), SCREENSHOT_DIR
// (default <repo>/build/screenshots), CHROMIUM (default /usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const require = createRequire(import.meta.url);

export const KIROKU_BIN = process.env.KIROKU_BIN || path.join(repo, 'build/bin');
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || path.join(repo, 'build/screenshots');

// The people `kiroku demo` creates (the CLI prints the same list). Keys are the login names.
export const DEMO = Object.freeze({
  admin: { name: 'admin', password: 'kiroku-admin-1', display: '管理者', role: 'system administrator' },
  yamada: { name: 'yamada', password: 'sakura-kucho-1', display: '山田 太郎', role: '桜ヶ丘自治区 区長 (manages 桜ヶ丘自治区)' },
  suzuki: { name: 'suzuki', password: 'sakura-shoki-1', display: '鈴木 花子', role: '桜ヶ丘自治区 書記' },
  ito: { name: 'ito', password: 'sakura-kaiin-1', display: '伊藤 三郎', role: '桜ヶ丘自治区 会員 (reads 桜ヶ丘自治区/回覧 only)' },
  sato: { name: 'sato', password: 'midori-kucho-1', display: '佐藤 次郎', role: '緑町自治区 区長' },
  tanaka: { name: 'tanaka', password: 'higashi-iin-1', display: '田中 一郎', role: '東山地区 地区委員' },
});

// ---- kirokud -------------------------------------------------------------------------

// Servers still running, so that they die with this process also when no after() hook
// stops them (an uncaught exception, a forgotten hook, an interrupted run).
const running = new Set();

function killAllNow() {
  for (const s of running) {
    try { s.child.kill('SIGKILL'); } catch { /* already gone */ }
    fs.rmSync(s.tmp, { recursive: true, force: true });
  }
  running.clear();
}
process.on('exit', killAllNow);
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.on(signal, () => { killAllNow(); process.exit(128 + number); });
}

// A port that was free a moment ago on 127.0.0.1 (the kernel picks it; like lib.sh).
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The kiroku CLI on a data directory, in English (it speaks Japanese unless asked).
// Returns its stdout; throws with its output when it exits non-zero. `input` goes to
// stdin (passwords for `user add` / `user passwd`).
export function kirokuCli(dataDir, args, input = '') {
  const r = spawnSync(path.join(KIROKU_BIN, 'kiroku'), ['--data', dataDir, ...args], {
    input, encoding: 'utf8', env: { ...process.env, KIROKU_LANG: 'en' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`kiroku ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  }
  return r.stdout;
}

// startKiroku(): a fresh temporary data directory with the demo data (DEMO above), and
// kirokud on it listening on free loopback ports, answering. Resolves to
//   { url, tlsUrl, dataDir, cli(args, input), serverLog(), stop() }
// url has no trailing slash (http://127.0.0.1:PORT). stop() ends kirokud (SIGTERM, SIGKILL
// after 5 s) and removes the directory; calling it twice is harmless. Call it from an
// after() hook; the process exit handler above is only the safety net.
// serverArgs: more kirokud options; env: more environment (KIROKU_TODAY=YYYY-MM-DD for a
// set date). restart(env) starts kirokud again on the same data and ports.
export async function startKiroku({ serverArgs = [], env = {} } = {}) {
  const tmp = fs.mkdtempSync('/tmp/kiroku-browser-');
  const dataDir = path.join(tmp, 'data');
  const logFile = path.join(tmp, 'server.log');
  const serverLog = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  let server;
  let port;
  let tlsPort;

  // Starts kirokud on the data directory and waits until it answers.
  const launch = async (launchEnv) => {
    const log = fs.openSync(logFile, 'a');
    const child = spawn(path.join(KIROKU_BIN, 'kirokud'),
      ['--data', dataDir, '--listen', `127.0.0.1:${port}`, '--listen-tls', `127.0.0.1:${tlsPort}`, ...serverArgs],
      { stdio: ['ignore', log, log], env: { ...process.env, ...launchEnv } });
    fs.closeSync(log);
    server = { child, tmp, exited: false };
    server.exitedPromise = new Promise((resolve) => child.once('exit', () => { server.exited = true; resolve(); }));
    child.once('error', (e) => { server.exited = true; server.error = e; });  // e.g. no kirokud in KIROKU_BIN
    running.add(server);

    // Up when OPTIONS /dav/ gets any answer (it needs no login); 10 s at most.
    let up = false;
    const deadline = Date.now() + 10000;
    while (!up && !server.exited && Date.now() < deadline) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/dav/`, { method: 'OPTIONS', signal: AbortSignal.timeout(2000) });
        await r.arrayBuffer();
        up = true;
      } catch {
        await sleep(100);
      }
    }
    if (!up) {
      const why = server.error ? `could not be started (${server.error.message})` : server.exited ? 'exited' : 'did not answer in 10 s';
      throw new Error(`kirokud ${why}:\n${serverLog()}`);
    }
  };
  // Ends kirokud (SIGTERM, SIGKILL after 5 s), leaving the data directory.
  const halt = async () => {
    if (!running.has(server)) return;
    running.delete(server);
    if (!server.exited) {
      server.child.kill('SIGTERM');
      const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
      await server.exitedPromise;
      clearTimeout(timer);
    }
  };

  try {
    kirokuCli(dataDir, ['init']);
    kirokuCli(dataDir, ['demo']);
    port = await freePort();
    tlsPort = await freePort();
    await launch(env);
    const stop = async () => {
      await halt();
      fs.rmSync(tmp, { recursive: true, force: true });
    };
    return {
      url: `http://127.0.0.1:${port}`, tlsUrl: `https://127.0.0.1:${tlsPort}`, dataDir,
      cli: (args, input) => kirokuCli(dataDir, args, input),
      // The same data and ports, another environment (KIROKU_TODAY: another day).
      restart: async (restartEnv = {}) => { await halt(); await launch(restartEnv); },
      serverLog, stop,
    };
  } catch (e) {
    if (server) { server.child.kill('SIGKILL'); running.delete(server); }
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

// ---- Chromium --------------------------------------------------------------------------

// Headless Debian Chromium. The background-networking flags matter: without them Chromium
// keeps trying to reach Google's services, which this closed network refuses, slowly.
// Close it in an after() hook (playwright also kills it when this process exits).
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Logs in through the login page: /login with #login-form holding #login-name,
// #login-password and a submit button; a good login is answered 303 to /. Resolves once
// the page after the login has loaded; throws when it is /login again (a refused login).
// To test a refused login, fill the form in the test itself.
export async function login(page, url, name, password) {
  await page.goto(`${url}/login`);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await Promise.all([
    page.waitForNavigation(),
    page.click('#login-form :is(button:not([type]), [type="submit"])'),
  ]);
  if (new URL(page.url()).pathname === '/login') {
    throw new Error(`login as ${name} was refused (still at ${page.url()})`);
  }
}

// Logs out with the #logout submit button (a POST form in the page header); resolves once
// the page it leads to has loaded.
// A fresh browser context logged in as one of DEMO's people: { context, page }.
export async function loginAs(browser, url, who) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, url, DEMO[who].name, DEMO[who].password);
  return { context, page };
}

export async function logout(page) {
  await Promise.all([page.waitForNavigation(), page.click('#logout')]);
}

// ---- the per-page check ----------------------------------------------------------------

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
const VIEWPORTS = [{ width: 1280, height: 900 }, { width: 390, height: 844 }];

// checkPage(page, name): the page as it is now, at a desktop and a phone width: axe-core
// finds no violation of impact "serious" or "critical", and a full-page screenshot is
// written to SCREENSHOT_DIR/NAME-WIDTH.png (both widths, also when axe finds something, so
// that the screenshot shows what failed). Throws one error listing every such violation.
// Leaves the page at the phone width; set the viewport again if the test goes on.
//
// The pages have a strict Content-Security-Policy (no 'unsafe-inline'), so axe is not added
// as a <script> (addScriptTag would be refused): evaluate() runs it through the DevTools
// protocol, which the policy does not govern. bypassCSP stays off, so that the tests see
// the pages as people's browsers do.
//
// Parts of a long page that the browser lays out only as they come near the screen
// (content-visibility: auto, the handover record's inventory) are drawn first, so that
// the full-page screenshot shows what a person scrolling down sees; the page keeps them.
export async function checkPage(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const problems = [];
  await page.evaluate(() => {
    for (const e of document.querySelectorAll('*')) {
      if (getComputedStyle(e).contentVisibility === 'auto') e.style.contentVisibility = 'visible';
    }
  });
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(axeSource);
    const violations = await page.evaluate(async (tags) => {
      const result = await window.axe.run(document, { runOnly: tags });
      return result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    }, AXE_TAGS);
    for (const v of violations) {
      if (v.impact === 'serious' || v.impact === 'critical') problems.push({ width: viewport.width, ...v });
    }
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${viewport.width}.png`), fullPage: true });
  }
  if (problems.length > 0) {
    const list = problems.map((p) => `  [${p.width}px] ${p.id} (${p.impact}): ${p.help}\n` +
      p.targets.map((t) => `      ${t}\n`).join('') + `      see ${p.helpUrl}`).join('\n');
    throw new Error(`axe-core: ${problems.length} serious or critical violation(s) on ${name} ` +
      `(${page.url()}):\n${list}`);
  }
}
