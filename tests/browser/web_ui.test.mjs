// The web pages end to end, as the officers of the demo association use them: home,
// folders, uploading with progress, finding a document by a word in it, previews, the
// trash, versions, what a member without rights sees, cross-site refusal, hostile names.
// One kirokud for the file: the tests run in order and build on each other's files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { DEMO, checkPage, launchBrowser, login, startKiroku } from './lib.mjs';

const corpus = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'corpus');
const MINUTES = '/files/' + encodeURIComponent('桜ヶ丘自治区') + '/' + encodeURIComponent('議事録') + '/';

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

async function as(who) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const blocked = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/.test(m.text())) blocked.push(m.text()); });
  await login(page, kiroku.url, DEMO[who].name, DEMO[who].password);
  return { context, page, dialogs, blocked };
}

// The index follows changes within moments; wait until a search finds `word`.
async function searchUntilFound(page, word, expected) {
  for (let i = 0; i < 60; i += 1) {
    await page.goto(`${kiroku.url}/search?q=${encodeURIComponent(word)}`);
    if ((await page.locator('.hit', { hasText: expected }).count()) > 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`searching ${word} never found ${expected}`);
}

test('home shows who I am, my role and term in plain words, my folders and recent changes', async () => {
  const { context, page, blocked } = await as('yamada');
  const roles = await page.locator('.role').allInnerTexts();
  assert.ok(roles.some((r) => /令和\d+年度\s*桜ヶ丘自治区 区長/.test(r)), roles.join(' | '));
  const tiles = await page.locator('.tile').allInnerTexts();
  for (const name of ['議事録', '名簿', '回覧']) assert.ok(tiles.includes(name), tiles.join(','));
  assert.ok((await page.locator('.changes li').count()) > 0, 'no recent changes');
  await checkPage(page, 'home');
  assert.deepEqual(blocked, []);
  await context.close();
});

test('a folder lists its files with kind, 年度, updated date and who updated them', async () => {
  const { context, page } = await as('yamada');
  await page.goto(kiroku.url + MINUTES);
  assert.equal((await page.locator('h1').innerText()).trim(), '議事録');
  const crumbs = await page.locator('.breadcrumbs li').allInnerTexts();
  assert.deepEqual(crumbs, ['すべてのフォルダ', '桜ヶ丘自治区', '議事録']);
  const row = page.locator('tr', { hasText: '令和7年度_定期総会議事録.txt' });
  assert.match(await row.innerText(), /文字だけのファイル/);
  assert.match(await row.innerText(), /令和7年度/);
  assert.match(await row.innerText(), /令和\d+年\d+月\d+日/);
  await checkPage(page, 'folder');
  await context.close();
});

test('two Japanese-named files upload with a progress bar each, then show in the list', async () => {
  const { context, page, blocked } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES);
  await page.setInputFiles('#upload-files', [
    { name: '令和8年度 第3回役員会 議事録.txt', mimeType: 'text/plain',
      buffer: Buffer.from('第3回役員会\nひまわり防災訓練の日程を決めた。\n') },
    { name: '防災訓練の案内（案）.txt', mimeType: 'text/plain',
      buffer: Buffer.from('ひまわり公園に集合してください。\n') },
  ]);
  await page.click('#upload-submit');
  await page.locator('#upload-progress progress').first().waitFor();
  // Both lines at once, the second waiting its turn (they were made as each was sent,
  // so the second was missing while the first was going: a flaky failure in CI).
  assert.equal(await page.locator('#upload-progress progress').count(), 2);
  await page.waitForURL(/done=uploaded/);
  assert.match(await page.locator('.notice').innerText(), /2 件のファイルを入れました/);
  const names = await page.locator('td.name').allInnerTexts();
  assert.ok(names.includes('令和8年度 第3回役員会 議事録.txt'), names.join(','));
  assert.ok(names.includes('防災訓練の案内（案）.txt'), names.join(','));
  assert.match(await page.locator('tr', { hasText: '防災訓練の案内' }).innerText(), /鈴木/);
  assert.deepEqual(blocked, []);
  await context.close();
});

