// The seller's settings: what the analysis uses (as-of date, lifecycle limits, RFM scoring, tier
// and level thresholds, campaign exclusivity) and how customers are identified. They live in the
// address (so a view can be bookmarked or shared as a link, without data) and in localStorage (so
// the next visit starts the same way). The as-of date belongs to one file, so it stays in the
// address only.
import { t } from './i18n.js';

const STORE = 'huitou.settings';
const DEFAULTS = Object.freeze({
  as_of: '', life: [90, 180, 270, 360], rfm: null, cn: 'mean', tiers: null, levels: null, key: '', exclusive: false,
});

/** Numbers from "1,2,3" (null when any part is not a number or the count is wrong). */
function numbers(text, count) {
  if (typeof text !== 'string' || !text.trim()) return null;
  const parts = text.split(',').map((x) => Number(x.trim()));
  return parts.length === count && parts.every((x) => Number.isFinite(x) && x >= 0) ? parts : null;
}

/** Settings from URL-style parameters; anything malformed falls back to its default. */
function fromParams(p) {
  const s = structuredClone(DEFAULTS);
  if (/^\d{4}-\d{2}-\d{2}$/.test(p.get('asof') ?? '')) s.as_of = p.get('asof');
  s.life = numbers(p.get('life'), 4) ?? s.life;
  const rfm = (p.get('rfm') ?? '').split(';');
  if (rfm.length === 3) {
    const [r, f, m] = rfm.map((x) => numbers(x, 4));
    if (r && f && m) s.rfm = { r, f, m };
  }
  if (p.get('cn') === 'median') s.cn = 'median';
  s.tiers = numbers(p.get('tiers'), 4);
  s.levels = numbers(p.get('levels'), 3);
  if (['customer_id', 'email', 'phone', 'name'].includes(p.get('key'))) s.key = p.get('key');
  s.exclusive = p.get('excl') === '1';
  return s;
}

function toParams(s, { withAsOf }) {
  const p = new URLSearchParams();
  if (withAsOf && s.as_of) p.set('asof', s.as_of);
  if (String(s.life) !== String(DEFAULTS.life)) p.set('life', s.life.join(','));
  if (s.rfm) p.set('rfm', [s.rfm.r, s.rfm.f, s.rfm.m].map((x) => x.join(',')).join(';'));
  if (s.cn !== 'mean') p.set('cn', s.cn);
  if (s.tiers) p.set('tiers', s.tiers.join(','));
  if (s.levels) p.set('levels', s.levels.join(','));
  if (s.key) p.set('key', s.key);
  if (s.exclusive) p.set('excl', '1');
  return p;
}

const SETTING_PARAMS = ['asof', 'life', 'rfm', 'cn', 'tiers', 'levels', 'key', 'excl'];

/** The settings of the address, or else of the last visit. */
export function load() {
  const here = new URLSearchParams(location.search);
  if (SETTING_PARAMS.some((k) => here.has(k))) return fromParams(here);
  let stored = '';
  try {
    stored = localStorage.getItem(STORE) ?? '';
  } catch { /* storage disabled: defaults */ }
  return { ...fromParams(new URLSearchParams(stored)), as_of: '' };
}

/** Writes `s` (and the page's language and tab) to the address and localStorage. */
export function save(s, extra = {}) {
  const p = toParams(s, { withAsOf: true });
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  history.replaceState(null, '', `${location.pathname}?${p}`);
  try {
    localStorage.setItem(STORE, String(toParams(s, { withAsOf: false })));
  } catch { /* storage disabled: the address still holds them */ }
}

export const defaults = () => structuredClone(DEFAULTS);

/** The core's `Settings` for `s` (see src/settings.rs). */
export function toCore(s) {
  return {
    as_of: s.as_of || null,
    lifecycle_days: s.life,
    rfm: s.rfm ? { kind: 'fixed', recency_days: s.rfm.r, orders: s.rfm.f, net_spend: s.rfm.m } : { kind: 'quantiles' },
    cn_baseline: s.cn,
    tiers: s.tiers
      ? { key_spend: s.tiers[0], important_spend: s.tiers[1], important_orders: Math.round(s.tiers[2]), potential_order: s.tiers[3] }
      : null,
    levels: s.levels,
    campaigns: { exclusive: s.exclusive },
  };
}

