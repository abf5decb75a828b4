/**
 * One budget-forced generation over HTTP, driving the same forcing machine as the local engine and
 * recording the same events at the same positions.
 *
 * The run asks the server for the rest of the current phase: thinking with `stop` on the
 * end-of-thinking delimiter and `max_tokens` one past the remaining thinking budget; the answer with
 * `max_tokens` one past the remaining answer budget (and `stop` on the start-of-thinking delimiter,
 * so a reopened thinking block is seen). Every token the server streams back is put to the machine
 * exactly as the local engine puts each sampled token: kept, or — at the budget — dropped and
 * replaced by the forced end. The token the server stopped on (the delimiter or end-of-sequence) is
 * the model's attempt to end: the machine suppresses it (the extension string is appended and the
 * run goes on from the accumulated context), lets it end thinking, or forces an answer. The one
 * token asked for beyond a budget is what the model wanted at the cut, as in the local engine.
 *
 * Follow-up requests give the server the whole context so far: as token ids when every id is known
 * (the server's tokenizer endpoint gives the prompt's and the inserted texts' ids), so the model sees
 * exactly the tokens it generated; otherwise as text, which the server tokenizes again.
 */
import type { RemoteTokenCounting, RemoteTraceInfo } from '../../../protocol/remote';
import type { SamplingSettings, StopReason, TraceDocument, TraceEvent, TraceToken, WantedToken } from '../../../protocol/trace';
import { BudgetForcer, forcedEndText, type SampledKind } from '../forcing';
import type { TraceBuilder } from '../traceBuilder';
import { streamCompletion } from './completionStream';
import { RemoteEngineError } from './errors';
import type { RemoteHttpClient } from './http';
import { approximateEntropy, traceAlternatives } from './logprobs';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from './retry';
import { idsNeedingText, splitChunk, type Sample } from './samples';
import type { RemoteTokenizer } from './tokenizer';
import type { CompletionChunk, CompletionRequestBody } from './wire';

/** When nothing else bounds a request (no maximum, no known context window), ask for this many tokens at a time. */
export const DEFAULT_REQUEST_TOKENS = 4096;

export interface RemoteRunOptions {
  http: RemoteHttpClient;
  /** The server's tokenizer, or null when it has none. */
  tokenizer: RemoteTokenizer | null;
  model: string;
  serverKind: string;
  /** The context window in tokens, when known. */
  contextSize: number | null;
  tokenCounting: RemoteTokenCounting;
  /** Broken streams resumed at most this many times in one run. */
  maxRetries: number;
  backoff?: BackoffOptions;
  builder: TraceBuilder;
  sampling: SamplingSettings;
  topAlternatives: number;
  signal?: AbortSignal;
  onStep?: () => void;
  log?: (message: string) => void;
  /** Tokens to ask for when nothing else bounds a request. */
  requestTokens?: number;
}

/** Text inserted by the run (the extension string, the forced end, the delimiter's rest), as tokens. */
interface Fragment {
  text: string;
  /** Token ids; null when the server has no tokenizer. */
  ids: number[] | null;
  /** Each token's text; one text for the whole fragment when ids are unknown. */
  texts: string[];
  /** Tokens per entry of `texts`. */
  counts: number[];
}

/** What a request ended with. */
type RequestEnd = 'continue' | 'done';

/** A trace made by the remote engine: the `remote` field says how its tokens were obtained. */
export type RemoteTraceDocument = TraceDocument & { remote: RemoteTraceInfo };

/** A rough token count for text the server did not tokenize (about four characters a token). */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.round(text.length / 4));
}

