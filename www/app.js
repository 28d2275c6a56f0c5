// The page: hands files to the worker, shows progress, then the report. Text from files reaches
// the page only through textContent.
import { STRINGS, ROLE_NAMES, SKIP_REASONS, NAMES, READINGS } from './i18n.js';

const $ = (id) => document.getElementById(id);
let lang = new URLSearchParams(location.search).get('lang')
  ?? localStorage.getItem('huitou.lang')
  ?? (navigator.language?.toLowerCase().startsWith('zh') ? 'zh' : 'en');
if (!STRINGS[lang]) lang = 'en';
let worker = null;
let lastReport = null;
/** The seller's column choices and settings, sent with every import and recomputation. */
let importOptions = { map: {} };
let settings = {};

function t(key) {
  return STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
}

function applyLanguage() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  if (lastReport) render(lastReport);
}

function setState(state) {
  document.body.dataset.state = state;
  $('progress').hidden = state !== 'working';
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = false;
  setState('error');
}

function startWorker() {
  worker?.terminate();
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e) => {
    const msg = e.data;
    if (msg.type === 'progress') {
      $('bar').value = msg.total ? msg.bytes / msg.total : 0;
      const mb = (n) => (n / 1048576).toFixed(1);
      $('progress-text').textContent =
        `${t('reading')} ${mb(msg.bytes)} / ${mb(msg.total)} MB · ${fmtInt(msg.rows)} ${t('rows')}`;
    } else if (msg.type === 'report') {
      lastReport = msg.report;
      render(msg.report);
      setState('ready');
    } else if (msg.type === 'file') {
      saveFile(msg.name, msg.bytes, msg.mime);
    } else if (msg.type === 'error') {
      showError(msg.message);
    }
  };
  worker.onerror = (e) => showError(e.message || 'worker failed');
}

function analyse(files) {
  if (!files.length) return;
  importOptions = { map: {} };
  settings = {};
  runImport([...files]);
}

/** Reads `files` (or, without them, the same files again) in a fresh worker. */
function runImport(files) {
  $('error').hidden = true;
  $('results').hidden = true;
  $('bar').value = 0;
  $('progress-text').textContent = '';
  setState('working');
  if (files) startWorker();
  worker.postMessage({ type: 'import', files, options: importOptions, settings });
}

function recompute() {
  setState('working');
  worker.postMessage({ type: 'report', settings });
}

const fmtInt = (n) => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US').format(n);
function fmtMoney(n) {
  const opts = { maximumFractionDigits: 2, minimumFractionDigits: 2 };
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', opts).format(n);
}

function kpi(id, value, text) {
  const el = document.querySelector(`[data-testid="${id}"]`);
  el.dataset.value = value === null || value === undefined ? '' : String(value);
  el.textContent = text;
}

