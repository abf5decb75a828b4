/**
 * The compare view's charts (chart.js, registering only the parts used): thinking tokens used vs
 * budget (with the budget itself as a dashed line), answer length vs budget, and correctness vs
 * budget, one line per Wait count. Clicking a point opens that cell's trace in the stepper.
 *
 * Each point also gets a focusable marker laid over the canvas, so the points can be reached from
 * the keyboard (Tab into a chart, arrows between points, Enter opens) and read by screen readers.
 * The markers let mouse events through to the canvas.
 */
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ActiveElement,
  type ChartConfiguration,
  type ChartDataset,
  type ChartEvent,
  type TooltipItem,
} from 'chart.js';
import { h } from '../../shared/dom';
import { formatCount } from '../../shared/format';
import { cssVariable } from '../../shared/theme';
import { CHART_KINDS, CHART_TITLES, chartData, type ChartData, type ChartKind, type ChartPoint } from './chartSeries';
import type { SweepModel } from './model';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

/** Series colours, in order, from the theme's chart palette. */
const PALETTE: ReadonlyArray<[string, string]> = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];

interface Colors {
  series: string[];
  text: string;
  grid: string;
  budget: string;
}

function themeColors(): Colors {
  return {
    series: PALETTE.map(([name, fallback]) => cssVariable(name, fallback)),
    text: cssVariable('--vscode-descriptionForeground', '#999999'),
    grid: cssVariable('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)'),
    budget: cssVariable('--vscode-disabledForeground', '#888888'),
  };
}

/** A point laid over the canvas: where it is drawn and what it stands for. */
interface PlacedPoint {
  x: number;
  y: number;
  series: number;
  index: number;
  point: ChartPoint;
  text: string;
}

type LineChart = Chart<'line', Array<number | null>, string>;

/** One chart with its title and point markers. */
class SweepChart {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly markers: HTMLElement;
  private chart: LineChart | null = null;
  private data: ChartData | null = null;
  private placed: PlacedPoint[] = [];
  private placedSignature = '';
  private focused = 0;

  constructor(
    parent: HTMLElement,
    readonly kind: ChartKind,
    private readonly onOpen: (traceId: string) => void,
  ) {
    this.element = h('figure', `cv-chart cv-chart-${kind}`);
    this.element.dataset.chart = kind;
    const caption = h('figcaption', 'cv-chart-title', CHART_TITLES[kind].title);
    const frame = h('div', 'cv-chart-frame');
    this.canvas = h('canvas');
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', CHART_TITLES[kind].title);
    this.markers = h('div', 'cv-chart-points');
    this.markers.setAttribute('role', 'group');
    this.markers.setAttribute('aria-label', `${CHART_TITLES[kind].title}: points (Enter opens the trace)`);
    this.markers.addEventListener('keydown', (event) => this.onKey(event));
    frame.append(this.canvas, this.markers);
    this.element.append(caption, frame);
    parent.append(this.element);
  }

  update(data: ChartData, colors: Colors): void {
    this.data = data;
    const datasets = this.datasets(data, colors);
    if (!this.chart) {
      this.chart = new Chart(this.canvas, this.config(data, datasets, colors));
    } else {
      this.chart.data.labels = data.labels;
      this.chart.data.datasets = datasets;
      this.styleScales(colors);
      this.chart.update('none');
    }
  }

  /** Redraws with other colours (after a theme change). */
  restyle(colors: Colors): void {
    if (this.data) this.update(this.data, colors);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
  }

  private datasets(data: ChartData, colors: Colors): ChartDataset<'line', Array<number | null>>[] {
    const sets: ChartDataset<'line', Array<number | null>>[] = data.series.map((s, i) => {
      const color = colors.series[i % colors.series.length]!;
      return {
        label: s.label,
        data: s.points.map((p) => p.y),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 2,
        pointRadius: 4,
        pointHoverRadius: 6,
        pointHitRadius: 10,
        tension: 0,
        spanGaps: false,
      };
    });
    if (data.budgetLine) {
      sets.push({
        label: 'budget',
        data: data.budgetLine,
        borderColor: colors.budget,
        backgroundColor: colors.budget,
        borderDash: [4, 4],
        borderWidth: 1,
        pointRadius: 0,
        pointHoverRadius: 0,
        pointHitRadius: 0,
        spanGaps: false,
      });
    }
    return sets;
  }

