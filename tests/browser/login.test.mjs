// Logging in and out of the web pages: the login page, a wrong password, the session
// cookie, logout, a disabled person's session ending at the next request, and the
// throttle after repeated failures (last: it holds the address for a while).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO, checkPage, launchBrowser, login, logout, startKiroku } from './lib.mjs';

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

async function tryLogin(page, name, password) {
  await page.goto(`${kiroku.url}/login`);
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.click('#login-form button[type=submit]'),
  ]);
  return response;
}

test('/ leads a stranger to the login page, which is Japanese, has a policy and passes axe', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${kiroku.url}/`);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  assert.equal(await page.locator('h1').innerText(), 'ログイン');
  const policy = response.headers()['content-security-policy'];
  assert.ok(policy && !policy.includes('unsafe-inline') && policy.includes("script-src 'self'"), policy);
  await checkPage(page, 'login');
  await page.close();
});

test('a wrong password is refused with a plain message and no session', async () => {
  const page = await browser.newPage();
  const response = await tryLogin(page, DEMO.yamada.name, 'not-the-password');
  assert.equal(response.status(), 401);
  assert.equal(new URL(page.url()).pathname, '/login');
  const summary = page.locator('.error-summary');
  assert.match(await summary.innerText(), /ログイン名かパスワードがちがいます/);
  // The name stays typed; the password does not.
  assert.equal(await page.inputValue('#login-name'), DEMO.yamada.name);
  assert.equal(await page.inputValue('#login-password'), '');
  await checkPage(page, 'login-error');
  const cookies = await page.context().cookies();
  assert.ok(!cookies.some((c) => c.name === 'kiroku_session'), 'a refused login got a session');
  await page.close();
});

test('logging in sets an HttpOnly SameSite cookie and shows the home page; logging out ends it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, kiroku.url, DEMO.yamada.name, DEMO.yamada.password);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await page.locator('.site-user').innerText(), /山田/);
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'kiroku_session');
  assert.ok(cookie, 'no session cookie');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(await page.evaluate(() => document.cookie.includes('kiroku_session')), false);
  await logout(page);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.match(await page.locator('.notice').innerText(), /ログアウトしました/);
  // The old cookie no longer opens anything.
  await context.addCookies([cookie]);
  await page.goto(`${kiroku.url}/files/`);
  assert.equal(new URL(page.url()).pathname, '/login');
  await context.close();
});

test('a page asked for before logging in is shown after it', async () => {
  const page = await browser.newPage();
  await page.goto(`${kiroku.url}/trash`);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.fill('#login-name', DEMO.suzuki.name);
  await page.fill('#login-password', DEMO.suzuki.password);
  await Promise.all([page.waitForNavigation(), page.click('#login-form button[type=submit]')]);
  assert.equal(new URL(page.url()).pathname, '/trash');
  await page.close();
});

test('a disabled person is logged out at the next request', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, kiroku.url, DEMO.sato.name, DEMO.sato.password);
  kiroku.cli(['user', 'disable', DEMO.sato.name]);
  await new Promise((r) => setTimeout(r, 2500));  // people are re-read every 2 seconds
  await page.goto(`${kiroku.url}/`);
  assert.equal(new URL(page.url()).pathname, '/login');
  kiroku.cli(['user', 'enable', DEMO.sato.name]);
  await context.close();
});

test('repeated failures are throttled with a message that says how long to wait', async () => {
  const page = await browser.newPage();
  let response;
  for (let i = 0; i < 7; i += 1) response = await tryLogin(page, DEMO.tanaka.name, `wrong-${i}`);
  assert.equal(response.status(), 429);
  assert.match(await page.locator('.error-summary').innerText(), /秒待ってから/);
  // Even the right password waits until the delay has passed.
  response = await tryLogin(page, DEMO.tanaka.name, DEMO.tanaka.password);
  assert.equal(response.status(), 429);
  await page.close();
});
