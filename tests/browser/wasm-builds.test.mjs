// The page ships the core twice, with and without wasm SIMD (www/wasm.js picks one): both must
// give the same report. Node runs both, on real exports and fixtures of each encoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, REAL } from './harness.mjs';

const PKG = join(ROOT, 'dist/pkg');

/** The glue module loaded afresh (its own module instance) over `wasm`. */
async function core(wasm, tag) {
  const m = await import(`${pathToFileURL(join(PKG, 'huitou.js')).href}?${tag}`);
  m.initSync({ module: readFileSync(join(PKG, wasm)) });
  return m;
}

function report(m, files, chunk) {
  const s = new m.Session({});
  try {
    for (const [name, bytes] of files) {
      s.startFile(name);
      s.fileSize(bytes.length);
      for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.subarray(i, i + chunk));
      s.endFile();
    }
    s.finish();
    return JSON.stringify(s.report({}));
  } finally {
    s.free();
  }
}

const read = (path) => [path.split('/').at(-1).replace(/\.gz$/, ''), path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path)];
const INPUTS = [
  [join(REAL, 'tmall/tmall_order_report.csv')],
  [join(REAL, 'samples/shopify/orders_export_1.pseudonymized.csv')],
  [join(REAL, 'online_retail/online_retail_uci_by_day.csv.gz')],
  [join(ROOT, 'tests/fixtures/taobao_orders.gbk.csv'), join(ROOT, 'tests/fixtures/taobao_items.gbk.csv')],
  [join(ROOT, 'tests/fixtures/taobao_orders.utf8.csv')],
  [join(ROOT, 'tests/fixtures/generic_unicode_text.txt')],
  [join(ROOT, 'dist/sample/demo-shop.csv')],
];

test('the SIMD and plain builds give the same reports', async () => {
  const plain = await core('huitou_bg.wasm', 'plain');
  const simd = await core('huitou_simd_bg.wasm', 'simd');
  for (const paths of INPUTS) {
    const files = paths.map(read);
    // Odd chunk sizes cut lines and characters at every kind of place.
    for (const chunk of [4 << 20, 65_537]) {
      const want = report(plain, files, chunk);
      assert.ok(want.length > 1000, paths.join(' '));
      assert.equal(report(simd, files, chunk), want, `${paths.join(' ')} in chunks of ${chunk}`);
    }
  }
});