/** Shows `s` in the settings form; `report` supplies the derived thresholds shown when automatic. */
export function fill(form, s, report) {
  const f = form.elements;
  f.as_of.value = s.as_of || report?.summary.as_of || '';
  s.life.forEach((d, i) => { f[`life${i}`].value = d; });
  f.rfm.value = s.rfm ? 'fixed' : 'quantiles';
  const rfm = report?.rfm;
  const shown = (list) => list?.map((x) => x ?? '').join(',') ?? '';
  f.r.value = s.rfm ? s.rfm.r.join(',') : shown(rfm?.r_thresholds);
  f.f.value = s.rfm ? s.rfm.f.join(',') : shown(rfm?.f_thresholds);
  f.m.value = s.rfm ? s.rfm.m.join(',') : shown(rfm?.m_thresholds);
  f.cn.value = s.cn;
  const tiers = s.tiers ?? (report?.value && Object.values(report.value.tier_thresholds));
  f.tiers_auto.checked = !s.tiers;
  ['key_spend', 'important_spend', 'important_orders', 'potential_order'].forEach((n, i) => { f[n].value = tiers?.[i] ?? ''; });
  const levels = s.levels ?? report?.value?.level_thresholds;
  f.levels_auto.checked = !s.levels;
  [0, 1, 2].forEach((i) => { f[`level${i}`].value = levels?.[i] ?? ''; });
  f.key.value = s.key;
  f.exclusive.checked = s.exclusive;
  syncDisabled(form);
}

/** Inputs of automatic thresholds are read-only views of the derived values. */
export function syncDisabled(form) {
  const f = form.elements;
  form.querySelector('#rfm-fixed').classList.toggle('off', f.rfm.value !== 'fixed');
  for (const n of ['r', 'f', 'm']) f[n].disabled = f.rfm.value !== 'fixed';
  for (const n of ['key_spend', 'important_spend', 'important_orders', 'potential_order']) f[n].disabled = f.tiers_auto.checked;
  for (const i of [0, 1, 2]) f[`level${i}`].disabled = f.levels_auto.checked;
}

/**
 * Reads the form; returns `{ settings }` or `{ error, field }` naming the first value that does not
 * make sense (limits must increase, thresholds must be ordered).
 */
export function read(form) {
  const f = form.elements;
  const num = (name) => (f[name].value.trim() === '' ? NaN : Number(f[name].value));
  const fail = (field) => ({ error: t('invalidSetting'), field });
  const s = defaults();
  s.as_of = f.as_of.value;
  s.life = [0, 1, 2, 3].map((i) => num(`life${i}`));
  for (let i = 0; i < 4; i++) if (!(s.life[i] > 0) || (i > 0 && s.life[i] <= s.life[i - 1])) return fail(`life${i}`);
  if (f.rfm.value === 'fixed') {
    const [r, fr, m] = ['r', 'f', 'm'].map((n) => numbers(f[n].value, 4));
    const ordered = (xs, dir) => xs && xs.every((x, i) => i === 0 || dir * (x - xs[i - 1]) >= 0);
    if (!ordered(r, -1)) return fail('r');
    if (!ordered(fr, 1)) return fail('f');
    if (!ordered(m, 1)) return fail('m');
    s.rfm = { r, f: fr, m };
  }
  s.cn = f.cn.value === 'median' ? 'median' : 'mean';
  if (!f.tiers_auto.checked) {
    s.tiers = ['key_spend', 'important_spend', 'important_orders', 'potential_order'].map(num);
    const bad = s.tiers.findIndex((x) => !(x >= 0));
    if (bad >= 0) return fail(['key_spend', 'important_spend', 'important_orders', 'potential_order'][bad]);
  }
  if (!f.levels_auto.checked) {
    s.levels = [0, 1, 2].map((i) => num(`level${i}`));
    for (let i = 0; i < 3; i++) if (!(s.levels[i] >= 0) || (i > 0 && s.levels[i] <= s.levels[i - 1])) return fail(`level${i}`);
  }
  s.key = f.key.value;
  s.exclusive = f.exclusive.checked;
  return { settings: s };
}
