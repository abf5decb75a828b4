/**
 * The entropy (or probability) plot along the trace, with interventions marked. Built with
 * chart.js, registering only the parts it uses. Long traces are averaged into at most MAX_POINTS
 * bins; the selection is a cursor laid over the canvas, so moving it never redraws the chart.
 * Clicking the plot jumps to that token.
 */
import {
  Chart,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartConfiguration,
  type ChartEvent,
  type TooltipItem,
} from 'chart.js';
import { cssVariable } from '../../shared/theme';
import { h } from '../../shared/dom';
import { formatCount, formatNumber } from '../../shared/format';
import type { TraceModel } from './model';
import { describeEvent, isIntervention } from './events';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Tooltip);

/** What the plot shows per token. */
export type ChartMetric = 'entropy' | 'probability';

/** At most this many points are drawn; longer traces are averaged into bins. */
export const MAX_POINTS = 1200;

interface Point {
  x: number;
  y: number | null;
}

/** The plotted series: per token, or bin averages for long traces (x is the bin's middle token). */
export function metricSeries(model: TraceModel, metric: ChartMetric, maxPoints = MAX_POINTS): Point[] {
  const tokens = model.trace.tokens;
  const n = tokens.length;
  const size = Math.max(1, Math.ceil(n / maxPoints));
  const points: Point[] = [];
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let sum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      const token = tokens[i];
      const value = metric === 'entropy' ? token.entropy : token.logprob === null ? null : Math.exp(token.logprob);
      if (value === null || !Number.isFinite(value)) continue;
      sum += value;
      count++;
    }
    points.push({ x: (start + end - 1) / 2, y: count > 0 ? sum / count : null });
  }
  return points;
}

export class EntropyChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly cursor: HTMLElement;
  private readonly empty: HTMLElement;
  private chart: Chart<'line' | 'scatter', Point[]> | null = null;
  private model: TraceModel | null = null;
  private metric: ChartMetric = 'entropy';
  private position = 0;

  constructor(parent: HTMLElement, private readonly onJump: (token: number) => void) {
    this.element = h('div', 'ts-chart');
    this.canvas = h('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Entropy along the trace');
    this.cursor = h('div', 'ts-chart-cursor');
    this.empty = h('div', 'ts-chart-empty', '');
    this.element.append(this.canvas, this.cursor, this.empty);
    parent.append(this.element);
  }

  /** Plots `model` (creates the chart on first use). */
  update(model: TraceModel, metric: ChartMetric): void {
    this.model = model;
    this.metric = metric;
    const series = metricSeries(model, metric);
    const hasValues = series.some((p) => p.y !== null);
    this.empty.textContent = hasValues ? '' : model.length === 0 ? 'No tokens yet' : `No per-token ${metric} in this trace`;
    this.empty.hidden = hasValues;
    const top = metric === 'probability' ? 1 : Math.max(0.5, ...series.map((p) => p.y ?? 0));
    const markers = model.events.filter((p) => isIntervention(p.event)).map((p) => ({ x: p.token, y: top }));
    const label = metric === 'entropy' ? 'entropy (nats)' : 'probability';
    if (!this.chart) {
      this.chart = new Chart(this.canvas, this.config(series, markers, label, model.length));
    } else {
      const [line, scatter] = this.chart.data.datasets;
      line.data = series;
      line.label = label;
      scatter.data = markers;
      const x = this.chart.options.scales?.x;
      if (x) x.max = Math.max(1, model.length - 1);
      this.chart.update('none');
    }
    this.placeCursor();
  }

  /** Re-reads the theme colours. */
  restyle(): void {
    if (!this.chart) return;
    const colors = themeColors();
    const [line, scatter] = this.chart.data.datasets;
    line.borderColor = colors.line;
    scatter.backgroundColor = colors.marker;
    scatter.borderColor = colors.marker;
    for (const axis of ['x', 'y'] as const) {
      const scale = this.chart.options.scales?.[axis];
      if (scale?.ticks) scale.ticks.color = colors.text;
      if (scale?.grid) scale.grid.color = colors.grid;
    }
    this.chart.update('none');
  }

  /** Moves the cursor to token `position`. */
  setPosition(position: number): void {
    this.position = position;
    this.placeCursor();
  }

  private placeCursor(): void {
    const chart = this.chart;
    if (!chart || !chart.chartArea) {
      this.cursor.hidden = true;
      return;
    }
    const x = chart.scales.x.getPixelForValue(this.position);
    this.cursor.hidden = false;
    this.cursor.style.left = `${x}px`;
    this.cursor.style.top = `${chart.chartArea.top}px`;
    this.cursor.style.height = `${chart.chartArea.bottom - chart.chartArea.top}px`;
  }

  private config(series: Point[], markers: Point[], label: string, length: number): ChartConfiguration<'line' | 'scatter', Point[]> {
    const colors = themeColors();
    return {
      type: 'line',
      data: {
        datasets: [
          { type: 'line', label, data: series, borderColor: colors.line, borderWidth: 1, pointRadius: 0, tension: 0, spanGaps: true, parsing: false },
          {
            type: 'scatter', label: 'interventions', data: markers, pointStyle: 'triangle', pointRotation: 180, pointRadius: 5,
            backgroundColor: colors.marker, borderColor: colors.marker, parsing: false,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        onClick: (event: ChartEvent) => this.onClick(event),
        onResize: () => requestAnimationFrame(() => this.placeCursor()),
        scales: {
          x: { type: 'linear', min: 0, max: Math.max(1, length - 1), ticks: { color: colors.text, maxTicksLimit: 8, callback: (v) => formatCount(Number(v) + 1) }, grid: { color: colors.grid } },
          y: { type: 'linear', beginAtZero: true, ticks: { color: colors.text, maxTicksLimit: 4 }, grid: { color: colors.grid } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              title: (items: TooltipItem<'line' | 'scatter'>[]) => (items.length ? `token ${formatCount(Math.round(items[0].parsed.x ?? 0) + 1)}` : ''),
              label: (item: TooltipItem<'line' | 'scatter'>) => this.tooltipLabel(item),
            },
          },
        },
      },
      plugins: [{ id: 'thinkscope-cursor', afterRender: () => this.placeCursor() }],
    };
  }

  private tooltipLabel(item: TooltipItem<'line' | 'scatter'>): string {
    if (item.datasetIndex === 1 && this.model) {
      const placed = this.model.events.filter((p) => isIntervention(p.event))[item.dataIndex];
      return placed ? describeEvent(placed.event, this.model.trace).title : '';
    }
    return `${this.metric}: ${formatNumber(item.parsed.y)}`;
  }

  private onClick(event: ChartEvent): void {
    const chart = this.chart;
    const model = this.model;
    if (!chart || !model || model.length === 0 || event.x === null) return;
    const value = chart.scales.x.getValueForPixel(event.x);
    if (value === undefined) return;
    this.onJump(Math.max(0, Math.min(model.length - 1, Math.round(value))));
  }
}

function themeColors(): { line: string; marker: string; text: string; grid: string } {
  return {
    line: cssVariable('--vscode-charts-blue', '#3794ff'),
    marker: cssVariable('--vscode-charts-orange', '#d18616'),
    text: cssVariable('--vscode-descriptionForeground', '#999999'),
    grid: cssVariable('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)'),
  };
}