test('a word inside a document finds it, highlighted, with its folder, 年度 and date', async () => {
  const { context, page } = await as('suzuki');
  await searchUntilFound(page, 'ひまわり防災訓練', '令和8年度 第3回役員会 議事録.txt');
  const hit = page.locator('.hit', { hasText: '令和8年度 第3回役員会 議事録.txt' });
  assert.match(await hit.locator('mark').first().innerText(), /ひまわり防災訓練/);
  assert.match(await hit.locator('.hit-meta').innerText(), /桜ヶ丘自治区\/議事録/);
  await checkPage(page, 'search');
  await page.goto(`${kiroku.url}/search?q=${encodeURIComponent('存在しない言葉ぞろぞろ')}`);
  assert.match(await page.locator('.card h3').innerText(), /見つかりませんでした/);
  await checkPage(page, 'search-nothing');
  await context.close();
});

test('a PDF previews inline and an Office file shows the text the index read', async () => {
  const { context, page } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES);
  await page.setInputFiles('#upload-files', [
    path.join(corpus, '桜ヶ丘自治区', '会計', '令和4年度 決算報告書.pdf'),
    path.join(corpus, '桜ヶ丘自治区', '議事録', '令和6年度_第3回役員会議事録.docx'),
  ]);
  await page.click('#upload-submit');
  await page.waitForURL(/done=uploaded/);
  await searchUntilFound(page, '繰越金', '令和4年度 決算報告書.pdf');
  await page.click('.hit h3 a >> text=令和4年度 決算報告書.pdf');
  assert.equal(await page.locator('h1').innerText(), '令和4年度 決算報告書.pdf');
  const frame = page.locator('iframe.preview-pdf');
  assert.equal(await frame.count(), 1);
  const raw = await page.request.get(kiroku.url + await frame.getAttribute('src'));
  assert.equal(raw.status(), 200);
  assert.equal(raw.headers()['content-type'], 'application/pdf');
  assert.match(raw.headers()['content-security-policy'], /sandbox/);
  assert.match(await page.locator('#preview-text').innerText(), /繰越金/);
  await checkPage(page, 'file-pdf');
  await page.goto(kiroku.url + MINUTES + encodeURIComponent('令和6年度_第3回役員会議事録.docx'));
  for (let i = 0; i < 40 && (await page.locator('#preview-text').count()) === 0; i += 1) {
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
  assert.match(await page.locator('#preview-text').innerText(), /役員会/);
  await checkPage(page, 'file-office');
  await context.close();
});

test('a new folder with a name Windows cannot store is refused at the top and at the field', async () => {
  const { context, page } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES);
  await page.click('text=新しいフォルダを作る');
  await page.fill('#folder-name', '令和8年度:資料');
  await page.click('main form button[type=submit]');
  assert.match(await page.locator('.error-summary').innerText(), /Windows で使えない文字/);
  assert.match(await page.locator('.field-error').innerText(), /Windows で使えない文字/);
  assert.equal(await page.inputValue('#folder-name'), '令和8年度:資料');
  await checkPage(page, 'new-folder-error');
  await page.fill('#folder-name', '令和8年度 資料');
  await page.click('main form button[type=submit]');
  assert.match(await page.locator('.notice').innerText(), /令和8年度 資料/);
  await page.click('text=このフォルダの名前を変える');
  await checkPage(page, 'rename');
  await page.fill('#new-name', '令和8年度 総会資料');
  await page.click('main form button[type=submit]');
  assert.equal((await page.locator('h1').innerText()).trim(), '令和8年度 総会資料');
  const missing = await page.goto(kiroku.url + MINUTES + encodeURIComponent('ない.txt'));
  assert.equal(missing.status(), 404);
  await checkPage(page, 'error-404');
  await context.close();
});

