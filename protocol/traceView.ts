/**
 * The trace view's saved state and the checks on messages that cross the webview boundary.
 *
 * The state is what the stepper stores with the webview API's `setState`; the host reads it back
 * when VS Code restores a panel after a reload (a WebviewPanelSerializer gets it), so its shape is
 * shared by both sides. Messages from a webview are untrusted: the host checks them with
 * protocol/guards.ts `parseTraceViewOutbound` before acting; the view checks what it receives with
 * `isTraceViewHostMessage` here.
 */
import type { TraceAnalysis } from './analysis';
import type { TraceDocument } from './trace';
import { isTraceColumns, type TraceColumns } from './traceColumns';
import type { StepCommand, TraceSourceInfo, TraceViewInbound } from './webview';
import { STEP_COMMANDS } from './webview';

/**
 * `load` with the tokens in columns (see traceColumns.ts): how the host sends a whole trace, since
 * a long trace crosses postMessage in milliseconds this way instead of most of a second.
 * `trace.tokens` is empty; `columns` holds them.
 */
export interface TraceViewLoadColumns {
  type: 'loadColumns';
  trace: TraceDocument;
  columns: TraceColumns;
  source: TraceSourceInfo;
  live: boolean;
  analysis?: TraceAnalysis;
}

/** Every message the host sends the trace view: protocol/webview.ts TraceViewInbound, plus loadColumns. */
export type TraceViewHostMessage = TraceViewInbound | TraceViewLoadColumns;

/** Per-token colouring of the text. */
export type HeatMode = 'off' | 'probability' | 'entropy';
export const HEAT_MODES: readonly HeatMode[] = ['off', 'probability', 'entropy'];

/** Replay speeds offered, in tokens per second. */
export const REPLAY_SPEEDS: readonly number[] = [5, 10, 20, 50, 100, 200, 500];

/** What the trace view keeps across hide/show and window reloads. */
export interface TraceViewState {
  v: 1;
  /** The trace the position belongs to; a different trace starts at its first token. */
  traceId: string | null;
  /** Selected token index. */
  position: number;
  heat: HeatMode;
  /** Replay speed in tokens per second. */
  speed: number;
  help: boolean;
  /** Where the trace came from; the host reopens it from here after a reload. */
  source: TraceSourceInfo | null;
}

/** The largest token index or count a message may carry. */
const MAX_INDEX = 1_000_000_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_INDEX;
}

/** Whether `value` is one of the keyboard commands. */
export function isStepCommand(value: unknown): value is StepCommand {
  return typeof value === 'string' && (STEP_COMMANDS as readonly string[]).includes(value);
}

/**
 * Whether `value` looks like a message from the host to the trace view. The host is trusted; this
 * only keeps a stray message (another frame, an extension bug) from breaking the view, so it
 * checks the discriminant and the presence of each payload, not every trace field.
 */
export function isTraceViewHostMessage(value: unknown): value is TraceViewHostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'loadColumns':
      return isRecord(value.trace) && Array.isArray(value.trace.tokens) && value.trace.tokens.length === 0
        && isTraceColumns(value.columns) && isSourceInfo(value.source)
        && typeof value.live === 'boolean' && (value.analysis === undefined || isRecord(value.analysis));
    case 'load':
      return isRecord(value.trace) && Array.isArray(value.trace.tokens) && isSourceInfo(value.source)
        && typeof value.live === 'boolean' && (value.analysis === undefined || isRecord(value.analysis));
    case 'analysis':
      return isRecord(value.analysis) && Array.isArray(value.analysis.steps);
    case 'progress':
      return isRecord(value.progress) && Array.isArray(value.progress.tokens)
        && Array.isArray(value.progress.events) && isIndex(value.progress.offset);
    case 'finished':
      return isRecord(value.trace) && Array.isArray(value.trace.tokens);
    case 'failed':
      return typeof value.message === 'string';
    case 'command':
      return isStepCommand(value.command);
    default:
      return false;
  }
}

/** Whether `value` is a source description (label, optional URI string). */
export function isSourceInfo(value: unknown): value is TraceSourceInfo {
  return isRecord(value) && typeof value.label === 'string'
    && (value.uri === undefined || typeof value.uri === 'string');
}

/** Whether `value` is a saved trace view state of this version. */
export function isTraceViewState(value: unknown): value is TraceViewState {
  return isRecord(value) && value.v === 1
    && (value.traceId === null || typeof value.traceId === 'string')
    && isIndex(value.position)
    && typeof value.heat === 'string' && (HEAT_MODES as readonly string[]).includes(value.heat)
    && typeof value.speed === 'number' && value.speed > 0 && value.speed <= 10_000
    && typeof value.help === 'boolean'
    && (value.source === null || isSourceInfo(value.source));
}
