/**
 * The remote engine: budget-forced generation against an OpenAI-compatible completions server
 * (vLLM, SGLang, llama.cpp's server) for models that do not fit on the user's machine. Same
 * Engine interface, same forcing machine, same trace format as the local engine; the trace records
 * the endpoint (without credentials) and how its tokens were obtained (`remote` field).
 *
 * `RemoteEngine.connect` checks the server before anything is generated: that it answers, that the
 * API key is accepted, that it serves the model (listing what it serves when it does not), whether
 * it has a tokenizer endpoint, and its context window.
 */
import type { RemoteCredentials, RemoteSettings } from '../../../protocol/remote';
import type { Delimiters, ModelInfo, TraceDocument } from '../../../protocol/trace';
import type { Engine, EngineDescription, GenerationHooks, GenerationRequest } from '../engine';
import { validateBudget } from '../forcing';
import { buildPrompt, detectDelimiters } from '../prompt';
import { TraceBuilder } from '../traceBuilder';
import { parseEndpoint, type RemoteEndpoint } from './endpoint';
import { redactError, RemoteEngineError } from './errors';
import { RemoteHttpClient } from './http';
import { ConcurrencyLimiter } from './limiter';
import type { BackoffOptions } from './retry';
import { RemoteRun } from './run';
import { chooseModel, listModels, tokenizerDialect } from './serverInfo';
import { checkRemoteSettings } from './settings';
import { RemoteTokenizer } from './tokenizer';

export interface RemoteEngineOptions {
  /** Remote settings (checked; defaults fill what is missing). */
  settings: Partial<RemoteSettings>;
  /** The API key: kept in memory only, sent as a bearer token, never logged or recorded. */
  credentials?: RemoteCredentials;
  /** Engine messages (retries, resumed streams); secrets are removed before they get here. */
  log?: (message: string) => void;
  /** Retry pacing; the default starts at 500 ms and doubles up to 30 s. */
  backoff?: BackoffOptions;
  /** Tokens to ask for per request when nothing else bounds it. */
  requestTokens?: number;
}

/** What `connect` learned about the server. */
interface ServerFacts {
  model: string;
  kind: string;
  contextSize: number | null;
  tokenizer: RemoteTokenizer | null;
  /** Delimiter texts the model's vocabulary has as single tokens (known only with a tokenizer). */
  singleTokens: Set<string>;
}

export class RemoteEngine implements Engine {
  readonly kind = 'remote';
  /**
   * Every generation takes a slot of this limiter for its whole run, so callers (sweeps,
   * experiments) may start all their runs at once: at most `settings.concurrency` reach the
   * server together. Do not wrap `generate` in it yourself (that would hold two slots).
   */
  readonly concurrency: ConcurrencyLimiter;
  private readonly running = new Set<AbortController>();

  private constructor(
    readonly settings: RemoteSettings,
    private readonly endpoint: RemoteEndpoint,
    private readonly http: RemoteHttpClient,
    private readonly facts: ServerFacts,
    private readonly options: RemoteEngineOptions,
  ) {
    this.concurrency = new ConcurrencyLimiter(settings.concurrency);
  }

  /**
   * Checks the settings and the server, and returns an engine ready to generate. Throws
   * RemoteEngineError: 'settings', 'unreachable', 'auth', 'unknown-model', 'timeout', … with a
   * message that names the endpoint and never contains the API key.
   */
  static async connect(options: RemoteEngineOptions): Promise<RemoteEngine> {
    const secrets = [options.credentials?.apiKey];
    try {
      const settings = checkRemoteSettings(options.settings);
      const endpoint = parseEndpoint(settings.endpoint);
      const http = new RemoteHttpClient({
        endpoint,
        ...(options.credentials?.apiKey ? { apiKey: options.credentials.apiKey } : {}),
        timeoutMs: settings.timeoutMs,
        maxRetries: settings.maxRetries,
        ...(options.backoff ? { backoff: options.backoff } : {}),
        ...(options.log ? { log: options.log } : {}),
      });
      const models = await listModels(http);
      const model = models ? chooseModel(models, settings.model, endpoint.base) : settings.model;
      if (!model) {
        throw new RemoteEngineError('settings', 'No remote model is set (thinkscope.remote.model)');
      }
      const kind = models?.kind ?? 'openai-compatible';
      const tokenizer = new RemoteTokenizer(http, model, tokenizerDialect(kind));
      const hasTokenizer = await tokenizer.available();
      const singleTokens = new Set<string>();
      if (hasTokenizer) {
        for (const text of ['<think>', '</think>', '<|im_start|>']) {
          if ((await tokenizer.tokenize(text, false)).length === 1) singleTokens.add(text);
        }
      }
      const facts: ServerFacts = {
        model,
        kind,
        contextSize: settings.contextSize ?? models?.contextSizes.get(model) ?? null,
        tokenizer: hasTokenizer ? tokenizer : null,
        singleTokens,
      };
      return new RemoteEngine(settings, endpoint, http, facts, options);
    } catch (error) {
      throw redactError(error, secrets);
    }
  }