  private config(data: ChartData, datasets: ChartDataset<'line', Array<number | null>>[], colors: Colors): ChartConfiguration<'line', Array<number | null>, string> {
    const correct = this.kind === 'correct';
    return {
      type: 'line',
      data: { labels: data.labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', intersect: true },
        onClick: (_event: ChartEvent, elements: ActiveElement[]) => this.onClick(elements),
        scales: {
          x: {
            type: 'category',
            title: { display: true, text: 'thinking budget', color: colors.text },
            ticks: { color: colors.text },
            grid: { color: colors.grid },
          },
          y: correct
            ? {
                type: 'linear',
                min: -0.25,
                max: 1.25,
                title: { display: true, text: CHART_TITLES[this.kind].axis, color: colors.text },
                ticks: { color: colors.text, stepSize: 1, callback: (v) => (v === 1 ? '✓' : v === 0 ? '✗' : '') },
                grid: { color: colors.grid },
              }
            : {
                type: 'linear',
                beginAtZero: true,
                title: { display: true, text: CHART_TITLES[this.kind].axis, color: colors.text },
                ticks: { color: colors.text, maxTicksLimit: 5, callback: (v) => formatCount(Number(v)) },
                grid: { color: colors.grid },
              },
        },
        plugins: {
          legend: { position: 'bottom', labels: { color: colors.text, boxWidth: 12, boxHeight: 2 } },
          tooltip: {
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => (items[0] ? `budget ${items[0].label}` : ''),
              label: (item: TooltipItem<'line'>) => this.tooltipLabel(item),
              footer: (items: TooltipItem<'line'>[]) => (items.some((i) => this.pointOf(i.datasetIndex, i.dataIndex)?.traceId) ? 'Click to open the trace' : ''),
            },
          },
        },
      },
      // The hook gets the chart: the first render runs inside the constructor, before `this.chart` is set.
      plugins: [{ id: 'thinkscope-point-markers', afterRender: (chart: Chart) => this.placeMarkers(chart as LineChart) }],
    };
  }

  private styleScales(colors: Colors): void {
    const options = this.chart?.options;
    if (!options) return;
    for (const axis of ['x', 'y'] as const) {
      const scale = options.scales?.[axis];
      if (!scale) continue;
      if (scale.ticks) scale.ticks.color = colors.text;
      if (scale.grid) scale.grid.color = colors.grid;
      if ('title' in scale && scale.title) scale.title.color = colors.text;
    }
    const legend = options.plugins?.legend;
    if (legend?.labels) legend.labels.color = colors.text;
  }

  private pointOf(datasetIndex: number, index: number): ChartPoint | undefined {
    return this.data?.series[datasetIndex]?.points[index];
  }

  private tooltipLabel(item: TooltipItem<'line'>): string {
    const series = this.data?.series[item.datasetIndex];
    if (!series) return `budget: ${item.formattedValue}`;
    if (this.kind === 'correct') return `${series.label}: ${item.parsed.y === 1 ? 'correct' : 'wrong'}`;
    return `${series.label}: ${formatCount(item.parsed.y ?? 0)} ${CHART_TITLES[this.kind].axis}`;
  }

  private onClick(elements: ActiveElement[]): void {
    for (const element of elements) {
      const point = this.pointOf(element.datasetIndex, element.index);
      if (point?.traceId) {
        this.onOpen(point.traceId);
        return;
      }
    }
  }

  /** Lays a focusable marker over every drawn point; redone only when a point moves or changes. */
  private placeMarkers(chart: LineChart): void {
    const data = this.data;
    if (!data) return;
    const placed: PlacedPoint[] = [];
    data.series.forEach((series, s) => {
      const meta = chart.getDatasetMeta(s);
      series.points.forEach((point, i) => {
        const element = meta.data[i];
        if (point.y === null || !point.traceId || !element || meta.hidden) return;
        const where = `budget ${data.labels[i]}, ${series.label}`;
        const value = this.kind === 'correct' ? (point.y === 1 ? 'correct' : 'wrong') : `${formatCount(point.y)} ${CHART_TITLES[this.kind].axis}`;
        placed.push({ x: element.x, y: element.y, series: s, index: i, point, text: `${where}: ${value}. Enter opens the trace` });
      });
    });
    const signature = JSON.stringify(placed.map((p) => [Math.round(p.x), Math.round(p.y), p.point.traceId, p.text]));
    if (signature === this.placedSignature) return;
    this.placedSignature = signature;
    const hadFocus = this.markers.contains(document.activeElement);
    this.placed = placed;
    this.focused = Math.min(this.focused, Math.max(0, placed.length - 1));
    this.markers.replaceChildren(
      ...placed.map((p, k) => {
        const marker = h('button', 'cv-point');
        marker.type = 'button';
        marker.style.left = `${p.x}px`;
        marker.style.top = `${p.y}px`;
        marker.tabIndex = k === this.focused ? 0 : -1;
        marker.setAttribute('aria-label', p.text);
        marker.dataset.trace = p.point.traceId ?? '';
        marker.dataset.cell = p.point.cellId;
        marker.addEventListener('focus', () => {
          this.focused = k;
        });
        return marker;
      }),
    );
    if (hadFocus) this.focusMarker(this.focused);
  }

  private focusMarker(k: number): void {
    const buttons = this.markers.querySelectorAll<HTMLButtonElement>('button');
    buttons.forEach((b, i) => {
      b.tabIndex = i === k ? 0 : -1;
    });
    buttons[k]?.focus();
    this.focused = k;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.ctrlKey || event.metaKey || event.altKey || this.placed.length === 0) return;
    const current = this.placed[this.focused];
    if (!current) return;
    const find = (predicate: (p: PlacedPoint) => boolean, pick: 'first' | 'last'): number => {
      const indices = this.placed.map((p, k) => (predicate(p) ? k : -1)).filter((k) => k >= 0);
      return (pick === 'first' ? indices[0] : indices[indices.length - 1]) ?? -1;
    };
    let next = -1;
    switch (event.key) {
      case 'ArrowRight':
        next = find((p) => p.series === current.series && p.index > current.index, 'first');
        break;
      case 'ArrowLeft':
        next = find((p) => p.series === current.series && p.index < current.index, 'last');
        break;
      case 'ArrowDown':
        next = find((p) => p.index === current.index && p.series > current.series, 'first');
        break;
      case 'ArrowUp':
        next = find((p) => p.index === current.index && p.series < current.series, 'last');
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.placed.length - 1;
        break;
      case 'Enter':
      case ' ':
        if (current.point.traceId) this.onOpen(current.point.traceId);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (next >= 0) this.focusMarker(next);
  }
}

