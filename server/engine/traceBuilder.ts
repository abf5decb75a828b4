/**
 * Accumulates a trace while it is generated: tokens, events, counts. Engines append; the builder
 * hands out progress batches for streaming and the finished TraceDocument.
 */
import { randomUUID } from 'node:crypto';
import {
  TRACE_FORMAT,
  TRACE_VERSION,
  type StopReason,
  type TraceDocument,
  type TraceEvent,
  type TraceToken,
} from '../../protocol/trace';
import type { RunProgress } from '../../protocol/rpc';
import { answerText } from '../../protocol/traceText';
import { VERSION } from '../version';

/** What a trace says before its first token. */
export type TraceHeader = Pick<
  TraceDocument,
  'question' | 'groundTruth' | 'prompt' | 'model' | 'sampling' | 'budget' | 'delimiters' | 'parent'
> & { id?: string };

export class TraceBuilder {
  readonly tokens: TraceToken[] = [];
  readonly events: TraceEvent[] = [];
  readonly id: string;
  private readonly createdAt = new Date();
  private readonly startedMs = performance.now();
  private firstTokenMs: number | null = null;
  private modelTokens = 0;
  private sentTokens = 0;
  private sentEvents = 0;
  private thinking = 0;
  promptTokens = 0;

  constructor(readonly header: TraceHeader) {
    this.id = header.id ?? randomUUID();
  }

  /** A builder holding the same tokens and events, under another header (a fork or sweep branch). */
  fork(header: TraceHeader): TraceBuilder {
    const copy = new TraceBuilder(header);
    copy.tokens.push(...this.tokens);
    copy.thinking = this.thinking;
    copy.events.push(...this.events);
    copy.promptTokens = this.promptTokens;
    copy.sentTokens = copy.tokens.length;
    copy.sentEvents = copy.events.length;
    return copy;
  }

  addToken(token: TraceToken): void {
    if (token.source === 'model') {
      this.modelTokens++;
      this.firstTokenMs ??= performance.now();
    }
    if (token.phase === 'thinking') this.thinking++;
    this.tokens.push(token);
  }

  addEvent(event: TraceEvent): void {
    this.events.push(event);
  }

  /** Drops tokens from `index` on (a rewind), and events that pointed into them. */
  truncate(index: number): void {
    for (let i = index; i < this.tokens.length; i++) if (this.tokens[i]!.phase === 'thinking') this.thinking--;
    this.tokens.length = Math.min(this.tokens.length, index);
    for (let i = this.events.length - 1; i >= 0; i--) if (this.events[i]!.at > index) this.events.splice(i, 1);
    this.sentTokens = Math.min(this.sentTokens, index);
    this.sentEvents = Math.min(this.sentEvents, this.events.length);
  }

  get thinkingTokens(): number {
    return this.thinking;
  }

  /** Generated (model) tokens per second since the first one. */
  get tokensPerSecond(): number {
    if (this.firstTokenMs === null) return 0;
    const s = (performance.now() - this.firstTokenMs) / 1000;
    return s > 0 ? this.modelTokens / s : 0;
  }

  /** Tokens and events added since the previous call, or null when there are none. */
  takeProgress(runId: string): RunProgress | null {
    if (this.sentTokens === this.tokens.length && this.sentEvents === this.events.length) return null;
    const progress: RunProgress = {
      runId,
      offset: this.sentTokens,
      tokens: this.tokens.slice(this.sentTokens),
      events: this.events.slice(this.sentEvents),
      thinkingTokens: this.thinkingTokens,
      answerTokens: this.tokens.length - this.thinkingTokens,
      tokensPerSecond: this.tokensPerSecond,
    };
    this.sentTokens = this.tokens.length;
    this.sentEvents = this.events.length;
    return progress;
  }

  /** The trace as it stands; `stopReason` says how it ended. */
  build(stopReason: StopReason): TraceDocument {
    const h = this.header;
    const thinkingTokens = this.thinkingTokens;
    const durationMs = performance.now() - this.startedMs;
    return {
      format: TRACE_FORMAT,
      version: TRACE_VERSION,
      id: this.id,
      createdAt: this.createdAt.toISOString(),
      question: h.question,
      groundTruth: h.groundTruth,
      prompt: h.prompt,
      model: h.model,
      sampling: h.sampling,
      budget: h.budget,
      delimiters: h.delimiters,
      tokens: this.tokens.slice(),
      events: this.events.slice(),
      thinkingTokens,
      answerTokens: this.tokens.length - thinkingTokens,
      answer: answerText({ tokens: this.tokens, delimiters: h.delimiters }),
      stopReason,
      generator: { name: 'thinkscope', version: VERSION },
      timing: {
        startedAt: this.createdAt.toISOString(),
        durationMs: Math.round(durationMs * 10) / 10,
        promptTokens: this.promptTokens,
        tokensPerSecond: Math.round(this.tokensPerSecond * 10) / 10,
      },
      ...(h.parent ? { parent: h.parent } : {}),
      tokenCounts: 'exact',
    };
  }
}

