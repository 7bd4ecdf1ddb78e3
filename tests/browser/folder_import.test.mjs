// A whole folder into the drive from the browser: an officer picks the folder of an old
// PC (Japanese names, sub-folders, the junk Windows and a Mac leave), it arrives with its
// sub-folders and the files' own dates, with one progress bar and a summary at the end;
// picking it again brings nothing in twice.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { checkPage, launchBrowser, loginAs, startKiroku } from './lib.mjs';

const SPACE = '/files/' + encodeURIComponent('桜ヶ丘自治区') + '/';
let kiroku;
let browser;
let tree;

// 会計の引継ぎ/ (4 files to add, 3 junk) with 令和5年度/ and 令和5年度/領収書/ below it.
function makeTree() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiroku-folder-'));
  const top = path.join(root, '会計の引継ぎ');
  fs.mkdirSync(path.join(top, '令和5年度', '領収書'), { recursive: true });
  const put = (rel, text, date) => {
    const file = path.join(top, rel);
    fs.writeFileSync(file, text);
    if (date) fs.utimesSync(file, date, date);
  };
  put('引継ぎメモ.txt', '通帳と印鑑は金庫にあります。', new Date('2020-06-01T10:00:00+09:00'));
  put('令和5年度/収支報告.txt', '令和5年度の収支報告。会費収入は三十万円。');
  put('令和5年度/領収書/領収書一覧.txt', '街灯の電気代の領収書。');
  put('令和5年度/予算案.txt', '令和6年度の予算案。');
  put('Thumbs.db', 'junk');
  put('desktop.ini', 'junk');
  put('令和5年度/~$収支報告.docx', 'junk');
  return { root, top };
}

before(async () => {
  tree = makeTree();
  kiroku = await startKiroku();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await kiroku?.stop();
  if (tree) fs.rmSync(tree.root, { recursive: true, force: true });
});

async function pickAndSend(page) {
  await page.goto(kiroku.url + SPACE);
  await page.locator('#folder-field').waitFor();
  await page.setInputFiles('#upload-folder', tree.top);
  await page.click('#upload-submit');
  await page.locator('#folder-summary a.button').waitFor({ timeout: 60000 });
  return page.locator('#folder-summary').innerText();
}

test('a picked folder arrives with its sub-folders and dates; the junk stays out', async () => {
  const { context, page } = await loginAs(browser, kiroku.url, 'yamada');
  const summary = await pickAndSend(page);
  assert.match(summary, /新しく入れたもの 4 件/);
  assert.match(summary, /入れなかった不要なファイル 3 件/);
  assert.match(summary, /作ったフォルダ 3 件/);
  assert.doesNotMatch(summary, /入れられなかったもの/);
  assert.equal(await page.locator('#folder-bar').evaluate((b) => b.value === b.max), true);
  assert.match(await page.locator('#folder-count').innerText(), /7 \/ 7 件/);
  await checkPage(page, 'folder-import');

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.click('#folder-summary a.button');
  await page.click('a:has-text("会計の引継ぎ")');
  const names = await page.locator('td.name').allInnerTexts();
  assert.deepEqual(names.map((n) => n.trim()).sort(), ['令和5年度', '引継ぎメモ.txt'].sort());
  // The file's own date from the PC, not the day it was sent.
  assert.match(await page.locator('tr', { hasText: '引継ぎメモ.txt' }).innerText(), /令和2年6月1日/);
  await page.click('a:has-text("令和5年度")');
  const inner = (await page.locator('td.name').allInnerTexts()).map((n) => n.trim()).sort();
  assert.deepEqual(inner, ['予算案.txt', '収支報告.txt', '領収書'].sort());
  await context.close();
});

test('the same folder picked again brings nothing in twice', async () => {
  const { context, page } = await loginAs(browser, kiroku.url, 'yamada');
  const summary = await pickAndSend(page);
  assert.match(summary, /新しく入れたもの 0 件/);
  assert.match(summary, /同じ内容なのでそのままのもの 4 件/);
  assert.match(summary, /作ったフォルダ 0 件/);
  const versions = `${kiroku.url}/versions?path=${encodeURIComponent('桜ヶ丘自治区/会計の引継ぎ/引継ぎメモ.txt')}`;
  await page.goto(versions);
  assert.equal(await page.locator('table.files tbody tr:not(.current)').count(), 0, 'a version of the same bytes');
  await context.close();
});

test('a member who may only read a folder is refused, and nothing is made', async () => {
  const { context, page } = await loginAs(browser, kiroku.url, 'ito');
  const circular = SPACE + encodeURIComponent('回覧') + '/';
  await page.goto(kiroku.url + circular);
  assert.equal(await page.locator('#upload-folder').count(), 0, 'a reader is offered no upload');
  // Sent by hand anyway: refused, and no folder is made.
  const status = await page.evaluate(async () => {
    const data = new FormData();
    data.append('csrf', document.querySelector('input[name=csrf]').value);
    data.append('folder', '桜ヶ丘自治区/回覧');
    data.append('relpath', '忍び込み');
    data.append('file', new File(['x'], 'x.txt'));
    const r = await fetch('/upload', { method: 'POST', body: data, headers: { Accept: 'application/json' } });
    return r.status;
  });
  assert.equal(status, 403);
  const listing = await page.goto(kiroku.url + circular + encodeURIComponent('忍び込み') + '/');
  assert.equal(listing.status(), 404);
  await context.close();
});
