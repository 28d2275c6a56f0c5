// The page as a seller meets it: GBK files with a bad row, hostile text in a file, both
// languages, and working offline after the first visit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { start, openPage, importFiles, kpis, cliReport, summaryValues, ROOT, ARTIFACTS } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test('a GBK Taobao export with a damaged row: right figures and the skipped-row report', async () => {
  const gbk = readFileSync(join(ROOT, 'tests/fixtures/taobao_orders.gbk.csv'));
  const file = join(ARTIFACTS, 'taobao_bad_row.csv');
  writeFileSync(file, Buffer.concat([gbk, Buffer.from('2101000000000000099,tb_eve,only three fields\r\n')]));
  const page = await openPage(env, 'zh');
  assert.equal(await importFiles(page, file), 'ready');
  assert.deepEqual(await kpis(page), summaryValues(cliReport(file).summary));
  const skipped = await page.textContent('[data-testid="skipped"]');
  assert.match(skipped, /列数与表头不一致/);
  assert.match(skipped, /taobao_bad_row\.csv，第 10 行：这一行的列数与表头不同（3 列，表头有 18 列）/);
  await page.screenshot({ path: join(ARTIFACTS, 'gbk-bad-row-zh.png'), fullPage: true });
});

// In the browser UTF-16 goes through its own TextDecoder, and GBK cells and lists through tables
// taken from it; natively all of it goes through encoding_rs. The two must agree byte for byte.
test('UTF-16 and mixed-encoding files read, and GBK lists written, as the native CLI does', async () => {
  const utf8 = readFileSync(join(ROOT, 'tests/fixtures/taobao_orders.utf8.csv'));
  const utf16 = join(ARTIFACTS, 'taobao_orders.utf16le.csv');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8.toString('utf8'), 'utf16le')]));
  // A UTF-8 export with one row pasted from a GBK export: its cells are read as GBK one by one.
  const gbkRow = readFileSync(join(ROOT, 'tests/fixtures/taobao_orders.gbk.csv'), 'latin1').trimEnd().split('\r\n').pop()
    .replace('2101000000000000008', '2101000000000000009');
  const mixed = join(ARTIFACTS, 'taobao_orders.mixed.csv');
  writeFileSync(mixed, Buffer.concat([utf8, Buffer.from(`${gbkRow}\r\n`, 'latin1')]));
  for (const file of [utf16, mixed]) {
    const page = await openPage(env);
    assert.equal(await importFiles(page, file), 'ready');
    const cli = cliReport(file);
    assert.deepEqual(await kpis(page), summaryValues(cli.summary), file);
    assert.equal(await page.textContent('#notes'), cli.import.notes.map((n) => n.message).join(' '), file);
  }
  const notes = cliReport(mixed).import.notes.map((n) => n.message).join(' ');
  assert.match(notes, /[2-9] cells were not UTF-8 and were read as GBK/);

  const gbk = join(ROOT, 'tests/fixtures/taobao_orders.gbk.csv');
  const dir = join(ARTIFACTS, 'gbk-lists');
  execFileSync(join(ROOT, 'target/release/huitou'), ['campaigns', '--out', dir, '--lang', 'zh', '--gbk', gbk]);
  const page = await openPage(env, 'zh');
  assert.equal(await importFiles(page, gbk), 'ready');
  await page.click('#tab-plan');
  await page.check('#gbk');
  const button = page.locator('[data-testid="plan"] > li button:enabled', { hasText: '下载名单' }).first();
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const bytes = readFileSync(await download.path());
  assert.ok(bytes.includes(Buffer.from([0xd5, 0xc5])), 'the list holds 张 in GBK');
  assert.deepEqual(bytes, readFileSync(join(dir, download.suggestedFilename())));
});

// The worker makes CSV files 10,000 lines at a time (worker.js): a shop of 30,000 customers has
// a customers file and a campaign list of several parts, which must be the CLI's files exactly.
test('big lists download in parts, byte for byte the CLI\'s files', async () => {
  const huitou = join(ROOT, 'target/release/huitou');
  const shop = join(ARTIFACTS, 'shop-30000.csv');
  writeFileSync(shop, execFileSync(huitou, ['sample', '--customers', '30000'], { maxBuffer: 1 << 26 }));
  const dir = join(ARTIFACTS, 'shop-30000-lists');
  execFileSync(huitou, ['campaigns', '--out', dir, '--lang', 'en', shop]);
  const page = await openPage(env);
  assert.equal(await importFiles(page, shop), 'ready');
  const save = async (click) => {
    const [download] = await Promise.all([page.waitForEvent('download'), click()]);
    return [download.suggestedFilename(), readFileSync(await download.path())];
  };
  await page.click('#tab-plan');
  const [name, customers] = await save(() => page.click('#download-customers'));
  assert.equal(name, 'customers.csv');
  assert.ok(customers.toString('utf8').split('\r\n').length > 20_001, 'three parts or more');
  assert.deepEqual(customers, readFileSync(join(dir, name)));
  const buttons = page.locator('[data-testid="plan"] > li button:enabled', { hasText: 'Download list' });
  let longest = 0;
  for (let i = 0; i < await buttons.count(); i++) {
    const [file, list] = await save(() => buttons.nth(i).click());
    assert.deepEqual(list, readFileSync(join(dir, file)), file);
    longest = Math.max(longest, list.toString('utf8').split('\r\n').length);
  }
  assert.ok(longest > 10_001, `a list of two parts or more (${longest} lines)`);
  assert.deepEqual(page.errors, []);
});

