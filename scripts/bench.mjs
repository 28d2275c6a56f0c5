// `make bench`: Huitou against its peers on the same generated files, natively and in headless
// Chromium, with the speed of light (newline counting in wasm) as the floor.
//
//   BENCH_SIZES=10,100,1000   file sizes in MB (10^6 bytes)
//   BENCH_PEERS_MAX=1000      largest size the peers (PapaParse, DuckDB-WASM) are run on
//   BENCH_TIMEOUT=900         seconds before a browser run counts as failed
//
// Memory is what the operating system sees: the peak resident memory of the CLI (GNU time), and in
// the browser the peak of all Chromium processes' resident memory during a run minus their total
// just before it (sampled every 20 ms from /proc), so JS heap, wasm memory and buffers all count.
import { chromium } from 'playwright-core';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { serve } from './serve.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const DIR = join(ROOT, 'target/bench');
const SITE = join(DIR, 'site');
const CLI = join(ROOT, 'target/release/huitou');
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const PEERS_MAX = Number(process.env.BENCH_PEERS_MAX ?? 1000);
const TIMEOUT = Number(process.env.BENCH_TIMEOUT ?? 900) * 1000;
/**
 * Runs of each measurement on files up to `BENCH_RUNS_MAX_MB` (larger files run once: minutes
 * each). This machine's speed moves by tens of percent between runs, so a single run can flip a
 * ratio; the table gives the median run and the range.
 */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const RUNS_MAX_MB = Number(process.env.BENCH_RUNS_MAX_MB ?? 100);
const runsFor = (mb) => (mb <= RUNS_MAX_MB ? RUNS : 1);
const ALL_LAYOUTS = [
  { id: 'taobao', layout: 'taobao', gbk: false, label: 'Taobao UTF-8' },
  { id: 'taobao-gbk', layout: 'taobao', gbk: true, label: 'Taobao GBK' },
  { id: 'shopify', layout: 'shopify', gbk: false, label: 'Shopify lines' },
  { id: 'minimal', layout: 'minimal', gbk: false, label: 'customer,date,amount' },
];
/** `BENCH_LAYOUTS=taobao,minimal` runs some layouts only (while working on one). */
const LAYOUTS = process.env.BENCH_LAYOUTS
  ? ALL_LAYOUTS.filter((l) => process.env.BENCH_LAYOUTS.split(',').includes(l.id))
  : ALL_LAYOUTS;
const CONTENDERS = (process.env.BENCH_CONTENDERS ?? 'huitou,light,papa,duckdb').split(',');
const NAMES = { huitou: 'Huitou', light: 'speed of light', papa: 'PapaParse + JS', duckdb: 'DuckDB-WASM' };

mkdirSync(DIR, { recursive: true });
const log = (...a) => console.error(...a);

/** Generates the file once; later runs reuse it (the generator is deterministic). */
function file(spec, mb) {
  const path = join(DIR, `${spec.layout}${spec.gbk ? '-gbk' : ''}-${mb}mb.csv`);
  if (!existsSync(path)) {
    log(`generating ${path}`);
    const fd = openSync(`${path}.part`, 'w');
    const args = ['generate', spec.layout, '--mb', String(mb), ...(spec.gbk ? ['--gbk'] : [])];
    const r = spawnSync(CLI, args, { stdio: ['ignore', fd, 'inherit'] });
    closeSync(fd);
    if (r.status !== 0) throw new Error(`huitou generate failed (${r.status})`);
    execFileSync('mv', [`${path}.part`, path]);
  }
  return path;
}

/**
 * Reads `path` through once, untimed, so that the run after finds it in the page cache, as a seller's
 * file just exported or downloaded is. This machine keeps only a gigabyte or two of files there: a
 * 1 GB file run after the others was otherwise read from disk, which took the CLI on the 1 GB
 * Taobao-style file 4.95 s against 3.29–3.72 from the cache.
 */
