// The import review: what was read (format, encoding, rows used and skipped with examples, orders
// without a customer) and the column mapping, changeable in place.
import { t, ROLE_NAMES, SKIP_REASONS, lang } from './i18n.js';
import { fmtInt, el } from './format.js';

const $ = (id) => document.getElementById(id);

/** Renders the review of `report`; `remap(role, column)` re-reads the file with a new mapping. */
export function renderReview(report, remap) {
  const s = report.summary;
  const im = report.import;
  const facts = $('import-facts');
  facts.replaceChildren();
  const fact = (k, v) => facts.append(el('dt', t(k)), el('dd', v));
  const label = (f) => (lang() === 'zh' ? f.format_label_zh : f.format_label);
  fact('format', im.files.map((f) => `${f.name}: ${label(f)}`).join('; '));
  fact('encoding', im.encoding);
  fact('rowsRead', fmtInt(im.rows_read));
  fact('rowsUsed', fmtInt(im.rows_used));
  fact('ordersAll', fmtInt(im.orders));
  fact('withoutCustomer', fmtInt(im.orders_without_customer));
  fact('customerKey', im.customer_key ? ROLE_NAMES[lang()][im.customer_key] : t('noKey'));
  fact('period', s.first_order ? `${s.first_order} – ${s.last_order}` : t('none'));

  // Every role with a select of the file's columns: a change re-reads the file with it.
  const mapping = $('mapping').tBodies[0];
  mapping.replaceChildren();
  const columns = im.files.find((f) => !f.lines_only)?.columns ?? [];
  for (const role of Object.keys(ROLE_NAMES.en)) {
    const row = mapping.insertRow();
    row.insertCell().textContent = ROLE_NAMES[lang()][role] ?? role;
    const select = el('select');
    select.dataset.role = role;
    select.setAttribute('aria-label', ROLE_NAMES[lang()][role] ?? role);
    select.append(new Option(t('unmapped'), ''));
    for (const c of columns) select.append(new Option(c, c));
    select.value = im.mapping[role] ?? '';
    select.addEventListener('change', () => remap(role, select.value));
    row.insertCell().append(select);
  }

  const skipped = $('skipped').tBodies[0];
  skipped.replaceChildren();
  const entries = Object.entries(im.skipped);
  if (!entries.length) {
    const td = skipped.insertRow().insertCell();
    td.textContent = t('none');
    td.colSpan = 3;
  }
  for (const [reason, count] of entries) {
    const row = skipped.insertRow();
    row.insertCell().textContent = SKIP_REASONS[lang()][reason] ?? reason;
    const n = row.insertCell();
    n.textContent = fmtInt(count);
    n.className = 'num';
    const ex = row.insertCell();
    for (const e of im.skipped_examples.filter((x) => x.reason === reason)) ex.append(el('small', lang() === 'zh' ? e.zh : e.message));
  }
}
