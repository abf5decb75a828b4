/**
 * The custom JSON-RPC methods between the extension and the server. Each method is declared once
 * here as a typed descriptor; both sides go through typed helpers (extension/rpc.ts, server/lsp/rpc.ts),
 * so no call site spells a method name.
 */
import type { BudgetSettings, SamplingSettings, TraceDocument, TraceEvent, TraceToken } from './trace';
import type { ServerSettings, ServerStatus } from './settings';
import type { RemoteCredentials } from './remote';
import type { TraceAnalysis } from './analysis';
import type { ForkParams, SweepParams, SweepProgress, SweepResult } from './sweep';

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

export interface AnalyzeParams {
  trace: TraceDocument;
  /** Reflection cues to segment at; omitted: the server's defaults. */
  cues?: string[];
}

/** Errors the server returns with a machine-readable reason in `data.code`. */
export interface ServerErrorData {
  code:
    | 'bad-request'
    | 'model-file'
    | 'model-load'
    | 'busy'
    | 'cancelled'
    | 'engine'
    | 'io';
  /** The file the error is about, when there is one. */
  path?: string;
}

export const Methods = {
  generate: request<GenerateParams, GenerateResult>('thinkscope/generate'),
  status: request<StatusParams, ServerStatus>('thinkscope/status'),
  analyze: request<AnalyzeParams, TraceAnalysis>('thinkscope/analyze'),
  sweep: request<SweepParams, SweepResult>('thinkscope/sweep'),
  sweepProgress: notification<SweepProgress>('thinkscope/sweepProgress'),
  /** Regenerates from a token of a trace; streams like generate (runStarted / runProgress). */
  fork: request<ForkParams, GenerateResult>('thinkscope/fork'),
  /** New settings (the extension sends them at start and whenever the user changes one). */
  configure: notification<ServerSettings>('thinkscope/configure'),
  /** The remote engine's API key, kept in the server's memory only (never in settings, traces or logs). */
  setCredentials: notification<RemoteCredentials>('thinkscope/setCredentials'),
  runStarted: notification<RunStarted>('thinkscope/runStarted'),
  runProgress: notification<RunProgress>('thinkscope/runProgress'),
  statusChanged: notification<ServerStatus>('thinkscope/statusChanged'),
} as const;