// Regression (web UI review): a form sent after the login had timed out lost what the
// person typed. It now rides along in the login page and is offered again after logging in.
test('what was typed survives the end of a login: after logging in again it can be sent', async () => {
  const { context, page } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES);
  await page.click('text=新しいフォルダを作る');
  await page.fill('#folder-name', '令和8年度 会計資料');
  await context.clearCookies();  // the login ends while the person is typing
  await page.click('main form button[type=submit]');
  assert.match(await page.locator('main').innerText(), /入力した内容は消えていません/);
  await page.fill('#login-name', DEMO.suzuki.name);
  await page.fill('#login-password', 'not-the-password');
  await page.click('#login-form button');
  assert.match(await page.locator('.error-summary').innerText(), /パスワードがちがいます/);
  assert.match(await page.locator('main').innerText(), /入力した内容は消えていません/);
  await checkPage(page, 'login-kept');
  await page.fill('#login-name', DEMO.suzuki.name);
  await page.fill('#login-password', DEMO.suzuki.password);
  await Promise.all([page.waitForNavigation(), page.click('#login-form button')]);
  assert.equal(new URL(page.url()).pathname, '/resume');
  await checkPage(page, 'resume');
  await Promise.all([page.waitForNavigation(), page.click('#resume-form button[type=submit]')]);
  assert.match(await page.locator('.notice').innerText(), /令和8年度 会計資料/);
  await page.goto(`${kiroku.url}/resume`);  // offered once
  assert.equal(new URL(page.url()).pathname, '/');
  await context.close();
});

test('a file deleted by mistake goes to the trash after a plain question, and comes back', async () => {
  const { context, page } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES + encodeURIComponent('防災訓練の案内（案）.txt'));
  await page.click('text=ゴミ箱に入れる');
  assert.match(await page.locator('h1').innerText(), /ゴミ箱に入れますか/);
  await checkPage(page, 'delete-confirm');
  await page.click('#confirm-delete');
  assert.match(await page.locator('.notice').innerText(), /ゴミ箱に入れました/);
  assert.equal(await page.locator('td.name', { hasText: '防災訓練の案内（案）.txt' }).count(), 0);
  await page.goto(`${kiroku.url}/trash`);
  const row = page.locator('tr', { hasText: '防災訓練の案内（案）.txt' });
  assert.match(await row.innerText(), /鈴木/);
  await checkPage(page, 'trash');
  await row.locator('button').click();
  await page.waitForURL(/done=restored/);
  assert.match(await page.locator('.notice').innerText(), /元の場所にもどしました/);
  await page.goto(kiroku.url + MINUTES);
  assert.equal(await page.locator('td.name', { hasText: '防災訓練の案内（案）.txt' }).count(), 1);
  await context.close();
});

test('a file moves to another folder the person may write, chosen from a list', async () => {
  const { context, page } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES + encodeURIComponent('防災訓練の案内（案）.txt'));
  await page.click('text=別のフォルダへ移す');
  const options = await page.locator('#move-to option').allInnerTexts();
  assert.ok(options.includes('桜ヶ丘自治区/その他'), options.join(','));
  assert.ok(!options.includes('桜ヶ丘自治区/議事録'), 'the folder it is in is offered');
  assert.ok(!options.some((o) => o.startsWith('緑町自治区')), 'a folder of another association is offered');
  await checkPage(page, 'move');
  await page.selectOption('#move-to', '桜ヶ丘自治区/その他');
  await page.click('#move-submit');
  assert.match(await page.locator('.notice').innerText(), /移しました/);
  assert.equal(await page.locator('td.name', { hasText: '防災訓練の案内（案）.txt' }).count(), 1);
  assert.match(decodeURIComponent(page.url()), /その他/);
  await context.close();
});

test('a folder list prints on A4 without the menus, with the date printed', async () => {
  const { context, page } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.equal(await page.locator('#upload-form').isVisible(), false);
  assert.match(await page.locator('.print-date').innerText(), /印刷した日/);
  assert.ok(await page.locator('table.files thead').isVisible());
  await page.pdf({ path: path.join(process.env.SCREENSHOT_DIR || path.join(corpus, '..', '..', 'build', 'screenshots'), 'folder-print.pdf'), format: 'A4' });
  await context.close();
});

