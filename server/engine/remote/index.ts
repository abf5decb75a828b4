/**
 * The remote engine: budget-forced generation against an OpenAI-compatible completions server
 * (vLLM, SGLang, llama.cpp's server). See docs/remote.md.
 */
export { createRemoteEngine, RemoteEngine, type RemoteEngineOptions } from './remoteEngine';
export { RemoteEngineError, redactSecrets, type RemoteErrorKind } from './errors';
export { ConcurrencyLimiter, mapConcurrent } from './limiter';
export { checkRemoteSettings } from './settings';
export { publicEndpoint } from './endpoint';
export type { RemoteTraceDocument } from './run';
