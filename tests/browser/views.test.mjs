// The views a seller works in after the import: charts, the customers table (virtualised, sorted,
// filtered, searched, exported), settings kept in the address, print, and a phone screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, cliReport, ARTIFACTS, REAL, ROOT } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

async function sample(page) {
  await page.click('[data-testid="sample"]');
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
}

const count = (page) => page.$eval('[data-testid="customer-count"]', (e) => Number(e.textContent.replace(/\D/g, '')));
const waitCount = (page, n) => page.waitForFunction((n) => Number(document.querySelector('[data-testid="customer-count"]').textContent.replace(/\D/g, '')) === n, n);
const firstCells = (page, col) => page.$$eval(`#customer-space .vrow .vcell.${col}`, (els) => els
  .sort((a, b) => Number(a.parentElement.getAttribute('aria-rowindex')) - Number(b.parentElement.getAttribute('aria-rowindex')))
  .map((e) => e.textContent));

test('every overview chart is drawn, and screenshots of each tab in both languages', async () => {
  for (const lang of ['en', 'zh']) {
    const page = await openPage(env, lang);
    await page.setViewportSize({ width: 1280, height: 900 });
    await sample(page);
    const blank = await page.$$eval('#panel-overview .chart', (els) => els
      .filter((e) => !e.closest('[hidden]'))
      .filter((e) => { const c = e.querySelector('canvas'); return !c || c.width === 0 || c.height === 0; })
      .map((e) => e.id));
    assert.deepEqual(blank, [], `${lang}: charts without a canvas`);
    for (const tab of ['overview', 'plan', 'customers', 'import', 'settings']) {
      await page.click(`#tab-${tab}`);
      assert.equal(await page.locator(`#panel-${tab}`).isVisible(), true);
      await page.screenshot({ path: join(ARTIFACTS, `tab-${tab}-${lang}.png`), fullPage: true });
    }
    assert.deepEqual(page.errors, []);
  }
});

test('customers table: half the work in the worker, a window of rows on the page', async () => {
  const page = await openPage(env);
  await page.setViewportSize({ width: 1280, height: 900 });
  await sample(page);
  const report = cliReport(join(ROOT, 'dist/sample/demo-shop.csv'));
  await page.click('#tab-customers');
  await waitCount(page, report.summary.customers);
  const rows = await page.locator('#customer-space .vrow').count();
  assert.ok(rows > 10 && rows < 200, `${rows} rows in the page for ${report.summary.customers} customers`);
  // Default order: net spend, largest first — the CLI's top customer comes first.
  const top = [...report.customers].sort((a, b) => b.net - a.net)[0];
  assert.equal((await firstCells(page, 'key'))[0], top.key);

  // Scrolling to the end shows the last customers (fetched from the worker as the view moves).
  await page.$eval('#customer-body', (e) => { e.scrollTop = e.scrollHeight; });
  const lastIndex = String(report.summary.customers + 1);
  await page.waitForSelector(`#customer-space .vrow[aria-rowindex="${lastIndex}"]`);

  // Sort by orders (descending on first click).
  await page.click('#customer-head button[data-sort="orders"]');
  await page.waitForFunction(() => document.querySelector('#customer-head [aria-sort="descending"] button')?.dataset.sort === 'orders');
  const most = Math.max(...report.customers.map((c) => c.orders));
  await page.waitForFunction((m) => document.querySelector('#customer-space .vrow[aria-rowindex="2"] .vcell.orders')?.textContent === String(m), most);

  // A segment's row on the overview opens its customers.
  await page.click('#tab-overview');
  const champions = report.rfm.segments.find((s) => s.name === 'champions').customers;
  await page.click('[data-testid="segments"] tbody tr[data-value="champions"]');
  assert.equal(await page.locator('#panel-customers').isVisible(), true);
  await waitCount(page, champions);
  assert.ok((await firstCells(page, 'segment')).every((s) => s === 'Champions'));

  // Search narrows within the filter; the export holds exactly the customers shown.
  const someone = report.customers.find((c) => c.segment === 'champions').key;
  await page.fill('[data-testid="customer-search"]', someone.toUpperCase());
  await waitCount(page, report.customers.filter((c) => c.segment === 'champions' && c.key.toLowerCase().includes(someone.toLowerCase())).length);
  await page.fill('[data-testid="customer-search"]', '');
  await waitCount(page, champions);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-shown')]);
  const lines = readFileSync(await download.path(), 'utf8').slice(1).trimEnd().split('\r\n');
  assert.equal(lines.length, 1 + champions);
  assert.ok(lines.slice(1).every((l) => l.includes(',champions,')));

  // Clearing the filters shows everyone again.
  await page.click('#customer-filters button[type="reset"]');
  await waitCount(page, report.summary.customers);
  assert.deepEqual(page.errors, []);
});