test('an earlier version can be looked at, then restored', async () => {
  const { context, page } = await as('suzuki');
  const name = '令和8年度 第3回役員会 議事録.txt';
  await page.goto(kiroku.url + MINUTES);
  await page.setInputFiles('#upload-files', [{ name, mimeType: 'text/plain', buffer: Buffer.from('書きかえた版\n') }]);
  await page.click('#upload-submit');
  await page.waitForURL(/done=uploaded/);
  await page.goto(kiroku.url + MINUTES + encodeURIComponent(name));
  await page.click('text=バージョン履歴');
  const rows = page.locator('tbody tr');
  assert.equal(await rows.count(), 2);  // the current one and one earlier version
  const view = await page.request.get(kiroku.url + await rows.nth(1).locator('a', { hasText: '中身を見る' }).getAttribute('href'));
  assert.match(await view.text(), /ひまわり防災訓練/);
  await checkPage(page, 'versions');
  await rows.nth(1).locator('button').click();
  await page.waitForURL(/done=version_restored/);
  const now = await page.request.get(`${kiroku.url}/raw/${encodeURIComponent('桜ヶ丘自治区')}/${encodeURIComponent('議事録')}/${encodeURIComponent(name)}`);
  assert.match(await now.text(), /ひまわり防災訓練/);
  // A version that must be kept gets a name.
  await page.locator('tbody tr').nth(1).locator('a', { hasText: '名前をつけて残す' }).click();
  await page.fill('#version-label', '総会提出版');
  await checkPage(page, 'version-label');
  await page.click('main form button[type=submit]');
  await page.waitForURL(/done=version_labelled/);
  assert.match(await page.locator('tbody').innerText(), /総会提出版/);
  await context.close();
});

test('a member without rights sees neither the folder nor its files, not in search or recent changes', async () => {
  const { context, page } = await as('ito');
  const response = await page.goto(kiroku.url + MINUTES);
  assert.equal(response.status(), 404);
  const file = await page.goto(kiroku.url + MINUTES + encodeURIComponent('令和8年度 第3回役員会 議事録.txt'));
  assert.equal(file.status(), 404);
  const rawFile = await page.request.get(`${kiroku.url}/raw/${encodeURIComponent('桜ヶ丘自治区')}/${encodeURIComponent('議事録')}/${encodeURIComponent('令和8年度 第3回役員会 議事録.txt')}`);
  assert.equal(rawFile.status(), 404);
  await page.goto(`${kiroku.url}/search?q=${encodeURIComponent('ひまわり防災訓練')}`);
  assert.equal(await page.locator('.hit').count(), 0);
  assert.match(await page.locator('.count').innerText(), /^0 件/);
  await page.goto(`${kiroku.url}/`);
  const home = await page.locator('main').innerText();
  assert.ok(!home.includes('議事録'), 'the member sees the minutes folder or its changes on the home page');
  assert.ok(!home.includes('防災訓練'), 'the member sees a file of the minutes in recent changes');
  await checkPage(page, 'home-member');
  await page.goto(`${kiroku.url}/trash`);
  assert.equal(await page.locator('tbody tr').count(), 0);
  await context.close();
});

test('a change asked from another origin is refused and changes nothing', async () => {
  const { context, page } = await as('suzuki');
  const target = '桜ヶ丘自治区/議事録/令和7年度_定期総会議事録.txt';
  const evil = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<form id=f method=post action="${kiroku.url}/delete"><input name=path value="${target}"></form>` +
      '<script>document.getElementById("f").submit()</script>');
  });
  await new Promise((r) => evil.listen(0, '127.0.0.1', r));
  const evilUrl = `http://localhost:${evil.address().port}/`;
  const [response] = await Promise.all([
    page.waitForNavigation({ url: /\/delete$/ }),
    page.goto(evilUrl),
  ]);
  assert.equal(response.status(), 403);
  evil.close();
  await page.goto(kiroku.url + MINUTES);
  assert.equal(await page.locator('td.name', { hasText: '令和7年度_定期総会議事録.txt' }).count(), 1);
  // The same form without the session's token is refused from this origin too.
  const direct = await page.request.post(`${kiroku.url}/delete`, { form: { path: target } });
  assert.equal(direct.status(), 403);
  await context.close();
});

