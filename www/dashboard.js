// The overview: every view of the report as a chart or table, each with one sentence that reads
// it in plain words. Clicking a segment, class or stage opens its customers.
import { t, name, reading } from './i18n.js';
import { fmtInt, fmtMoney, fmtCompact, fmtDays, pct, el, fillRows } from './format.js';
import { bars, draw, heatmap, histogram, COLORS } from './charts.js';

const $ = (id) => document.getElementById(id);

/** Renders the overview of `report`; `openCustomers(filter)` shows the customers tab filtered. */
export function renderOverview(report, openCustomers) {
  renderDefinitions(report.definitions);
  // When orders come in needs no buyer column, so it shows for every file.
  renderTiming(report.timing);
  const has = report.rfm !== null;
  $('analysis').hidden = !has;
  if (!has) return;
  renderRepeat(report);
  renderSegments(report, openCustomers);
  renderLifecycle(report, openCustomers);
  renderCohorts(report.cohorts);
  renderValue(report.value);
  renderProducts(report.products);
  renderRegions(report.regions);
}

function renderDefinitions(definitions) {
  const dl = $('definitions');
  dl.replaceChildren();
  for (const [term, text] of definitions) dl.append(el('dt', term.replace(/_/g, ' ')), el('dd', text));
}

function renderRepeat(report) {
  const rep = report.repeat;
  $('repeat-reading').textContent = reading('repeat', pct(report.summary.repeat_rate), fmtDays(rep.days_to_second.median));
  fillRows($('repeat'), rep.windows.map((w) => [`${w.days} ${t('days')}`, fmtInt(w.eligible_customers), fmtInt(w.repeated), pct(w.rate)]));
  const w90 = rep.windows.find((w) => w.days === 90 && w.rate !== null) ?? rep.windows.find((w) => w.rate !== null);
  $('windows-reading').textContent = w90 ? reading('windows', w90.days, pct(w90.rate)) : '';
  bars($('chart-windows'), rep.windows.map((w) => `${w.days} ${t('days')}`), rep.windows.map((w) => w.rate ?? 0), {
    format: (v) => pct(v, 0),
  });
  $('orders-per-reading').textContent = reading('ordersPer', pct(report.summary.one_time_share));
  histogram($('chart-orders-per'), rep.orders_per_customer);
  const g = rep.days_to_second;
  $('second-reading').textContent = g.median === null ? '' : reading('secondGap', fmtDays(g.p25), fmtDays(g.median), fmtDays(g.p75));
  histogram($('chart-second'), g.histogram);
  const b = rep.days_between;
  $('between-reading').textContent = b.median === null ? '' : reading('betweenGap', fmtDays(b.median));
  histogram($('chart-between'), b.histogram);
}

/** Rows of segment statistics that open their customers when clicked (or Enter is pressed). */
function segmentTable(table, list, filterKey, openCustomers) {
  fillRows(table, list.map((s) => [name(s.name), fmtInt(s.customers), pct(s.share), pct(s.revenue_share)]));
  [...table.tBodies[0].rows].forEach((tr, i) => {
    tr.tabIndex = 0;
    tr.dataset.value = list[i].name;
    const open = () => openCustomers({ [filterKey]: list[i].name });
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
  });
}

function renderSegments(report, openCustomers) {
  const { segments, cn_classes: classes } = report.rfm;
  const largest = [...segments].sort((a, b) => b.customers - a.customers)[0];
  $('segments-reading').textContent = reading('segments', name(largest.name), pct(largest.share), pct(largest.revenue_share));
  segmentTable($('segments'), segments, 'segment', openCustomers);
  segmentTable($('cn-classes'), classes, 'cn_class', openCustomers);
  const rfm = report.rfm;
  $('cn-reading').textContent = t('cnBaseline')
    .replace('{b}', t(rfm.cn_baseline).toLowerCase()).replace('{r}', fmtDays(rfm.cn_recency))
    .replace('{f}', rfm.cn_frequency.toFixed(2)).replace('{m}', fmtMoney(rfm.cn_monetary));
  const chart = draw($('chart-segments'), {
    tooltip: { formatter: (p) => `${p.name}\n${fmtInt(p.value)} ${t('customersAxis')} · ${t('revenue')} ${pct(p.data.revenueShare)}` },
    series: [{
      type: 'treemap', roam: false, nodeClick: false, breadcrumb: { show: false },
      width: '100%', height: '100%', top: 0, left: 0,
      label: { formatter: (p) => `${p.name}\n${fmtInt(p.value)} · ${pct(p.data.revenueShare, 0)}` },
      data: segments.filter((s) => s.customers > 0).map((s, i) => ({
        name: name(s.name), id: s.name, value: s.customers, revenueShare: s.revenue_share,
        itemStyle: { color: COLORS[i % COLORS.length] },
      })),
    }],
  });
  chart.off('click');
  chart.on('click', (p) => openCustomers({ segment: p.data.id }));
}