test('settings recompute in the worker and are kept in the address and the browser', async () => {
  const page = await openPage(env);
  await sample(page);
  await page.click('#tab-settings');
  const form = '[data-testid="settings"]';
  // Limits that do not increase are refused in place, with nothing recomputed.
  await page.fill(`${form} [name=life1]`, '60');
  await page.click(`${form} button[type=submit]`);
  assert.equal(await page.locator('#settings-error').isVisible(), true);
  await page.fill(`${form} [name=life1]`, '180');
  // An as-of date before the last order is refused by the core, which keeps the last report:
  // the customers view still asks it for new orders of its rows.
  await page.fill(`${form} [name=as_of]`, '2000-01-01');
  await page.click(`${form} button[type=submit]`);
  await page.waitForFunction(() => /before the last order/.test(document.getElementById('settings-error').textContent));
  await page.click('#tab-customers');
  await page.click('#customer-head button[data-sort="orders"]');
  const most = Math.max(...cliReport(join(ROOT, 'dist/sample/demo-shop.csv')).customers.map((c) => c.orders));
  await page.waitForFunction((m) => document.querySelector('#customer-space .vrow[aria-rowindex="2"] .vcell.orders')?.textContent === String(m), most);
  await page.click('#tab-settings');
  await page.fill(`${form} [name=as_of]`, '');
  await page.fill(`${form} [name=life1]`, '60');
  await page.fill(`${form} [name=life0]`, '30');
  await page.check(`${form} [name=cn][value=median]`);
  await page.check(`${form} [name=rfm][value=fixed]`);
  await page.fill(`${form} [name=r]`, '365,180,90,30');
  await page.fill(`${form} [name=f]`, '2,3,5,8');
  await page.fill(`${form} [name=m]`, '100,200,500,1000');
  await page.click(`${form} button[type=submit]`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && new URLSearchParams(location.search).get('cn') === 'median');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('life'), '30,60,270,360');
  assert.equal(url.searchParams.get('rfm'), '365,180,90,30;2,3,5,8;100,200,500,1000');
  const active = await page.$eval('[data-testid="lifecycle"] tbody tr', (tr) => tr.cells[1].textContent);
  assert.equal(active, '0–30');

  // The same settings in the core give the same lifecycle counts.
  const stages = await page.$$eval('[data-testid="lifecycle"] tbody tr', (trs) => trs.map((tr) => Number(tr.cells[2].textContent.replace(/\D/g, ''))));
  const days = (c) => c.recency_days;
  const report = cliReport(join(ROOT, 'dist/sample/demo-shop.csv'));
  const limits = [30, 60, 270, 360];
  const expected = [0, 0, 0, 0, 0];
  for (const c of report.customers) expected[limits.findIndex((l) => days(c) <= l) === -1 ? 4 : limits.findIndex((l) => days(c) <= l)] += 1;
  assert.deepEqual(stages, expected);

  // A new visit without parameters starts from the stored settings.
  const again = await env.context.newPage();
  await again.goto(env.url);
  await sample(again);
  await again.click('#tab-settings');
  assert.equal(await again.inputValue(`${form} [name=life0]`), '30');
  assert.equal(await again.isChecked(`${form} [name=cn][value=median]`), true);
  assert.equal(await again.inputValue(`${form} [name=f]`), '2,3,5,8');
  await again.click('#reset-settings');
  await again.waitForFunction(() => document.body.dataset.state === 'ready' && !location.search.includes('life='));
  assert.equal(await again.inputValue(`${form} [name=life0]`), '90');
});

test('the customer key can be chosen, and the file is read again with it', async () => {
  const shopify = join(REAL, 'samples/shopify/orders_export_1.pseudonymized.csv');
  const page = await openPage(env);
  await page.setInputFiles('input[type=file]', shopify);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  await page.click('#tab-settings');
  await page.selectOption('[data-testid="customer-key"]', 'name');
  await page.click('[data-testid="settings"] button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && location.search.includes('key=name'));
  const cli = JSON.parse((await import('node:child_process')).execFileSync(join(ROOT, 'target/release/huitou'), ['analyze', '--json', '--key', 'name', shopify]));
  assert.equal(await page.getAttribute('[data-testid="kpi-customers"]', 'data-value'), String(cli.summary.customers));
  assert.equal(cli.summary.customer_key, 'name');
  await page.selectOption('[data-testid="customer-key"]', '');
  await page.click('[data-testid="settings"] button[type=submit]');
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && !location.search.includes('key='));
  assert.equal(await page.getAttribute('[data-testid="kpi-customers"]', 'data-value'), '268');
});

test('print gives the whole report without the controls', async () => {
  const page = await openPage(env, 'zh');
  await sample(page);
  await page.emulateMedia({ media: 'print' });
  for (const id of ['panel-overview', 'panel-plan', 'panel-import']) assert.equal(await page.locator(`#${id}`).isVisible(), true, id);
  for (const sel of ['.tabs', '#drop', '#panel-customers', '#panel-settings', '#lang']) assert.equal(await page.locator(sel).isVisible(), false, sel);
  await page.pdf({ path: join(ARTIFACTS, 'report-zh.pdf'), format: 'A4', printBackground: true });
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.locator('#panel-plan').isVisible(), false);
});

test('on a phone screen nothing runs off the side and the tabs work', async () => {
  const page = await openPage(env, 'zh');
  await page.setViewportSize({ width: 390, height: 844 });
  await sample(page);
  for (const tab of ['overview', 'plan', 'customers']) {
    await page.click(`#tab-${tab}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${tab}: page ${overflow}px wider than the screen`);
    await page.screenshot({ path: join(ARTIFACTS, `phone-${tab}-zh.png`), fullPage: tab !== 'customers' });
  }
  // Keyboard: arrow keys move between tabs.
  await page.focus('#tab-customers');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#panel-import').isVisible(), true);
});
