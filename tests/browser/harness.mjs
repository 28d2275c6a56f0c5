// Shared set-up of the browser tests: dist/ served on loopback, Debian's Chromium driven by
// playwright-core, every request recorded so tests can prove nothing leaves the machine.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { serve } from '../../scripts/serve.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
export const REAL = resolve(ROOT, '../shared/data/real');
export const ARTIFACTS = join(ROOT, 'tests/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export async function start() {
  const { server, url } = await serve(join(ROOT, 'dist'));
  const profile = mkdtempSync(join(tmpdir(), 'huitou-chromium-'));
  // A fresh profile per run (Playwright passes it to Chromium as --user-data-dir).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  return {
    url,
    context,
    requests,
    async close() {
      await context.close();
      server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the page in `lang` and returns it once the module script has run. */
export async function openPage(env, lang = 'en') {
  const page = await env.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  await page.goto(`${env.url}?lang=${lang}`);
  await page.waitForFunction(() => document.body.dataset.state === 'idle' && document.querySelector('[data-i18n="title"]').textContent !== '');
  return page;
}

/** Chooses files in the page's file input and waits for the report or an error. */
export async function importFiles(page, files) {
  await page.setInputFiles('input[type=file]', files);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 120_000 });
  return page.evaluate(() => document.body.dataset.state);
}

/** The key figures as the page states them in data-value. */
export function kpis(page) {
  return page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('[data-testid^="kpi-"]')].map((el) => [el.dataset.testid, el.dataset.value]),
  ));
}

/** The CLI's JSON report for the same files. */
export function cliReport(...files) {
  const out = execFileSync(join(ROOT, 'target/release/huitou'), ['analyze', '--json', ...files], { maxBuffer: 1 << 28 });
  return JSON.parse(out);
}

export function summaryValues(summary) {
  const v = (x) => (x === null || x === undefined ? '' : String(x));
  return {
    'kpi-customers': summary.customer_key === null ? '' : v(summary.customers),
    'kpi-orders': v(summary.orders),
    'kpi-repeat-customers': summary.customer_key === null ? '' : v(summary.repeat_customers),
    'kpi-repeat-rate': v(summary.repeat_rate),
    'kpi-net-revenue': v(summary.net_revenue),
  };
}
