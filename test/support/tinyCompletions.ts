/**
 * Completions from a GGUF model (the project's tiny model) in node-llama-cpp, the way an
 * OpenAI-compatible server computes them: the prompt's tokens are evaluated (reusing what the KV
 * cache already holds), each next token is drawn with the project's seeded sampler from the full
 * distribution, and text comes out through the project's incremental detokenizer — the same
 * machinery the local engine uses, so greedy completions here and local runs agree token for token.
 *
 * Stop strings are handled as vLLM handles them: the text is cut at the first match (keeping the
 * stop string only with `includeStop`), and while stop strings are pending without `includeStop`
 * the last `len(stop) - 1` characters are held back from each streamed piece.
 */
import { getLlama, LlamaLogLevel, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import type { SamplingSettings } from '../../protocol/trace';
import { IncrementalDetokenizer } from '../../server/engine/detokenizer';
import { inspectModelFile } from '../../server/engine/modelCheck';
import { SeededRandom, sampleToken, summarize, type Distribution } from '../../server/engine/sampler';

export interface CompletionParams {
  prompt: number[];
  maxTokens: number;
  sampling: SamplingSettings;
  stop: string[];
  /** Keep the matched stop string (and end-of-sequence text) in the text. */
  includeStop: boolean;
  /**
   * Hold back the last `len(stop) - 1` characters of streamed text while stop strings may match
   * (vLLM without `includeStop`); false releases each token's text with it (llama.cpp's server).
   */
  holdBack: boolean;
  /** Leave special tokens' text out (vLLM's default). */
  skipSpecial: boolean;
  /** Alternatives per token. */
  topLogprobs: number;
}

/** One generated token and the text released with it. */
export interface CompletionStep {
  id: number;
  /** The token on its own, as a server's logprobs show it. */
  piece: string;
  logprob: number;
  /** The most likely tokens at this position: [id, logprob], most likely first. */
  top: Array<[number, number]>;
  /** Text released by this step (may be "" while held back, or carry earlier held text). */
  text: string;
  finish: null | { reason: 'stop' | 'length'; stopReason: string | null };
}

interface Sample {
  token?: Token;
  probabilities?: Map<Token, number>;
}

export class TinyCompletionModel {
  private queue: Promise<unknown> = Promise.resolve();
  private sequence: LlamaContextSequence;

  private constructor(
    readonly model: LlamaModel,
    private readonly context: LlamaContext,
    /** How many tokens the vocabulary has. */
    readonly vocabularySize: number,
  ) {
    this.sequence = context.getSequence();
  }

  /** Checks the file (llama.cpp aborts on some bad files) and loads it with one thread. */
  static async load(modelPath: string, contextSize: number): Promise<TinyCompletionModel> {
    await inspectModelFile(modelPath);
    const llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
    const context = await model.createContext({ contextSize, threads: 1, sequences: 1 });
    let size = 0;
    for (const _token of model.iterateAllTokens()) size++;
    return new TinyCompletionModel(model, context, size);
  }

  get contextSize(): number {
    return this.context.contextSize;
  }

  /** Token ids of text; special-token text (`</think>`) is parsed as the special token; no BOS (the tiny model has none in its prompts). */
  tokenize(text: string): number[] {
    return [...this.model.tokenize(text, true)];
  }

  detokenize(ids: readonly number[]): string {
    return this.model.detokenize(ids as Token[], true);
  }

  piece(id: number): string {
    return this.model.detokenize([id as Token], true);
  }

  /** Runs `task` after every earlier one: one sequence, one completion at a time. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Generates a completion step by step; the caller must hold `exclusive` until it is done. */
  async *complete(params: CompletionParams): AsyncGenerator<CompletionStep, void, void> {
    const { prompt } = params;
    const detok = new IncrementalDetokenizer((tokens, last) => this.model.detokenize(tokens as Token[], true, last as Token[]));
    detok.reset(prompt);
    const rng = new SeededRandom(params.sampling.seed);
    const maxStop = params.stop.reduce((m, s) => Math.max(m, s.length), 0);
    const hold = params.includeStop || !params.holdBack || maxStop === 0 ? 0 : maxStop - 1;
    const generator = await this.evaluate(prompt);
    let output = '';
    let sent = 0;
    let count = 0;
    try {
      let result = await generator.next();
      while (!result.done && result.value.token !== undefined) {
        const dist = distribution(result.value);
        const chosen = sampleToken(dist, params.sampling, rng);
        const stats = summarize(dist, params.topLogprobs);
        const step = { id: chosen, piece: this.piece(chosen), logprob: logprobOf(dist, chosen), top: stats.top };
        count++;
        if (this.model.isEogToken(chosen as Token)) {
          if (params.includeStop && !params.skipSpecial) output += step.piece;
          yield { ...step, text: output.slice(sent), finish: { reason: 'stop', stopReason: null } };
          return;
        }
        const delta = detok.push(chosen);
        const before = output.length;
        output += params.skipSpecial && this.model.isSpecialToken(chosen as Token) ? '' : delta;
        const match = firstStop(output, params.stop, Math.max(0, before - maxStop + 1));
        if (match) {
          output = output.slice(0, match.index + (params.includeStop ? match.stop.length : 0));
          yield { ...step, text: output.slice(sent), finish: { reason: 'stop', stopReason: match.stop } };
          return;
        }
        if (count >= params.maxTokens) {
          yield { ...step, text: output.slice(sent), finish: { reason: 'length', stopReason: null } };
          return;
        }
        const upTo = Math.max(sent, output.length - hold);
        const text = output.slice(sent, upTo);
        sent = upTo;
        yield { ...step, text, finish: null };
        result = await generator.next([chosen as Token]);
      }
    } finally {
      await generator.return(undefined);
    }
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }

  /** Evaluates `prompt`, keeping the part the KV cache already holds (at least one token is evaluated). */
  private async evaluate(prompt: number[]): Promise<AsyncGenerator<Sample, void, void | Token | Token[]>> {
    const cached = this.sequence.contextTokens;
    let common = 0;
    const limit = Math.min(cached.length, prompt.length - 1);
    while (common < limit && cached[common] === prompt[common]) common++;
    if (common < this.sequence.nextTokenIndex) {
      await this.sequence.eraseContextTokenRanges([{ start: common, end: this.sequence.nextTokenIndex }]);
    }
    return this.sequence.evaluateWithMetadata(
      prompt.slice(common) as Token[],
      { probabilities: true },
      { temperature: 0, topK: 0, topP: 1, yieldEogToken: true },
    );
  }
}

function distribution(sample: Sample): Distribution {
  const map = sample.probabilities;
  if (!map || map.size === 0) return { ids: [sample.token!], probs: [1] };
  const ids = new Int32Array(map.size);
  const probs = new Float64Array(map.size);
  let i = 0;
  for (const [id, p] of map) {
    ids[i] = id;
    probs[i++] = p;
  }
  return { ids, probs };
}

function logprobOf(dist: Distribution, id: number): number {
  for (let i = 0; i < dist.ids.length; i++) if (dist.ids[i] === id) return dist.probs[i]! > 0 ? Math.log(dist.probs[i]!) : -9999;
  return -9999;
}

function firstStop(text: string, stops: readonly string[], from: number): { index: number; stop: string } | null {
  let best: { index: number; stop: string } | null = null;
  for (const stop of stops) {
    if (!stop) continue;
    const index = text.indexOf(stop, from);
    if (index >= 0 && (best === null || index < best.index)) best = { index, stop };
  }
  return best;
}
