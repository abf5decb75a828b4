/** Settings the extension hands the server (initializationOptions and didChangeConfiguration). */
import type { RemoteSettings } from './remote';
import type { BudgetSettings, Delimiters, SamplingSettings } from './trace';

export type GpuSetting = 'auto' | 'cuda' | 'vulkan' | 'metal' | 'cpu';

export interface EngineSettings {
  /** Absolute path of the GGUF model file. */
  modelPath: string;
  gpu: GpuSetting;
  /** Layers to offload: 'auto', 'max' or a count. */
  gpuLayers: 'auto' | 'max' | number;
  contextSize: number;
  /** 0 means the machine's real parallelism. */
  threads: number;
  /** How many alternatives each generated token records. */
  topAlternatives: number;
}

/** Which engine runs models: node-llama-cpp in the server, or an OpenAI-compatible server. */
export type EngineKind = 'local' | 'remote';

export interface ServerSettings {
  engineKind: EngineKind;
  engine: EngineSettings;
  /** The remote engine's settings (no secrets: the API key travels in thinkscope/setCredentials). */
  remote: RemoteSettings;
  sampling: SamplingSettings;
  budget: BudgetSettings;
  /** null: take them from the model's chat template. */
  delimiters: Delimiters | null;
  /** A prompt template with `{question}`, overriding the model's chat template; null: the model's. */
  promptTemplate: string | null;
  /** Where the server may cache model hashes, the embedded model and other derived data. */
  cacheDir: string;
}

export type ModelState = 'unloaded' | 'loading' | 'ready' | 'error';

export interface ServerStatus {
  model: ModelState;
  modelName: string | null;
  modelPath: string | null;
  /** 'cpu', 'cuda', 'vulkan', 'metal' once loaded. */
  backend: string | null;
  gpuLayers: number | null;
  threads: number | null;
  /** Message of the last load error, if model === 'error'. */
  error: string | null;
  /** The run in progress, if any. */
  busy: string | null;
  version: string;
}