function warm(path) {
  spawnSync('cat', [path], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function native(path) {
  warm(path);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', CLI, 'analyze', path], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) return { error: r.stderr.trim() };
  const [secs, kb] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { ms: secs * 1000, peakMB: kb / 1024 };
}

/** The bench site: the built page (dist/) plus the bench page, its peers and their files. */
function buildSite() {
  rmSync(SITE, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), SITE, { recursive: true });
  const bench = join(SITE, 'bench');
  mkdirSync(join(bench, 'duckdb'), { recursive: true });
  execFileSync(join(ROOT, 'node_modules/.bin/esbuild'), [join(ROOT, 'bench/bench.js'), '--bundle', '--format=esm',
    '--minify', '--target=es2022', `--outfile=${join(bench, 'bench.js')}`, '--log-level=warning']);
  for (const f of ['index.html', 'light-worker.js']) cpSync(join(ROOT, 'bench', f), join(bench, f));
  cpSync(join(ROOT, 'node_modules/papaparse/papaparse.min.js'), join(bench, 'papaparse.min.js'));
  const duck = join(ROOT, 'node_modules/@duckdb/duckdb-wasm/dist');
  for (const f of ['duckdb-browser-eh.worker.js', 'duckdb-eh.wasm']) cpSync(join(duck, f), join(bench, 'duckdb', f));
}

/** The processes of the browser whose command line names `profile`: its root and all its descendants. */
function browserPids(profile) {
  const procs = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  const parent = new Map();
  let root = null;
  for (const pid of procs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!root) {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmd.includes(profile) && !cmd.includes('--type=')) root = pid;
      }
    } catch { /* the process ended */ }
  }
  return procs.filter((pid) => {
    let p = pid;
    while (p && p !== root && p !== '0' && p !== '1') p = parent.get(p);
    return root !== null && p === root;
  });
}

/** Resident memory (MB) of `pids` together. */
function rssOf(pids) {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += m ? Number(m[1]) : 0;
    } catch { /* the process ended */ }
  }
  return kb / 1024;
}

/**
 * Samples the browser's resident memory every 20 ms and keeps the highest. Finding the browser's
 * processes reads every process on the machine (2–3 ms of this process's CPU with Chromium
 * running): done at each sample, it took a tenth of a core from the two the browser and the
 * contender share, so the process list is read again only every 200 ms (a process started in
 * between is counted from then on), and each sample reads the browser's own few.
 */
function rssSampler(profile) {
  let pids = browserPids(profile);
  let ticks = 0;
  const base = rssOf(pids);
  let peak = base;
  const sample = () => {
    if (++ticks % 10 === 0) pids = browserPids(profile);
    peak = Math.max(peak, rssOf(pids));
  };
  const timer = setInterval(sample, 20);
  return {
    /** Stops sampling; returns the peak growth (MB) over the resident memory at the start. */
    stop() {
      clearInterval(timer);
      pids = browserPids(profile);
      sample();
      return peak - base;
    },
  };
}

async function browserRun(context, url, profile, contender, spec, path) {
  warm(path);
  const page = await context.newPage();
  try {
    await page.goto(`${url}bench/index.html?${contender}`);
    await page.waitForFunction(() => window.benchReady === true);
    await page.setInputFiles('#file', path);
    // A pause like a seller's before the run (Huitou's page worker warms up in it).
    await new Promise((r) => setTimeout(r, 1000));
    const memory = rssSampler(profile);
    let timer;
    const result = await Promise.race([
      page.evaluate(([c, l, g]) => window.runBench(c, l, g), [contender, spec.layout, spec.gbk]),
      new Promise((r) => { timer = setTimeout(() => r({ error: 'timeout' }), TIMEOUT); }),
    ]).catch((e) => ({ error: String(e.message).split('\n')[0] }));
    // A pending timer would keep the benchmark from exiting until it fired.
    clearTimeout(timer);
    if (result.error === 'timeout') {
      // How far the run got: a stall while reading the file shows as bytes short of the total.
      const p = await page.evaluate(() => window.benchProgress).catch(() => undefined);
      if (p) result.error = `timeout (${(p.bytes / 1e6).toFixed(0)} of ${(p.total / 1e6).toFixed(0)} MB read)`;
    }
    return { ...result, peakMB: memory.stop() };
  } finally {
    await page.close().catch(() => {});
  }
}

const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1000);
/**
 * One contender's runs on one file: the median run's time, the highest peak, the median first
 * figures, and each run's time in the order they ran (`runs`, for the paired ratios). A failed
 * or unsupported run stands for the whole.
 */
function summarize(runs) {
  if (runs.length === 0) return undefined;
  const bad = runs.find((r) => r.error || r.unsupported);
  if (bad) return bad;
  const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
  const firsts = runs.map((r) => r.phases?.firstFigures).filter((x) => x !== undefined);
  return {
    ms: median(runs.map((r) => r.ms)),
    peakMB: Math.max(...runs.map((r) => r.peakMB)),
    firstFigures: firsts.length ? median(firsts) : undefined,
    runs: runs.map((r) => r.ms),
  };
}

const fmt = (x, d = 0) => (x === undefined || x === null || Number.isNaN(x) ? '—' : x.toFixed(d));

