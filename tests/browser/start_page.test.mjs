// Smoke test of the browser harness: kirokud serves the page at / (today the static start
// page, later the login or home page) and it passes the per-page check.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkPage, launchBrowser, startKiroku } from './lib.mjs';

let kiroku;
let browser;
before(async () => {
  kiroku = await startKiroku();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kiroku?.stop();
});

test('the page at / has a title and a heading, and passes axe at both widths', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${kiroku.url}/`);
  assert.equal(response.status(), 200);
  assert.match(await page.title(), /\S/, 'the page has an empty or no <title>');
  const h1 = page.locator('h1');
  assert.ok(await h1.count() >= 1, 'the page has no <h1>');
  assert.match(await h1.first().innerText(), /\S/, 'the <h1> has no text');
  await checkPage(page, 'start');
  await page.close();
});

// TODO(web UI): the start page of today's build sends no Content-Security-Policy; the web
// UI brings one. Remove the todo option then, so that a missing policy fails the run.
test('the page at / sends a Content-Security-Policy', { todo: 'the web UI adds the policy' }, async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${kiroku.url}/`);
  const policy = response.headers()['content-security-policy'];
  assert.ok(policy, 'no Content-Security-Policy header on /');
  await page.close();
});
