// The page: hands files to the worker, shows progress, then the report in tabs (overview,
// campaign plan, customers, import review, settings). Text from files reaches the page only
// through textContent or the chart library's canvas.
import { t, lang, setLang, name } from './i18n.js';
import { fmtInt, fmtMoney, pct, el } from './format.js';
import { renderOverview } from './dashboard.js';
import { renderPlan } from './plan.js';
import { renderReview } from './review.js';
import { customerTable, fillFilter } from './customers.js';
import { resizeAll } from './charts.js';
import * as prefs from './settings.js';

const $ = (id) => document.getElementById(id);
const TABS = ['overview', 'plan', 'customers', 'import', 'settings'];
const here = new URLSearchParams(location.search);

let storedLang = null;
try {
  storedLang = localStorage.getItem('huitou.lang');
} catch { /* storage disabled */ }
setLang(here.get('lang') ?? storedLang ?? (navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en'));
let tab = TABS.includes(here.get('tab')) ? here.get('tab') : 'overview';
let settings = prefs.load();
let worker = null;
let lastReport = null;
/** The core's error on show (`box`: the element), to be shown again when the language changes. */
let coreError = null;
/** The file's column choices, sent with every import of the same files. */
let columnMap = {};
let pageRequests = 0;
const pending = new Map();

function setState(state) {
  document.body.dataset.state = state;
  $('progress').hidden = state !== 'working';
}

function showError(message) {
  coreError = null;
  $('error').textContent = message;
  $('error').hidden = false;
  setState('error');
}

/** After a file without a recognised date or amount column: the file's columns, to pick one. */
function offerColumns(role, columns) {
  const form = $('pick-column');
  form.elements.column.replaceChildren(...columns.map((c) => new Option(c, c)));
  form.dataset.role = role;
  form.hidden = false;
  labelPicker();
}

function labelPicker() {
  const role = $('pick-column').dataset.role;
  $('pick-column-label').textContent = t(role === 'order_time' ? 'pickDateColumn' : 'pickAmountColumn');
}

function persist() {
  prefs.save(settings, { lang: lang(), tab: tab === 'overview' ? '' : tab });
}

/** Whether the current worker has not been given a file yet (it warms up while it waits). */
let workerFresh = false;

function startWorker() {
  worker?.terminate();
  workerFresh = true;
  for (const { fail } of pending.values()) fail(new Error(t('cancelled')));
  pending.clear();
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e) => {
    const msg = e.data;
    if (msg.type === 'progress') {
      $('bar').value = msg.total ? msg.bytes / msg.total : 0;
      const mb = (n) => (n / 1048576).toFixed(1);
      $('progress-text').textContent = `${t('reading')} ${mb(msg.bytes)} / ${mb(msg.total)} MB · ${fmtInt(msg.rows)} ${t('rows')}`;
      showSoFar(msg.soFar);
    } else if (msg.type === 'report') {
      lastReport = msg.report;
      // Which build of the core ran (www/wasm.js), for whoever inspects the page.
      document.body.dataset.core = msg.core;
      $('settings-error').hidden = true;
      render();
      setState('ready');
    } else if (msg.type === 'customers') {
      pending.get(msg.id)?.ok(msg.page);
      pending.delete(msg.id);
    } else if (msg.type === 'file') {
      saveFile(msg.name, msg.file, msg.mime);
    } else if (msg.type === 'error' && msg.during === 'report' && lastReport) {
      // A setting the core refused (an as-of date before the last order…): the last report stays.
      coreError = { box: 'settings-error', msg };
      $('settings-error').textContent = inLanguage(msg);
      $('settings-error').hidden = false;
      setState('ready');
    } else if (msg.type === 'error') {
      const text = msg.code ? t(msg.code) : inLanguage(msg);
      pending.get(msg.id)?.fail(new Error(text));
      pending.delete(msg.id);
      if (msg.id === undefined) {
        showError(text);
        if (!msg.code) coreError = { box: 'error', msg };
        if (msg.missing && msg.columns?.length) offerColumns(msg.missing, msg.columns);
      }
    }
  };
  worker.onerror = (e) => showError(e.message || 'worker failed');
}

/** An error's message in the page's language: the core gives its own in Chinese as `zh`. */
const inLanguage = (msg) => (lang() === 'zh' && msg.zh) || msg.message;


/** The figures over the orders read so far, while a big file is read; the report replaces them. */
function showSoFar(f) {
  const box = $('so-far');
  box.hidden = !f || f.orders === 0;
  if (box.hidden) return;
  const rate = f.customers ? f.repeat_customers / f.customers : null;
  box.textContent = `${t('soFar')}: ${t('orders')} ${fmtInt(f.orders)} · ${t('customers')} ${fmtInt(f.customers)} · ${t('repeatCustomers')} ${fmtInt(f.repeat_customers)} (${t('repeatRate')} ${pct(rate)})`;
  Object.assign(box.dataset, { orders: f.orders, customers: f.customers, repeatCustomers: f.repeat_customers });
}

/** New files: a new mapping and as-of date (they belong to the file); the other settings stay. */
function analyse(files) {
  if (!files.length) return;
  columnMap = {};
  settings = { ...settings, as_of: '' };
  runImport([...files]);
}

/** Reads `files` (or, without them, the same files again) in a fresh worker. */
function runImport(files) {
  $('error').hidden = true;
  $('pick-column').hidden = true;
  $('results').hidden = true;
  $('bar').value = 0;
  $('progress-text').textContent = '';
  showSoFar(null);
  setState('working');
  // A new file gets a new worker (the old one's memory goes with it), unless the one started with
  // the page is still unused.
  if (!worker || (files && !workerFresh)) startWorker();
  workerFresh = false;
  persist();
  const options = { map: columnMap, key: settings.key || null };
  worker.postMessage({ type: 'import', files, options, settings: prefs.toCore(settings) });
}

function recompute() {
  setState('working');
  persist();
  worker.postMessage({ type: 'report', settings: prefs.toCore(settings) });
}

function kpi(id, value, text) {
  const e = document.querySelector(`[data-testid="${id}"]`);
  e.dataset.value = value === null || value === undefined ? '' : String(value);
  e.textContent = text;
}

function render() {
  const report = lastReport;
  const s = report.summary;
  const noKey = s.customer_key === null;
  kpi('kpi-customers', noKey ? null : s.customers, noKey ? '—' : fmtInt(s.customers));
  kpi('kpi-orders', s.orders, fmtInt(s.orders));
  kpi('kpi-repeat-customers', noKey ? null : s.repeat_customers, noKey ? '—' : fmtInt(s.repeat_customers));
  kpi('kpi-repeat-rate', s.repeat_rate, s.repeat_rate === null ? '—' : pct(s.repeat_rate));
  kpi('kpi-net-revenue', s.net_revenue, fmtMoney(s.net_revenue));
  if (s.currency) document.querySelector('[data-testid="kpi-net-revenue"]').append(el('span', s.currency, 'unit'));
  const more = $('more-kpis');
  more.replaceChildren();
  const fact = (k, v) => {
    const item = el('div');
    item.append(el('dt', t(k)), el('dd', v));
    more.append(item);
  };
  fact('grossRevenue', fmtMoney(s.gross_revenue));
  fact('refunds', fmtMoney(s.refunds));
  fact('aov', fmtMoney(s.average_order_value));
  if (!noKey) {
    fact('oneTimeShare', pct(s.one_time_share));
    fact('returningRevenueShareLabel', pct(s.returning_revenue_share));
  }
  fact('period', s.first_order ? `${s.first_order} – ${s.last_order}` : t('none'));
  $('notes').textContent = report.import.notes.map((n) => (lang() === 'zh' ? n.zh : n.message)).join(' ');

  renderReview(report, (role, column) => {
    columnMap = { ...columnMap, [role]: column };
    runImport(null);
  });
  renderPlan(report.plan, (index, base) => requestFile('audience', base, index));
  renderOverview(report, openCustomers);
  const customersTab = $('tab-customers');
  customersTab.hidden = noKey;
  $('tab-plan').hidden = noKey;
  if (noKey && (tab === 'customers' || tab === 'plan')) tab = 'overview';
  if (report.rfm) {
    fillFilter($('filter-segment'), 'allSegments', report.rfm.segments.map((x) => x.name));
    fillFilter($('filter-cn_class'), 'allClasses', report.rfm.cn_classes.map((x) => x.name));
    fillFilter($('filter-stage'), 'allStages', report.lifecycle.map((x) => x.name));
    fillFilter($('filter-tier'), 'allTiers', report.value.tiers.map((x) => x.name));
    fillFilter($('filter-level'), 'allLevels', report.value.levels.map((x) => x.name));
    table.refresh();
  }
  prefs.fill($('settings'), settings, report);
  $('results').hidden = false;
  $('print').hidden = false;
  showTab(tab);
}

function showTab(name) {
  tab = name;
  for (const b of document.querySelectorAll('[role=tab]')) {
    const on = b.dataset.tab === name;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  for (const id of TABS) $(`panel-${id}`).hidden = id !== name;
  resizeAll($(`panel-${name}`));
  if (name === 'customers') table.shown();
  persist();
}

/** The customers tab, filtered (from a click on a segment, class or stage). */
function openCustomers(filter) {
  const query = { segment: '', cn_class: '', stage: '', tier: '', level: '', search: '', ...filter };
  for (const select of document.querySelectorAll('#customer-filters [data-filter]')) select.value = query[select.dataset.filter];
  $('customer-search').value = '';
  table.set(query);
  showTab('customers');
}

const table = customerTable({
  head: $('customer-head'),
  body: $('customer-body'),
  space: $('customer-space'),
  count: $('customer-count'),
  fetchPage(query, offset, limit) {
    const id = ++pageRequests;
    return new Promise((ok, fail) => {
      pending.set(id, { ok, fail });
      worker.postMessage({ type: 'customers', id, query, offset, limit });
    });
  },
});

function requestFile(kind, base, index) {
  worker?.postMessage({ type: 'download', kind, index, name: base, zh: lang() === 'zh', gbk: $('gbk').checked, query: table.query() });
}

function saveFile(fileName, file, mime) {
  const url = URL.createObjectURL(new Blob([file], { type: mime }));
  const a = el('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function applyLanguage() {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll('[data-i18n-name]')) e.textContent = name(e.dataset.i18nName);
  for (const e of document.querySelectorAll('[data-i18n-placeholder]')) {
    e.placeholder = t(e.dataset.i18nPlaceholder);
    e.setAttribute('aria-label', e.placeholder);
  }
  if (coreError && !$(coreError.box).hidden) $(coreError.box).textContent = inLanguage(coreError.msg);
  if (!$('pick-column').hidden) labelPicker();
  if (lastReport) render();
}

// Wiring
$('settings').addEventListener('submit', (e) => {
  e.preventDefault();
  const form = e.target;
  const read = prefs.read(form);
  if (read.error) {
    coreError = null;
    $('settings-error').textContent = read.error;
    $('settings-error').hidden = false;
    form.elements[read.field]?.focus();
    return;
  }
  $('settings-error').hidden = true;
  const keyChanged = read.settings.key !== settings.key;
  settings = read.settings;
  if (keyChanged) runImport(null);
  else recompute();
});
$('settings').addEventListener('change', (e) => { if (e.target.type !== 'number') prefs.syncDisabled(e.currentTarget); });
$('reset-settings').addEventListener('click', () => {
  const keyChanged = settings.key !== '';
  settings = prefs.defaults();
  if (keyChanged) runImport(null);
  else recompute();
});
$('customer-filters').addEventListener('change', (e) => {
  if (e.target.dataset.filter) table.set({ [e.target.dataset.filter]: e.target.value });
});
let searchTimer = 0;
$('customer-search').addEventListener('input', (e) => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => table.set({ search: e.target.value }), 200);
});
$('customer-filters').addEventListener('reset', () => setTimeout(() => table.reset()));
$('customer-filters').addEventListener('submit', (e) => e.preventDefault());
$('export-shown').addEventListener('click', () => requestFile('shown', 'customers-selection'));
$('download-plan').addEventListener('click', () => requestFile('plan', 'plan'));
$('download-customers').addEventListener('click', () => requestFile('customers', 'customers'));
for (const b of document.querySelectorAll('[role=tab]')) b.addEventListener('click', () => showTab(b.dataset.tab));
document.querySelector('.tabs').addEventListener('keydown', (e) => {
  const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
  if (!step) return;
  const visible = TABS.filter((id) => !$(`tab-${id}`).hidden);
  const next = visible[(visible.indexOf(tab) + step + visible.length) % visible.length];
  showTab(next);
  $(`tab-${next}`).focus();
});
$('file').addEventListener('change', (e) => analyse(e.target.files));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  analyse(e.dataTransfer.files);
});
drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target === drop) $('file').click(); });
$('cancel').addEventListener('click', () => {
  worker?.terminate();
  worker = null;
  showError(t('cancelled'));
});
$('pick-column').addEventListener('submit', (e) => {
  e.preventDefault();
  const role = $('pick-column').dataset.role;
  columnMap = { ...columnMap, [role]: e.target.elements.column.value };
  runImport(null);
});
$('sample').addEventListener('click', async () => {
  const res = await fetch('sample/demo-shop.csv');
  const blob = await res.blob();
  analyse([new File([blob], 'demo-shop.csv', { type: 'text/csv' })]);
});
$('lang').addEventListener('click', () => {
  setLang(lang() === 'zh' ? 'en' : 'zh');
  try {
    localStorage.setItem('huitou.lang', lang());
  } catch { /* storage disabled */ }
  persist();
  applyLanguage();
});
$('print').addEventListener('click', () => window.print());
// Print shows every tab's content; charts are fitted to the paper width first.
window.addEventListener('beforeprint', () => { document.body.classList.add('printing'); resizeAll(); });
window.addEventListener('afterprint', () => { document.body.classList.remove('printing'); resizeAll(); });
let resizeTimer = 0;
window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => resizeAll($(`panel-${tab}`)), 150); });

applyLanguage();
// The worker starts with the page, so it is loaded and warmed up by the time a file is chosen.
startWorker();
// Offline after the first visit (not on file:// pages, where service workers do not run).
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
}
