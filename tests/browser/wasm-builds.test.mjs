// The page ships the core twice, with and without wasm SIMD (www/wasm.js picks one): both must
// give the same report. Node runs both, on real exports and fixtures of each encoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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

// GBK files are transcoded to UTF-8 as they stream in, by tables taken from the browser's
// decoder: a generated GBK export, cut anywhere (inside characters too), reads as its UTF-8 text.
test('a GBK export reads as its own text in UTF-8, however it is cut', async () => {
  const simd = await core('huitou_simd_bg.wasm', 'simd-gbk');
  const gbk = execFileSync(join(ROOT, 'target/release/huitou'), ['generate', 'taobao', '--mb', '2', '--gbk', '--seed', '5'], { maxBuffer: 16 << 20 });
  const utf8 = Buffer.from(new TextDecoder('gb18030').decode(gbk));
  assert.ok(utf8.length > gbk.length, 'the file has Chinese text');
  const withoutImport = (json) => {
    const r = JSON.parse(json);
    delete r.import;
    return JSON.stringify(r);
  };
  const want = withoutImport(report(simd, [['orders.csv', utf8]], 4 << 20));
  assert.match(want, /"orders":[1-9]/);
  for (const chunk of [4 << 20, 65_537, 1_000_003]) {
    assert.equal(withoutImport(report(simd, [['orders.csv', gbk]], chunk)), want, `chunks of ${chunk}`);
  }
});
