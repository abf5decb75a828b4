/**
 * The stepper's model of one trace: tokens with their text offsets, the blocks the text view
 * renders, events sorted by position, and the trace's structure (steps, reflection cues, answer
 * candidates) from the host's analysis or, without one, from the local fallback. It grows as
 * tokens stream in and shrinks on a rewind. No DOM here.
 */
import type { AnswerCandidate, CueOccurrence, OverthinkingMetrics, TraceAnalysis, TraceStep } from '../../../protocol/analysis';
import { applyRunProgress, type ProgressApplied } from '../../../protocol/liveTrace';
import type { RunProgress } from '../../../protocol/rpc';
import type { TokenAlternative, TraceDocument, TraceEvent, TraceToken } from '../../../protocol/trace';
import { decodeAlternatives, type TraceColumns } from '../../../protocol/traceColumns';
import { BlockIndex, lastAtOrBefore } from './blocks';
import { isIntervention } from './events';
import { LocalSegmenter, stepPreview } from './localAnalysis';
import { TokenText } from './textSource';

/** How a token is shown: the spans the stepper distinguishes (the prompt is shown apart). */
export type SpanKind = 'thinking' | 'injected' | 'forced' | 'answer';

/** The span kind of a token. */
export function spanKindOf(token: TraceToken): SpanKind {
  if (token.source === 'injected') return 'injected';
  if (token.source === 'forced') return 'forced';
  return token.phase === 'answer' ? 'answer' : 'thinking';
}

/** An event with its index in the trace's events and its position clamped to the tokens. */
export interface PlacedEvent {
  event: TraceEvent;
  /** Index in trace.events. */
  index: number;
  /** Token index of the event (event.at), at most the last token. */
  token: number;
  /** The event lies past the last token (e.g. a cancellation after it): it is shown after that token. */
  after: boolean;
}

/** Where the current steps and cues come from. */
export type StructureSource = 'host' | 'local';

export class TraceModel {
  readonly trace: TraceDocument;
  readonly text: TokenText;
  readonly blocks = new BlockIndex();
  /** All events, ordered by position (stable). */
  events: PlacedEvent[] = [];
  /** The events that are interventions, ordered by position. */
  interventions: PlacedEvent[] = [];
  /** First token of the answer phase; -1 while there is none. */
  answerStart = -1;
  private readonly local = new LocalSegmenter();
  private analysis: TraceAnalysis | null = null;
  private stepStarts: number[] = [];
  /** The columns the tokens came in, for their alternatives; valid for tokens below columnsValid. */
  private readonly columns: TraceColumns | null;
  private columnsValid: number;

  /** `columns`: the columns `trace.tokens` were decoded from (their `top` lists are then read from there). */
  constructor(trace: TraceDocument, analysis?: TraceAnalysis, columns?: TraceColumns) {
    this.trace = trace;
    this.columns = columns ?? null;
    this.columnsValid = columns ? Math.min(columns.count, trace.tokens.length) : 0;
    this.text = new TokenText(trace.tokens, columns && columns.count === trace.tokens.length ? { text: columns.text, ends: columns.textEnds } : undefined);
    this.refresh(0, true);
    if (analysis) this.setAnalysis(analysis);
  }

  /** Number of generated tokens. */
  get length(): number {
    return this.trace.tokens.length;
  }

  get steps(): readonly TraceStep[] {
    return this.analysis?.steps ?? this.local.steps;
  }

  get cues(): readonly CueOccurrence[] {
    return this.analysis?.cues ?? this.local.cues;
  }

  get candidates(): readonly AnswerCandidate[] {
    return this.analysis?.candidates ?? [];
  }

  get metrics(): OverthinkingMetrics | null {
    return this.analysis?.metrics ?? null;
  }

  get structureSource(): StructureSource {
    return this.analysis ? 'host' : 'local';
  }

