/**
 * The timeline strip: the whole trace from left to right, coloured by span (thinking, injected,
 * forced, answer), with a tick for every event, reflection cue and answer candidate, and a cursor
 * at the selection. Clicking anywhere jumps to that token; clicking a tick jumps to its token.
 */
import { h } from '../../shared/dom';
import { formatCount } from '../../shared/format';
import type { SpanKind, TraceModel } from './model';
import { describeEvent, isIntervention } from './events';

export class Timeline {
  readonly element: HTMLElement;
  private readonly track: HTMLElement;
  private readonly marks: HTMLElement;
  private readonly cursor: HTMLElement;
  private length = 0;
  private readonly titles = new WeakMap<HTMLElement, () => string>();

  constructor(parent: HTMLElement, private readonly onJump: (token: number) => void) {
    this.element = h('div', 'ts-timeline');
    this.element.setAttribute('role', 'slider');
    this.element.setAttribute('aria-label', 'Timeline');
    this.track = h('div', 'ts-timeline-track');
    this.marks = h('div', 'ts-timeline-marks');
    this.cursor = h('div', 'ts-timeline-cursor');
    this.element.append(this.track, this.marks, this.cursor);
    parent.append(this.element);
    this.element.addEventListener('click', (e) => this.onClick(e));
    this.element.addEventListener('mouseover', (e) => this.describeTick(e));
  }

  /** Redraws the strip for the model's current tokens and structure. */
  update(model: TraceModel): void {
    const n = model.length;
    this.length = n;
    this.element.setAttribute('aria-valuemin', '1');
    this.element.setAttribute('aria-valuemax', String(Math.max(1, n)));
    const segments: HTMLElement[] = [];
    let runStart = 0;
    let runKind: SpanKind | null = null;
    for (let i = 0; i <= n; i++) {
      const kind = i < n ? model.kind(i) : null;
      if (kind === runKind) continue;
      if (runKind !== null) segments.push(this.segment(runStart, i, runKind));
      runStart = i;
      runKind = kind;
    }
    this.track.replaceChildren(...segments);
    // Titles are made when the pointer first reaches a tick (see describeTick).
    const ticks: HTMLElement[] = [];
    for (const cue of model.cues) {
      ticks.push(this.tick(cue.token, 'ts-tick ts-tick-cue', () => `Cue “${cue.cue}” at token ${formatCount(cue.token + 1)}`));
    }
    for (const candidate of model.candidates) {
      const verdict = candidate.correct === null ? 'unknown' : candidate.correct ? 'correct' : 'wrong';
      ticks.push(this.tick(candidate.token, `ts-tick ts-tick-candidate ts-candidate-${verdict}`,
        () => `Answer candidate “${candidate.text}” (${verdict}) at token ${formatCount(candidate.token + 1)}`));
    }
    for (const placed of model.events) {
      const kind = isIntervention(placed.event) ? 'ts-tick-intervention' : 'ts-tick-event';
      ticks.push(this.tick(placed.token, `ts-tick ${kind} m-${placed.event.kind}`, () => {
        const description = describeEvent(placed.event, model.trace);
        return `${description.title}: ${description.lines.join(' · ')}`;
      }));
    }
    this.marks.replaceChildren(...ticks);
  }

  /** Moves the cursor to token `position`. */
  setPosition(position: number): void {
    this.cursor.style.left = `${this.percent(position + 0.5)}%`;
    this.element.setAttribute('aria-valuenow', String(position + 1));
  }

  private percent(token: number): number {
    return this.length > 0 ? (token / this.length) * 100 : 0;
  }

  private segment(start: number, end: number, kind: SpanKind): HTMLElement {
    const segment = h('div', `ts-seg k-${kind}`);
    segment.style.left = `${this.percent(start)}%`;
    segment.style.width = `${this.percent(end) - this.percent(start)}%`;
    return segment;
  }

  private tick(token: number, className: string, title: () => string): HTMLElement {
    const tick = h('div', className);
    tick.style.left = `${this.percent(token + 0.5)}%`;
    tick.dataset.token = String(token);
    this.titles.set(tick, title);
    return tick;
  }

  /** Gives a tick its tooltip text the first time the pointer reaches it. */
  private describeTick(event: MouseEvent): void {
    const target = event.target;
    if (!(target instanceof HTMLElement) || target.title) return;
    const title = this.titles.get(target);
    if (title) target.title = title();
  }

  private onClick(event: MouseEvent): void {
    if (this.length === 0) return;
    const target = event.target;
    if (target instanceof HTMLElement && target.dataset.token !== undefined) {
      this.onJump(Number(target.dataset.token));
      return;
    }
    const box = this.element.getBoundingClientRect();
    const fraction = Math.max(0, Math.min(1, (event.clientX - box.left) / Math.max(1, box.width)));
    this.onJump(Math.min(this.length - 1, Math.floor(fraction * this.length)));
  }
}
