/**
 * The stepper: owns the model and the selected position, takes the host's messages, runs the
 * commands (keys, buttons, relayed keybindings) and keeps every part of the view in step.
 */
import type { TraceAnalysis } from '../../../protocol/analysis';
import type { RunProgress } from '../../../protocol/rpc';
import type { TraceDocument } from '../../../protocol/trace';
import { decodeTokenColumns, type TraceColumns } from '../../../protocol/traceColumns';
import { HEAT_MODES, isTraceViewHostMessage, type HeatMode, type TraceViewHostMessage, type TraceViewState } from '../../../protocol/traceView';
import type { StepCommand, TraceSourceInfo, TraceViewOutbound } from '../../../protocol/webview';
import { h } from '../../shared/dom';
import { onThemeChange } from '../../shared/theme';
import type { WebviewApi } from '../../shared/vscodeApi';
import { DetailPane } from './detailPane';
import { EntropyChart, type ChartMetric } from './entropyChart';
import { describeEvent } from './events';
import { HelpOverlay } from './helpOverlay';
import { PositionIndicator } from './indicator';
import { installKeyboard } from './keyboard';
import { TraceModel } from './model';
import { isMoveCommand, navigate, type MoveCommand } from './navigation';
import { Replay } from './replay';
import { loadState, StateSaver } from './state';
import { TextView } from './textView';
import { Timeline } from './timeline';
import { Toolbar } from './toolbar';
import { Tooltip } from './tooltip';

/** How long position reports to the host are held back while the selection keeps moving. */
const POSITION_REPORT_DELAY_MS = 120;
/** Least time between chart redraws while tokens stream in. */
const LIVE_CHART_INTERVAL_MS = 500;

const NOWHERE: Record<MoveCommand, string> = {
  nextToken: 'at the last token',
  prevToken: 'at the first token',
  nextStep: 'no next step',
  prevStep: 'no previous step',
  nextIntervention: 'no next intervention',
  prevIntervention: 'no previous intervention',
  nextCue: 'no next reflection cue',
  prevCue: 'no previous reflection cue',
  jumpToAnswer: 'no answer yet',
  jumpToStart: 'at the first token',
};

export class TraceApp {
  private model: TraceModel | null = null;
  private position = 0;
  private live = false;
  private readonly state: TraceViewState;
  private readonly saver: StateSaver;
  private readonly toolbar: Toolbar;
  private readonly indicator: PositionIndicator;
  private readonly timeline: Timeline;
  private readonly banner: HTMLElement;
  private readonly placeholder: HTMLElement;
  private readonly text: TextView;
  private readonly detail: DetailPane;
  private readonly chart: EntropyChart;
  private readonly help: HelpOverlay;
  private readonly tooltip: Tooltip;
  private readonly replay: Replay;
  private positionTimer = 0;
  private chartTimer = 0;
  private chartDrawnAt = 0;
  private structureFrame = 0;

