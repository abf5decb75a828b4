/**
 * Messages between the extension host and the budget comparison view (the sweep grid, the answer
 * diff and the charts), the view's saved state, and the checks on them.
 *
 * Each direction is a discriminated union on `type`. Messages from the view are untrusted: the host
 * checks them with `parseCompareViewOutbound` before acting on them. The view checks what it
 * receives with `isCompareViewInbound` (loosely: the host is trusted, the check only keeps a stray
 * message from breaking the view).
 *
 * The view opens traces in the stepper by posting `openTrace`; the host then runs the command
 * `thinkscope.openTrace` with the arguments `(trace: TraceDocument, token?: number)`.
 */
import type { TraceAnalysis } from './analysis';
import type { SweepCellKey, SweepDocument, SweepProgress, SweepSettings } from './sweep';
import { InputError, describeValue, failWith, isRecord, unknownKeysDetail, type Fail } from './validation';

/** What the view shows before any cell is done: the axes of a sweep that has just started. */
export type SweepOutline = Pick<SweepSettings, 'question' | 'groundTruth' | 'budgets' | 'waitCounts' | 'extendWith' | 'mode'>;

/** Where the sweep shown came from. */
export interface CompareSourceInfo {
  /** Display label: a file name, or "live: <question>". */
  label: string;
  /** The sweep file's URI as a string, when there is one. */
  uri?: string;
}

/** Host → compare view. */
export type CompareViewInbound =
  /** A live sweep started: the axes are known, no cell is done yet. */
  | { type: 'start'; outline: SweepOutline; source: CompareSourceInfo }
  /** A whole sweep document (from a file, or the state of a live sweep after the view reloads). */
  | { type: 'load'; sweep: SweepDocument; source: CompareSourceInfo; live: boolean }
  /** A cell of the live sweep finished (its trace included). */
  | { type: 'progress'; progress: SweepProgress }
  /** The live sweep ended (done or cancelled); `path` is where it was saved, as shown to the user. */
  | { type: 'finished'; sweep: SweepDocument; path?: string }
  /** The live sweep failed; the cells already shown stay. */
  | { type: 'failed'; message: string }
  /** The analysis of a trace the view asked for; null when the server could not analyse it. */
  | { type: 'analysis'; traceId: string; analysis: TraceAnalysis | null; error?: string };

/** Compare view → host. */
export type CompareViewOutbound =
  /** The view has started (again) and wants the current sweep. */
  | { type: 'ready' }
  /** Open a trace of the sweep in the stepper, at a token when one is given. */
  | { type: 'openTrace'; traceId: string; token?: number }
  /** Send the analyses of these traces of the sweep (each answered by an `analysis` message). */
  | { type: 'requestAnalysis'; traceIds: string[] }
  /**
   * The user compares these two cells now (indices into the sweep's cells, A the shorter side).
   * The host answers with the analyses of both cells' traces.
   */
  | { type: 'selectCells'; a: number; b: number }
  /** Something went wrong in the view. */
  | { type: 'error'; message: string };

/** The types of CompareViewOutbound, for messages. */
export const COMPARE_VIEW_OUTBOUND_TYPES: readonly CompareViewOutbound['type'][] = [
  'ready', 'openTrace', 'requestAnalysis', 'selectCells', 'error',
];

/** What the compare view keeps across hide/show and reloads (the webview API's `setState`). */
export interface CompareViewState {
  v: 1;
  /** The sweep the rest belongs to; another sweep starts from the defaults. */
  sweepId: string | null;
  /** The extension string whose tab is shown. */
  extendWith: string | null;
  /** The compared cells as cell keys (see `cellKeyString`), A then B; null: the default pair. */
  pair: [string, string] | null;
  /** The focused grid cell, as a cell key. */
  focus: string | null;
}

/** Longest trace id accepted from the view. */
export const MAX_TRACE_ID_LENGTH = 512;
/** Most trace ids one `requestAnalysis` may name. */
export const MAX_ANALYSIS_REQUEST = 1024;
/** Largest cell index or token index accepted from the view. */
export const MAX_VIEW_INDEX = 1_000_000_000;
/** Longest error text the view may send (longer ones are refused, not truncated). */
export const MAX_VIEW_ERROR_TEXT = 64 * 1024;

/**
 * Checks a message from the compare view: exactly the fields of one variant of
 * CompareViewOutbound, with non-empty trace ids of bounded length and non-negative integer indices.
 * @param where names the source in messages, e.g. "compare view message".
 * @throws InputError naming the field and what is wrong with it.
 */