export class RemoteRun {
  private readonly forcer: BudgetForcer;
  private readonly builder: TraceBuilder;
  /** Tokens each trace token stands for (1 unless the server gave no per-token information). */
  private readonly counts: number[] = [];
  private stopReason: StopReason | null = null;
  private promptIds: number[] | null = null;
  private promptCount: number | null = null;
  private extend!: Fragment;
  private forcedEnd!: Fragment;
  private thinkEnd!: Fragment;
  /** The stop string that means "the model is ending thinking": the delimiter's first token's text. */
  private endTrigger = '';
  /** The stop string that reopens thinking from the answer; null when it is not one token. */
  private startTrigger: string | null = null;
  /** Requests sent so far; request i samples with seed + i (the server restarts its generator each request). */
  private requestIndex = 0;
  private readonly info: RemoteTraceInfo;
  private countedBy: 'usage' | 'tokenizer' | 'chunks' | null = null;

  constructor(private readonly o: RemoteRunOptions) {
    this.builder = o.builder;
    this.forcer = new BudgetForcer(o.builder.header.budget);
    this.info = {
      server: o.serverKind,
      logprobs: 'present',
      tokenIds: 'server',
      tokenCounting: 'logprobs',
      insertedTokens: o.tokenizer ? 'tokenizer' : 'estimated',
      continuation: o.tokenizer ? 'tokens' : 'text',
      entropy: 'none',
      requests: 0,
      retries: 0,
    };
  }

  /** Runs to the end and returns the trace. Failures before the first token are thrown; later ones end a partial trace. */
  async run(): Promise<RemoteTraceDocument> {
    const { signal } = this.o;
    try {
      await this.prepare();
    } catch (error) {
      if (signal?.aborted) return this.cancelled();
      throw error;
    }
    let resumes = 0;
    while (this.stopReason === null) {
      if (signal?.aborted) return this.cancelled();
      try {
        await this.request();
        resumes = 0;
      } catch (error) {
        if (signal?.aborted || (error instanceof RemoteEngineError && error.kind === 'cancelled')) return this.cancelled();
        const e = error instanceof RemoteEngineError ? error : new RemoteEngineError('malformed', (error as Error).message);
        if (e.retryable && resumes < this.o.maxRetries) {
          const delay = backoffDelay(resumes, this.o.backoff ?? DEFAULT_BACKOFF, e.retryAfterMs);
          resumes++;
          this.info.retries++;
          this.log(`${e.message}; resuming from token ${this.builder.tokens.length} in ${delay} ms (${resumes} of ${this.o.maxRetries})`);
          try {
            await sleep(delay, signal);
          } catch {
            return this.cancelled();
          }
          continue;
        }
        if (this.builder.tokens.length === 0) throw e;
        this.builder.addEvent({ kind: 'interrupted', at: this.builder.tokens.length, detail: e.message });
        // The connection went (dropped, silent, server gone): interrupted; the server said something wrong: error.
        this.stopReason = e.kind === 'interrupted' || e.kind === 'timeout' || e.kind === 'unreachable' ? 'interrupted' : 'error';
      }
    }
    return this.trace();
  }

  private cancelled(): RemoteTraceDocument {
    if (this.stopReason === null) {
      this.builder.addEvent({ kind: 'cancelled', at: this.builder.tokens.length });
      this.stopReason = 'cancelled';
    }
    return this.trace();
  }

  private trace(): RemoteTraceDocument {
    const doc = this.builder.build(this.stopReason ?? 'cancelled');
    const exact = this.counts.every((c) => c === 1);
    this.info.tokenCounting = this.countedBy ?? 'logprobs';
    if (exact) return { ...doc, tokenCounts: 'exact', remote: { ...this.info } };
    const snapshot = this.forcer.snapshot;
    return {
      ...doc,
      tokenCounts: this.countedBy === 'tokenizer' ? 'tokenizer' : 'estimated',
      thinkingTokens: snapshot.thinkingTokens,
      answerTokens: snapshot.answerTokens,
      remote: { ...this.info },
    };
  }

  // --- Setup -------------------------------------------------------------------------------------

