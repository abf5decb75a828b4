/**
 * One budget-forced generation on a node-llama-cpp context sequence, driven token by token.
 *
 * node-llama-cpp's `evaluateWithMetadata` yields each sampled token before it enters the KV cache;
 * whatever `next(tokens)` is given is what gets evaluated. The run samples with its own seeded
 * sampler from the full distribution, asks the forcing machine what to do, and feeds the token,
 * the injected "Wait", or the forced end — so a suppressed end-of-thinking never enters the cache.
 *
 * A run can also start from a prefix of an earlier trace (a fork, a sweep branch, a rewind): it
 * keeps whatever part of that prefix is still in the sequence's KV cache and evaluates only the rest.
 */
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type {
  BudgetSettings,
  Delimiters,
  SamplingSettings,
  StopReason,
  TraceDocument,
  TraceEvent,
  TraceParent,
  TraceToken,
} from '../../../protocol/trace';
import { BudgetForcer, forcedEndText, type ForcingAction, type ForcingSnapshot, type SampledKind } from '../forcing';
import { IncrementalDetokenizer } from '../detokenizer';
import { SeededRandom, sampleToken, summarize, type Distribution } from '../sampler';
import type { TraceBuilder } from '../traceBuilder';

/** What one call to `step` did. */
export interface StepOutcome {
  action: ForcingAction;
  /** Index of the first token the step added. */
  at: number;
  /** Tokens the step added. */
  added: number;
  /** Set when the run is over. */
  stopReason?: StopReason;
}

/** The sampled token waiting for a decision, with the distribution it came from. */
export interface PendingSample {
  token: number;
  dist: Distribution;
}

interface Sample {
  token?: Token;
  probabilities?: Map<Token, number>;
}

export interface RunOptions {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  contextSize: number;
  builder: TraceBuilder;
  promptTokens: Token[];
  sampling: SamplingSettings;
  delimiters: Delimiters;
  topAlternatives: number;
  /** Continue after these tokens of the builder (already in it); forcer state reconstructed from them. */
  resume?: { forcer: ForcingSnapshot };
}

/** Token texts per model, shared by every run on it (a vocabulary does not change). */
const pieceCaches = new WeakMap<LlamaModel, Map<number, string>>();
function pieceCache(model: LlamaModel): Map<number, string> {
  let cache = pieceCaches.get(model);
  if (!cache) pieceCaches.set(model, (cache = new Map()));
  return cache;
}

/** Which run last evaluated on a sequence (runs forked from one another share it). */
const owners = new WeakMap<LlamaContextSequence, LocalRun>();

/** Token ids of a delimiter, and the id that, sampled, means "the model is trying to emit it". */
interface DelimiterTokens {
  tokens: Token[];
  first: Token;
}

export class LocalRun {
  readonly builder: TraceBuilder;
  readonly forcer: BudgetForcer;
  private readonly model: LlamaModel;
  private readonly sequence: LlamaContextSequence;
  private rng: SeededRandom;
  private detok: IncrementalDetokenizer;
  private readonly thinkEnd: DelimiterTokens;
  private readonly thinkStart: DelimiterTokens;
  private generator: AsyncGenerator<Sample, void, void | Token | Token[]> | null = null;
  private pending: PendingSample | null = null;
  /** The token sampled from `pending`, once drawn (the random stream is consumed once per position). */
  private chosen: number | null = null;
  private stopReason: StopReason | null = null;
  private readonly forcedEndTokens: Token[];
  private readonly pieces: Map<number, string>;

  private constructor(private readonly options: RunOptions) {
    this.model = options.model;
    this.sequence = options.sequence;
    this.builder = options.builder;
    this.forcer = new BudgetForcer(options.builder.header.budget, options.resume?.forcer);
    this.rng = new SeededRandom(options.sampling.seed);
    this.pieces = pieceCache(options.model);
    this.detok = new IncrementalDetokenizer((tokens, last) =>
      this.model.detokenize(tokens as Token[], true, last as Token[]),
    );
    this.thinkEnd = this.delimiterTokens(options.delimiters.thinkEnd);
    this.thinkStart = this.delimiterTokens(options.delimiters.thinkStart);
    this.forcedEndTokens = this.tokenize(
      forcedEndText(options.delimiters.thinkEnd, options.builder.header.budget.answerPrefix),
    );
  }