/** The three charts for one extension string of a sweep. */
export class SweepCharts {
  readonly element: HTMLElement;
  private readonly charts: SweepChart[];
  private readonly note: HTMLElement;
  /** The theme's colours, read once (reading them forces a style recalculation) and on theme changes. */
  private colors: Colors | null = null;

  constructor(parent: HTMLElement, onOpen: (traceId: string) => void) {
    this.element = h('section', 'cv-charts');
    this.element.setAttribute('aria-label', 'Charts');
    this.note = h('p', 'cv-muted cv-chart-note');
    const row = h('div', 'cv-chart-row');
    this.element.append(row, this.note);
    parent.append(this.element);
    this.charts = CHART_KINDS.map((kind) => new SweepChart(row, kind, onOpen));
  }

  update(model: SweepModel, extendWith: string): void {
    const judged = model.judged();
    for (const chart of this.charts) {
      const hide = chart.kind === 'correct' && !judged;
      chart.element.hidden = hide;
      if (!hide) chart.update(chartData(model, extendWith, chart.kind), this.themeColors());
    }
    this.note.textContent = judged ? '' : 'No ground truth: correctness is not judged, so its chart is left out.';
    this.note.hidden = judged;
  }

  /** Re-reads the theme's colours and redraws. */
  restyle(): void {
    this.colors = null;
    for (const chart of this.charts) chart.restyle(this.themeColors());
  }

  private themeColors(): Colors {
    this.colors ??= themeColors();
    return this.colors;
  }
}
