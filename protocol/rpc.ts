/**
 * The custom JSON-RPC methods between the extension and the server. Each method is declared once
 * here as a typed descriptor; both sides go through typed helpers (extension/rpc.ts, server/lsp/rpc.ts),
 * so no call site spells a method name.
 */
import type { BudgetSettings, SamplingSettings, TraceDocument, TraceEvent, TraceToken } from './trace';
import type { ServerStatus } from './settings';

/** A request: params P, result R. The phantom fields carry the types only. */
export interface RequestDef<P, R> {
  readonly method: string;
  readonly _params?: P;
  readonly _result?: R;
}
/** A notification carrying P. */
export interface NotificationDef<P> {
  readonly method: string;
  readonly _params?: P;
}

const request = <P, R>(method: string): RequestDef<P, R> => ({ method });
const notification = <P>(method: string): NotificationDef<P> => ({ method });

export interface GenerateParams {
  /** Chosen by the caller; progress notifications carry it back. */
  runId: string;
  question: string;
  groundTruth?: string | null;
  sampling?: Partial<SamplingSettings>;
  budget?: Partial<BudgetSettings>;
  /** Where to write the finished trace (atomically); omitted: not written. */
  outPath?: string;
}

export interface GenerateResult {
  trace: TraceDocument;
  /** Where the trace was written, when it was. */
  path?: string;
}

/** Sent while a run is in progress: the tokens and events produced since the last one. */
export interface RunProgress {
  runId: string;
  tokens: TraceToken[];
  events: TraceEvent[];
  /** Index in the trace's tokens of tokens[0]. */
  offset: number;
  thinkingTokens: number;
  answerTokens: number;
  tokensPerSecond: number;
}

/** The trace header is known once the prompt is built; the view can show it before any token. */
export interface RunStarted {
  runId: string;
  trace: TraceDocument;
}

export interface StatusParams {}

export const Methods = {
  generate: request<GenerateParams, GenerateResult>('thinkscope/generate'),
  status: request<StatusParams, ServerStatus>('thinkscope/status'),
  runStarted: notification<RunStarted>('thinkscope/runStarted'),
  runProgress: notification<RunProgress>('thinkscope/runProgress'),
  statusChanged: notification<ServerStatus>('thinkscope/statusChanged'),
} as const;
