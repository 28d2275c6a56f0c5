// The benchmark page: one function per contender, each timing the whole path from the File the
// seller chose to the per-customer answer, in workers, in this browser.
import { runDuckdb } from './duckdb-run.js';

/** The columns each peer aggregates (customer, amount, date) per generated layout. */
const COLUMNS = {
  taobao: { key: '买家会员名', amount: '买家实际支付金额', date: '订单创建时间' },
  shopify: { key: 'Email', amount: 'Total', date: 'Created at', skipEmpty: true },
  minimal: { key: 'customer', amount: 'amount', date: 'date' },
};

const file = () => document.getElementById('file').files[0];

function once(worker, message, onProgress = () => {}) {
  return new Promise((ok, fail) => {
    worker.onmessage = (e) => {
      if (e.data.type === 'progress') return onProgress(e.data);
      // The page tells a seller in words that memory ran out; the table says it in two.
      if (e.data.type === 'error') fail(new Error(e.data.code === 'outOfMemory' ? 'out of memory' : e.data.message));
      else ok(e.data);
    };
    worker.onerror = (e) => fail(new Error(e.message || 'worker failed'));
    worker.postMessage(message);
  });
}

/**
 * Huitou's own worker, exactly as the page uses it: started with the page (where it loads the wasm
 * and warms up while the seller picks a file), then import, analysis, report back. The clock starts
 * when the file is handed over, as it does for the other contenders.
 */
const pageWorker = location.search === '?huitou' ? new Worker('../worker.js', { type: 'module' }) : null;

async function huitou() {
  const worker = pageWorker ?? new Worker('../worker.js', { type: 'module' });
  const t0 = performance.now();
  // When the page first shows figures (valid orders so far) while the file is still being read.
  let firstFigures;
  const onProgress = (p) => {
    if (firstFigures === undefined && p.soFar?.orders > 0) firstFigures = performance.now() - t0;
    window.benchProgress = { bytes: p.bytes, total: p.total };
  };
  const msg = await once(worker, { type: 'import', files: [file()], options: {}, settings: {} }, onProgress);
  const ms = performance.now() - t0;
  worker.terminate();
  const phases = { ...msg.phases, firstFigures };
  return { ms, phases, core: msg.core, customers: msg.report.summary.customers, orders: msg.report.summary.orders };
}

async function light() {
  const worker = new Worker('./light-worker.js', { type: 'module' });
  const msg = await once(worker, { file: file() });
  worker.terminate();
  return { ms: msg.ms, lines: msg.lines };
}

/** PapaParse in its worker mode, rows aggregated per customer by hand-written JavaScript. */
function papa(layout, gbk) {
  const { key, amount, date, skipEmpty } = COLUMNS[layout];
  const customers = new Map();
  const t0 = performance.now();
  return new Promise((ok, fail) => {
    globalThis.Papa.parse(file(), {
      worker: true,
      header: true,
      skipEmptyLines: true,
      encoding: gbk ? 'gbk' : 'utf-8',
      chunkSize: 4 << 20,
      chunk(results) {
        for (const row of results.data) {
          const k = row[key];
          const text = row[amount];
          if (!k || (skipEmpty && !text)) continue;
          const value = parseFloat(text);
          const d = row[date];
          const c = customers.get(k);
          if (c === undefined) customers.set(k, { orders: 1, revenue: value, first: d, last: d });
          else {
            c.orders += 1;
            c.revenue += value;
            if (d < c.first) c.first = d;
            if (d > c.last) c.last = d;
          }
        }
      },
      complete: () => ok({ ms: performance.now() - t0, customers: customers.size }),
      error: (e) => fail(new Error(String(e?.message ?? e))),
    });
  });
}

async function duckdb(layout, gbk) {
  if (gbk) return { unsupported: 'DuckDB reads UTF-8 and UTF-16 only (other encodings need an extension from the network)' };
  return runDuckdb(file(), COLUMNS[layout]);
}

window.runBench = async (contender, layout, gbk) => {
  const run = { huitou, light, papa, duckdb }[contender];
  try {
    return await run(layout, gbk);
  } catch (e) {
    return { error: String(e?.message ?? e) };
  }
};
window.benchReady = true;
