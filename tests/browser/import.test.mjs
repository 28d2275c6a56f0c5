// The page imports real export files in its worker and states the CLI's figures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { start, openPage, importFiles, kpis, cliReport, summaryValues, REAL, ARTIFACTS } from './harness.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const SHOPIFY = join(REAL, 'samples/shopify/orders_export_1.pseudonymized.csv');
const TMALL = join(REAL, 'tmall/tmall_order_report.csv');

test('Shopify export: page figures equal the CLI and the reference', async () => {
  const page = await openPage(env);
  assert.equal(await importFiles(page, SHOPIFY), 'ready');
  const shown = await kpis(page);
  assert.deepEqual(shown, summaryValues(cliReport(SHOPIFY).summary));
  // Reference figures from shared/data/real/README.md.
  assert.equal(shown['kpi-customers'], '268');
  assert.equal(shown['kpi-orders'], '341');
  assert.equal(shown['kpi-repeat-customers'], '34');
  assert.equal(shown['kpi-net-revenue'], '60371.89');
  // The first product that brings customers back is read among those that started at least ten
  // (one here: a rate of three customers out of eight would say little), and says so.
  const firsts = cliReport(SHOPIFY).products.first_product_repeat.filter((f) => f.customers >= 10);
  assert.equal(firsts.length, 1);
  const read = await page.textContent('#first-product-reading');
  assert.ok(read.includes(`at least 10 customers`) && read.includes(`"${firsts[0].product}"`), read);
  // Chromium has wasm SIMD, so the worker ran that build of the core (www/wasm.js).
  assert.equal(await page.evaluate(() => document.body.dataset.core), 'simd');
  await page.screenshot({ path: join(ARTIFACTS, 'shopify-en.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('UCI Online Retail (un-gzipped, 48 MB): page figures equal the CLI', async () => {
  const csv = join(ARTIFACTS, 'online_retail.csv');
  writeFileSync(csv, gunzipSync(readFileSync(join(REAL, 'online_retail/online_retail_uci_by_day.csv.gz'))));
  const page = await openPage(env);
  // Record the figures shown while the file is read.
  await page.evaluate(() => {
    const box = document.querySelector('[data-testid="so-far"]');
    window.soFar = [];
    new MutationObserver(() => {
      if (!box.hidden) window.soFar.push({ ...box.dataset, text: box.textContent });
    }).observe(box, { attributes: true, childList: true });
  });
  assert.equal(await importFiles(page, csv), 'ready');
  const shown = await kpis(page);
  assert.deepEqual(shown, summaryValues(cliReport(csv).summary));
  assert.equal(shown['kpi-customers'], '4338');
  assert.equal(shown['kpi-orders'], '18532');
  assert.equal(shown['kpi-repeat-customers'], '2845');

  // 48 MB go to the worker in a dozen calls, each followed by the figures so far: they grow, and
  // the last falls short of the report's by at most the order still being read.
  const soFar = (await page.evaluate(() => window.soFar)).map((f) => ({ ...f, orders: +f.orders, customers: +f.customers, repeat: +f.repeatCustomers }));
  assert.ok(soFar.length >= 5, `${soFar.length} updates`);
  assert.match(soFar[0].text, /^So far: Valid orders [\d,]+ · Customers [\d,]+ · Repeat customers [\d,]+ \(Repeat rate [\d.]+%\)$/);
  for (let i = 1; i < soFar.length; i++) {
    assert.ok(soFar[i].orders >= soFar[i - 1].orders && soFar[i].customers >= soFar[i - 1].customers, JSON.stringify(soFar.slice(i - 1, i + 1)));
  }
  const last = soFar.at(-1);
  assert.ok(18532 - last.orders <= 1 && 4338 - last.customers <= 1 && 2845 - last.repeat <= 1, JSON.stringify(last));
});

test('batches: every byte of a file, in order, in batches of the asked sizes, plain or gzipped, read by a worker or here', async () => {
  const page = await openPage(env);
  const results = await page.evaluate(async () => {
    const { batches, readBatches } = await import('./read.js');
    const out = [];
    for (const read of [batches, readBatches]) for (const [len, first, size] of [[0, 8, 16], [1, 8, 16], [8, 8, 16], [9, 8, 16], [200_001, 1000, 65_536], [3 << 20, 1 << 20, 1 << 20]]) {
      const data = new Uint8Array(len);
      for (let i = 0; i < len; i++) data[i] = (i * 7919 + (i >> 9)) & 255;
      const gz = new Uint8Array(await new Response(new Blob([data]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
      for (const file of [new File([data], 'orders.csv'), new File([gz], 'orders.csv.gz')]) {
        const sizes = [];
        const got = new Uint8Array(len);
        let at = 0;
        for await (const b of read(file, first, size)) {
          sizes.push(b.length);
          if (at + b.length > len) return [{ file: file.name, len, error: 'too many bytes' }];
          got.set(b, at);
          at += b.length;
        }
        const full = sizes.slice(0, -1);
        out.push({
          read: read.name,
          file: file.name,
          len,
          same: at === len && got.every((v, i) => v === data[i]),
          // Every batch but the last is full: the first of `first` bytes, the others of `size`.
          sizesRight: full.every((n, i) => n === (i === 0 ? first : size)) && (sizes.length === 0 || sizes.at(-1) > 0),
          batches: sizes.length,
        });
      }
    }
    return out;
  });
  assert.equal(results.length, 24);
  for (const r of results) assert.ok(r.same && r.sizesRight, JSON.stringify(r));
  const counts = [0, 0, 1, 1, 1, 1, 2, 2, 5, 5, 3, 3];
  assert.deepEqual(results.map((r) => r.batches), [...counts, ...counts]);
  assert.deepEqual(page.errors, []);
});

test('the reader worker itself: batches handed over, read ahead no further than it may, then the end', async () => {
  // `batches` falls back to reading in its own thread when the reader cannot start, which would
  // hide a reader that fails to load: this talks to it directly.
  const page = await openPage(env);
  const seen = await page.evaluate(async () => {
    const data = new Uint8Array(40).map((_, i) => i);
    const reader = new Worker('./reader.js', { type: 'module' });
    const messages = [];
    const held = [];
    const next = () => new Promise((ok) => (reader.onmessage = (e) => ok(e.data)));
    const take = (got) => {
      messages.push({ length: got.length, first: new Uint8Array(got.buffer)[0] });
      held.push(got.buffer);
    };
    let m = next();
    reader.postMessage({ file: new File([data], 'orders.csv'), first: 8, size: 16, ahead: 1 });
    // With one batch ahead, two buffers exist: after two batches the reader waits for one back.
    for (let i = 0; i < 2; i++) {
      take(await m);
      m = next();
    }
    const waited = await Promise.race([m.then(() => false), new Promise((ok) => setTimeout(() => ok(true), 300))]);
    for (;;) {
      const back = held.shift();
      reader.postMessage(back, [back]);
      const got = await m;
      if (got.end) break;
      take(got);
      m = next();
    }
    reader.terminate();
    return { waited, messages };
  });
  assert.equal(seen.waited, true);
  assert.deepEqual(seen.messages, [{ length: 8, first: 0 }, { length: 16, first: 8 }, { length: 16, first: 24 }]);
  assert.deepEqual(page.errors, []);
});

test('batches: a reader worker that cannot load leaves the reading to this thread', { timeout: 60_000 }, async () => {
  const page = await openPage(env);
  const got = await page.evaluate(async () => {
    // Every worker started from here on asks for a script that is not there.
    const Real = Worker;
    window.Worker = class extends Real {
      constructor(url, options) {
        super(`${url}.missing`, options);
      }
    };
    const { batches, prepareReader } = await import('./read.js');
    const data = new Uint8Array(100_000).map((_, i) => (i * 31) & 255);
    const read = async () => {
      const parts = [];
      for await (const b of batches(new File([data], 'orders.csv'), 1000, 4096)) parts.push(...b);
      return parts.length === data.length && parts.every((v, i) => v === data[i]);
    };
    // Failing while in use, then failing as a spare before its file came.
    const inUse = await read();
    prepareReader();
    await new Promise((ok) => setTimeout(ok, 500));
    const asSpare = await read();
    return { inUse, asSpare };
  });
  assert.deepEqual(got, { inUse: true, asSpare: true });
});

test('UCI Online Retail as its .gz (48 MB gunzipped in the worker): the same figures as the CLI', async () => {
  // Gunzipped bytes come through the default stream reader, not the byte reader plain files use.
  const gz = join(REAL, 'online_retail/online_retail_uci_by_day.csv.gz');
  const page = await openPage(env);
  assert.equal(await importFiles(page, gz), 'ready');
  const shown = await kpis(page);
  assert.deepEqual(shown, summaryValues(cliReport(gz).summary));
  assert.equal(shown['kpi-orders'], '18532');
  assert.deepEqual(page.errors, []);
});

test('Tmall report without a buyer column: order figures and the explanation', async () => {
  const page = await openPage(env, 'zh');
  assert.equal(await importFiles(page, TMALL), 'ready');
  const shown = await kpis(page);
  assert.deepEqual(shown, summaryValues(cliReport(TMALL).summary));
  assert.equal(shown['kpi-customers'], '');
  const notes = await page.textContent('[data-testid="notes"]');
  assert.match(notes, /没有买家列/);
  // Order timing needs no buyer: it still shows, read in words.
  assert.match(await page.textContent('[data-testid="timing-reading"]'), /顾客最常在/);
  assert.ok(await page.locator('#chart-timing canvas').count() >= 1, 'the timing heatmap is drawn');
  await page.screenshot({ path: join(ARTIFACTS, 'tmall-zh.png'), fullPage: true });
});

test('a workbook renamed .csv gives one clear error', async () => {
  const page = await openPage(env);
  await page.setInputFiles('input[type=file]', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from('PK\u0003\u0004 not really a csv') });
  await page.waitForFunction(() => document.body.dataset.state === 'error');
  const msg = await page.textContent('[data-testid="error"]');
  assert.match(msg, /^orders\.csv: this is an Excel workbook/);
});

test('a file whose date column is not recognised: the seller picks it, and the file is read again', async () => {
  const page = await openPage(env);
  const csv = 'customer,placed,amount\nann,2024-01-05,10\nbob,2024-01-07,20\nann,2024-02-01,15\n';
  assert.equal(await importFiles(page, { name: 'shop.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }), 'error');
  assert.equal(await page.textContent('[data-testid="error"]'), 'shop.csv: no order date column recognised (columns: customer, placed, amount).');
  const picker = '[data-testid="pick-column"]';
  assert.equal(await page.locator(picker).isVisible(), true);
  assert.deepEqual(await page.$$eval(`${picker} option`, (os) => os.map((o) => o.value)), ['customer', 'placed', 'amount']);
  await page.click('#lang');
  assert.equal(await page.textContent('#pick-column-label'), '哪一列是下单时间？');
  await page.click('#lang');
  assert.equal(await page.textContent('#pick-column-label'), 'Which column is the order date?');
  await page.selectOption(`${picker} select`, 'placed');
  await page.click(`${picker} button`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready');
  assert.equal(await page.$eval('[data-testid="kpi-orders"]', (e) => e.dataset.value), '3');
  assert.equal(await page.$eval('[data-testid="kpi-repeat-customers"]', (e) => e.dataset.value), '1');
  assert.equal(await page.locator(picker).isVisible(), false);
  assert.equal(await page.$eval('#mapping select[data-role="order_time"]', (s) => s.value), 'placed');
  assert.deepEqual(page.errors, []);
});

test('in Chinese, a file that is not text, a skipped row and a refused setting are explained in Chinese', async () => {
  const bad = await openPage(env, 'zh');
  await bad.setInputFiles('input[type=file]', { name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from('PK\u0003\u0004 not really a csv') });
  await bad.waitForFunction(() => document.body.dataset.state === 'error');
  assert.match(await bad.textContent('[data-testid="error"]'), /^orders\.csv：这是一个 Excel 工作簿（\.xlsx）或其他 zip 压缩包，不是 CSV/);
  // The message follows the page's language.
  await bad.click('#lang');
  assert.match(await bad.textContent('[data-testid="error"]'), /^orders\.csv: this is an Excel workbook/);
  const page = await openPage(env, 'zh');
  const csv = 'customer,date,amount\na,2024-01-05,10\nb,not a date,20\na,2024-02-01,15\n';
  assert.equal(await importFiles(page, { name: 'shop.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }), 'ready');
  assert.match(await page.textContent('#skipped'), /shop\.csv，第 3 行，“date”列：日期无法识别（“not a date”）/);
  assert.match(await page.textContent('#import-facts'), /shop\.csv: 通用订单表/);
  await page.click('#tab-settings');
  await page.fill('[data-testid="settings"] [name=as_of]', '2000-01-01');
  await page.click('[data-testid="settings"] button[type=submit]');
  await page.waitForFunction(() => /^分析日期 2000-01-01 早于最后一笔订单（2024-02-01）/.test(document.getElementById('settings-error').textContent));
  await page.click('#lang');
  assert.match(await page.textContent('#settings-error'), /^The as-of date 2000-01-01 is before the last order \(2024-02-01\)/);
  assert.match(await page.textContent('#skipped'), /shop\.csv, line 3, column "date": the date cannot be read \("not a date"\)/);
  assert.deepEqual([...bad.errors, ...page.errors], []);
});

test('sample data loads the demo shop, its sections and its plan', async () => {
  const page = await openPage(env);
  await page.click('[data-testid="sample"]');
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
  const shown = await kpis(page);
  assert.ok(Number(shown['kpi-customers']) > 1000, JSON.stringify(shown));
  assert.ok(Number(shown['kpi-repeat-rate']) > 0.1, JSON.stringify(shown));
  assert.equal(await page.locator('[data-testid="plan"] > li').count(), 10);
  assert.equal(await page.locator('[data-testid="segments"] tbody tr').count(), 11);
  assert.equal(await page.locator('[data-testid="lifecycle"] tbody tr').count(), 5);
  assert.match(await page.textContent('[data-testid="value-reading"]'), /of net revenue comes from the top 20% of customers/);
  // A campaign list downloads as UTF-8 CSV with a BOM, one line per customer in the campaign.
  await page.click('#tab-plan');
  const first = page.locator('[data-testid="plan"] > li').first();
  const people = Number(await first.locator('[data-customers]').getAttribute('data-customers'));
  assert.ok(people > 0);
  const [download] = await Promise.all([page.waitForEvent('download'), first.getByRole('button', { name: 'Download list' }).click()]);
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
  assert.equal(lines[0], 'customer,phone,email,name,segment,stage,last_order,orders,net_spend,suggested_date,reason');
  assert.equal(lines.length, 1 + people);
  await page.screenshot({ path: join(ARTIFACTS, 'sample-en.png'), fullPage: true });
  const zh = await openPage(env, 'zh');
  await zh.click('[data-testid="sample"]');
  await zh.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
  assert.match(await zh.textContent('[data-testid="plan"]'), /大客户专属关怀/);
  await zh.screenshot({ path: join(ARTIFACTS, 'sample-zh.png'), fullPage: true });
});

test('no request leaves localhost', () => {
  assert.ok(env.requests.length > 0);
  const outside = env.requests.filter((u) => !u.startsWith(env.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(outside, []);
});
