/**
 * The budget comparison view: owns the sweep model, the shown extension string and the compared
 * pair; takes the host's messages; keeps the header, tabs, grid, compare pane and charts in step;
 * asks the host for the analyses it needs (the longer trace of each flip and of the compared pair)
 * and for traces to be opened in the stepper.
 */
import type { TraceAnalysis } from '../../../protocol/analysis';
import { isCompareViewInbound, type CompareViewInbound, type CompareViewOutbound, type CompareViewState } from '../../../protocol/compareView';
import { h } from '../../shared/dom';
import { onThemeChange } from '../../shared/theme';
import type { WebviewApi } from '../../shared/vscodeApi';
import { SweepCharts } from './charts';
import { ComparePane } from './comparePane';
import { defaultPair, findFlips, flipOf, orderBySize, type AnswerFlip } from './flips';
import { SweepGrid } from './grid';
import { SweepHeader } from './header';
import { hasResult, SweepModel, type ModelCell } from './model';
import { CompareStateSaver, loadCompareState } from './state';
import { ExtensionTabs } from './tabs';

/** Least time between chart redraws while cells stream in. */
const LIVE_CHART_INTERVAL_MS = 400;
/** Messages that arrive within this time (a burst of cells or analyses) are drawn once. */
const RENDER_COALESCE_MS = 30;

export class CompareApp {
  private model: SweepModel | null = null;
  private source = '';
  private readonly state: CompareViewState;
  private readonly saver: CompareStateSaver;
  private readonly placeholder: HTMLElement;
  private readonly main: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly header: SweepHeader;
  private readonly tabs: ExtensionTabs;
  private readonly grid: SweepGrid;
  private readonly compare: ComparePane;
  private readonly charts: SweepCharts;
  private readonly analyses = new Map<string, TraceAnalysis | null>();
  private readonly analysing = new Set<string>();
  private lastSelection = '';
  private chartTimer = 0;
  private chartDrawnAt = 0;
  private renderTimer = 0;
  private pendingCharts = false;

  constructor(root: HTMLElement, private readonly api: WebviewApi<unknown>) {
    this.state = loadCompareState(api);
    this.saver = new CompareStateSaver(api);
    root.classList.add('cv-app');
    this.placeholder = h('p', 'cv-placeholder', 'Waiting for the sweep…');
    this.banner = h('div', 'cv-banner');
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    root.append(this.placeholder);
    const main = h('main', 'cv-main');
    main.hidden = true;
    root.append(main);
    this.main = main;
    this.header = new SweepHeader(main);
    main.append(this.banner);
    this.tabs = new ExtensionTabs(main, (value) => this.pickTab(value));
    const top = h('div', 'cv-top');
    main.append(top);
    this.grid = new SweepGrid(top, {
      select: (id) => this.selectWithNeighbour(id),
      setSide: (id, side) => this.setSide(id, side),
      open: (id) => this.open(id),
      focus: (id) => {
        this.state.focus = id;
        this.saver.save(this.state);
      },
    });
    this.compare = new ComparePane(top, {
      setSide: (id, side) => this.setSide(id, side),
      swap: () => this.swap(),
      open: (id, token) => this.open(id, token),
    });
    this.charts = new SweepCharts(main, (traceId) => this.post({ type: 'openTrace', traceId }));
    onThemeChange(() => this.charts.restyle());
    window.addEventListener('pagehide', () => this.saver.flush());
  }

  /** Takes a message from the host; anything that is not a compare view message is ignored. */
  receive(message: unknown): void {
    if (!isCompareViewInbound(message)) return;
    this.handle(message);
  }

  private handle(message: CompareViewInbound): void {
    switch (message.type) {
      case 'start':
        this.setModel(SweepModel.fromOutline(message.outline), message.source.label);
        break;
      case 'load':
        this.setModel(SweepModel.fromDocument(message.sweep), message.source.label);
        break;
      case 'progress':
        if (!this.model) return;
        this.model.applyProgress(message.progress);
        this.scheduleRender(true);
        break;
      case 'finished': {
        const model = SweepModel.fromDocument(message.sweep);
        model.savedTo = message.path ?? null;
        this.setModel(model, this.source);
        break;
      }
      case 'failed':
        if (!this.model) {
          this.showBanner(message.message);
          return;
        }
        this.model.status = 'failed';
        this.model.failure = message.message;
        this.render(false);
        break;
      case 'analysis':
        this.analyses.set(message.traceId, message.analysis);
        this.analysing.delete(message.traceId);
        this.scheduleRender(false);
        break;
    }
  }

  private setModel(model: SweepModel, source: string): void {
    const previous = this.model;
    // A different sweep (not the same live sweep finishing) starts from the defaults.
    const other = previous !== null && previous.id !== null && model.id !== null && previous.id !== model.id;
    const foreign = previous === null && this.state.sweepId !== null && model.id !== null && this.state.sweepId !== model.id;
    if (other || foreign) {
      this.state.pair = null;
      this.state.focus = null;
      this.state.extendWith = null;
    }
    this.state.sweepId = model.id;
    this.model = model;
    this.source = source;
    this.lastSelection = '';
    this.banner.hidden = true;
    this.render(false);
  }

  private get tab(): string {
    const model = this.model;
    if (!model) return '';
    const saved = this.state.extendWith;
    return saved !== null && model.extendWith.includes(saved) ? saved : (model.extendWith[0] ?? '');
  }

  private pickTab(value: string): void {
    this.state.extendWith = value;
    this.render(false);
  }

