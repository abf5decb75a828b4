/**
 * The trace as text, virtualized. Rows are the prompt and the model's blocks (see blocks.ts);
 * only rows near the viewport are in the DOM. A row's height is estimated from its text until it
 * has been rendered and measured; when a measurement differs, the rows below move and the scroll
 * position is corrected so that what the user looks at stays put. Every token is a <span> whose
 * text is set with textContent; markers sit before the token where their event happened.
 */
import type { HeatMode } from '../../../protocol/traceView';
import { h } from '../../shared/dom';
import { lastAtOrBefore } from './blocks';
import { eventIcon } from './events';
import { heatClasses } from './heat';
import type { PlacedEvent, TraceModel } from './model';

/** What the text view reports to the app. */
export interface TextViewCallbacks {
  /** The user clicked a token or a marker. */
  onSelect(token: number): void;
  /** The pointer entered a marker. */
  onMarkerEnter(event: PlacedEvent, anchor: HTMLElement): void;
  /** The pointer left a marker. */
  onMarkerLeave(): void;
}

interface RenderedRow {
  element: HTMLElement;
  /** Token spans by token index − first; empty for the prompt row. */
  spans: HTMLElement[];
  first: number;
  markers: { token: number; element: HTMLElement }[];
}

/** Horizontal padding of rows inside the scroller, in pixels (see style.css `.ts-row`). */
const ROW_INSET = 16;
/** Extra height of the prompt row (its padding, border and label line), in lines. */
const PROMPT_EXTRA_LINES = 2;
/** Extra height of the row that opens the answer (its border and padding), in pixels. */
const ANSWER_EXTRA_PX = 9;

export class TextView {
  /** The scroll container. */
  readonly element: HTMLDivElement;
  private readonly rows: HTMLDivElement;
  private model: TraceModel | null = null;
  private heights: number[] = [];
  private measured: boolean[] = [];
  private offsets: number[] = [0];
  private readonly rendered = new Map<number, RenderedRow>();
  private position = -1;
  private revealLimit: number | null = null;
  private charWidth = 8;
  private lineHeight = 20;
  private charsPerLine = 80;
  private frame = 0;
  private lastWidth = -1;
  private fontMeasured = false;