  private async prepare(): Promise<void> {
    const { header } = this.builder;
    const { thinkEnd, thinkStart } = header.delimiters;
    const signal = this.o.signal;
    const tok = this.o.tokenizer;
    [this.extend, this.forcedEnd, this.thinkEnd] = await Promise.all([
      this.fragment(header.budget.extendWith),
      this.fragment(forcedEndText(thinkEnd, header.budget.answerPrefix)),
      this.fragment(thinkEnd),
    ]);
    this.endTrigger = this.thinkEnd.ids && this.thinkEnd.texts[0] ? this.thinkEnd.texts[0] : thinkEnd;
    this.startTrigger = tok ? ((await tok.tokenize(thinkStart, false, signal)).length === 1 ? thinkStart : null) : thinkStart;
    if (tok) {
      this.promptIds = await tok.tokenize(header.prompt, true, signal);
      this.promptCount = this.promptIds.length;
      this.builder.promptTokens = this.promptCount;
    }
  }

  private async fragment(text: string): Promise<Fragment> {
    const tok = this.o.tokenizer;
    if (!tok || text === '') return { text, ids: tok ? [] : null, texts: text ? [text] : [], counts: text ? [estimateTokens(text)] : [] };
    const ids = await tok.tokenize(text, false, this.o.signal);
    const texts = await tok.pieces(ids, this.o.signal);
    return { text, ids, texts, counts: ids.map(() => 1) };
  }

  // --- Requests ----------------------------------------------------------------------------------

  /** One completions request for the current phase; returns when the stream ends or a decision made the rest moot. */
  private async request(): Promise<void> {
    const maxTokens = this.maxTokens();
    if (maxTokens <= 0) {
      // No room for even one more token: decide without a sample (the context window is full),
      // which always ends thinking or the run.
      const decided = this.apply(this.virtualSample(), 'text');
      if (decided === 'continue') throw new Error('The context window is full, yet the forcing machine kept a token that was not sampled');
      return;
    }
    const body = this.body(maxTokens);
    this.info.requests++;
    this.requestIndex++;
    let usageSeen = 0;
    const tokensBefore = this.builder.tokens.length;
    const eventsBefore = this.builder.events.length;
    const onRetry = () => void this.info.retries++;
    for await (const chunk of streamCompletion(this.o.http, body, this.o.signal, onRetry)) {
      if (chunk.usage?.promptTokens != null && this.promptCount === null) {
        this.promptCount = chunk.usage.promptTokens;
        this.builder.promptTokens = this.promptCount;
      }
      if (chunk.promptTokenIds && this.promptCount === null) {
        this.promptCount = chunk.promptTokenIds.length;
        this.builder.promptTokens = this.promptCount;
      }
      const usageDelta = chunk.usage?.completionTokens != null ? chunk.usage.completionTokens - usageSeen : null;
      if (chunk.usage?.completionTokens != null) usageSeen = chunk.usage.completionTokens;
      if (chunk.text === '' && !chunk.logprobs && !chunk.tokenIds && chunk.finishReason === null) continue;
      const end = await this.consume(chunk, usageDelta);
      if (end === 'done') break;
    }
    if (this.stopReason === null && this.builder.tokens.length === tokensBefore && this.builder.events.length === eventsBefore) {
      throw new RemoteEngineError(
        'malformed',
        `The remote engine at ${this.o.http.endpoint} ended a completion (max_tokens ${maxTokens}) without generating a token`,
      );
    }
  }

