// DuckDB-WASM on the same file: register it, read_csv, GROUP BY customer (orders, revenue, first
// and last date). Its own worker does the work; this module only drives it.
import * as duckdb from '@duckdb/duckdb-wasm';

let db = null;

async function open() {
  if (db) return db;
  // Absolute: DuckDB's worker resolves the wasm path against its own address.
  const at = (f) => new URL(`./duckdb/${f}`, location.href).href;
  const worker = new Worker(at('duckdb-browser-eh.worker.js'));
  db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(at('duckdb-eh.wasm'));
  return db;
}

const quote = (c) => `"${c.replace(/"/g, '""')}"`;

/** Runs the aggregation of `columns` ({ key, amount, date }) over `file`; resolves to { ms, customers }. */
export async function runDuckdb(file, columns) {
  const d = await open();
  const t0 = performance.now();
  await d.registerFileHandle('orders.csv', file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  const conn = await d.connect();
  try {
    const where = columns.skipEmpty ? `WHERE ${quote(columns.amount)} IS NOT NULL` : '';
    const result = await conn.query(`SELECT count(*) AS customers FROM (
      SELECT ${quote(columns.key)} AS k, count(*) AS orders, sum(${quote(columns.amount)}) AS revenue,
             min(${quote(columns.date)}) AS first, max(${quote(columns.date)}) AS last
      FROM read_csv('orders.csv', header = true, all_varchar = false) ${where} GROUP BY 1)`);
    const customers = Number(result.toArray()[0].customers);
    return { ms: performance.now() - t0, customers };
  } finally {
    await conn.close();
    await d.dropFile('orders.csv');
  }
}
