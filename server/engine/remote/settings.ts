/**
 * Checks remote settings as they arrive from outside (VS Code settings, CLI flags, JSON-RPC) and
 * fills in defaults. Errors name the setting and the value — except the endpoint's credentials,
 * which are never repeated.
 */
import { DEFAULT_REMOTE_SETTINGS, type RemoteSettings } from '../../../protocol/remote';
import { RemoteEngineError } from './errors';

const KEYS = new Set<keyof RemoteSettings>([
  'endpoint', 'model', 'timeoutMs', 'maxRetries', 'concurrency', 'tokenCounting', 'chatTemplate', 'contextSize',
]);

function fail(field: string, message: string): never {
  throw new RemoteEngineError('settings', `thinkscope.remote.${field} ${message}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function whole(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(field, `must be a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `value` (a partial RemoteSettings) over the defaults, checked. Throws RemoteEngineError('settings'). */
export function checkRemoteSettings(value: unknown): RemoteSettings {
  if (!isRecord(value)) throw new RemoteEngineError('settings', 'The remote engine settings must be an object');
  for (const key of Object.keys(value)) {
    if (!KEYS.has(key as keyof RemoteSettings)) {
      throw new RemoteEngineError('settings', `Unknown remote setting "${key}" (known: ${[...KEYS].join(', ')})`);
    }
  }
  const s = { ...DEFAULT_REMOTE_SETTINGS, ...(value as Partial<RemoteSettings>) };
  if (typeof s.endpoint !== 'string' || s.endpoint.trim() === '') fail('endpoint', 'must be a URL such as http://127.0.0.1:8000/v1');
  if (typeof s.model !== 'string') fail('model', `must be a model id, got ${JSON.stringify(s.model)}`);
  whole('timeoutMs', s.timeoutMs, 1);
  whole('maxRetries', s.maxRetries, 0);
  whole('concurrency', s.concurrency, 1);
  if (s.tokenCounting !== 'usage' && s.tokenCounting !== 'tokenizer' && s.tokenCounting !== 'auto') {
    fail('tokenCounting', `must be "usage", "tokenizer" or "auto", got ${JSON.stringify(s.tokenCounting)}`);
  }
  if (s.chatTemplate !== undefined && s.chatTemplate !== null && typeof s.chatTemplate !== 'string') {
    fail('chatTemplate', 'must be a Jinja template (text) or null');
  }
  if (s.contextSize !== undefined && s.contextSize !== null) whole('contextSize', s.contextSize, 16);
  return {
    endpoint: s.endpoint.trim(),
    model: s.model.trim(),
    timeoutMs: s.timeoutMs,
    maxRetries: s.maxRetries,
    concurrency: s.concurrency,
    tokenCounting: s.tokenCounting,
    chatTemplate: s.chatTemplate || null,
    contextSize: s.contextSize ?? null,
  };
}