  /** Feeds one chunk's samples to the machine; 'done' when the request is over. */
  private async consume(chunk: CompletionChunk, usageDelta: number | null): Promise<RequestEnd> {
    const tok = this.o.tokenizer;
    const pieces = new Map<number, string>();
    const needed = tok ? idsNeedingText(chunk) : [];
    if (tok && needed.length > 0) {
      const texts = await Promise.all(needed.map((id) => tok.piece(id, this.o.signal)));
      needed.forEach((id, i) => pieces.set(id, texts[i]!));
    }
    const terminalStop = chunk.finishReason === 'stop';
    const matched = terminalStop ? this.matchedStop(chunk) : null;
    const perToken = chunk.logprobs !== null || chunk.tokenIds !== null;
    const endOfSequence = terminalStop && (chunk.stopReason === null || typeof chunk.stopReason === 'number');
    let text = matched !== null ? chunk.text.slice(0, chunk.text.length - matched.length) : chunk.text;
    // Without per-token information, a stopping chunk of exactly one token (by the usage figures)
    // at end-of-sequence holds only that token: its text, if any, is the end-of-sequence token's.
    if (endOfSequence && !perToken && usageDelta === 1) text = '';
    const chunkCount = perToken || text === '' ? 1 : await this.countChunk(text, usageDelta, terminalStop);
    const { content, stop } = splitChunk({ ...chunk, text }, { terminalStop, endOfSequence, pieceOf: (id) => pieces.get(id), chunkCount });
    if (!chunk.logprobs && chunk.text !== '') this.info.logprobs = 'absent';
    for (const sample of content) {
      if (this.apply(sample, 'text') !== 'continue') return 'done';
    }
    if (chunk.finishReason === null) return 'continue';
    if (chunk.finishReason === 'length') return 'done';
    if (chunk.finishReason !== 'stop') {
      throw new RemoteEngineError(
        'interrupted',
        `The remote engine at ${this.o.http.endpoint} ended a completion with finish reason ${JSON.stringify(chunk.finishReason)}`,
        null,
        true,
      );
    }
    const kind = this.stopKind(chunk, stop, matched);
    this.apply(stop ?? this.stopSample(kind), kind);
    return 'done';
  }

  /** Tokens a chunk without per-token information stands for, by the configured counting. */
  private async countChunk(text: string, usageDelta: number | null, terminalStop: boolean): Promise<number> {
    const setting = this.o.tokenCounting;
    const fromUsage = usageDelta !== null ? Math.max(1, usageDelta - (terminalStop ? 1 : 0)) : null;
    if (setting !== 'tokenizer' && fromUsage !== null) {
      this.countedBy = this.countedBy === 'tokenizer' ? 'tokenizer' : 'usage';
      return fromUsage;
    }
    if (setting !== 'usage' && this.o.tokenizer) {
      this.countedBy = 'tokenizer';
      return Math.max(1, (await this.o.tokenizer.tokenize(text, false, this.o.signal)).length);
    }
    if (fromUsage !== null) {
      this.countedBy = 'usage';
      return fromUsage;
    }
    this.countedBy ??= 'chunks';
    return 1;
  }

  /**
   * The stop string a stopping chunk's text ends with (servers that honour
   * include_stop_str_in_output keep it; it is taken off, the run inserts delimiters itself).
   */
  private matchedStop(chunk: CompletionChunk): string | null {
    const reason = chunk.stopReason;
    if (typeof reason === 'string') return chunk.text.endsWith(reason) ? reason : null;
    if (reason !== undefined) return null;
    const trigger = this.forcer.phase === 'thinking' ? this.endTrigger : this.startTrigger;
    return trigger && chunk.text.endsWith(trigger) ? trigger : null;
  }

  /** What the server stopped on: the end-of-thinking delimiter, the start-of-thinking one, or end-of-sequence. */
  private stopKind(chunk: CompletionChunk, stop: Sample | null, matched: string | null): SampledKind {
    const { thinkEnd, thinkStart } = this.builder.header.delimiters;
    const reason = chunk.stopReason;
    const thinking = this.forcer.phase === 'thinking';
    const isEnd = (s: string) => thinking && (s === this.endTrigger || s === thinkEnd);
    const isStart = (s: string) => !thinking && this.startTrigger !== null && (s === this.startTrigger || s === thinkStart);
    if (typeof reason === 'string') return isEnd(reason) ? 'end-of-thinking' : isStart(reason) ? 'start-of-thinking' : 'end-of-sequence';
    if (reason !== undefined) return 'end-of-sequence';
    // The server does not say why it stopped: judge by the text, the token, or what this request could stop on.
    if (matched !== null) return isEnd(matched) ? 'end-of-thinking' : isStart(matched) ? 'start-of-thinking' : 'end-of-sequence';
    const piece = stop?.piece ?? null;
    if (piece !== null) return isEnd(piece) ? 'end-of-thinking' : isStart(piece) ? 'start-of-thinking' : 'end-of-sequence';
    return thinking ? 'end-of-thinking' : 'end-of-sequence';
  }

