// The customers table. The worker holds the table (it can have half a million rows) and answers
// a query with the matching count and one window of rows; the page only ever builds the few dozen
// rows on screen, positioned in a scroll area as tall as the whole list.
import { t, name } from './i18n.js';
import { fmtInt, fmtMoney, fmtDays, el } from './format.js';

const ROW = 34;
/** Rows fetched around the visible ones, so short scrolls need no round trip. */
const MARGIN = 60;

const COLUMNS = [
  { key: 'key', label: 'colKey', sort: 'key', text: (c) => c.key, wide: true },
  { key: 'segment', label: 'colSegment', text: (c) => name(c.segment) },
  { key: 'stage', label: 'colStage', text: (c) => name(c.stage) },
  { key: 'orders', label: 'colOrders', sort: 'orders', num: true, text: (c) => fmtInt(c.orders) },
  { key: 'net', label: 'colNet', sort: 'net', num: true, text: (c) => fmtMoney(c.net) },
  { key: 'aov', label: 'colAov', sort: 'average_order_value', num: true, text: (c) => fmtMoney(c.average_order_value) },
  { key: 'last', label: 'colLast', sort: 'last_order', text: (c) => c.last_order },
  { key: 'recency', label: 'colRecency', sort: 'recency_days', num: true, text: (c) => fmtInt(c.recency_days) },
  { key: 'second', label: 'colSecond', sort: 'days_to_second', num: true, text: (c) => fmtDays(c.days_to_second) },
  { key: 'rfm', label: 'colRfm', sort: 'rfm', text: (c) => `${c.r}${c.f}${c.m}` },
  { key: 'level', label: 'colLevel', text: (c) => name(c.level) },
  { key: 'region', label: 'colRegion', sort: 'region', text: (c) => c.region ?? '' },
  { key: 'product', label: 'colProduct', text: (c) => c.top_product ?? '', wide: true },
];

/**
 * The table, driven by `fetchPage(query, offset, limit) → Promise<{ total, offset, rows }>`.
 * `onQuery(query)` is told of every change so the page can export the same view.
 */
export function customerTable({ head, body, space, count, fetchPage }) {
  let query = { sort: 'net', descending: true, search: '' };
  let total = 0;
  let cache = { offset: 0, rows: [] };
  let serial = 0;
  let frame = 0;
  const shown = new Map();

  function header() {
    head.replaceChildren();
    for (const col of COLUMNS) {
      const cell = el('div', undefined, `vcell ${col.key}${col.num ? ' num' : ''}`);
      cell.setAttribute('role', 'columnheader');
      if (col.sort) {
        const b = el('button', t(col.label), 'sort');
        b.type = 'button';
        b.dataset.sort = col.sort;
        const active = query.sort === col.sort;
        if (active) b.textContent += query.descending ? ' ▼' : ' ▲';
        cell.setAttribute('aria-sort', active ? (query.descending ? 'descending' : 'ascending') : 'none');
        b.addEventListener('click', () => {
          const descending = query.sort === col.sort ? !query.descending : col.num === true;
          set({ sort: col.sort, descending });
        });
        cell.append(b);
      } else {
        cell.textContent = t(col.label);
      }
      head.append(cell);
    }
  }

  function rowElement(c, index) {
    const row = el('div', undefined, 'vrow');
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(index + 2));
    row.style.transform = `translateY(${index * ROW}px)`;
    for (const col of COLUMNS) {
      const cell = el('div', col.text(c), `vcell ${col.key}${col.num ? ' num' : ''}`);
      cell.setAttribute('role', 'cell');
      row.append(cell);
    }
    return row;
  }

  /** Shows the rows in view from the cache, fetching a new window when the view leaves it. */
  function paint() {
    frame = 0;
    const first = Math.max(0, Math.floor(body.scrollTop / ROW) - 5);
    const last = Math.min(total, Math.ceil((body.scrollTop + body.clientHeight) / ROW) + 5);
    const have = (i) => i >= cache.offset && i < cache.offset + cache.rows.length;
    if (total && (!have(first) || !have(Math.max(first, last - 1)))) {
      load(Math.max(0, first - MARGIN), last - first + 2 * MARGIN);
      return;
    }
    for (const [i, row] of shown) if (i < first || i >= last) { row.remove(); shown.delete(i); }
    for (let i = first; i < last; i++) {
      if (shown.has(i)) continue;
      const row = rowElement(cache.rows[i - cache.offset], i);
      shown.set(i, row);
      space.append(row);
    }
  }

  async function load(offset, limit) {
    const mine = ++serial;
    const page = await fetchPage(query, offset, limit);
    if (mine !== serial) return; // a newer query or scroll has asked since
    total = page.total;
    cache = { offset: page.offset, rows: page.rows };
    space.style.height = `${total * ROW}px`;
    count.textContent = `${fmtInt(total)} ${t('shown')}`;
    paint();
  }

  function clear() {
    for (const row of shown.values()) row.remove();
    shown.clear();
    cache = { offset: 0, rows: [] };
  }

  /** Changes the query (filters, search, sort) and shows its first rows. */
  function set(change) {
    query = { ...query, ...change };
    for (const k of Object.keys(query)) if (query[k] === '' && k !== 'search') delete query[k];
    clear();
    body.scrollTop = 0;
    header();
    load(0, 2 * MARGIN);
  }

  body.addEventListener('scroll', () => { if (!frame) frame = requestAnimationFrame(paint); });
  body.addEventListener('keydown', (e) => {
    const step = { ArrowDown: ROW, ArrowUp: -ROW, PageDown: body.clientHeight, PageUp: -body.clientHeight }[e.key];
    if (step) { body.scrollTop += step; e.preventDefault(); }
  });

  return {
    set,
    /** Fills the view once it has a size (a table rendered in a hidden tab has none). */
    shown() { if (!frame) frame = requestAnimationFrame(paint); },
    /** The current query (for the export of the same view). */
    query: () => query,
    /** Redraws the labels (language change) and reloads the rows (new report). */
    refresh() { clear(); header(); load(Math.max(0, Math.floor(body.scrollTop / ROW) - MARGIN), 2 * MARGIN + 40); },
    reset() { query = { sort: 'net', descending: true, search: '' }; clear(); body.scrollTop = 0; header(); load(0, 2 * MARGIN); },
  };
}

/** Fills a filter select with "all" and the given ids, keeping the current choice when it still exists. */
export function fillFilter(select, allLabel, ids) {
  const keep = select.value;
  select.replaceChildren(new Option(t(allLabel), ''));
  for (const id of ids) select.append(new Option(name(id), id));
  select.value = ids.includes(keep) ? keep : '';
  select.setAttribute('aria-label', t(allLabel));
}
