/**
 * What the remote server says about itself through `GET /v1/models`: the models it serves, its
 * kind (vLLM, SGLang and llama.cpp name themselves in `owned_by`), and the context window (vLLM and
 * SGLang report `max_model_len`).
 */
import { RemoteEngineError } from './errors';
import type { RemoteHttpClient } from './http';
import type { TokenizerDialect } from './tokenizer';

export interface ServerModels {
  /** Model ids, in the server's order. */
  ids: string[];
  /** The server kind: 'vllm', 'sglang', 'llamacpp' or 'openai-compatible'. */
  kind: string;
  /** Context window of each model, when the server reports it. */
  contextSizes: Map<string, number>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN_KINDS: Record<string, string> = { vllm: 'vllm', sglang: 'sglang', llamacpp: 'llamacpp', 'llama.cpp': 'llamacpp' };

/** Lists the server's models; null when it has no `/models` endpoint (404). */
export async function listModels(http: RemoteHttpClient, signal?: AbortSignal): Promise<ServerModels | null> {
  let answer: unknown;
  try {
    answer = await http.getJson('/models', signal ? { signal } : {});
  } catch (error) {
    if (error instanceof RemoteEngineError && error.kind === 'not-found') return null;
    throw error;
  }
  const data = isRecord(answer) ? answer.data : undefined;
  if (!Array.isArray(data)) {
    throw new RemoteEngineError('malformed', `The remote engine at ${http.endpoint} answered /models without a "data" list of models`);
  }
  const ids: string[] = [];
  const contextSizes = new Map<string, number>();
  let kind = 'openai-compatible';
  for (const entry of data) {
    if (!isRecord(entry) || typeof entry.id !== 'string') continue;
    ids.push(entry.id);
    const owner = typeof entry.owned_by === 'string' ? KNOWN_KINDS[entry.owned_by.toLowerCase()] : undefined;
    if (owner) kind = owner;
    const meta = isRecord(entry.meta) ? entry.meta : {};
    const size = entry.max_model_len ?? entry.context_length ?? meta.n_ctx;
    if (typeof size === 'number' && Number.isInteger(size) && size > 0) contextSizes.set(entry.id, size);
  }
  return { ids, kind, contextSizes };
}

/**
 * The model to use: `wanted` when the server serves it; the server's only model when `wanted` is
 * empty. Throws 'unknown-model' listing what the server serves otherwise.
 */
export function chooseModel(models: ServerModels, wanted: string, endpoint: string): string {
  if (wanted && models.ids.includes(wanted)) return wanted;
  const served = models.ids.length > 0 ? models.ids.map((id) => JSON.stringify(id)).join(', ') : 'no models at all';
  if (!wanted) {
    if (models.ids.length === 1) return models.ids[0]!;
    throw new RemoteEngineError('settings', `No remote model is set (thinkscope.remote.model); the server at ${endpoint} serves ${served}`);
  }
  throw new RemoteEngineError(
    'unknown-model',
    `The remote engine at ${endpoint} does not serve the model ${JSON.stringify(wanted)}; it serves ${served} (set thinkscope.remote.model)`,
  );
}

/** The request dialect of the server's tokenizer endpoint. */
export function tokenizerDialect(kind: string): TokenizerDialect {
  return kind === 'vllm' || kind === 'sglang' ? 'vllm' : kind === 'llamacpp' ? 'llamacpp' : 'generic';
}