  constructor(root: HTMLElement, private readonly api: WebviewApi<unknown>) {
    this.state = loadState(api);
    this.saver = new StateSaver(api);
    root.classList.add('ts-app');
    this.toolbar = new Toolbar(root, {
      onCommand: (command) => this.run(command),
      onHeat: (mode) => this.setHeat(mode),
      onSpeed: (speed) => this.setSpeed(speed),
    }, { heat: this.state.heat, speed: this.state.speed });
    this.indicator = new PositionIndicator(root);
    this.timeline = new Timeline(root, (token) => this.select(token, true));
    this.banner = h('div', 'ts-banner');
    this.banner.setAttribute('role', 'alert');
    this.banner.hidden = true;
    root.append(this.banner);
    const main = h('div', 'ts-main');
    root.append(main);
    this.text = new TextView(main, {
      onSelect: (token) => this.select(token, false),
      onMarkerEnter: (placed, anchor) => {
        if (!this.model) return;
        const description = describeEvent(placed.event, this.model.trace);
        this.tooltip.show(anchor, description.title, description.lines);
      },
      onMarkerLeave: () => this.tooltip.hide(),
    });
    this.placeholder = h('div', 'ts-placeholder', 'Waiting for a trace…');
    this.text.element.append(this.placeholder);
    this.detail = new DetailPane(main);
    this.chart = new EntropyChart(root, (token) => this.select(token, true));
    this.help = new HelpOverlay(root, () => this.setHelp(false));
    this.tooltip = new Tooltip(root);
    this.replay = new Replay((k) => this.advanceReplay(k), () => this.onReplayStopped());
    this.text.setHeat(this.state.heat);
    this.help.setOpen(this.state.help);
    installKeyboard(document, (command) => this.run(command), () => this.onEscape());
    onThemeChange(() => {
      this.text.fontChanged();
      this.chart.restyle();
    });
    const flush = (): void => this.saver.flush();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush();
    });
  }

  /** Takes a message from the host; anything malformed is reported back, not acted on. */
  receive(data: unknown): void {
    if (!isTraceViewHostMessage(data)) {
      const type = typeof data === 'object' && data !== null && 'type' in data ? String((data as { type: unknown }).type) : typeof data;
      this.post({ type: 'error', message: `trace view: ignored a malformed message (type ${type})` });
      return;
    }
    this.handle(data);
  }

  /** Runs a stepping or view command. */
  run(command: StepCommand): void {
    switch (command) {
      case 'toggleHelp':
        this.setHelp(!this.help.open);
        return;
      case 'toggleHeat':
        this.setHeat(HEAT_MODES[(HEAT_MODES.indexOf(this.state.heat) + 1) % HEAT_MODES.length]);
        return;
      case 'toggleReplay':
        this.toggleReplay();
        return;
    }
    if (!isMoveCommand(command) || !this.model) return;
    this.replay.stop();
    const target = navigate(this.model, this.position, command);
    if (target === null) {
      this.indicator.flash(NOWHERE[command]);
      return;
    }
    this.select(target, true);
  }

  private handle(message: TraceViewHostMessage): void {
    switch (message.type) {
      case 'load':
        this.load(message.trace, message.source, message.live, message.analysis);
        return;
      case 'loadColumns':
        this.load({ ...message.trace, tokens: decodeTokenColumns(message.columns) }, message.source, message.live, message.analysis, message.columns);
        return;
      case 'analysis':
        this.setAnalysis(message.analysis);
        return;
      case 'progress':
        this.progress(message.progress);
        return;
      case 'finished':
        this.finish(message.trace);
        return;
      case 'failed':
        this.fail(message.message);
        return;
      case 'command':
        this.run(message.command);
        return;
    }
  }

  private load(trace: TraceDocument, source: TraceSourceInfo, live: boolean, analysis: TraceAnalysis | undefined, columns?: TraceColumns): void {
    performance.mark('thinkscope.load.start');
    this.replay.stop();
    const model = new TraceModel(trace, analysis, columns);
    performance.mark('thinkscope.load.model');
    const sameTrace = this.state.traceId === trace.id;
    this.model = model;
    this.live = live;
    this.placeholder.remove();
    this.banner.hidden = true;
    this.state.traceId = trace.id;
    this.state.source = source;
    this.position = sameTrace ? Math.min(this.state.position, Math.max(0, model.length - 1)) : 0;
    this.toolbar.setLabel(source.label);
    this.showStatus();
    this.text.setModel(model, this.position);
    performance.mark('thinkscope.load.text');
    this.timeline.update(model);
    this.detail.showSummary(model);
    this.showPosition();
    performance.mark('thinkscope.load.rendered');
    requestAnimationFrame(() => {
      performance.mark('thinkscope.load.frame');
      // Neither the keyboard focus (a style and layout pass) nor the chart is needed for the
      // first paint: both come once that frame is out.
      requestAnimationFrame(() => window.setTimeout(() => {
        if (!this.text.element.contains(document.activeElement)) this.text.element.focus({ preventScroll: true });
        this.drawChart();
      }, 0));
    });
  }

  private setAnalysis(analysis: TraceAnalysis): void {
    const model = this.model;
    if (!model) return;
    if (!model.setAnalysis(analysis)) {
      this.post({ type: 'error', message: `trace view: the analysis does not fit the trace's ${model.length} tokens; keeping the local steps` });
      return;
    }
    this.timeline.update(model);
    this.detail.showSummary(model);
    this.showPosition();
  }

  private progress(progress: RunProgress): void {
    const model = this.model;
    if (!model) {
      this.post({ type: 'error', message: `trace view: progress for run ${progress.runId} arrived before the trace header` });
      return;
    }
    const wasAtEnd = this.position >= model.length - 1;
    let from: number;
    try {
      from = model.applyProgress(progress).from;
    } catch (error) {
      this.post({ type: 'error', message: `trace view: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    this.text.tokensChanged(from);
    if (model.length > 0 && (wasAtEnd || this.position >= model.length)) {
      this.select(model.length - 1, true);
    } else {
      this.showPosition();
    }
    this.scheduleStructure();
    this.scheduleChart();
  }

  private finish(trace: TraceDocument): void {
    this.live = false;
    const keep = this.position;
    const model = new TraceModel(trace);
    this.model = model;
    this.state.traceId = trace.id;
    this.position = Math.min(keep, Math.max(0, model.length - 1));
    this.showStatus();
    this.text.setModel(model, this.position);
    this.timeline.update(model);
    this.detail.showSummary(model);
    this.showPosition();
    this.drawChart();
  }

  private fail(message: string): void {
    this.live = false;
    this.replay.stop();
    this.banner.textContent = message;
    this.banner.hidden = false;
    this.placeholder.textContent = 'No trace to show.';
    this.showStatus('failed');
  }

  private showStatus(override?: string): void {
    const model = this.model;
    const text = override ?? (this.live ? 'live' : model ? `stop: ${model.trace.stopReason}` : '');
    this.toolbar.setStatus(text, this.live && override === undefined);
  }

  /** Selects token `token`; `scroll` brings it into view (a click on visible text does not need to). */
  private select(token: number, scroll: boolean): void {
    const model = this.model;
    if (!model || model.length === 0) return;
    this.position = Math.max(0, Math.min(token, model.length - 1));
    this.text.setPosition(this.position, scroll);
    this.showPosition();
  }

  /** Updates everything that shows the position (except the text view). */
  private showPosition(): void {
    const model = this.model;
    if (!model) return;
    this.indicator.show(model, this.position);
    this.detail.show(model, this.position);
    this.timeline.setPosition(this.position);
    this.chart.setPosition(this.position);
    this.state.position = this.position;
    this.saver.save(this.state);
    this.reportPosition();
  }

  private reportPosition(): void {
    if (this.positionTimer) return;
    this.positionTimer = window.setTimeout(() => {
      this.positionTimer = 0;
      this.post({ type: 'position', token: this.position });
    }, POSITION_REPORT_DELAY_MS);
  }

  private setHeat(mode: HeatMode): void {
    this.state.heat = mode;
    this.text.setHeat(mode);
    this.toolbar.setHeat(mode);
    this.saver.save(this.state);
    if (this.model && this.chartDrawnAt > 0) this.drawChart();
  }

  private setSpeed(speed: number): void {
    this.state.speed = speed;
    this.replay.setSpeed(speed);
    this.toolbar.setSpeed(speed);
    this.saver.save(this.state);
  }

  private setHelp(open: boolean): void {
    this.help.setOpen(open);
    this.state.help = open;
    this.saver.save(this.state);
  }

  private onEscape(): boolean {
    if (this.help.open) {
      this.setHelp(false);
      return true;
    }
    if (this.replay.running) {
      this.replay.stop();
      return true;
    }
    return false;
  }

  private toggleReplay(): void {
    const model = this.model;
    if (!model || model.length === 0) return;
    if (this.replay.running) {
      this.replay.stop();
      return;
    }
    if (this.position >= model.length - 1) this.select(0, true);
    this.text.setRevealLimit(this.position);
    this.toolbar.setReplaying(true);
    this.replay.start(this.state.speed);
  }

  private advanceReplay(tokens: number): boolean {
    const model = this.model;
    if (!model) return false;
    this.select(this.position + tokens, true);
    this.text.setRevealLimit(this.position);
    return this.position < model.length - 1;
  }

  private onReplayStopped(): void {
    this.text.setRevealLimit(null);
    this.toolbar.setReplaying(false);
  }

  private chartMetric(): ChartMetric {
    return this.state.heat === 'probability' ? 'probability' : 'entropy';
  }

  private drawChart(): void {
    const model = this.model;
    if (!model) return;
    window.clearTimeout(this.chartTimer);
    this.chartTimer = 0;
    this.chart.update(model, this.chartMetric());
    this.chart.setPosition(this.position);
    this.chartDrawnAt = performance.now();
  }

  private scheduleChart(): void {
    if (this.chartTimer) return;
    const wait = Math.max(0, LIVE_CHART_INTERVAL_MS - (performance.now() - this.chartDrawnAt));
    this.chartTimer = window.setTimeout(() => this.drawChart(), wait);
  }

  private scheduleStructure(): void {
    if (this.structureFrame) return;
    this.structureFrame = requestAnimationFrame(() => {
      this.structureFrame = 0;
      if (!this.model) return;
      this.timeline.update(this.model);
      this.timeline.setPosition(this.position);
      this.detail.showSummary(this.model);
    });
  }

  private post(message: TraceViewOutbound): void {
    this.api.postMessage(message);
  }
}
