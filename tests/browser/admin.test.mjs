// 管理: people, roles and terms, folder permissions in plain words, the audit log and the
// index's state, as an administrator and as a 区長 who manages an association; a plain
// member has no way in.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { checkPage, launchBrowser, loginAs, startKiroku } from './lib.mjs';

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

const as = (who) => loginAs(browser, kiroku.url, who);

test('an administrator adds a person, then appoints them to a role for next 年度', async () => {
  const { context, page } = await as('admin');
  await page.click('.site-nav a[href="/admin"]');
  await checkPage(page, 'admin');
  await page.click('text=使う人');
  await page.fill('#person-name', 'kimura');
  await page.fill('#person-display', '木村 花');
  await page.fill('#person-password', 'kimura-pass-1');
  await page.click('main form[action="/admin/people"] button[type=submit]');
  assert.match(await page.locator('.notice').innerText(), /kimura/);
  await checkPage(page, 'admin-people');
  await page.click('a[href*="password?name=kimura"]');
  await page.fill('#new-password', 'kimura-pass-2');
  await checkPage(page, 'admin-password');
  await page.click('main form button[type=submit]');
  assert.match(await page.locator('.notice').innerText(), /新しいパスワード/);
  await page.goto(`${kiroku.url}/admin/roles?org=${encodeURIComponent('桜ヶ丘自治区')}`);
  await checkPage(page, 'admin-roles');
  const row = page.locator('tr', { has: page.locator('th', { hasText: /^会計$/ }) });
  await row.locator('td').nth(1).locator('a').click();
  assert.match(await page.locator('.big-name').innerText(), /会計/);
  await page.selectOption('#assign-user', 'kimura');
  await page.waitForTimeout(1100);  // display names are re-read at most once a second
  await checkPage(page, 'admin-assign');
  await page.click('#assign-submit');
  assert.match(await page.locator('.notice').innerText(), /木村 花/);
  const next = await page.locator('tr', { has: page.locator('th', { hasText: /^会計$/ }) }).locator('td').nth(1).innerText();
  assert.match(next, /木村 花/);
  // Ending this year's 書記 term asks first, in plain words.
  const clerk = page.locator('tr', { has: page.locator('th', { hasText: /^書記$/ }) });
  await clerk.locator('td').first().locator('button', { hasText: '任期を終える' }).click();
  assert.match(await page.locator('h1').innerText(), /任期を今日で終えますか/);
  await checkPage(page, 'admin-end-term');
  await page.click('text=やめる');
  // The CLI sees the same term, starting on April 1 of next fiscal year.
  const terms = kiroku.cli(['role', 'list']);
  assert.match(terms, /kimura/);
  await context.close();
});

test('a bad person is refused with the reason at the top and at the field', async () => {
  const { context, page } = await as('admin');
  await page.goto(`${kiroku.url}/admin/people`);
  await page.fill('#person-name', 'bad name!');
  await page.fill('#person-display', 'x');
  await page.fill('#person-password', 'short');
  await page.click('main form[action="/admin/people"] button[type=submit]');
  assert.ok(await page.locator('.error-summary').isVisible());
  assert.equal(await page.inputValue('#person-display'), 'x');
  await context.close();
});

test('permissions read as sentences; a 区長 sees the audit log of the association', async () => {
  const { context, page } = await as('yamada');
  await page.goto(`${kiroku.url}/admin/permissions?path=${encodeURIComponent('桜ヶ丘自治区/名簿')}`);
  const sentences = await page.locator('.acl .sentence').allInnerTexts();
  assert.ok(sentences.some((s) => /桜ヶ丘自治区の区長は (読み書きできます|管理できます)/.test(s)), sentences.join(' | '));
  await checkPage(page, 'admin-permissions');
  await page.goto(`${kiroku.url}/admin/audit?path=${encodeURIComponent('桜ヶ丘自治区')}`);
  assert.ok((await page.locator('tbody tr').count()) > 0);
  await checkPage(page, 'admin-audit');
  await context.close();
});

test('an administrator adds an association to a district; its folders appear', async () => {
  const { context, page } = await as('admin');
  await page.goto(`${kiroku.url}/admin/orgs`);
  await page.fill('#org-name', '若葉町自治会');
  await page.selectOption('#org-kind', 'association');
  await page.selectOption('#org-parent', '東山地区');
  await page.click('main form[action="/admin/orgs"] button[type=submit]');
  assert.match(await page.locator('.notice').innerText(), /若葉町自治会/);
  assert.match(await page.locator('tr', { hasText: '若葉町自治会' }).innerText(), /東山地区/);
  await checkPage(page, 'admin-orgs');
  await page.goto(`${kiroku.url}/files/${encodeURIComponent('若葉町自治会')}/`);
  assert.ok((await page.locator('td.name', { hasText: '議事録' }).count()) === 1);
  await context.close();
});

test('the index page shows its counts to an administrator', async () => {
  const { context, page } = await as('admin');
  await page.goto(`${kiroku.url}/admin/index`);
  assert.match(await page.locator('.facts').innerText(), /\d/);
  await checkPage(page, 'admin-index');
  await context.close();
});

test('a plain member has no manage menu and the manage pages refuse them', async () => {
  const { context, page } = await as('ito');
  assert.equal(await page.locator('.site-nav a[href="/admin"]').count(), 0);
  const response = await page.goto(`${kiroku.url}/admin`);
  assert.equal(response.status(), 403);
  const roles = await page.goto(`${kiroku.url}/admin/roles`);
  assert.equal(roles.status(), 403);
  const people = await page.goto(`${kiroku.url}/admin/people`);
  assert.equal(people.status(), 403);
  await checkPage(page, 'error-403');
  const index = await page.goto(`${kiroku.url}/admin/index`);
  assert.equal(index.status(), 403);
  await context.close();
});
