/**
 * Where a trace's tokens and events lie in a document: the interface the providers use, and its
 * implementation for the text view (offsets known from the rendering). The JSON implementation is
 * in jsonLayout.ts.
 */

/** Offsets [start, end) in a document's text. */
export type Span = readonly [number, number];

/** Where a trace's tokens and events lie in one document. */
export interface TraceLayout {
  readonly tokenCount: number;
  readonly eventCount: number;
  /** What stands for token i in the document (the JSON object; the text in the view). */
  tokenSpan(i: number): Span;
  /** Token i's visible text (the JSON string's content; the text in the view). */
  tokenText(i: number): Span;
  /** The token whose span holds `offset`, or -1. */
  tokenAt(offset: number): number;
  /** What stands for event k (the JSON object; the inline marker), or null when it is not shown. */
  eventSpan(k: number): Span | null;
  /** The event whose span holds `offset`, or -1. */
  eventAt(offset: number): number;
}

/** Layout of a rendered text view: every token's text and every marker at known offsets. */
export class TextViewLayout implements TraceLayout {
  constructor(
    private readonly starts: Int32Array,
    private readonly lengths: Int32Array,
    private readonly eventStarts: Int32Array,
    private readonly eventEnds: Int32Array,
  ) {}

  get tokenCount(): number {
    return this.starts.length;
  }

  get eventCount(): number {
    return this.eventStarts.length;
  }

  tokenSpan(i: number): Span {
    return [this.starts[i]!, this.starts[i]! + this.lengths[i]!];
  }

  tokenText(i: number): Span {
    return this.tokenSpan(i);
  }

  tokenAt(offset: number): number {
    // The last token starting at or before `offset` (zero-length tokens come before the one they precede).
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && offset < this.starts[found]! + this.lengths[found]! ? found : -1;
  }

  eventSpan(k: number): Span | null {
    const s = this.eventStarts[k] ?? -1;
    return s < 0 ? null : [s, this.eventEnds[k]!];
  }

  eventAt(offset: number): number {
    for (let k = 0; k < this.eventStarts.length; k++) {
      const s = this.eventStarts[k]!;
      if (s >= 0 && s <= offset && offset < this.eventEnds[k]!) return k;
    }
    return -1;
  }
}