  /** The stop token when the server did not report it: known by its text only. */
  private stopSample(kind: SampledKind): Sample {
    const text = kind === 'end-of-thinking' ? this.endTrigger : kind === 'start-of-thinking' ? (this.startTrigger ?? '') : '';
    const id = kind === 'end-of-thinking' ? (this.thinkEnd.ids?.[0] ?? null) : null;
    return { id, text: '', piece: text || null, logprob: null, top: null, count: 1 };
  }

  private virtualSample(): Sample {
    return { id: null, text: '', piece: null, logprob: null, top: null, count: 1 };
  }

  private maxTokens(): number {
    const budget = this.builder.header.budget;
    const s = this.forcer.snapshot;
    let cap: number | null =
      s.phase === 'thinking'
        ? budget.maxThinkingTokens === null
          ? null
          : Math.max(0, budget.maxThinkingTokens - s.thinkingTokens) + 1
        : Math.max(0, budget.maxAnswerTokens - s.answerTokens) + 1;
    const room = this.room();
    if (room !== null) cap = Math.min(cap ?? room, room);
    return cap ?? this.o.requestTokens ?? DEFAULT_REQUEST_TOKENS;
  }

  /** Tokens the context window still holds; null when unknown. */
  private room(): number | null {
    if (this.o.contextSize === null || this.promptCount === null) return null;
    return this.o.contextSize - this.promptCount - this.usedTokens();
  }

  private usedTokens(): number {
    let n = 0;
    for (const c of this.counts) n += c;
    return n;
  }

  private contextLeft(): number {
    const room = this.room();
    if (room === null) return Infinity;
    return room - this.forcedEnd.counts.reduce((a, b) => a + b, 0) - 1;
  }

  private body(maxTokens: number): CompletionRequestBody {
    const { sampling } = this.o;
    const phase = this.forcer.phase;
    const stop = phase === 'thinking' ? [this.endTrigger] : this.startTrigger ? [this.startTrigger] : [];
    return {
      model: this.o.model,
      prompt: this.context(),
      max_tokens: maxTokens,
      temperature: sampling.temperature,
      top_p: sampling.topP,
      ...(sampling.topK > 0 ? { top_k: sampling.topK } : {}),
      ...(sampling.minP ? { min_p: sampling.minP } : {}),
      seed: sampling.seed + this.requestIndex,
      stop,
      logprobs: Math.max(0, this.o.topAlternatives),
      n: 1,
      echo: false,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
      return_token_ids: true,
      ...(this.o.tokenizer ? { return_tokens_as_token_ids: true } : {}),
      skip_special_tokens: false,
      spaces_between_special_tokens: false,
      include_stop_str_in_output: true,
    };
  }

  /** The prompt of the next request: token ids when all are known, else the text. */
  private context(): string | number[] {
    if (this.promptIds && this.builder.tokens.every((t) => t.id >= 0)) {
      return [...this.promptIds, ...this.builder.tokens.map((t) => t.id)];
    }
    this.info.continuation = 'text';
    return this.builder.header.prompt + this.builder.tokens.map((t) => t.text).join('');
  }

  // --- Decisions ---------------------------------------------------------------------------------

  /** Whether the text so far ends inside a multi-byte character (the last model token added ""). */
  private get midCharacter(): boolean {
    const last = this.builder.tokens[this.builder.tokens.length - 1];
    return last !== undefined && last.source === 'model' && last.text === '';
  }

