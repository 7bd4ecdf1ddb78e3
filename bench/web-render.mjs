// Browser half of bench/web.sh: page weight and render time of Kiroku's web pages (and of
// Apache's mod_autoindex listing of the same folder) in headless Debian Chromium, driven
// by playwright-core from tests/browser/node_modules.
//
//   node bench/web-render.mjs CONFIG.json
//
// CONFIG.json (written by bench/web.sh):
//   { "chromium": "/usr/bin/chromium", "kiroku": "http://127.0.0.1:PORT",
//     "users": { "yamada": "password", ... },           logged in through /login
//     "pages": [ { "name", "path", "as": "yamada" | null } ],   page weight, first view
//     "peers": [ { "name", "url", "headers": {...} } ],          same, not judged
//     "render": [ { "name", "url" | "path", "as", "headers" } ], render time
//     "runs": 5, "peerRuns": 3, "throttle": 4, "limitKB": 150, "targetMs": 1000, "out": "results.json" }
//
// Page weight: each page in a fresh browser context (empty cache; the session cookie of
// its user added), 1280x900. Every response counts with the bytes Chromium received for
// it (CDP Network.loadingFinished encodedDataLength: headers + body as sent), except the
// user's own files (/raw/...). "gzip" is what the same responses would weigh if the
// server compressed text (gzip -6 of each text body + its headers): kirokud sends none.
// Render time: CDP Emulation.setCPUThrottlingRate, fresh context per run (empty cache),
// Navigation Timing loadEventEnd - startTime; the targets take turns, one warm-up load
// each (not counted) first; "peer" targets (for comparison) only in the first "peerRuns"
// (3) turns. Prints two tables; writes the figures to "out" as JSON.
// Exit status: 0 once printed; 1 when Chromium, a login or a page fails (not a slow page).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireBrowser = createRequire(path.join(here, '../tests/browser/package.json'));
const { chromium } = requireBrowser('playwright-core');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const RUNS = config.runs ?? 5;
const THROTTLE = config.throttle ?? 4;
const LIMIT_KB = config.limitKB ?? 150;
const TARGET_MS = config.targetMs ?? 1000;
const VIEWPORT = { width: 1280, height: 900 };
const TEXT_TYPE = /^(text\/|application\/(javascript|json|xml|manifest\+json)|image\/svg\+xml)/;

const kb = (bytes) => (bytes / 1024).toFixed(1);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
// Width in columns for a table of Japanese text: CJK characters take two.
const width = (s) => [...String(s)].reduce((w, c) => w + (c.codePointAt(0) > 0x2e7f ? 2 : 1), 0);
const jpad = (s, n) => String(s) + ' '.repeat(Math.max(1, n - width(s)));