  /**
   * Starts a run: evaluates the prompt and the builder's tokens (reusing what the sequence's KV
   * cache already holds) and samples the first token.
   */
  static async start(options: RunOptions): Promise<LocalRun> {
    const run = new LocalRun(options);
    await run.begin();
    return run;
  }

  get done(): boolean {
    return this.stopReason !== null;
  }

  get stop(): StopReason | null {
    return this.stopReason;
  }

  /** The token the model sampled next, before any decision (for breakpoints and the debugger). */
  get next(): PendingSample | null {
    return this.pending;
  }

  /** Tokens in the context window: prompt plus trace. */
  get contextUsed(): number {
    return this.options.promptTokens.length + this.builder.tokens.length;
  }

  /**
   * The token the model will be taken to sample at this position (drawn once with the run's
   * seeded sampler), classified, with what the forcing machine needs to decide on it.
   */
  peek(): { chosen: number; kind: SampledKind; midCharacter: boolean; contextLeft: number } | null {
    if (!this.pending || this.stopReason) return null;
    this.chosen ??= sampleToken(this.pending.dist, this.options.sampling, this.rng);
    return {
      chosen: this.chosen,
      kind: this.classify(this.chosen),
      midCharacter: this.detok.midCharacter,
      contextLeft: this.options.contextSize - this.contextUsed - this.forcedEndTokens.length - 1,
    };
  }

  /**
   * A run that shares everything so far — tokens, KV cache, random stream, pending sample — and
   * goes on under another budget. The two take turns on the sequence: whichever steps next gets
   * its own position restored (the KV cache is rewound, never recomputed).
   */
  fork(budget: BudgetSettings, parent?: TraceParent): LocalRun {
    const header = { ...this.builder.header, budget, ...(parent ? { parent } : {}) };
    delete (header as { id?: string }).id;
    const child = new LocalRun({
      ...this.options,
      builder: this.builder.fork(header),
      resume: { forcer: this.forcer.snapshot },
    });
    child.rng = this.rng.clone();
    child.detok = this.detok.clone();
    child.pending = this.pending;
    child.chosen = this.chosen;
    return child;
  }