test('text from a file is shown as text, never run', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  const rows = ['customer,date,amount,product'];
  for (let c = 0; c < 6; c++) for (let m = 1; m <= 2; m++) rows.push(`c${c},2024-0${m}-1${c},10,"${evil}"`);
  const page = await openPage(env);
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await page.setInputFiles('input[type=file]', { name: 'evil.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  const plan = page.locator('[data-testid="plan"]');
  assert.ok((await plan.textContent()).includes(evil), 'the name appears literally');
  assert.equal(await page.locator('#results img').count(), 0);
  assert.equal(dialogs, 0);
});

test('both languages render every string', async () => {
  for (const lang of ['zh', 'en']) {
    const page = await openPage(env, lang);
    await page.click('[data-testid="sample"]');
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    const missing = await page.evaluate(() => [...document.querySelectorAll('[data-i18n]')]
      .filter((el) => !el.textContent.trim() || el.textContent === el.dataset.i18n).map((el) => el.dataset.i18n));
    assert.deepEqual(missing, [], `${lang}: strings without text`);
    // Every chart reading is a sentence, and no template slot was left unfilled.
    const readings = await page.$$eval('#panel-overview .reading', (els) => els.filter((e) => !e.closest('[hidden]')).map((e) => e.textContent));
    assert.ok(readings.length >= 15, `${lang}: ${readings.length} readings`);
    for (const r of readings) assert.ok(r.trim().length > 10 && !/undefined|NaN|null|\{/.test(r), `${lang}: reading "${r}"`);
    assert.doesNotMatch(await page.textContent('#results'), /undefined|NaN/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang === 'zh' ? 'zh-CN' : 'en');
  }
});

test('after one visit the page opens and analyses the sample offline', async () => {
  const page = await openPage(env);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
    }
  });
  await env.context.setOffline(true);
  try {
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-i18n="title"]').textContent !== '');
    // The network really is off: a file the cache does not hold cannot be fetched (online, the
    // server would answer 404 instead).
    const probe = await page.evaluate(() => fetch(`probe-${Date.now()}.txt`).then((r) => `status ${r.status}`, () => 'failed'));
    assert.equal(probe, 'failed');
    await page.click('[data-testid="sample"]');
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
    assert.ok(Number((await kpis(page))['kpi-customers']) > 1000);
  } finally {
    await env.context.setOffline(false);
  }
});

test('remapping a column re-reads the file and changes the figures', async () => {
  const tmall = join(ROOT, '../shared/data/real/tmall/tmall_order_report.csv');
  const page = await openPage(env);
  assert.equal(await importFiles(page, tmall), 'ready');
  const before = await kpis(page);
  await page.click('#tab-import');
  // Read 总金额 (order total) as the amount instead of 买家实际支付金额 (paid after refunds).
  await page.selectOption('select[data-role="amount"]', '总金额');
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.querySelector('select[data-role="amount"]').value === '总金额');
  const after = await kpis(page);
  assert.notEqual(after['kpi-net-revenue'], before['kpi-net-revenue']);
  const out = JSON.parse(execFileSync(join(ROOT, 'target/release/huitou'), ['analyze', '--json', '--map', 'amount=总金额', tmall]));
  assert.deepEqual(after, summaryValues(out.summary));
});

test('a new as-of date recomputes in the worker, with no new request', async () => {
  const page = await openPage(env);
  await page.click('[data-testid="sample"]');
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
  const lost = () => page.locator('[data-testid="lifecycle"] tbody tr').last().locator('td').nth(2).textContent();
  const lostBefore = await lost();
  await page.click('#tab-settings');
  await page.fill('[data-testid="as-of"]', '2027-06-30');
  const requests = env.requests.length;
  await page.click('#settings button[type="submit"]');
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.querySelector('[data-testid="as-of"]').value === '2027-06-30');
  assert.notEqual(await lost(), lostBefore, 'more customers are lost a year and a half later');
  assert.equal(env.requests.length, requests, 'nothing fetched again');
});