const browser = await chromium.launch({
  executablePath: config.chromium || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

let failed = false;
const fail = (msg) => { console.error(`web-render: ERROR: ${msg}`); failed = true; };

try {
  // ---- logging in through the login page, as a person does ----------------------------
  const sessions = {};
  for (const [name, password] of Object.entries(config.users)) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${config.kiroku}/login`);
    await page.fill('#login-name', name);
    await page.fill('#login-password', password);
    await Promise.all([
      page.waitForNavigation(),
      page.click('#login-form :is(button:not([type]), [type="submit"])'),
    ]);
    if (new URL(page.url()).pathname === '/login') throw new Error(`login as ${name} was refused`);
    sessions[name] = (await context.cookies()).filter((c) => c.name === 'kiroku_session');
    if (sessions[name].length !== 1) throw new Error(`no kiroku_session cookie after logging in as ${name}`);
    await context.close();
  }

  const newContext = async (as, headers) => {
    const context = await browser.newContext({ viewport: VIEWPORT, extraHTTPHeaders: headers || {} });
    if (as) await context.addCookies(sessions[as]);
    return context;
  };

  // ---- page weight --------------------------------------------------------------------
  async function weigh(url, as, headers) {
    const context = await newContext(as, headers);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const requests = new Map();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!/^https?:/.test(e.request.url)) return;
      const r = requests.get(e.requestId);
      if (r && e.redirectResponse) r.redirects += 1;  // the same id goes on after a redirect
      else requests.set(e.requestId, { url: e.request.url, bytes: 0, redirects: 0, done: false });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { status: e.response.status, type: e.response.mimeType, encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { bytes: e.encodedDataLength, done: true });
    });
    cdp.on('Network.loadingFailed', (e) => {
      const r = requests.get(e.requestId);
      if (r) Object.assign(r, { failed: e.errorText, done: true });
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const response = await page.goto(url, { waitUntil: 'load' });
    // Whatever the page asks for after its load event (none of Kiroku's pages do): wait
    // until every request seen has finished and nothing new started for 200 ms.
    for (let quiet = 0, waited = 0; quiet < 2 && waited < 50; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      quiet = [...requests.values()].every((r) => r.done) ? quiet + 1 : 0;
    }
    const status = response ? response.status() : 0;
    const finalPath = new URL(page.url()).pathname;
    let bytes = 0; let gzipBytes = 0; let count = 0; let rawBytes = 0; let htmlBytes = 0;
    const problems = [];
    for (const [id, r] of requests) {
      const u = new URL(r.url);
      if (u.pathname.startsWith('/raw/')) { rawBytes += r.bytes; continue; }
      count += 1;
      bytes += r.bytes;
      if (r.failed) problems.push(`${u.pathname}: ${r.failed}`);
      else if (r.status >= 400) problems.push(`${u.pathname}: ${r.status}`);
      let gz = r.bytes;
      if (r.done && !r.failed && !r.encoding && TEXT_TYPE.test(r.type || '')) {
        try {
          const body = await cdp.send('Network.getResponseBody', { requestId: id });
          const buf = Buffer.from(body.body, body.base64Encoded ? 'base64' : 'utf8');
          const headerBytes = Math.max(0, r.bytes - buf.length);
          gz = headerBytes + zlib.gzipSync(buf, { level: 6 }).length;
          if (r.type === 'text/html' && u.href === response?.url()) htmlBytes = buf.length;
        } catch { /* body no longer available: count it as sent */ }
      }
      gzipBytes += gz;
    }
    await context.close();
    return { url, status, finalPath, requests: count, bytes, gzipBytes, rawBytes, htmlBytes, problems };
  }

  const weights = [];
  const weighAll = async (list, peer) => {
    for (const p of list) {
      const url = p.url || `${config.kiroku}${p.path}`;
      const w = await weigh(url, p.as, p.headers);
      const expected = new URL(url).pathname;
      if (w.status !== 200) fail(`${p.name}: ${url} answered ${w.status}`);
      else if (w.finalPath !== expected) fail(`${p.name}: ${url} ended at ${w.finalPath} (not logged in?)`);
      // Chromium asks a page without <link rel="icon"> for /favicon.ico: not the peer's fault.
      if (peer) w.problems = w.problems.filter((x) => !x.startsWith('/favicon.ico:'));
      if (w.problems.length) fail(`${p.name}: failed requests: ${w.problems.join(', ')}`);
      weights.push({ name: p.name, as: p.as || '', peer, ...w });
    }
  };
  let t0 = Date.now();
  await weighAll(config.pages, false);
  await weighAll(config.peers || [], true);
  console.error(`== page weight: ${weights.length} pages in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  t0 = Date.now();

  console.log(`Page weight, first view (fresh context, empty cache, ${VIEWPORT.width}x${VIEWPORT.height}); limit ${LIMIT_KB} KB; /raw/ (the user's own files) left out`);
  console.log(`${jpad('page', 34)}${pad('as', 8)}${lpad('requests', 8)}${lpad('KB', 9)}${lpad('HTML KB', 9)}${lpad('if gzip', 9)}  verdict`);
  for (const w of weights) {
    const verdict = w.peer ? '(peer)' : (w.bytes <= LIMIT_KB * 1024 ? 'OK' : 'OVER');
    console.log(`${jpad(w.name, 34)}${pad(w.as || '-', 8)}${lpad(w.requests, 8)}${lpad(kb(w.bytes), 9)}${lpad(kb(w.htmlBytes), 9)}${lpad(kb(w.gzipBytes), 9)}  ${verdict}` +
      (w.rawBytes ? `  (+${kb(w.rawBytes)} KB /raw/)` : ''));
  }
  console.log('KB = bytes received (headers + bodies as sent), all requests of the page; HTML KB = the page itself, uncompressed;');
  console.log("if gzip = the same with each text response gzip -6'd (kirokud sends no Content-Encoding).");
  console.log();

  // ---- render time under CPU throttling ----------------------------------------------
  async function render(target, throttle) {
    const context = await newContext(target.as, target.headers);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const url = target.url || `${config.kiroku}${target.path}`;
    const response = await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    await page.waitForFunction(() => performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0);
    const t = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        load: n.loadEventEnd - n.startTime, dcl: n.domContentLoadedEventEnd - n.startTime,
        ttfb: n.responseStart - n.startTime, html: n.responseEnd - n.startTime,
        fcp: fcp ? fcp.startTime : NaN, nodes: document.getElementsByTagName('*').length,
        rows: document.querySelectorAll('tr').length,
      };
    });
    const status = response ? response.status() : 0;
    await context.close();
    if (status !== 200) throw new Error(`${target.name}: ${url} answered ${status}`);
    return t;
  }

  const renders = config.render.map((t) => ({ ...t, runs: [] }));
  for (const t of renders) await render(t, 1);  // warm-up: Chromium, kirokud's and Apache's caches
  // The peers (for comparison only) take part in the first PEER_RUNS turns.
  const PEER_RUNS = Math.min(RUNS, config.peerRuns ?? 3);
  for (let i = 0; i < RUNS; i += 1) {
    for (const t of renders) if (!t.peer || i < PEER_RUNS) t.runs.push(await render(t, THROTTLE));
  }
  console.error(`== render times: ${renders.reduce((n, t) => n + t.runs.length + 1, 0)} loads in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`Render time in headless Chromium with ${THROTTLE}x CPU throttling (CDP Emulation.setCPUThrottlingRate), median of ${RUNS}` +
    (PEER_RUNS < RUNS ? ` (peers ${PEER_RUNS})` : ''));
  console.log('fresh context per run (empty cache); load = loadEventEnd - navigation start; target < ' + `${TARGET_MS} ms for Kiroku's pages`);
  console.log(`${jpad('page', 34)}${lpad('load ms', 9)}${lpad('(min', 7)}${lpad('max)', 7)}${lpad('DCL ms', 8)}${lpad('FCP ms', 8)}${lpad('TTFB', 7)}${lpad('HTML', 7)}${lpad('elements', 9)}  verdict`);
  for (const t of renders) {
    const m = (k) => median(t.runs.map((r) => r[k]));
    const loads = t.runs.map((r) => r.load);
    t.median = { load: m('load'), dcl: m('dcl'), fcp: m('fcp'), ttfb: m('ttfb'), html: m('html') };
    t.elements = t.runs[0].nodes;
    const verdict = t.peer ? '(peer)' : (t.median.load < TARGET_MS ? 'OK' : 'MISSED');
    console.log(`${jpad(t.name, 34)}${lpad(t.median.load.toFixed(0), 9)}${lpad(Math.min(...loads).toFixed(0), 7)}${lpad(Math.max(...loads).toFixed(0), 7)}` +
      `${lpad(t.median.dcl.toFixed(0), 8)}${lpad(Number.isNaN(t.median.fcp) ? '-' : t.median.fcp.toFixed(0), 8)}` +
      `${lpad(t.median.ttfb.toFixed(0), 7)}${lpad(t.median.html.toFixed(0), 7)}${lpad(t.elements, 9)}  ${verdict}`);
  }
  console.log('DCL = DOMContentLoaded end, FCP = first contentful paint, TTFB = first byte of the page, HTML = its last byte (ms);');
  console.log('elements = elements in the page (the DOM size Chromium lays out).');

  fs.writeFileSync(config.out, JSON.stringify({
    weights,
    render: renders.map((t) => ({ name: t.name, peer: !!t.peer, median: t.median, elements: t.elements, runs: t.runs })),
  }, null, 2));
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