export function parseCompareViewOutbound(value: unknown, where = 'compare view message'): CompareViewOutbound {
  const fail: Fail = failWith(InputError, where, 'the message');
  if (!isRecord(value)) fail([], `must be an object, got ${describeValue(value)}`, 'structure');
  const only = (...keys: string[]): void => {
    const extra = Object.keys(value).filter((k) => !keys.includes(k));
    if (extra.length > 0) fail([], unknownKeysDetail(extra, keys), 'structure');
  };
  const index = (key: string): void => {
    const v = value[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > MAX_VIEW_INDEX) {
      fail([key], `must be an integer from 0 to ${MAX_VIEW_INDEX}, got ${describeValue(v)}`, 'structure');
    }
  };
  const traceId = (v: unknown, path: (string | number)[]): void => {
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TRACE_ID_LENGTH) {
      fail(path, `must be a trace id (a non-empty string of at most ${MAX_TRACE_ID_LENGTH} characters), got ${describeValue(v)}`, 'structure');
    }
  };
  switch (value.type) {
    case 'ready':
      only('type');
      break;
    case 'openTrace':
      only('type', 'traceId', 'token');
      traceId(value.traceId, ['traceId']);
      if (value.token !== undefined) index('token');
      break;
    case 'requestAnalysis': {
      only('type', 'traceIds');
      const ids = value.traceIds;
      if (!Array.isArray(ids)) fail(['traceIds'], `must be an array of trace ids, got ${describeValue(ids)}`, 'structure');
      if (ids.length > MAX_ANALYSIS_REQUEST) {
        fail(['traceIds'], `must name at most ${MAX_ANALYSIS_REQUEST} traces, got ${ids.length}`, 'limit');
      }
      ids.forEach((id: unknown, i) => traceId(id, ['traceIds', i]));
      break;
    }
    case 'selectCells':
      only('type', 'a', 'b');
      index('a');
      index('b');
      break;
    case 'error':
      only('type', 'message');
      if (typeof value.message !== 'string') fail(['message'], `must be a string, got ${describeValue(value.message)}`, 'structure');
      if (value.message.length > MAX_VIEW_ERROR_TEXT) {
        fail(['message'], `must be at most ${MAX_VIEW_ERROR_TEXT} characters, got ${value.message.length}`, 'limit');
      }
      break;
    default:
      fail(
        ['type'],
        `must be one of ${COMPARE_VIEW_OUTBOUND_TYPES.map((t) => JSON.stringify(t)).join(', ')}, got ${describeValue(value.type)}`,
        'structure',
      );
  }
  return value as unknown as CompareViewOutbound;
}

/** Whether `value` is a well-formed message from the compare view (see parseCompareViewOutbound). */
export function isCompareViewOutbound(value: unknown): value is CompareViewOutbound {
  try {
    parseCompareViewOutbound(value);
    return true;
  } catch (error) {
    if (error instanceof InputError) return false;
    throw error;
  }
}

function isSource(value: unknown): value is CompareSourceInfo {
  return isRecord(value) && typeof value.label === 'string' && (value.uri === undefined || typeof value.uri === 'string');
}

function isSweepLike(value: unknown): value is SweepDocument {
  return isRecord(value) && isRecord(value.settings) && Array.isArray(value.cells) && Array.isArray(value.traces)
    && typeof value.id === 'string';
}

function isOutline(value: unknown): value is SweepOutline {
  return isRecord(value) && typeof value.question === 'string' && Array.isArray(value.budgets)
    && Array.isArray(value.waitCounts) && Array.isArray(value.extendWith);
}

/**
 * Whether `value` looks like a message from the host to the compare view: the discriminant and
 * the presence of each payload, not every field of the sweep.
 */
export function isCompareViewInbound(value: unknown): value is CompareViewInbound {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'start':
      return isOutline(value.outline) && isSource(value.source);
    case 'load':
      return isSweepLike(value.sweep) && isSource(value.source) && typeof value.live === 'boolean';
    case 'progress':
      return isRecord(value.progress) && isRecord(value.progress.cell) && isRecord(value.progress.cell.key)
        && typeof value.progress.cellIndex === 'number' && (value.progress.trace === null || isRecord(value.progress.trace));
    case 'finished':
      return isSweepLike(value.sweep) && (value.path === undefined || typeof value.path === 'string');
    case 'failed':
      return typeof value.message === 'string';
    case 'analysis':
      return typeof value.traceId === 'string' && (value.analysis === null
        || (isRecord(value.analysis) && Array.isArray(value.analysis.steps) && Array.isArray(value.analysis.candidates)));
    default:
      return false;
  }
}

/** Whether `value` is a saved compare view state of this version. */
export function isCompareViewState(value: unknown): value is CompareViewState {
  const optionalString = (v: unknown): boolean => v === null || typeof v === 'string';
  return isRecord(value) && value.v === 1
    && optionalString(value.sweepId) && optionalString(value.extendWith) && optionalString(value.focus)
    && (value.pair === null
      || (Array.isArray(value.pair) && value.pair.length === 2 && value.pair.every((k) => typeof k === 'string')));
}

/** A cell key as one string, for maps and saved state: `JSON.stringify([max, ignoreEnd, extendWith])`. */
export function cellKeyString(key: { maxThinkingTokens: number | null; ignoreEnd: number | null; extendWith: string }): string {
  return JSON.stringify([key.maxThinkingTokens, key.ignoreEnd, key.extendWith]);
}

/**
 * The cells of a sweep with these axes, in the order a sweep lists them (and numbers them in
 * `SweepProgress.cellIndex`): by extension string, then Wait count, then budget, each list in the
 * order given with repeats dropped.
 */
export function planCellKeys(outline: Pick<SweepOutline, 'budgets' | 'waitCounts' | 'extendWith'>): SweepCellKey[] {
  const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
  const keys: SweepCellKey[] = [];
  for (const extendWith of unique(outline.extendWith)) {
    for (const ignoreEnd of unique(outline.waitCounts)) {
      for (const maxThinkingTokens of unique(outline.budgets)) keys.push({ maxThinkingTokens, ignoreEnd, extendWith });
    }
  }
  return keys;
}
