/**
 * The engine interface: what the server needs from a model runtime. Two implementations: the
 * embedded node-llama-cpp engine (engine/local) and an OpenAI-compatible completions client
 * (engine/remote). Both drive the same budget-forcing machine (engine/forcing.ts) and record into
 * the same TraceBuilder, so traces look the same whichever engine made them.
 */
import type {
  BudgetSettings,
  Delimiters,
  ModelInfo,
  SamplingSettings,
  TraceDocument,
  TraceParent,
} from '../../protocol/trace';
import type { TraceBuilder } from './traceBuilder';

export interface GenerationRequest {
  question: string;
  groundTruth: string | null;
  sampling: SamplingSettings;
  budget: BudgetSettings;
  /** Explicit delimiters; null takes the model's (chat template or vocabulary). */
  delimiters: Delimiters | null;
  /** How many alternatives each token records. */
  topAlternatives: number;
  /** A prompt template with `{question}`, overriding the model's chat template; null: the model's. */
  promptTemplate?: string | null;
  parent?: TraceParent;
}

export interface GenerationHooks {
  /** The header is ready (prompt built): the view can open before the first token. */
  onStarted?(trace: TraceDocument): void;
  /** Called after each step; the builder holds everything so far (take batches with takeProgress). */
  onStep?(builder: TraceBuilder): void;
  signal?: AbortSignal;
}

/** What a status bar shows about an engine. */
export interface EngineDescription {
  kind: 'local' | 'remote';
  modelName: string;
  modelPath: string | null;
  /** 'cpu', 'cuda', 'vulkan', 'metal'; the server kind for remote engines. */
  backend: string;
  gpuLayers: number | null;
  threads: number | null;
  contextSize: number;
}

export interface Engine {
  readonly kind: 'local' | 'remote';
  describe(): EngineDescription;
  /** Model provenance for traces (file hash included, computed once and cached). */
  modelInfo(): Promise<ModelInfo>;
  /** The delimiters a request with `delimiters: null` gets. */
  defaultDelimiters(): Delimiters;
  /** The exact prompt text for a question. */
  buildPrompt(question: string, delimiters: Delimiters, promptTemplate?: string | null): string;
  /** Generates one budget-forced trace. Cancelling (hooks.signal) resolves with a partial trace marked cancelled. */
  generate(request: GenerationRequest, hooks?: GenerationHooks): Promise<TraceDocument>;
  dispose(): Promise<void>;
}
