// Numbers, money, shares and dates in the page's language, and the one way the page makes
// elements: text always goes in through textContent, never as markup.
import { lang } from './i18n.js';

const locale = () => (lang() === 'zh' ? 'zh-CN' : 'en-US');

export const fmtInt = (n) => (n === null || n === undefined ? '—' : new Intl.NumberFormat(locale()).format(n));

export function fmtMoney(n) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, minimumFractionDigits: 2 }).format(n);
}

/** Large amounts the way sellers say them: 12.3万 in Chinese, 123.4k in English. */
export function fmtCompact(n) {
  if (n === null || n === undefined) return '—';
  return new Intl.NumberFormat(locale(), { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

export const pct = (x, digits = 1) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`);

export const fmtDays = (d) => (d === null || d === undefined ? '—' : fmtInt(Math.round(d)));

/** An element with optional text and class. */
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/** Fills a table body with rows of cells; cells after the first are numbers (right-aligned). */
export function fillRows(table, rows) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const cells of rows) {
    const tr = body.insertRow();
    cells.forEach((c, i) => {
      const td = tr.insertCell();
      td.textContent = c;
      if (i > 0) td.className = 'num';
    });
  }
}