  /** Takes the host's analysis; refused (false) when it does not fit this trace's tokens. */
  setAnalysis(analysis: TraceAnalysis): boolean {
    const n = this.length;
    const fits = analysis.steps.every((s) => s.startToken >= 0 && s.endToken <= n && s.startToken <= s.endToken)
      && analysis.cues.every((c) => c.token >= 0 && c.token < n)
      && analysis.candidates.every((c) => c.token >= 0 && c.token < n);
    if (!fits) return false;
    this.analysis = {
      ...analysis,
      steps: [...analysis.steps].sort((a, b) => a.startToken - b.startToken),
      cues: [...analysis.cues].sort((a, b) => a.token - b.token),
      candidates: [...analysis.candidates].sort((a, b) => a.token - b.token),
    };
    this.stepStarts = this.analysis.steps.map((s) => s.startToken);
    return true;
  }

  /**
   * Applies a live progress message (append, or rewind then append). The host's analysis no
   * longer covers the tokens, so the local structure takes over until a new one arrives.
   */
  applyProgress(progress: RunProgress): ProgressApplied {
    const applied = applyRunProgress(this.trace, progress);
    this.columnsValid = Math.min(this.columnsValid, applied.from);
    this.analysis = null;
    this.refresh(applied.from);
    return applied;
  }

  /** The top alternatives of token i, most likely first. */
  alternatives(i: number): readonly TokenAlternative[] {
    const token = this.trace.tokens[i];
    if (!token) return [];
    if (token.top.length > 0 || !this.columns || i >= this.columnsValid) return token.top;
    return decodeAlternatives(this.columns, i);
  }

  /** The span kind of token i. */
  kind(i: number): SpanKind {
    return spanKindOf(this.trace.tokens[i]);
  }

  /** The preview text of step k (made on first use for local steps). */
  stepPreview(k: number): string {
    const step = this.steps[k];
    if (!step) return '';
    if (!step.preview) step.preview = stepPreview(step, this.text.text);
    return step.preview;
  }

  /** Index in `steps` of the step holding token i; -1 when none. */
  stepIndexAt(i: number): number {
    return lastAtOrBefore(this.stepStarts, i);
  }

  /** The first event whose token is ≥ i (an index into `events`; events.length when none). */
  firstEventFrom(i: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid].token < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The intervention whose tokens include token i: from its position through the injected or
   * forced tokens that follow it (at least its own token).
   */
  interventionCovering(i: number): PlacedEvent | null {
    const tokens = this.trace.tokens;
    for (let k = this.interventions.length - 1; k >= 0; k--) {
      const placed = this.interventions[k];
      if (placed.token > i) continue;
      if (placed.token === i) return placed;
      for (let t = placed.token; t <= i; t++) {
        if (tokens[t].source === 'model' && t > placed.token) return null;
        if (t === i) return placed;
      }
      return null;
    }
    return null;
  }

  /** Events placed exactly at token i. */
  eventsAt(i: number): PlacedEvent[] {
    const found: PlacedEvent[] = [];
    for (let k = this.firstEventFrom(i); k < this.events.length && this.events[k].token === i; k++) found.push(this.events[k]);
    return found;
  }

  /** The answer candidate starting at or covering token i, judged by character range. */
  candidateAt(i: number): AnswerCandidate | null {
    if (i < 0 || i >= this.length) return null;
    const start = this.text.charStart[i];
    const end = this.text.charEnd(i);
    for (const candidate of this.candidates) {
      if (candidate.startChar < end && candidate.endChar > start) return candidate;
    }
    return null;
  }

  /** Recomputes everything derived from tokens from index `from` on (`textReady`: the text is already in step). */
  private refresh(from: number, textReady = false): void {
    if (!textReady) this.text.sync(from);
    this.blocks.update(this.text, from);
    this.local.update(this.text, from);
    if (!this.analysis) this.stepStarts = this.local.steps.map((s) => s.startToken);
    const last = Math.max(0, this.length - 1);
    this.events = this.trace.events
      .map((event, index) => ({ event, index, token: Math.max(0, Math.min(event.at, last)), after: event.at > last }))
      .sort((a, b) => a.token - b.token || Number(a.after) - Number(b.after) || a.index - b.index);
    this.interventions = this.events.filter((e) => isIntervention(e.event));
    // Invariant: answerStart is -1 only when no token has the answer phase.
    if (this.answerStart >= from) this.answerStart = -1;
    if (this.answerStart < 0) {
      const tokens = this.trace.tokens;
      for (let i = from; i < tokens.length; i++) {
        if (tokens[i].phase === 'answer') {
          this.answerStart = i;
          break;
        }
      }
    }
  }
}
