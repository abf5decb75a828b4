/**
 * The embedded engine: a GGUF model run in-process by node-llama-cpp, GPU offload when there is a
 * GPU (CUDA, Vulkan, Metal, as node-llama-cpp detects), CPU otherwise.
 *
 * The model file is validated before llama.cpp sees it (llama.cpp aborts the whole process on some
 * malformed files), and llama.cpp's own logging goes to the given logger, never to stdout (which
 * may be the server's JSON-RPC channel).
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import {
  getLlama,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import type { EngineSettings } from '../../../protocol/settings';
import type { Delimiters, ModelInfo, TraceDocument } from '../../../protocol/trace';
import type { Engine, EngineDescription, GenerationHooks, GenerationRequest } from '../engine';
import { cachedModelHash } from '../modelHash';
import { inspectModelFile } from '../modelCheck';
import { buildPrompt, detectDelimiters } from '../prompt';
import { TraceBuilder } from '../traceBuilder';
import { forcingStateAt, LocalRun, type RunOptions } from './run';

export interface LocalEngineOptions {
  settings: EngineSettings;
  /** Where the model hash cache lives. */
  cacheDir: string;
  /** llama.cpp and engine messages (never stdout). */
  log?: (message: string) => void;
}

/** The default thread count: the machine's real parallelism (node-llama-cpp's default oversubscribes small machines). */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

let sharedLlama: { key: string; llama: Promise<Llama> } | null = null;

/** One llama.cpp binding per process and GPU choice. */
function loadLlama(gpu: EngineSettings['gpu'], log: (m: string) => void): Promise<Llama> {
  const key = gpu;
  if (sharedLlama?.key === key) return sharedLlama.llama;
  const llama = getLlama({
    gpu: gpu === 'cpu' ? false : gpu,
    build: 'never',
    progressLogs: false,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => log(`llama.cpp ${level}: ${message.trimEnd()}`),
  });
  sharedLlama = { key, llama };
  llama.catch(() => {
    if (sharedLlama?.llama === llama) sharedLlama = null;
  });
  return llama;
}

export class LocalEngine implements Engine {
  readonly kind = 'local';
  private modelInfoPromise: Promise<ModelInfo> | null = null;
  /** Runs on the one context sequence one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: LocalEngineOptions,
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly context: LlamaContext,
    readonly sequence: LlamaContextSequence,
    readonly chatTemplate: string | null,
    readonly threads: number,
  ) {}

  /** Validates the model file, loads it, and creates a context. Throws ModelFileError for bad files. */
  static async load(options: LocalEngineOptions): Promise<LocalEngine> {
    const log = options.log ?? (() => undefined);
    const s = options.settings;
    const info = await inspectModelFile(s.modelPath);
    const llama = await loadLlama(s.gpu, log);
    const model = await llama.loadModel({ modelPath: s.modelPath, gpuLayers: s.gpuLayers });
    const threads = s.threads > 0 ? s.threads : defaultThreads();
    const contextSize = Math.min(s.contextSize, info.contextLength ?? s.contextSize);
    let context: LlamaContext;
    try {
      context = await model.createContext({ contextSize, threads, sequences: 1 });
    } catch (error) {
      await model.dispose();
      throw error;
    }
    return new LocalEngine(options, llama, model, context, context.getSequence(), info.chatTemplate, threads);
  }

  describe(): EngineDescription {
    const gpu = this.llama.gpu;
    return {
      kind: 'local',
      modelName: modelName(this.options.settings.modelPath),
      modelPath: this.options.settings.modelPath,
      backend: gpu === false ? 'cpu' : gpu,
      gpuLayers: this.model.gpuLayers,
      threads: this.threads,
      contextSize: this.context.contextSize,
    };
  }

  modelInfo(): Promise<ModelInfo> {
    this.modelInfoPromise ??= cachedModelHash(this.options.settings.modelPath, this.options.cacheDir).then(
      (sha256) => ({
        name: modelName(this.options.settings.modelPath),
        path: this.options.settings.modelPath,
        sha256,
        engine: 'local',
        chatTemplate: this.chatTemplate,
        backend: this.describe().backend,
      }),
    );
    return this.modelInfoPromise;
  }

  defaultDelimiters(): Delimiters {
    return detectDelimiters(this.chatTemplate, (text) => this.isSingleToken(text));
  }