  /**
   * Puts one sample to the machine and records the outcome exactly as the local engine does.
   * Returns 'continue' when the sample was kept and the stream may go on.
   */
  private apply(sample: Sample, kind: SampledKind): 'continue' | 'diverged' | 'done' {
    const at = this.builder.tokens.length;
    const action = this.forcer.decide(kind, this.midCharacter, this.contextLeft());
    const thinkingTokens = this.forcer.snapshot.thinkingTokens;
    const wanted = this.wanted(sample);
    let result: 'continue' | 'diverged' | 'done' = 'diverged';
    switch (action.kind) {
      case 'emit': {
        if (action.reopens) {
          this.event({ kind: 'thinking-reopened', at, thinkingTokens });
          this.forcer.reopenThinking();
        }
        const text = kind === 'start-of-thinking' ? (sample.piece ?? this.startTrigger ?? '') : sample.text;
        this.addModel(sample, text, this.forcer.phase);
        result = kind === 'text' ? 'continue' : 'diverged';
        break;
      }
      case 'natural-end': {
        this.event({ kind: 'natural-end', at, ...wanted, thinkingTokens });
        this.forcer.enterAnswer();
        const first = this.thinkEnd.texts[0] ?? this.builder.header.delimiters.thinkEnd;
        this.addModel({ ...sample, id: sample.id ?? this.thinkEnd.ids?.[0] ?? null }, first, 'answer');
        this.addInserted(this.thinkEnd, 1, 'forced', 'answer');
        break;
      }
      case 'suppress-end':
        this.event({ kind: 'suppressed-end', at, ...wanted, injected: action.inject, thinkingTokens });
        this.addInserted(this.extend, 0, 'injected', 'thinking');
        break;
      case 'force-end': {
        const eos = action.reason === 'end-of-sequence';
        this.event({
          kind: eos ? 'eos-in-thinking' : 'forced-end',
          at,
          ...(eos ? wanted : {}),
          injected: this.forcedEnd.text,
          thinkingTokens,
          ...(action.reason === 'context' ? { detail: 'the context window is nearly full' } : {}),
        });
        this.forcer.enterAnswer();
        this.addInserted(this.forcedEnd, 0, 'forced', 'answer');
        break;
      }
      case 'stop':
        if (action.reason !== 'eos') this.event({ kind: action.reason, at });
        this.stopReason = action.reason;
        result = 'done';
        break;
    }
    this.o.onStep?.();
    return result;
  }

  /** The event's `wanted` field: what the model sampled (left out, with a note, when its id is unknown). */
  private wanted(sample: Sample): { wanted?: WantedToken; detail?: string } {
    const text = sample.piece ?? sample.text;
    if (sample.id === null || sample.id < 0) {
      return text ? { detail: `the model sampled ${JSON.stringify(text)} (token id unknown)` } : {};
    }
    return { wanted: { id: sample.id, text, logprob: sample.logprob } };
  }

  private addModel(sample: Sample, text: string, phase: TraceToken['phase']): void {
    const { top, dropped } = traceAlternatives(sample.top, this.o.topAlternatives, () => undefined);
    if (dropped > 0 || sample.id === null) this.info.tokenIds = 'unknown';
    const entropy = approximateEntropy(sample.top);
    if (entropy !== null) this.info.entropy = 'approximate';
    this.builder.addToken({
      id: sample.id ?? -1,
      text,
      logprob: sample.logprob,
      entropy,
      top,
      source: 'model',
      phase,
    });
    this.counts.push(sample.count);
    this.forcer.count(sample.count);
  }

  private addInserted(fragment: Fragment, from: number, source: 'injected' | 'forced', phase: TraceToken['phase']): void {
    if (fragment.ids === null && fragment.texts.length > from) this.info.tokenIds = 'unknown';
    for (let i = from; i < fragment.texts.length; i++) {
      this.builder.addToken({
        id: fragment.ids?.[i] ?? -1,
        text: fragment.texts[i]!,
        logprob: null,
        entropy: null,
        top: [],
        source,
        phase,
      });
      this.counts.push(fragment.counts[i]!);
      this.forcer.count(fragment.counts[i]!);
    }
  }

  private event(event: TraceEvent): void {
    this.builder.addEvent(event);
  }

  private log(message: string): void {
    this.o.log?.(this.o.http.redact(`remote engine: ${message}`));
  }
}
