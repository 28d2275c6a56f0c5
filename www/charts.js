// The page's charts: Apache ECharts, tree-shaken to the chart types used, drawn on canvas.
// Tooltips render as rich text on the canvas too, so no text from a file is ever parsed as HTML
// (and the Content-Security-Policy needs no inline styles).
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, TreemapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, LineChart, TreemapChart, GridComponent, LegendComponent, TooltipComponent,
  VisualMapComponent, CanvasRenderer]);

export const COLORS = ['#c0392b', '#2c6fbb', '#1e8a5a', '#d68910', '#7d3c98', '#17a2b8', '#6c757d', '#e67e22'];
const BASE = {
  color: COLORS,
  animation: false,
  textStyle: { fontFamily: 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif' },
  tooltip: { renderMode: 'richText', confine: true },
  grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
};

/** Draws `option` into `element`, replacing what was there; returns the chart. */
export function draw(element, option) {
  const chart = echarts.getInstanceByDom(element) ?? echarts.init(element, null, { renderer: 'canvas' });
  chart.setOption({ ...BASE, ...option, tooltip: { ...BASE.tooltip, ...option.tooltip } }, true);
  return chart;
}

/** Fits every chart inside `root` to its box (after a tab is shown, the window resized, before print). */
export function resizeAll(root = document) {
  for (const element of root.querySelectorAll('.chart')) echarts.getInstanceByDom(element)?.resize();
}

/** A bar chart of labelled counts. */
export function bars(element, labels, values, { horizontal = false, format } = {}) {
  // Every label shown; tilted when many share the width.
  const tilt = !horizontal && labels.length > 5 ? 30 : 0;
  const category = { type: 'category', data: labels, axisTick: { alignWithLabel: true }, axisLabel: { interval: 0, rotate: tilt } };
  const value = { type: 'value', ...(format && { axisLabel: { formatter: format } }) };
  return draw(element, {
    tooltip: { trigger: 'axis', valueFormatter: format },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true, axisLabel: { width: 180, overflow: 'truncate', interval: 0 } } : value,
    series: [{ type: 'bar', data: values, itemStyle: { color: COLORS[1] } }],
  });
}

/** Histogram bins `{ from, to, count }` labelled as ranges ("8–14", "731+"). */
export function histogram(element, bins, { integer = true, format = (x) => String(x) } = {}) {
  const label = (b) => {
    if (b.to === null) return `${format(b.from)}+`;
    const last = integer ? b.to - 1 : b.to;
    return integer && last === b.from ? format(b.from) : `${format(b.from)}–${format(last)}`;
  };
  return bars(element, bins.map(label), bins.map((b) => b.count));
}

/** A heatmap of `rows` × `columns` with values in [min, max]. */
export function heatmap(element, { rows, columns, cells, max, format, height }) {
  if (height) element.style.height = `${height}px`;
  return draw(element, {
    tooltip: { position: 'top', valueFormatter: format },
    grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: columns },
    yAxis: { type: 'category', data: rows, inverse: true },
    visualMap: {
      min: 0, max: max || 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
      text: [format(max || 1), format(0)],
      itemHeight: 120, inRange: { color: ['#f7fbff', '#9ecae1', '#2171b5', '#08306b'] }, formatter: format,
    },
    series: [{ type: 'heatmap', data: cells, label: { show: false } }],
  });
}