  /**
   * Decides on the pending sample and feeds the result to the model.
   * @param override a token to emit instead of the sampled one (the debugger's "choose").
   */
  async step(override?: number): Promise<StepOutcome> {
    const at = this.builder.tokens.length;
    if (this.stopReason) return { action: { kind: 'stop', reason: 'eos' }, at, added: 0, stopReason: this.stopReason };
    const pending = this.pending;
    const peeked = this.peek();
    if (!pending || !peeked) return this.finish('eos', at);
    this.chosen = null;
    const chosen = override ?? peeked.chosen;
    const kind = override === undefined ? peeked.kind : this.classify(override);
    const action = this.forcer.decide(kind, peeked.midCharacter, peeked.contextLeft);
    const stats = summarize(pending.dist, this.options.topAlternatives);
    const logprobOf = (id: number) => {
      for (const [tid, lp] of stats.top) if (tid === id) return lp;
      const { ids, probs } = pending.dist;
      for (let i = 0; i < ids.length; i++) if (ids[i] === id) return probs[i]! > 0 ? Math.log(probs[i]!) : null;
      return null;
    };
    const top = stats.top.map(([id, logprob]) => ({ id, text: this.pieceText(id), logprob }));
    const wanted = { id: chosen, text: this.pieceText(chosen), logprob: logprobOf(chosen) };
    const modelToken = (phase: TraceToken['phase']): TraceToken => ({
      id: chosen,
      text: this.detok.push(chosen),
      logprob: wanted.logprob,
      entropy: stats.entropy,
      top,
      source: 'model',
      phase,
    });
    let feed: Token[];
    switch (action.kind) {
      case 'emit': {
        if (action.reopens) {
          this.event({ kind: 'thinking-reopened', at, thinkingTokens: this.forcer.snapshot.thinkingTokens });
          this.forcer.reopenThinking();
        }
        this.builder.addToken(modelToken(this.forcer.phase));
        this.forcer.count(1);
        feed = [chosen as Token];
        break;
      }
      case 'natural-end': {
        this.event({ kind: 'natural-end', at, wanted, thinkingTokens: this.forcer.snapshot.thinkingTokens });
        this.forcer.enterAnswer();
        this.builder.addToken(modelToken('answer'));
        this.forcer.count(1);
        // A delimiter of several tokens: the model chose its first; the rest completes it.
        const rest = this.thinkEnd.tokens.slice(1);
        this.addInserted(rest, 'forced', 'answer');
        feed = [chosen as Token, ...rest];
        break;
      }
      case 'suppress-end': {
        const inject = this.tokenize(action.inject);
        this.event({
          kind: 'suppressed-end',
          at,
          wanted,
          injected: action.inject,
          thinkingTokens: this.forcer.snapshot.thinkingTokens,
        });
        this.addInserted(inject, 'injected', 'thinking');
        feed = inject;
        break;
      }
      case 'force-end': {
        const text = forcedEndText(this.options.delimiters.thinkEnd, this.builder.header.budget.answerPrefix);
        this.event({
          kind: action.reason === 'end-of-sequence' ? 'eos-in-thinking' : 'forced-end',
          at,
          ...(action.reason === 'end-of-sequence' ? { wanted } : {}),
          injected: text,
          thinkingTokens: this.forcer.snapshot.thinkingTokens,
          ...(action.reason === 'context' ? { detail: 'the context window is nearly full' } : {}),
        });
        this.forcer.enterAnswer();
        this.addInserted(this.forcedEndTokens, 'forced', 'answer');
        feed = this.forcedEndTokens;
        break;
      }
      case 'stop':
        if (action.reason !== 'eos') this.event({ kind: action.reason, at });
        return this.finish(action.reason, at, action);
    }
    const added = this.builder.tokens.length - at;
    await this.advance(feed);
    return { action, at, added };
  }

  /** Steps until the run ends, the signal aborts, or `until` says stop. */
  async runToEnd(signal?: AbortSignal, onStep?: () => void): Promise<StopReason | null> {
    while (!this.stopReason) {
      if (signal?.aborted) return null;
      await this.step();
      onStep?.();
    }
    return this.stopReason;
  }

  /** Ends the run as cancelled (a valid partial trace). */
  cancel(): void {
    if (this.stopReason) return;
    this.event({ kind: 'cancelled', at: this.builder.tokens.length });
    this.stopReason = 'cancelled';
  }

  /** Stops reading from the model; the sequence stays as it is (its KV cache can be reused). */
  async close(): Promise<void> {
    const gen = this.generator;
    this.generator = null;
    if (gen) await gen.return(undefined);
  }

  /** The trace as it stands. */
  trace(): TraceDocument {
    return this.builder.build(this.stopReason ?? 'cancelled');
  }

  private async begin(): Promise<void> {
    const prefix = [...this.options.promptTokens, ...this.builder.tokens.map((t) => t.id as Token)];
    this.detok.reset(prefix);
    // Keep what the KV cache already holds of this prefix; at least one token must be evaluated
    // to get the next distribution.
    const cached = this.sequence.contextTokens;
    let common = 0;
    const limit = Math.min(cached.length, prefix.length - 1);
    while (common < limit && cached[common] === prefix[common]) common++;
    await this.evaluateFrom(common, prefix.slice(common));
  }

  /** Feeds tokens after this run's position, taking the sequence back from another run if needed. */
  private async advance(feed: Token[]): Promise<void> {
    const position = this.contextUsed - feed.length;
    if (this.generator && owners.get(this.sequence) === this && this.sequence.nextTokenIndex === position) {
      await this.read(await this.generator.next(feed));
      return;
    }
    await this.evaluateFrom(position, feed);
  }