function renderLifecycle(report, openCustomers) {
  const stages = report.lifecycle;
  const range = (s) => (s.to_days === null ? `${s.from_days}+` : `${s.from_days}–${s.to_days}`);
  fillRows($('lifecycle'), stages.map((s) => [name(s.name), range(s), fmtInt(s.customers), fmtInt(s.returning_customers), fmtMoney(s.net_revenue)]));
  [...$('lifecycle').tBodies[0].rows].forEach((tr, i) => {
    tr.tabIndex = 0;
    const open = () => openCustomers({ stage: stages[i].name });
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
  });
  $('lifecycle-reading').textContent = reading('lifecycle', pct(stages[0]?.share), pct(stages.at(-1)?.share));
  bars($('chart-lifecycle'), stages.map((s) => `${name(s.name)} (${range(s)})`), stages.map((s) => s.customers));
}

function renderCohorts(cohorts) {
  const list = cohorts.cohorts;
  const width = Math.max(0, ...list.map((c) => c.retention.length));
  const cells = [];
  list.forEach((c, row) => c.retention.forEach((r, col) => { if (col > 0) cells.push([col - 1, row, r]); }));
  const max = Math.max(0.05, ...cells.map((c) => c[2]));
  heatmap($('chart-cohorts'), {
    rows: list.map((c) => `${c.month} (${fmtInt(c.customers)})`),
    columns: Array.from({ length: Math.max(0, width - 1) }, (_, i) => `+${i + 1}`),
    cells, max, format: (v) => pct(v), height: Math.max(220, 26 * list.length + 90),
  });
  const month1 = list.filter((c) => c.retention.length > 1);
  const weighted = month1.reduce((n, c) => n + c.retention[1] * c.customers, 0);
  const people = month1.reduce((n, c) => n + c.customers, 0);
  $('cohorts-reading').textContent = people ? reading('cohorts', pct(weighted / people)) : reading('cohortsNone');

  const months = cohorts.months;
  const last = [...months].reverse().find((m) => m.returning_revenue_share !== null);
  $('mix-reading').textContent = last ? reading('mix', pct(last.returning_revenue_share), last.month) : '';
  draw($('chart-mix'), {
    tooltip: { trigger: 'axis', valueFormatter: fmtMoney },
    legend: { top: 0 },
    xAxis: { type: 'category', data: months.map((m) => m.month) },
    yAxis: { type: 'value', axisLabel: { formatter: fmtCompact } },
    series: [
      { type: 'bar', stack: 'r', name: t('newRevenue'), data: months.map((m) => m.new_revenue), itemStyle: { color: COLORS[1] } },
      { type: 'bar', stack: 'r', name: t('returningRevenue'), data: months.map((m) => m.returning_revenue), itemStyle: { color: COLORS[0] } },
    ],
  });
}

function renderValue(value) {
  const top20 = value.top_shares.find(([p]) => p === 20);
  $('value-reading').textContent = reading('pareto', 20, pct(top20?.[1]));
  const n = value.lorenz.length - 1;
  draw($('chart-lorenz'), {
    tooltip: { trigger: 'axis', valueFormatter: (v) => pct(v) },
    legend: { top: 0 },
    xAxis: { type: 'value', min: 0, max: 1, name: t('customersShare'), nameLocation: 'middle', nameGap: 24, axisLabel: { formatter: (v) => pct(v, 0) } },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => pct(v, 0) } },
    grid: { left: 8, right: 16, top: 28, bottom: 28, containLabel: true },
    series: [
      { type: 'line', name: t('revenueShareAxis'), showSymbol: false, areaStyle: { opacity: 0.15 }, data: value.lorenz.map((y, i) => [n ? i / n : 0, y]) },
      { type: 'line', name: t('equality'), showSymbol: false, lineStyle: { type: 'dashed', color: '#888' }, itemStyle: { color: '#888' }, data: [[0, 0], [1, 1]] },
    ],
  });
  $('lorenz-reading').textContent = value.gini === null ? '' : reading('lorenz', value.gini.toFixed(2));
  const ov = value.order_value;
  $('order-value-reading').textContent = ov.median === null ? '' : reading('orderValue', fmtMoney(ov.median), fmtMoney(ov.mean));
  histogram($('chart-order-value'), ov.histogram, { integer: false, format: fmtCompact });
  groups('tiers', value.tiers, value.tiers_derived, [
    `${name('key')} ≥ ${fmtMoney(value.tier_thresholds.key_spend)}`,
    `${name('important')} ≥ ${fmtMoney(value.tier_thresholds.important_spend)} / ${fmtInt(value.tier_thresholds.important_orders)} ${t('ordersAxis')}`,
    `${t('tierPotentialOrder')} ${fmtMoney(value.tier_thresholds.potential_order)}`,
  ]);
  groups('levels', value.levels, value.levels_derived, value.level_thresholds.map((x, i) => `${name(value.levels[i + 1]?.name)} ≥ ${fmtMoney(x)}`));
}