test('hostile file names show as text: no markup, no script', async () => {
  const { context, page, dialogs } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES);
  const hostile = "' onfocus='alert(1)' autofocus='&lt;b&gt;.txt";
  await page.setInputFiles('#upload-files', [
    { name: '<img src=x onerror=alert(1)>.txt', mimeType: 'text/plain', buffer: Buffer.from('x') },
  ]);
  await page.click('#upload-submit');
  const failed = page.locator('#upload-progress .failed');
  await failed.waitFor();
  assert.match(await failed.innerText(), /Windows で使えない文字/);
  await page.setInputFiles('#upload-files', [{ name: hostile, mimeType: 'text/plain', buffer: Buffer.from('<script>alert(2)</script>') }]);
  await page.click('#upload-submit');
  await page.waitForURL(/done=uploaded/);
  assert.equal(await page.locator('td.name', { hasText: hostile }).count(), 1);
  await page.click(`td.name a >> text=${hostile}`);
  assert.equal(await page.locator('h1').innerText(), hostile);
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, []);
  await context.close();
});

test('a file named <img src=x onerror=alert(1)>.txt, put on the disk by hand, shows as text', async () => {
  const name = '<img src=x onerror=alert(1)>.txt';
  fs.writeFileSync(path.join(kiroku.dataDir, 'files', '桜ヶ丘自治区', '議事録', name), '<script>alert(3)</script>\n');
  const { context, page, dialogs } = await as('suzuki');
  await page.goto(kiroku.url + MINUTES);
  const cell = page.locator('td.name', { hasText: name });
  if ((await cell.count()) > 0) {
    assert.equal(await page.locator('td.name img[src="x"]').count(), 0);
    await cell.locator('a').click();
    assert.equal((await page.locator('h1').innerText()).trim(), name);
  }
  await page.goto(`${kiroku.url}/`);
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, []);
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  await context.close();
});

test('without JavaScript every page still works as plain forms: an upload and its failures', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await login(page, kiroku.url, DEMO.suzuki.name, DEMO.suzuki.password);
  await page.goto(kiroku.url + MINUTES);
  assert.equal(await page.locator('#drop-zone').isVisible(), false);
  await page.setInputFiles('#upload-files', [
    { name: 'ふつうの名前.txt', mimeType: 'text/plain', buffer: Buffer.from('a') },
    { name: 'だめ|な名前.txt', mimeType: 'text/plain', buffer: Buffer.from('b') },
  ]);
  await Promise.all([page.waitForNavigation(), page.click('#upload-submit')]);
  assert.match(await page.locator('.error-summary').innerText(), /だめ\|な名前\.txt/);
  assert.match(await page.locator('main').innerText(), /「ふつうの名前\.txt」を入れました/);
  await context.close();
  // The same answer page, checked where axe can run: the form sent as a browser without
  // the script sends it (submit() skips the script's handler).
  const withJs = await as('suzuki');
  await withJs.page.goto(kiroku.url + MINUTES);
  await withJs.page.setInputFiles('#upload-files', [
    { name: 'だめ*な名前.txt', mimeType: 'text/plain', buffer: Buffer.from('c') },
  ]);
  await Promise.all([
    withJs.page.waitForNavigation(),
    withJs.page.evaluate(() => HTMLFormElement.prototype.submit.call(document.getElementById('upload-form'))),
  ]);
  assert.match(await withJs.page.locator('.error-summary').innerText(), /だめ\*な名前\.txt/);
  await checkPage(withJs.page, 'upload-result');
  await withJs.context.close();
});

test('settings: the largest text size stays put and every page still fits a phone', async () => {
  const { context, page } = await as('yamada');
  await page.goto(`${kiroku.url}/settings`);
  await checkPage(page, 'settings');
  await page.check('#size-xl');
  await page.click('main button[type=submit]');
  assert.match(await page.locator('.notice').innerText(), /設定を保存しました/);
  assert.equal(await page.getAttribute('html', 'class'), 'size-xl');
  await page.setViewportSize({ width: 390, height: 844 });
  for (const where of ['/', MINUTES, '/search?q=' + encodeURIComponent('総会'), '/trash', '/connect']) {
    await page.goto(kiroku.url + where);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `${where} is ${wide}px wide at the largest text size`);
  }
  await page.goto(`${kiroku.url}/`);
  await checkPage(page, 'home-xl');
  await page.goto(`${kiroku.url}/connect`);
  assert.match(await page.locator('main').innerText(), /@SSL@/);
  await checkPage(page, 'connect');
  await context.close();
});