  /** The model id requests name. */
  get model(): string {
    return this.facts.model;
  }

  /** Whether the server has a tokenizer endpoint (exact token ids and token-id continuation). */
  get hasTokenizer(): boolean {
    return this.facts.tokenizer !== null;
  }

  describe(): EngineDescription {
    return {
      kind: 'remote',
      modelName: this.facts.model,
      modelPath: null,
      backend: this.facts.kind,
      gpuLayers: null,
      threads: null,
      contextSize: this.facts.contextSize ?? 0,
    };
  }

  modelInfo(): Promise<ModelInfo> {
    return Promise.resolve({
      name: this.facts.model,
      path: null,
      sha256: null,
      engine: 'remote',
      chatTemplate: this.settings.chatTemplate ?? null,
      backend: this.facts.kind,
      endpoint: this.endpoint.base,
    });
  }

  defaultDelimiters(): Delimiters {
    return detectDelimiters(this.settings.chatTemplate ?? null, (text) => this.facts.singleTokens.has(text));
  }

  buildPrompt(question: string, delimiters: Delimiters, promptTemplate?: string | null): string {
    return buildPrompt(question, delimiters, {
      chatTemplate: this.settings.chatTemplate ?? null,
      promptTemplate: promptTemplate ?? null,
    });
  }

  /**
   * Generates one budget-forced trace. Resolves with a partial trace when cancelled (stopReason
   * 'cancelled') or when the server fails after tokens were generated ('interrupted' or 'error',
   * with an `interrupted` event saying why); throws RemoteEngineError when it fails before.
   */
  async generate(request: GenerationRequest, hooks: GenerationHooks = {}): Promise<TraceDocument> {
    validateBudget(request.budget);
    const delimiters = request.delimiters ?? this.defaultDelimiters();
    const builder = new TraceBuilder({
      question: request.question,
      groundTruth: request.groundTruth,
      prompt: this.buildPrompt(request.question, delimiters, request.promptTemplate),
      model: await this.modelInfo(),
      sampling: request.sampling,
      budget: request.budget,
      delimiters,
      ...(request.parent ? { parent: request.parent } : {}),
    });
    const controller = new AbortController();
    const signal = hooks.signal ? AbortSignal.any([hooks.signal, controller.signal]) : controller.signal;
    this.running.add(controller);
    try {
      return await this.concurrency.run(async () => {
        hooks.onStarted?.(builder.build('cancelled'));
        const run = new RemoteRun({
          http: this.http,
          tokenizer: this.facts.tokenizer,
          model: this.facts.model,
          serverKind: this.facts.kind,
          contextSize: this.facts.contextSize,
          tokenCounting: this.settings.tokenCounting,
          maxRetries: this.settings.maxRetries,
          ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
          ...(this.options.requestTokens ? { requestTokens: this.options.requestTokens } : {}),
          builder,
          sampling: request.sampling,
          topAlternatives: request.topAlternatives,
          signal,
          onStep: () => hooks.onStep?.(builder),
          ...(this.options.log ? { log: this.options.log } : {}),
        });
        return run.run();
      }, signal);
    } catch (error) {
      if (signal.aborted && builder.tokens.length === 0) {
        // Cancelled while waiting for a slot: an empty trace marked cancelled.
        builder.addEvent({ kind: 'cancelled', at: 0 });
        return builder.build('cancelled');
      }
      throw redactError(error, [this.options.credentials?.apiKey]);
    } finally {
      this.running.delete(controller);
    }
  }

  /** Cancels the runs in progress (they resolve with partial traces). */
  dispose(): Promise<void> {
    for (const controller of this.running) controller.abort(new Error('The remote engine was disposed'));
    return Promise.resolve();
  }
}

/**
 * Connects a remote engine: what the server process's EngineHost calls (through its
 * `createEngine` hook) when `thinkscope.engine` is `remote`.
 */
export function createRemoteEngine(
  settings: Partial<RemoteSettings>,
  credentials: RemoteCredentials = {},
  options: Omit<RemoteEngineOptions, 'settings' | 'credentials'> = {},
): Promise<RemoteEngine> {
  return RemoteEngine.connect({ ...options, settings, credentials });
}