  constructor(parent: HTMLElement, private readonly callbacks: TextViewCallbacks) {
    this.element = h('div', 'ts-text');
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'document');
    this.element.setAttribute('aria-label', 'Trace text');
    this.rows = h('div', 'ts-rows');
    this.element.append(this.rows);
    parent.append(this.element);
    this.element.addEventListener('scroll', () => this.schedule());
    this.rows.addEventListener('click', (e) => this.onClick(e));
    this.rows.addEventListener('mouseover', (e) => this.onHover(e, true));
    this.rows.addEventListener('mouseout', (e) => this.onHover(e, false));
    new ResizeObserver(() => this.onResize()).observe(this.element);
  }

  /** Shows a (new) trace with `position` selected, scrolled into view. */
  setModel(model: TraceModel, position: number): void {
    this.model = model;
    this.position = position;
    for (const row of this.rendered.values()) row.element.remove();
    this.rendered.clear();
    if (!this.fontMeasured) this.measureFont();
    else this.updateCharsPerLine();
    this.heights = [];
    this.measured = [];
    this.estimateFrom(0);
    this.element.scrollTop = 0;
    if (position > 0) this.scrollToToken(position);
    else this.render(null);
  }

  /** Tokens from `from` on changed (streamed in, or replaced after a rewind). */
  tokensChanged(from: number): void {
    const model = this.model;
    if (!model) return;
    const atBottom = this.element.scrollTop + this.element.clientHeight >= this.totalHeight() - 4;
    const firstRow = Math.max(1, model.blocks.blockOf(from) + 1);
    for (const [row, rendered] of this.rendered) {
      if (row >= firstRow) {
        rendered.element.remove();
        this.rendered.delete(row);
      }
    }
    this.heights.length = Math.min(this.heights.length, firstRow);
    this.measured.length = this.heights.length;
    this.estimateFrom(firstRow);
    if (atBottom) this.element.scrollTop = this.totalHeight();
    this.render(null);
  }

  /** Moves the selection to token `position`; with `scroll`, brings it into view. */
  setPosition(position: number, scroll: boolean): void {
    const old = this.span(this.position);
    if (old) old.classList.remove('ts-cur');
    this.position = position;
    const span = this.span(position);
    if (span) span.classList.add('ts-cur');
    if (scroll) this.scrollToToken(position);
  }

  /** Switches the heat colouring. */
  setHeat(mode: HeatMode): void {
    this.element.classList.toggle('heat-probability', mode === 'probability');
    this.element.classList.toggle('heat-entropy', mode === 'entropy');
  }

  /** While replaying, tokens after `limit` are dimmed; null shows everything. */
  setRevealLimit(limit: number | null): void {
    const previous = this.revealLimit;
    this.revealLimit = limit;
    if (previous !== null && limit !== null && limit >= previous) {
      for (let i = previous + 1; i <= limit; i++) this.span(i)?.classList.remove('ts-future');
      for (const row of this.rendered.values()) {
        for (const marker of row.markers) if (marker.token <= limit) marker.element.classList.remove('ts-future');
      }
      return;
    }
    for (const row of this.rendered.values()) {
      row.spans.forEach((span, k) => span.classList.toggle('ts-future', limit !== null && row.first + k > limit));
      for (const marker of row.markers) marker.element.classList.toggle('ts-future', limit !== null && marker.token > limit);
    }
  }

  /** The rendered span of token i, if its row is in the DOM. */
  span(i: number): HTMLElement | undefined {
    const model = this.model;
    if (!model || i < 0 || i >= model.length) return undefined;
    const row = this.rendered.get(model.blocks.blockOf(i) + 1);
    return row?.spans[i - row.first];
  }

  /** The editor font may have changed (theme or settings): measure it again and re-estimate. */
  fontChanged(): void {
    this.fontMeasured = false;
    if (!this.model) return;
    const anchor = this.rowAt(this.element.scrollTop);
    this.measureFont();
    this.estimateFrom(0);
    this.render(anchor);
  }

  /** Number of rows in the DOM (for tests and the benchmark). */
  renderedRowCount(): number {
    return this.rendered.size;
  }

  /** Scrolls so that token i is comfortably in view. */
  scrollToToken(i: number): void {
    const model = this.model;
    if (!model || i < 0 || i >= model.length) {
      this.render(null);
      return;
    }
    const row = model.blocks.blockOf(i) + 1;
    const height = this.element.clientHeight || 400;
    let span = this.span(i);
    if (!span) {
      this.element.scrollTop = Math.max(0, this.offsets[row] - height / 3);
      this.render(row);
      span = this.span(i);
    }
    if (!span) return;
    const y = this.offsets[row] + span.offsetTop;
    const top = this.element.scrollTop;
    const margin = Math.min(this.lineHeight * 2, height / 4);
    if (y < top + margin || y + this.lineHeight > top + height - margin) {
      this.element.scrollTop = Math.max(0, y - height / 3);
      this.render(row);
    }
  }

  private totalHeight(): number {
    return this.offsets[this.offsets.length - 1] ?? 0;
  }

  private rowCount(): number {
    return this.model ? this.model.blocks.count + 1 : 0;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render(null);
    });
  }

  /** Measures the text font: character width and line height. */
  private measureFont(): void {
    const probe = h('div', 'ts-row ts-block ts-probe', '0'.repeat(64));
    this.rows.append(probe);
    const width = probe.getBoundingClientRect().width;
    const range = document.createRange();
    range.selectNodeContents(probe);
    const textWidth = range.getBoundingClientRect().width;
    this.charWidth = textWidth > 0 ? textWidth / 64 : 8;
    this.lineHeight = probe.offsetHeight || 20;
    probe.remove();
    this.fontMeasured = textWidth > 0;
    this.updateCharsPerLine(width);
  }

  private updateCharsPerLine(rowWidth?: number): void {
    const width = rowWidth ?? this.rows.clientWidth - 2 * ROW_INSET;
    this.lastWidth = this.rows.clientWidth;
    this.charsPerLine = Math.max(8, Math.floor(width / this.charWidth));
  }

  /** Estimates the heights of rows from `first` on and recomputes the offsets. */
  private estimateFrom(first: number): void {
    const model = this.model;
    if (!model) return;
    const count = this.rowCount();
    for (let row = first; row < count; row++) {
      this.heights[row] = this.estimate(row);
      this.measured[row] = false;
    }
    this.heights.length = count;
    this.measured.length = count;
    this.recomputeOffsets(first);
  }

  private estimate(row: number): number {
    const model = this.model;
    if (!model) return 0;
    if (row === 0) return (countLines(model.trace.prompt, 0, model.trace.prompt.length, this.charsPerLine) + PROMPT_EXTRA_LINES) * this.lineHeight;
    const block = row - 1;
    const start = model.blocks.start(block);
    const end = model.blocks.end(block);
    const text = model.text;
    const lines = countLines(text.text, text.charStart[start], end > start ? text.charEnd(end - 1) : text.charStart[start], this.charsPerLine);
    return lines * this.lineHeight + (start === model.answerStart ? ANSWER_EXTRA_PX : 0);
  }

  private recomputeOffsets(from: number): void {
    const count = this.heights.length;
    this.offsets.length = count + 1;
    if (from === 0) this.offsets[0] = 0;
    for (let row = Math.max(0, from); row < count; row++) this.offsets[row + 1] = this.offsets[row] + this.heights[row];
    this.rows.style.height = `${this.totalHeight()}px`;
  }

  private rowAt(y: number): number {
    const count = this.rowCount();
    if (count === 0) return 0;
    return Math.max(0, Math.min(count - 1, lastAtOrBefore(this.offsets, y)));
  }

  /**
   * Puts the rows near the viewport in the DOM, removes the others, measures new rows and fixes
   * the layout. `anchorRow` is the row to keep still while heights change (default: the top row).
   */
  private render(anchorRow: number | null): void {
    const model = this.model;
    if (!model) return;
    for (let pass = 0; pass < 4; pass++) {
      const top = this.element.scrollTop;
      const height = this.element.clientHeight || 400;
      const overscan = Math.max(200, height / 2);
      const first = this.rowAt(top - overscan);
      const last = this.rowAt(top + height + overscan);
      for (const [row, rendered] of this.rendered) {
        if (row < first || row > last) {
          rendered.element.remove();
          this.rendered.delete(row);
        }
      }
      for (let row = first; row <= last; row++) {
        if (this.rendered.has(row)) continue;
        const rendered = row === 0 ? this.renderPrompt() : this.renderBlock(row - 1);
        rendered.element.style.top = `${this.offsets[row]}px`;
        this.rows.append(rendered.element);
        this.rendered.set(row, rendered);
      }
      // Measure every row that has not been measured since it last changed.
      let changedFrom = -1;
      for (const [row, rendered] of this.rendered) {
        if (this.measured[row]) continue;
        const actual = rendered.element.offsetHeight;
        this.measured[row] = true;
        if (actual !== this.heights[row]) {
          this.heights[row] = actual;
          if (changedFrom < 0 || row < changedFrom) changedFrom = row;
        }
      }
      if (changedFrom < 0) return;
      const anchor = anchorRow ?? this.rowAt(top);
      const anchorShift = top - this.offsets[anchor];
      this.recomputeOffsets(changedFrom);
      for (const [row, rendered] of this.rendered) {
        if (row > changedFrom) rendered.element.style.top = `${this.offsets[row]}px`;
      }
      const wanted = Math.max(0, this.offsets[anchor] + anchorShift);
      if (Math.abs(wanted - top) >= 1) this.element.scrollTop = wanted;
    }
  }

  private renderPrompt(): RenderedRow {
    const model = this.model as TraceModel;
    const element = h('div', 'ts-row ts-prompt');
    element.append(h('div', 'ts-prompt-label', 'Prompt'), h('div', 'ts-prompt-text', model.trace.prompt));
    return { element, spans: [], first: 0, markers: [] };
  }

  private renderBlock(block: number): RenderedRow {
    const model = this.model as TraceModel;
    const first = model.blocks.start(block);
    const end = model.blocks.end(block);
    const element = h('div', first === model.answerStart ? 'ts-row ts-block ts-answer-start' : 'ts-row ts-block');
    const tokens = model.trace.tokens;
    const spans: HTMLElement[] = [];
    const markers: { token: number; element: HTMLElement }[] = [];
    const events = model.events;
    let e = model.firstEventFrom(first);
    const limit = this.revealLimit;
    const lastBlock = block === model.blocks.count - 1;
    for (let i = first; i < end; i++) {
      while (e < events.length && events[e].token === i && !events[e].after) {
        markers.push({ token: i, element: this.renderMarker(events[e], limit !== null && i > limit) });
        element.append(markers[markers.length - 1].element);
        e++;
      }
      const token = tokens[i];
      const span = document.createElement('span');
      let className = `t k-${model.kind(i)}${heatClasses(token)}`;
      if (i === this.position) className += ' ts-cur';
      if (limit !== null && i > limit) className += ' ts-future';
      if (token.text.trim() === '' && token.text.includes('\n')) className += ' ts-nl';
      span.className = className;
      span.textContent = token.text;
      spans.push(span);
      element.append(span);
    }
    // Events past the last token close the last block.
    if (lastBlock) {
      while (e < events.length) {
        markers.push({ token: events[e].token, element: this.renderMarker(events[e], false) });
        element.append(markers[markers.length - 1].element);
        e++;
      }
    }
    return { element, spans, first, markers };
  }

  private renderMarker(placed: PlacedEvent, future: boolean): HTMLElement {
    const marker = h('span', `ts-marker codicon codicon-${eventIcon(placed.event.kind)} m-${placed.event.kind}${future ? ' ts-future' : ''}`);
    marker.dataset.event = String(placed.index);
    marker.setAttribute('role', 'button');
    marker.setAttribute('aria-label', placed.event.kind);
    return marker;
  }

  private placedEvent(element: HTMLElement): PlacedEvent | undefined {
    const index = Number(element.dataset.event);
    return this.model?.events.find((p) => p.index === index);
  }

  private tokenOf(target: EventTarget | null): number | null {
    if (!(target instanceof HTMLElement) || !target.classList.contains('t')) return null;
    const row = target.parentElement;
    if (!row) return null;
    for (const rendered of this.rendered.values()) {
      if (rendered.element !== row) continue;
      const k = rendered.spans.indexOf(target);
      return k >= 0 ? rendered.first + k : null;
    }
    return null;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target;
    if (target instanceof HTMLElement && target.classList.contains('ts-marker')) {
      const placed = this.placedEvent(target);
      if (placed) this.callbacks.onSelect(placed.token);
      return;
    }
    const token = this.tokenOf(target);
    if (token !== null) this.callbacks.onSelect(token);
  }

  private onHover(event: MouseEvent, entering: boolean): void {
    const target = event.target;
    if (!(target instanceof HTMLElement) || !target.classList.contains('ts-marker')) return;
    if (!entering) {
      this.callbacks.onMarkerLeave();
      return;
    }
    const placed = this.placedEvent(target);
    if (placed) this.callbacks.onMarkerEnter(placed, target);
  }

  private onResize(): void {
    if (!this.model) return;
    if (this.rows.clientWidth === this.lastWidth) {
      this.render(null);
      return;
    }
    const anchor = this.rowAt(this.element.scrollTop);
    this.updateCharsPerLine();
    this.estimateFrom(0);
    this.render(anchor);
  }
}

/** Lines `text[from, to)` takes when wrapped at `perLine` characters (a final newline adds none). */
export function countLines(text: string, from: number, to: number, perLine: number): number {
  let lines = 0;
  let lineStart = from;
  for (let c = from; c < to; c++) {
    if (text.charCodeAt(c) === 10) {
      lines += Math.max(1, Math.ceil((c - lineStart) / perLine));
      lineStart = c + 1;
    }
  }
  if (lineStart < to) lines += Math.ceil((to - lineStart) / perLine);
  return Math.max(1, lines);
}