  /** The compared cells: the user's choice while both exist, else the default pair of the tab. */
  private pair(flips: readonly AnswerFlip[]): [ModelCell, ModelCell] | null {
    const model = this.model;
    if (!model) return null;
    const chosen = this.state.pair;
    if (chosen) {
      const a = model.cell(chosen[0]);
      const b = model.cell(chosen[1]);
      if (a && b) return [a, b];
    }
    return defaultPair(model, this.tab, flips);
  }

  /** Draws once for a burst of messages; `charts`: the charts need the new cells too. */
  private scheduleRender(charts: boolean): void {
    this.pendingCharts ||= charts;
    if (this.renderTimer) return;
    this.renderTimer = window.setTimeout(() => {
      this.renderTimer = 0;
      const redraw = this.pendingCharts;
      this.pendingCharts = false;
      this.render(true, redraw);
    }, RENDER_COALESCE_MS);
  }

  private render(live: boolean, redrawCharts = true): void {
    const model = this.model;
    if (!model) return;
    if (this.renderTimer) {
      // A full draw now covers what was scheduled.
      window.clearTimeout(this.renderTimer);
      this.renderTimer = 0;
      redrawCharts ||= this.pendingCharts;
      this.pendingCharts = false;
    }
    this.placeholder.hidden = true;
    this.main.hidden = false;
    const tab = this.tab;
    const flips = findFlips(model, tab);
    const pair = this.pair(flips);
    this.header.render(model, this.source);
    this.tabs.render(model.extendWith, tab);
    this.grid.render({
      model,
      extendWith: tab,
      flips,
      pair: pair ? [pair[0].id, pair[1].id] : null,
      focus: this.state.focus,
      analyses: this.analyses,
    });
    this.compare.render({
      model,
      pair,
      flip: pair ? flipOf(flips, pair[0], pair[1]) : undefined,
      analyses: this.analyses,
      analysing: this.analysing,
    });
    if (redrawCharts) this.drawCharts(live);
    this.requestAnalyses(flips, pair);
    this.saver.save(this.state);
  }

  private drawCharts(live: boolean): void {
    const draw = (): void => {
      this.chartTimer = 0;
      this.chartDrawnAt = performance.now();
      if (this.model) this.charts.update(this.model, this.tab);
    };
    if (!live) {
      if (this.chartTimer) window.clearTimeout(this.chartTimer);
      draw();
      return;
    }
    if (this.chartTimer) return;
    const wait = Math.max(0, LIVE_CHART_INTERVAL_MS - (performance.now() - this.chartDrawnAt));
    this.chartTimer = window.setTimeout(draw, wait);
  }

  /** Asks for the analyses of the compared pair and of the longer trace of every flip, once each. */
  private requestAnalyses(flips: readonly AnswerFlip[], pair: [ModelCell, ModelCell] | null): void {
    const model = this.model;
    if (!model) return;
    if (pair && hasResult(pair[0]) && hasResult(pair[1])) {
      const selection = JSON.stringify([pair[0].index, pair[1].index, pair[0].cell.traceId, pair[1].cell.traceId]);
      if (selection !== this.lastSelection) {
        this.lastSelection = selection;
        for (const cell of pair) if (!this.analyses.has(cell.cell.traceId!)) this.analysing.add(cell.cell.traceId!);
        this.post({ type: 'selectCells', a: pair[0].index, b: pair[1].index });
      }
    }
    const wanted: string[] = [];
    for (const flip of flips) {
      const id = flip.to.cell.traceId;
      if (id === null || this.analyses.has(id) || this.analysing.has(id)) continue;
      this.analysing.add(id);
      wanted.push(id);
    }
    if (wanted.length > 0) this.post({ type: 'requestAnalysis', traceIds: wanted });
  }

  /** Compares a cell with its neighbour at the next smaller budget (or Wait count), smaller first. */
  private selectWithNeighbour(id: string): void {
    const model = this.model;
    const cell = model?.cell(id);
    if (!model || !cell) return;
    const other = model.budgetNeighbour(cell, -1) ?? model.budgetNeighbour(cell, 1)
      ?? model.waitNeighbour(cell, -1) ?? model.waitNeighbour(cell, 1);
    if (!other) return;
    const [a, b] = orderBySize(other, cell);
    this.state.pair = [a.id, b.id];
    this.render(false, false);
  }

  private setSide(id: string, side: 'a' | 'b'): void {
    const model = this.model;
    if (!model?.cell(id)) return;
    const current = this.pair(findFlips(model, this.tab));
    const a = side === 'a' ? id : (current?.[0].id ?? id);
    const b = side === 'b' ? id : (current?.[1].id ?? id);
    this.state.pair = [a, b];
    this.render(false, false);
  }

  private swap(): void {
    const model = this.model;
    if (!model) return;
    const current = this.pair(findFlips(model, this.tab));
    if (!current) return;
    this.state.pair = [current[1].id, current[0].id];
    this.render(false, false);
  }

  private open(id: string, token?: number): void {
    const traceId = this.model?.cell(id)?.cell.traceId;
    if (!traceId) return;
    this.post(token === undefined ? { type: 'openTrace', traceId } : { type: 'openTrace', traceId, token });
  }

  private showBanner(text: string): void {
    this.banner.textContent = text;
    this.banner.hidden = false;
    this.placeholder.textContent = text;
  }

  private post(message: CompareViewOutbound): void {
    this.api.postMessage(message);
  }
}