async function main() {
  // What a browser downloads: the SIMD build where it has wasm SIMD (Chromium here), else the plain one.
  const sizes = ['huitou_simd_bg.wasm', 'huitou_bg.wasm'].map((f) => {
    const wasm = readFileSync(join(ROOT, 'dist/pkg', f));
    return `${(wasm.length / 1024).toFixed(0)} KB, ${(brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length / 1024).toFixed(0)} KB after brotli`;
  });
  const chromiumVersion = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
  const machine = `${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB; ${chromiumVersion}`;
  log(`machine: ${machine}`);
  const results = [];
  const files = [];
  for (const mb of SIZES) for (const spec of LAYOUTS) files.push({ spec, mb, path: file(spec, mb) });

  for (const f of files) {
    for (let run = 0; run < runsFor(f.mb); run++) {
      const r = native(f.path);
      results.push({ ...f, where: 'native', contender: 'huitou', run, ...r });
      log(`native ${f.spec.label} ${f.mb} MB: ${fmt(r.ms)} ms, ${fmt(r.peakMB)} MB ${r.error ?? ''}`);
    }
  }

  buildSite();
  const { server, url } = await serve(SITE);
  const profile = mkdtempSync(join(tmpdir(), 'huitou-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const f of files) {
      // Runs interleave the contenders, so a slow spell of the machine falls on all of them.
      for (let run = 0; run < runsFor(f.mb); run++) for (const contender of CONTENDERS) {
        if ((contender === 'papa' || contender === 'duckdb') && f.mb > PEERS_MAX) continue;
        const r = await browserRun(context, url, profile, contender, f.spec, f.path);
        results.push({ ...f, where: 'browser', contender, run, ...r });
        const phases = r.phases ? ` (${Object.entries(r.phases).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')} ms)` : '';
        const core = r.core ? ` [${r.core} build]` : '';
        log(`browser ${NAMES[contender]} ${f.spec.label} ${f.mb} MB${core}: ${fmt(r.ms)} ms${phases}, +${fmt(r.peakMB)} MB ${r.error ?? r.unsupported ?? ''}`);
      }
    }
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }

  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    `Runs per file: ${RUNS} up to ${RUNS_MAX_MB} MB, 1 above. MB/s of the median run (peak MB: the highest of the runs); `
      + 'ratios of the median runs, [lowest–highest] of the runs paired in the order they ran.',
    `Wasm (brotli quality 11): the SIMD build ${sizes[0]}; the plain one ${sizes[1]}.`,
    '',
    '| file | MB | native MB/s (peak MB) | Huitou MB/s (peak MB) | Huitou first figures ms | speed of light MB/s | Huitou ÷ light | PapaParse + JS MB/s (peak MB) | Huitou ÷ Papa | DuckDB-WASM MB/s (peak MB) | Huitou ÷ DuckDB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of files) {
    const bytes = statSync(f.path).size;
    const get = (where, c) => summarize(results.filter((r) => r.path === f.path && r.where === where && r.contender === c));
    const cell = (r) => {
      if (!r) return 'not run';
      if (r.unsupported) return 'cannot read GBK';
      if (r.error) return `failed: ${String(r.error).replace(/\s+/g, ' ')}`; // one table row
      return `${fmt(mbps(bytes, r.ms))} (${fmt(r.peakMB)})`;
    };
    const ratio = (a, b) => {
      if (!a?.ms || !b?.ms || a.error || b.error) return '—';
      const paired = a.runs.map((x, i) => b.runs[i] / x).filter(Number.isFinite);
      const range = paired.length > 1 ? ` [${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}]` : '';
      return `${(b.ms / a.ms).toFixed(2)} ×${range}`;
    };
    const h = get('browser', 'huitou');
    lines.push(`| ${f.spec.label} | ${f.mb} | ${cell(get('native', 'huitou'))} | ${cell(h)} | ${h?.firstFigures === undefined ? '—' : fmt(h.firstFigures)} | ${cell(get('browser', 'light'))} | `
      + `${ratio(h, get('browser', 'light'))} | ${cell(get('browser', 'papa'))} | ${ratio(h, get('browser', 'papa'))} | `
      + `${cell(get('browser', 'duckdb'))} | ${ratio(h, get('browser', 'duckdb'))} |`);
  }
  const table = lines.join('\n');
  writeFileSync(join(DIR, 'results.md'), `${table}\n`);
  writeFileSync(join(DIR, 'results.json'), JSON.stringify({ machine, wasm: sizes, results }, null, 2));
  console.log(table);
}

await main();