  buildPrompt(question: string, delimiters: Delimiters, promptTemplate?: string | null): string {
    const eos = this.model.tokens.eos;
    return buildPrompt(question, delimiters, {
      chatTemplate: this.chatTemplate,
      promptTemplate: promptTemplate ?? null,
      eosToken: eos === null ? '' : this.model.detokenize([eos], true),
    });
  }

  tokenize(text: string): Token[] {
    return this.model.tokenize(text, true);
  }

  /** Empties the KV cache, so the next run evaluates everything from scratch. */
  clearCache(): Promise<void> {
    return this.exclusive(() => this.sequence.eraseContextTokenRanges([{ start: 0, end: this.sequence.nextTokenIndex }]));
  }

  /** Runs `task` when every earlier task on this engine's sequence has finished. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Builds the header of a trace for a request (the prompt included). */
  async header(request: GenerationRequest): Promise<TraceBuilder> {
    const delimiters = request.delimiters ?? this.defaultDelimiters();
    const prompt = this.buildPrompt(request.question, delimiters, request.promptTemplate);
    const builder = new TraceBuilder({
      question: request.question,
      groundTruth: request.groundTruth,
      prompt,
      model: await this.modelInfo(),
      sampling: request.sampling,
      budget: request.budget,
      delimiters,
      ...(request.parent ? { parent: request.parent } : {}),
    });
    builder.promptTokens = this.tokenize(prompt).length;
    return builder;
  }

  /** Starts a step-driven run on this engine's sequence. The caller must hold `exclusive`. */
  async openRun(builder: TraceBuilder, request: GenerationRequest, resume?: RunOptions['resume']): Promise<LocalRun> {
    const promptTokens = this.tokenize(builder.header.prompt);
    if (promptTokens.length + 8 > this.context.contextSize) {
      throw new Error(
        `The prompt is ${promptTokens.length} tokens; the context window is ${this.context.contextSize} (raise thinkscope.engine.contextSize)`,
      );
    }
    return LocalRun.start({
      model: this.model,
      sequence: this.sequence,
      contextSize: this.context.contextSize,
      builder,
      promptTokens,
      sampling: request.sampling,
      delimiters: builder.header.delimiters,
      topAlternatives: request.topAlternatives,
      ...(resume ? { resume } : {}),
    });
  }

  generate(request: GenerationRequest, hooks: GenerationHooks = {}): Promise<TraceDocument> {
    return this.exclusive(async () => {
      const builder = await this.header(request);
      hooks.onStarted?.(builder.build('cancelled'));
      const run = await this.openRun(builder, request);
      try {
        const stop = await run.runToEnd(hooks.signal, () => hooks.onStep?.(builder));
        if (stop === null) run.cancel();
        return run.trace();
      } finally {
        await run.close();
      }
    });
  }

  /**
   * Regenerates from token `forkAt` of `parent` under the request's settings: tokens [0, forkAt)
   * and their events are kept, the KV cache is reused for as much of them as it still holds, and
   * the fork records its parent.
   */
  fork(parent: TraceDocument, forkAt: number, request: GenerationRequest, hooks: GenerationHooks = {}): Promise<TraceDocument> {
    if (!Number.isInteger(forkAt) || forkAt < 0 || forkAt > parent.tokens.length) {
      throw new RangeError(`Fork point ${forkAt} is outside the trace (0…${parent.tokens.length})`);
    }
    return this.exclusive(async () => {
      const builder = new TraceBuilder({
        question: parent.question,
        groundTruth: parent.groundTruth,
        prompt: parent.prompt,
        model: await this.modelInfo(),
        sampling: request.sampling,
        budget: request.budget,
        delimiters: parent.delimiters,
        parent: { traceId: parent.id, forkAt, relation: 'fork' },
      });
      builder.promptTokens = this.tokenize(parent.prompt).length;
      for (const token of parent.tokens.slice(0, forkAt)) builder.addToken(token);
      for (const event of parent.events) if (event.at < forkAt) builder.addEvent(event);
      hooks.onStarted?.(builder.build('cancelled'));
      const run = await this.openRun(builder, request, {
        forcer: forcingStateAt(parent.tokens, parent.events, forkAt),
      });
      try {
        const stop = await run.runToEnd(hooks.signal, () => hooks.onStep?.(builder));
        if (stop === null) run.cancel();
        return run.trace();
      } finally {
        await run.close();
      }
    });
  }

  async dispose(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }

  private isSingleToken(text: string): boolean {
    return this.model.tokenize(text, true).length === 1;
  }
}

function modelName(path: string): string {
  return basename(path).replace(/\.gguf$/i, '');
}