function cell(row, text, cls) {
  const td = row.insertCell();
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function render(report) {
  const s = report.summary;
  const im = report.import;
  const noKey = s.customer_key === null;
  kpi('kpi-customers', noKey ? null : s.customers, noKey ? '—' : fmtInt(s.customers));
  kpi('kpi-orders', s.orders, fmtInt(s.orders));
  kpi('kpi-repeat-customers', noKey ? null : s.repeat_customers, noKey ? '—' : fmtInt(s.repeat_customers));
  kpi('kpi-repeat-rate', s.repeat_rate, s.repeat_rate === null ? '—' : `${(s.repeat_rate * 100).toFixed(1)}%`);
  kpi('kpi-net-revenue', s.net_revenue, fmtMoney(s.net_revenue));
  if (s.currency) {
    const unit = document.createElement('span');
    unit.className = 'unit';
    unit.textContent = s.currency;
    document.querySelector('[data-testid="kpi-net-revenue"]').append(unit);
  }
  // The core's notes are in English; the one every seller without a buyer column meets is translated here.
  const notes = im.notes.map((n) => (n.code === 'no_customer_key' ? t('noKeyNote') : n.message));
  $('notes').textContent = notes.join(' ');

  const facts = $('import-facts');
  facts.replaceChildren();
  const fact = (k, v) => {
    const dt = document.createElement('dt');
    dt.textContent = t(k);
    const dd = document.createElement('dd');
    dd.textContent = v;
    facts.append(dt, dd);
  };
  fact('format', im.files.map((f) => `${f.name}: ${f.format_label}`).join('; '));
  fact('encoding', im.encoding);
  fact('rowsRead', fmtInt(im.rows_read));
  fact('rowsUsed', fmtInt(im.rows_used));
  fact('ordersAll', fmtInt(im.orders));
  fact('withoutCustomer', fmtInt(im.orders_without_customer));
  fact('customerKey', im.customer_key ? ROLE_NAMES[lang][im.customer_key] : t('noKey'));
  fact('period', s.first_order ? `${s.first_order} – ${s.last_order}` : t('none'));

  // Every role with a select of the file's columns: a change re-reads the file with it.
  const mapping = $('mapping').tBodies[0];
  mapping.replaceChildren();
  const columns = im.files.find((f) => !f.lines_only)?.columns ?? [];
  for (const role of Object.keys(ROLE_NAMES.en)) {
    const row = mapping.insertRow();
    cell(row, ROLE_NAMES[lang][role] ?? role);
    const select = el('select');
    select.dataset.role = role;
    select.setAttribute('aria-label', ROLE_NAMES[lang][role] ?? role);
    select.append(new Option(t('unmapped'), ''));
    for (const c of columns) select.append(new Option(c, c));
    select.value = im.mapping[role] ?? '';
    select.addEventListener('change', () => {
      importOptions = { ...importOptions, map: { ...importOptions.map, [role]: select.value } };
      runImport(null);
    });
    row.insertCell().append(select);
  }

  const skipped = $('skipped').tBodies[0];
  skipped.replaceChildren();
  const entries = Object.entries(im.skipped);
  if (!entries.length) cell(skipped.insertRow(), t('none')).colSpan = 3;
  for (const [reason, count] of entries) {
    const row = skipped.insertRow();
    cell(row, SKIP_REASONS[lang][reason] ?? reason);
    cell(row, fmtInt(count), 'num');
    const ex = cell(row, '');
    for (const e of im.skipped_examples.filter((x) => x.reason === reason)) {
      const line = document.createElement('small');
      line.textContent = e.message;
      ex.append(line);
    }
  }
  $('as-of').value = s.as_of ?? '';
  renderAnalysis(report);
  $('results').hidden = false;
}

const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const name = (id) => NAMES[lang][id] ?? id;
const pick = (text) => (lang === 'zh' ? text.zh : text.en);

function tableRows(id, rows) {
  const body = $(id).tBodies[0];
  body.replaceChildren();
  for (const cells of rows) {
    const tr = body.insertRow();
    cells.forEach((c, i) => cell(tr, c, i > 0 ? 'num' : ''));
  }
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** The campaign plan: one card per campaign, in rank order. */
function renderPlan(plan) {
  const list = $('plan');
  list.replaceChildren();
  plan.campaigns.forEach((c, index) => {
    const li = el('li');
    li.dataset.campaign = c.id;
    li.append(el('h3', pick(c.name)), el('p', pick(c.goal), 'meta'));
    if (c.missing) {
      li.append(el('p', `${t('missingData')}: ${pick(c.missing)}`, 'missing'));
      list.append(li);
      return;
    }
    li.append(el('p', pick(c.why), 'why'));
    li.append(el('p', `${fmtInt(c.customers)} ${t('people')} · ${t('valueAtStake')} ${fmtMoney(c.value_at_stake)} (${pick(c.value_method)})`, 'meta'));
    li.append(el('p', `${t('when')}: ${pick(c.timing)}`, 'meta'));
    li.append(el('p', `${t('channels')}: ${c.channels.map(name).join(' · ')} — ${name(c.offer)}`, 'meta'));
    li.append(el('p', pick(c.template), 'template'));
    const actions = el('div', undefined, 'actions');
    const copy = el('button', t('copyTemplate'));
    copy.type = 'button';
    copy.addEventListener('click', async () => {
      await navigator.clipboard?.writeText(pick(c.template));
      copy.textContent = t('copied');
    });
    const dl = el('button', t('downloadList'));
    dl.type = 'button';
    dl.disabled = c.customers === 0;
    dl.addEventListener('click', () => requestFile('audience', `${String(index + 1).padStart(2, '0')}-${c.id}`, index));
    actions.append(copy, dl);
    li.append(actions);
    list.append(li);
  });
}

function renderAnalysis(report) {
  const has = report.rfm !== null;
  $('analysis').hidden = !has;
  if (!has) return;
  renderPlan(report.plan);
  const rep = report.repeat;
  $('repeat-reading').textContent = READINGS[lang].repeat(pct(report.summary.repeat_rate), rep.days_to_second.median ?? '—');
  tableRows('repeat', rep.windows.map((w) => [`${w.days} ${t('days')}`, fmtInt(w.eligible_customers), fmtInt(w.repeated), pct(w.rate)]));
  const seg = (list) => list.map((s) => [name(s.name), fmtInt(s.customers), pct(s.share), pct(s.revenue_share)]);
  tableRows('segments', seg(report.rfm.segments));
  tableRows('cn-classes', seg(report.rfm.cn_classes));
  const largest = [...report.rfm.segments].sort((a, b) => b.customers - a.customers)[0];
  $('segments-reading').textContent = READINGS[lang].segments(name(largest.name), pct(largest.share), pct(largest.revenue_share));
  tableRows('lifecycle', report.lifecycle.map((s) => [
    name(s.name), s.to_days === null ? `${s.from_days}+` : `${s.from_days}–${s.to_days}`,
    fmtInt(s.customers), fmtInt(s.returning_customers), fmtMoney(s.net_revenue),
  ]));
  const top20 = report.value.top_shares.find(([p]) => p === 20);
  $('value-reading').textContent = READINGS[lang].pareto(20, pct(top20?.[1]));
}

function requestFile(kind, base, index) {
  worker?.postMessage({ type: 'download', kind, index, name: base, zh: lang === 'zh', gbk: $('gbk').checked });
}

function saveFile(fileName, bytes, mime) {
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = el('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Wiring
$('settings').addEventListener('submit', (e) => {
  e.preventDefault();
  settings = { ...settings, as_of: $('as-of').value || null };
  recompute();
});
$('download-plan').addEventListener('click', () => requestFile('plan', 'plan'));
$('download-customers').addEventListener('click', () => requestFile('customers', 'customers'));
$('file').addEventListener('change', (e) => analyse(e.target.files));
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  analyse(e.dataTransfer.files);
});
$('cancel').addEventListener('click', () => {
  worker?.terminate();
  worker = null;
  showError(t('cancelled'));
});
$('sample').addEventListener('click', async () => {
  const res = await fetch('sample/demo-shop.csv');
  const blob = await res.blob();
  analyse([new File([blob], 'demo-shop.csv', { type: 'text/csv' })]);
});
$('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('huitou.lang', lang);
  applyLanguage();
// Offline after the first visit (not on file:// pages, where service workers do not run).
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
}
});
applyLanguage();
// Offline after the first visit (not on file:// pages, where service workers do not run).
if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
}