/** Tiers or levels: a bar of customers, the biggest revenue group in words, the thresholds shown. */
function groups(id, list, derived, thresholds) {
  bars($(`chart-${id}`), list.map((g) => name(g.name)), list.map((g) => g.customers));
  const top = [...list].sort((a, b) => (b.revenue_share ?? 0) - (a.revenue_share ?? 0))[0];
  $(`${id}-reading`).textContent = top ? reading('tiers', name(top.name), pct(top.share), pct(top.revenue_share)) : '';
  $(`${id}-thresholds`).textContent = `${t('threshold')}: ${thresholds.join(' · ')} ${derived ? t('derived') : ''}`;
}

function renderTiming(timing) {
  const days = t('weekdays').split(',');
  const cells = [];
  timing.weekday_hour.forEach((hours, d) => hours.forEach((n, h) => cells.push([h, d, n])));
  const max = Math.max(1, ...cells.map((c) => c[2]));
  heatmap($('chart-timing'), {
    rows: days, columns: Array.from({ length: 24 }, (_, h) => `${h}`), cells, max, format: (v) => fmtInt(Math.round(v)), height: 300,
  });
  const { best_weekday: d, best_hour: h, has_time_of_day: withTime } = timing;
  $('timing-reading').textContent = d === null ? '' : withTime ? reading('timing', days[d], h) : reading('timingNoTime');
}

function renderProducts(products) {
  $('products-block').hidden = !products;
  if (!products) return;
  const top = products.top_by_revenue.slice(0, 15);
  const total = products.top_by_revenue.reduce((n, p) => n + p.revenue, 0);
  $('products-reading').textContent = top[0] ? reading('products', top[0].product, pct(total ? top[0].revenue / total : null)) : '';
  bars($('chart-products'), top.map((p) => p.product), top.map((p) => p.revenue), { horizontal: true, format: fmtCompact });
  const first = products.first_product_repeat;
  // A rate of a handful of customers says little: the reading compares products that started
  // at least this many customers, and says so (the table below lists the smaller ones too).
  const minCustomers = 10;
  const best = [...first].filter((f) => f.customers >= minCustomers).sort((a, b) => (b.repeat_rate ?? 0) - (a.repeat_rate ?? 0))[0];
  $('first-product-reading').textContent = best ? reading('firstProduct', best.product, pct(best.repeat_rate), minCustomers) : '';
  fillRows($('first-products'), first.slice(0, 15).map((f) => [f.product, fmtInt(f.customers), fmtInt(f.repeat_customers), pct(f.repeat_rate)]));
  fillRows($('bought-next'), products.bought_next.slice(0, 15).map((p) => [p.a, p.b, fmtInt(p.count)]));
}

function renderRegions(regions) {
  $('regions-block').hidden = !regions?.length;
  if (!regions?.length) return;
  const top = regions.slice(0, 20);
  $('regions-reading').textContent = reading('regions', top[0].region, pct(top[0].repeat_rate));
  draw($('chart-regions'), {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: top.map((r) => r.region), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [
      { type: 'bar', stack: 'c', name: t('repeatCustomersShort'), data: top.map((r) => r.repeat_customers), itemStyle: { color: COLORS[0] } },
      { type: 'bar', stack: 'c', name: t('oneTimeShare'), data: top.map((r) => r.customers - r.repeat_customers), itemStyle: { color: '#b8c4d6' } },
    ],
  });
}