  /** Drops the KV cache from `position` on and evaluates `tokens` there with a fresh generator. */
  private async evaluateFrom(position: number, tokens: Token[]): Promise<void> {
    const stale = this.generator;
    this.generator = null;
    if (stale) await stale.return(undefined);
    if (position < this.sequence.nextTokenIndex) {
      await this.sequence.eraseContextTokenRanges([{ start: position, end: this.sequence.nextTokenIndex }]);
    }
    owners.set(this.sequence, this);
    this.generator = this.sequence.evaluateWithMetadata(
      tokens,
      { probabilities: true },
      { temperature: 0, topK: 0, topP: 1, yieldEogToken: true },
    );
    await this.read(await this.generator.next());
  }

  private async read(result: IteratorResult<Sample, void>): Promise<void> {
    if (result.done || result.value.token === undefined) {
      this.pending = null;
      return;
    }
    const map = result.value.probabilities;
    const ids = new Int32Array(map?.size ?? 1);
    const probs = new Float64Array(map?.size ?? 1);
    if (map && map.size > 0) {
      let i = 0;
      for (const [id, p] of map) {
        ids[i] = id;
        probs[i++] = p;
      }
    } else {
      ids[0] = result.value.token;
      probs[0] = 1;
    }
    this.pending = { token: result.value.token, dist: { ids, probs } };
  }

  private finish(reason: StopReason, at: number, action?: ForcingAction): StepOutcome {
    this.stopReason = reason;
    this.pending = null;
    return { action: action ?? { kind: 'stop', reason: 'eos' }, at, added: 0, stopReason: reason };
  }

  private classify(token: number): SampledKind {
    if (token === this.thinkEnd.first) return 'end-of-thinking';
    if (this.thinkStart.tokens.length === 1 && token === this.thinkStart.first) return 'start-of-thinking';
    if (this.model.isEogToken(token as Token)) return 'end-of-sequence';
    return 'text';
  }

  private addInserted(tokens: readonly Token[], source: 'injected' | 'forced', phase: TraceToken['phase']): void {
    for (const id of tokens) {
      this.builder.addToken({ id, text: this.detok.push(id), logprob: null, entropy: null, top: [], source, phase });
      this.forcer.count(1);
    }
  }

  private event(event: TraceEvent): void {
    this.builder.addEvent(event);
  }

  private tokenize(text: string): Token[] {
    return this.model.tokenize(text, true);
  }

  /** A token's text on its own (for alternatives and wanted tokens), detokenized once per id. */
  private pieceText(id: number): string {
    let text = this.pieces.get(id);
    if (text === undefined) {
      text = this.model.detokenize([id as Token], true);
      this.pieces.set(id, text);
    }
    return text;
  }

  private delimiterTokens(text: string): DelimiterTokens {
    const tokens = this.tokenize(text);
    if (tokens.length === 0) throw new Error(`The delimiter ${JSON.stringify(text)} tokenizes to nothing`);
    return { tokens, first: tokens[0]! };
  }
}

/** Reconstructs the forcing machine's state after the first `index` tokens of a trace. */
export function forcingStateAt(
  tokens: readonly TraceToken[],
  events: readonly TraceEvent[],
  index: number,
): ForcingSnapshot {
  let thinkingTokens = 0;
  let answerTokens = 0;
  for (let i = 0; i < index && i < tokens.length; i++) {
    if (tokens[i]!.phase === 'thinking') thinkingTokens++;
    else answerTokens++;
  }
  const before = events.filter((e) => e.at < index);
  const phase = index === 0 ? 'thinking' : tokens[Math.min(index, tokens.length) - 1]!.phase;
  return {
    phase,
    thinkingTokens,
    answerTokens,
    suppressedEnds: before.filter((e) => e.kind === 'suppressed-end').length,
    endAttempts: before.filter((e) => e.kind === 'suppressed-end' || e.kind === 'natural-end').length,
    done: false,
  };
}
