// Browser half of bench/handover.sh: the render time of a handover page (引継ぎ書) listing a
// role's thousands of documents, in headless Debian Chromium with CPU throttling, driven by
// playwright-core from tests/browser/node_modules (as bench/web-render.mjs is).
//
//   node bench/handover-render.mjs CONFIG.json
//
// CONFIG.json (written by bench/handover.sh):
//   { "chromium": "/usr/bin/chromium", "kiroku": "http://127.0.0.1:PORT",
//     "user": "yamada", "password": "…",                 logged in through /login
//     "render": [ { "name", "path", "as": true|false, "peer": false, "rows": 5007 } ],
//     "runs": 5, "peerRuns": 3, "throttle": 4, "targetMs": 1000, "out": "results.json" }
//
// "as": true loads the page with the user's session cookie, false without one. "rows": the
// number of documents the page must list in its inventory (checked on every load).
// "peer" targets are for comparison only, not judged, and load in the first "peerRuns" turns.
// Render time: CDP Emulation.setCPUThrottlingRate, a fresh context per run (empty cache),
// Navigation Timing loadEventEnd - startTime; the targets take turns, one warm-up load each
// (not counted, not throttled) first. Prints a table; writes the figures to "out" as JSON.
// Exit status: 0 once printed; 1 when Chromium, the login or a page fails (not a slow page).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireBrowser = createRequire(path.join(here, '../tests/browser/package.json'));
const { chromium } = requireBrowser('playwright-core');

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const RUNS = config.runs ?? 5;
const THROTTLE = config.throttle ?? 4;
const TARGET_MS = config.targetMs ?? 1000;
const VIEWPORT = { width: 1280, height: 900 };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
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
const fail = (msg) => { console.error(`handover-render: ERROR: ${msg}`); failed = true; };

try {
  // ---- logging in through the login page, as a person does ----------------------------
  let session;
  {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${config.kiroku}/login`);
    await page.fill('#login-name', config.user);
    await page.fill('#login-password', config.password);
    await Promise.all([
      page.waitForNavigation(),
      page.click('#login-form :is(button:not([type]), [type="submit"])'),
    ]);
    if (new URL(page.url()).pathname === '/login') throw new Error(`login as ${config.user} was refused`);
    session = (await context.cookies()).filter((c) => c.name === 'kiroku_session');
    if (session.length !== 1) throw new Error(`no kiroku_session cookie after logging in as ${config.user}`);
    await context.close();
  }

  async function render(target, throttle) {
    const context = await browser.newContext({ viewport: VIEWPORT });
    if (target.as) await context.addCookies(session);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const url = `${config.kiroku}${target.path}`;
    const response = await page.goto(url, { waitUntil: 'load', timeout: 120000 });
    await page.waitForFunction(() => performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0);
    const t = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0];
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {
        load: n.loadEventEnd - n.startTime, dcl: n.domContentLoadedEventEnd - n.startTime,
        ttfb: n.responseStart - n.startTime, html: n.responseEnd - n.startTime,
        fcp: fcp ? fcp.startTime : NaN, nodes: document.getElementsByTagName('*').length,
        bytes: n.transferSize,
        rows: document.querySelectorAll('section[aria-labelledby="inventory-heading"] ul.records > li').length,
      };
    });
    const status = response ? response.status() : 0;
    const finalPath = new URL(page.url()).pathname;
    await context.close();
    if (status !== 200) throw new Error(`${target.name}: ${url} answered ${status}`);
    if (finalPath !== new URL(url).pathname) throw new Error(`${target.name}: ${url} ended at ${finalPath} (not logged in?)`);
    if (target.rows !== undefined && t.rows !== target.rows) {
      throw new Error(`${target.name}: the page lists ${t.rows} documents, expected ${target.rows}`);
    }
    return t;
  }

  const t0 = Date.now();
  const renders = config.render.map((t) => ({ ...t, runs: [] }));
  for (const t of renders) await render(t, 1);  // warm-up: Chromium's and kirokud's caches
  const PEER_RUNS = Math.min(RUNS, config.peerRuns ?? 3);
  for (let i = 0; i < RUNS; i += 1) {
    for (const t of renders) if (!t.peer || i < PEER_RUNS) t.runs.push(await render(t, THROTTLE));
  }
  console.error(`== render times: ${renders.reduce((n, t) => n + t.runs.length + 1, 0)} loads in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  console.log(`Render time in headless Chromium with ${THROTTLE}x CPU throttling (CDP Emulation.setCPUThrottlingRate), median of ${RUNS}` +
    (PEER_RUNS < RUNS ? ` (context pages ${PEER_RUNS})` : ''));
  console.log(`fresh context per run (empty cache); load = loadEventEnd - navigation start; target < ${TARGET_MS} ms for the handover page`);
  console.log(`${jpad('page', 40)}${lpad('load ms', 9)}${lpad('(min', 7)}${lpad('max)', 7)}${lpad('DCL ms', 8)}${lpad('FCP ms', 8)}${lpad('TTFB', 7)}${lpad('HTML', 7)}${lpad('KB', 7)}${lpad('elements', 9)}  verdict`);
  for (const t of renders) {
    const m = (k) => median(t.runs.map((r) => r[k]));
    const loads = t.runs.map((r) => r.load);
    t.median = { load: m('load'), dcl: m('dcl'), fcp: m('fcp'), ttfb: m('ttfb'), html: m('html') };
    t.elements = t.runs[0].nodes;
    t.kb = t.runs[0].bytes / 1024;
    const verdict = t.peer ? '(context)' : (t.median.load < TARGET_MS ? 'OK' : 'MISSED');
    console.log(`${jpad(t.name, 40)}${lpad(t.median.load.toFixed(0), 9)}${lpad(Math.min(...loads).toFixed(0), 7)}${lpad(Math.max(...loads).toFixed(0), 7)}` +
      `${lpad(t.median.dcl.toFixed(0), 8)}${lpad(Number.isNaN(t.median.fcp) ? '-' : t.median.fcp.toFixed(0), 8)}` +
      `${lpad(t.median.ttfb.toFixed(0), 7)}${lpad(t.median.html.toFixed(0), 7)}${lpad(t.kb.toFixed(0), 7)}${lpad(t.elements, 9)}  ${verdict}`);
  }
  console.log('DCL = DOMContentLoaded end, FCP = first contentful paint, TTFB = first byte of the page, HTML = its last byte (ms);');
  console.log('KB = the page as received (headers + HTML as sent: kirokud gzips it); elements = elements in the page (the DOM size Chromium lays out).');

  fs.writeFileSync(config.out, JSON.stringify({
    render: renders.map((t) => ({ name: t.name, peer: !!t.peer, median: t.median, elements: t.elements, kb: t.kb, runs: t.runs })),
  }, null, 2));
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
