// The import and analysis worker: all parsing happens here, through the wasm core, so the page
// stays responsive. Cancel = the page terminates this worker.
import init, { Session, rehearse, lastPanic } from './pkg/huitou.js';
import { batches, prepareReader } from './read.js';
import { simd, wasmUrl } from './wasm.js';

const ready = init({ module_or_path: wasmUrl() });
prepareReader();
/** Set by the first message: the rehearsal stops once there is real work. */
let busy = false;

/**
 * Rounds of the rehearsal. Node's wasm ran a round in 44–87 ms at first and 14–18 ms from the
 * fifth or sixth on, when it had optimised what a round runs. After three rounds, all UTF-8, the
 * first report of the 100 MB Taobao file took 134 ms in a Chromium worker and the next ones 118,
 * and the first import of the GBK file read it in a median 517 ms of five (452 after GBK imports).
 */
const REHEARSALS = 8;

/**
 * While the seller picks a file, run a small made-up shop through the core a few times, one round
 * per task so a message never waits for more than one round; every other round the shop's file is
 * in GB18030. The browser optimises wasm only once it has run a while, and each analysis section
 * runs once per report: without this, the first file's report ran on baseline code (see
 * `rehearse` in src/sample.rs).
 */
async function warmUp() {
  await ready;
  for (let round = 0; round < REHEARSALS && !busy; round++) {
    rehearse(round);
    await new Promise((next) => setTimeout(next, 0));
  }
}
warmUp();
/** Bytes handed to wasm per call: large enough to amortise the copy, small enough for smooth progress. */
const BATCH = 4 << 20;
/** The first call gets less, so the first figures of a big file come within a few tens of ms. */
const FIRST_BATCH = 1 << 20;
let session = null;
/** The files of the last import, kept so a changed column mapping re-imports without asking again. */
let lastFiles = [];

function post(type, data) {
  self.postMessage({ type, ...data });
}

/**
 * Milliseconds spent in each phase of the last import and report (the benchmark prints them):
 * reading (of which waiting, parsing and progress), settling (`finish`) and the report.
 */
let phases = {};

async function importFiles(files, options) {
  await ready;
  const t0 = performance.now();
  session?.free();
  session = new Session(options ?? {});
  const total = files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  let batch = FIRST_BATCH;
  // Progress goes with the figures so far after every call into wasm: about every 50 ms.
  const progress = () => post('progress', { bytes: Math.min(done, total), total, rows: session.rowsRead(), soFar: session.preview() });
  // Where the reading's time went: waiting for the file's next bytes, the core reading them, and
  // the figures so far for the page.
  const spent = { waiting: 0, parsing: 0, progress: 0 };
  for (const file of files) {
    session.startFile(file.name);
    if (!/\.gz$/i.test(file.name)) session.fileSize(file.size);
    let t = performance.now();
    for await (const bytes of batches(file, batch, BATCH)) {
      const got = performance.now();
      session.push(bytes);
      const parsed = performance.now();
      done += bytes.length;
      batch = BATCH;
      progress();
      spent.waiting += got - t;
      spent.parsing += parsed - got;
      t = performance.now();
      spent.progress += t - parsed;
    }
    session.endFile();
  }
  progress();
  const t1 = performance.now();
  session.finish();
  phases = { read: t1 - t0, ...spent, finish: performance.now() - t1 };
}

/**
 * Rows of a CSV file made per call into wasm: a few MB of text at a time in the wasm memory, which
 * never shrinks, instead of the whole file and its copies (see `customers_csv_part`; the CLI writes
 * its files in parts of the same size, `export::PART_LINES`).
 */
const CSV_PART_ROWS = 10_000;

/** A CSV file made a part at a time by `part(from, count)`, which is empty past the last row. */
function csvBlob(part) {
  let blob = new Blob([]);
  for (let from = 0; ; from += CSV_PART_ROWS) {
    const bytes = part(from, CSV_PART_ROWS);
    if (bytes.length === 0) return blob;
    // Each part joins the file as it comes: the browser keeps the bytes, not this worker.
    blob = new Blob([blob, bytes]);
  }
}

/** Files the page can download, made from the last report. */
function download(msg) {
  let file;
  if (msg.kind === 'audience') file = csvBlob((from, n) => session.audienceCsvPart(msg.index, msg.zh, msg.gbk, from, n));
  else if (msg.kind === 'customers') file = csvBlob((from, n) => session.customersCsvPart(msg.gbk, false, from, n));
  else if (msg.kind === 'shown') {
    session.customersPage(msg.query, 0, 0); // the view of this query, in case it is not the current one
    file = csvBlob((from, n) => session.customersCsvPart(msg.gbk, true, from, n));
  } else file = new Blob([session.planMarkdown(msg.zh)]);
  const ext = msg.kind === 'plan' ? 'md' : 'csv';
  post('file', { name: `${msg.name}.${ext}`, file, mime: ext === 'md' ? 'text/markdown' : 'text/csv' });
}

self.onmessage = async (e) => {
  const msg = e.data;
  busy = true;
  try {
    if (msg.type === 'import') {
      lastFiles = msg.files ?? lastFiles;
      await importFiles(lastFiles, msg.options);
    }
    if (msg.type === 'import' || msg.type === 'report') {
      const t = performance.now();
      const report = session.report(msg.settings ?? {});
      phases.report = performance.now() - t;
      post('report', { report, phases, core: simd ? 'simd' : 'plain' });
    }
    if (msg.type === 'customers') post('customers', { id: msg.id, page: session.customersPage(msg.query, msg.offset, msg.limit) });
    if (msg.type === 'download') download(msg);
  } catch (err) {
    // The wasm stops with a trap ("unreachable") after a panic, which it has recorded, and when it
    // runs out of memory, which the seller should be told in words.
    let message = String(err?.message ?? err);
    let code;
    if (err instanceof WebAssembly.RuntimeError) {
      let panic = null;
      try {
        panic = lastPanic();
      } catch { /* the instance is unusable */ }
      if (panic) message = `internal error: ${panic}`;
      else code = 'outOfMemory';
    }
    // The core's errors about the seller's files and settings carry their Chinese text as `zh`,
    // and a column it could not find, the role (`missing`) and the file's columns to pick from.
    post('error', { during: msg.type, id: msg.id, code, message, zh: err?.zh, missing: err?.missing, columns: err?.columns });
  }
};
