/**
 * Guards for everything that crosses a process boundary: trace documents (from disk, from the
 * server, from other tools), JSON-RPC request params, and messages from webviews. Each takes an
 * `unknown`, checks it deeply, and either returns it typed or throws an error whose message names
 * the place (file, JSON path) and what was wrong. Pure: imports only protocol/.
 *
 * The guards return the value they were given, not a copy: fields a guard does not know stay on the
 * object, so a trace that is read and written again keeps them.
 */
import type { AnalyzeParams, GenerateParams } from './rpc';
import { TRACE_FORMAT, TRACE_VERSION, type BudgetSettings, type SamplingSettings, type TraceDocument } from './trace';
import { BUDGET_SPEC, SAMPLING_SPEC, TOKEN_SPEC, TRACE_SPEC, type ObjectSpec } from './traceFields';
import { isPlainValidToken } from './tokenGuard';
import { answerText } from './traceText';
import {
  InputError,
  TraceFormatError,
  checkObject,
  describeValue,
  failWith,
  formatJsonPath,
  isRecord,
  unknownKeysDetail,
  type Fail,
} from './validation';
import type { TraceViewOutbound } from './webview';

export { TraceFormatError, InputError, ValidationError, formatJsonPath } from './validation';
export type { JsonPath, ValidationRule } from './validation';
export { answerText, answerPhaseText, generatedText, thinkingText, tokenOffsets, traceSpans } from './traceText';
export type { TraceSpan } from './traceText';

// ---------------------------------------------------------------------------------------------
// Trace documents

/**
 * Checks that `value` is a ThinkScope trace this version can read and returns it typed.
 *
 * Checks the shape of every field (docs/trace.schema.json says the same), then the invariants a
 * schema cannot say: tokens of an injected or forced source have no log-probability; thinking after
 * answer only where a `thinking-reopened` event is; every event's `at` is within the tokens;
 * `thinkingTokens` and `answerTokens` count the tokens of each phase (when `tokenCounts` is absent
 * or "exact"); `answer` is `answerText(trace)`; the maximum thinking budget is not below the
 * minimum. Unknown fields are kept; they must be plain JSON nested no deeper than 100 levels.
 *
 * @param where the file or source, for messages ("trace.json: tokens[12].logprob must be …").
 * @throws TraceFormatError naming the place and the problem.
 */
export function parseTraceDocument(value: unknown, where?: string): TraceDocument {
  const fail: Fail = failWith(TraceFormatError, where, 'the trace');
  if (!isRecord(value)) {
    fail([], `must be a JSON object (a ThinkScope trace), got ${describeValue(value)}`, 'structure');
  }
  checkFormatAndVersion(value, fail);
  checkObject(TRACE_SPEC, value, [], fail, {}, TRACE_FAST_PATHS);
  const trace = value as unknown as TraceDocument;
  checkTraceInvariants(trace, fail);
  return trace;
}

/** Whether `value` is a valid trace document (see parseTraceDocument). */
export function isTraceDocument(value: unknown): value is TraceDocument {
  try {
    parseTraceDocument(value);
    return true;
  } catch (error) {
    if (error instanceof TraceFormatError) return false;
    throw error;
  }
}

const TRACE_FAST_PATHS = new Map([[TOKEN_SPEC, isPlainValidToken]]);

function checkFormatAndVersion(value: Record<string, unknown>, fail: Fail): void {
  const format = value.format;
  if (format === undefined) {
    fail(['format'], `is missing: this is not a ThinkScope trace (it must be ${JSON.stringify(TRACE_FORMAT)})`, 'structure');
  }
  if (format !== TRACE_FORMAT) {
    fail(['format'], `must be ${JSON.stringify(TRACE_FORMAT)}, got ${describeValue(format)}: this is not a ThinkScope trace`, 'structure');
  }
  const version = value.version;
  if (typeof version === 'number' && Number.isSafeInteger(version) && version > TRACE_VERSION) {
    fail(
      ['version'],
      `was written by a newer ThinkScope (format version ${version}); this version reads version ${TRACE_VERSION}. Update ThinkScope to open it`,
      'version',
      'the trace',
    );
  }
  if (version !== TRACE_VERSION) {
    fail(['version'], `must be ${TRACE_VERSION}, got ${describeValue(version)}`, 'version');
  }
}

function checkTraceInvariants(trace: TraceDocument, fail: Fail): void {
  const { tokens, events } = trace;
  const n = tokens.length;
  const reopenedAt = new Set<number>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.at > n) fail(['events', i, 'at'], `must be at most ${n} (the number of tokens), got ${e.at}`, 'invariant');
    if (e.kind === 'thinking-reopened') reopenedAt.add(e.at);
  }
  let thinking = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (t.phase === 'thinking') {
      thinking++;
      if (i > 0 && tokens[i - 1]!.phase === 'answer' && !reopenedAt.has(i)) {
        fail(
          ['tokens', i, 'phase'],
          'is "thinking" after an answer token, but no "thinking-reopened" event is at this index',
          'invariant',
        );
      }
    }
    if (t.source !== 'model' && t.logprob !== null) {
      fail(['tokens', i, 'logprob'], `must be null for a token whose source is "${t.source}", got ${describeValue(t.logprob)}`, 'invariant');
    }
  }
  if (trace.tokenCounts === undefined || trace.tokenCounts === 'exact') {
    if (trace.thinkingTokens !== thinking) {
      fail(['thinkingTokens'], `must be ${thinking} (the tokens whose phase is "thinking"), got ${trace.thinkingTokens}`, 'invariant');
    }
    if (trace.answerTokens !== n - thinking) {
      fail(['answerTokens'], `must be ${n - thinking} (the tokens whose phase is "answer"), got ${trace.answerTokens}`, 'invariant');
    }
  }
  const answer = answerText(trace);
  if (trace.answer !== answer) {
    fail(
      ['answer'],
      `must be the answer-phase text after the last end-of-thinking delimiter, trimmed (${describeValue(answer)}), got ${describeValue(trace.answer)}`,
      'invariant',
    );
  }
  checkBudgetOrder(trace.budget, ['budget'], fail);
}

function checkBudgetOrder(budget: Partial<BudgetSettings>, path: (string | number)[], fail: Fail): void {
  const { minThinkingTokens: min, maxThinkingTokens: max } = budget;
  if (typeof min === 'number' && typeof max === 'number' && max < min) {
    fail(
      [...path, 'maxThinkingTokens'],
      `(${max}) is below ${formatJsonPath([...path, 'minThinkingTokens'])} (${min}): thinking cannot stop before its minimum`,
      'invariant',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// JSON-RPC params

/**
 * Checks budget overrides (every field optional; unknown keys are an error).
 * @param path where the value sits, for messages; `["budget"]` by default.
 * @throws InputError, e.g. "budget.maxThinkingTokens must be a non-negative integer, got -1".
 */
export function parseBudget(value: unknown, where?: string, path: (string | number)[] = ['budget']): Partial<BudgetSettings> {
  const fail: Fail = failWith(InputError, where, 'the budget');
  checkObject(BUDGET_SPEC, value, path.slice(), fail, { partial: true, closed: true });
  const budget = value as Partial<BudgetSettings>;
  checkBudgetOrder(budget, path, fail);
  return budget;
}

/** Checks complete budget settings (every field present, max not below min). */
export function parseBudgetSettings(value: unknown, where?: string, path: (string | number)[] = ['budget']): BudgetSettings {
  const fail: Fail = failWith(InputError, where, 'the budget');
  checkObject(BUDGET_SPEC, value, path.slice(), fail, { closed: true });
  const budget = value as BudgetSettings;
  checkBudgetOrder(budget, path, fail);
  return budget;
}

/**
 * Checks sampling overrides (every field optional; unknown keys are an error): temperature ≥ 0,
 * topK a non-negative integer, topP in (0, 1], minP in [0, 1), seed an integer.
 */
export function parseSampling(value: unknown, where?: string, path: (string | number)[] = ['sampling']): Partial<SamplingSettings> {
  const fail: Fail = failWith(InputError, where, 'the sampling settings');
  checkObject(SAMPLING_SPEC, value, path.slice(), fail, { partial: true, closed: true });
  return value as Partial<SamplingSettings>;
}

/** Checks complete sampling settings. */
export function parseSamplingSettings(value: unknown, where?: string, path: (string | number)[] = ['sampling']): SamplingSettings {
  const fail: Fail = failWith(InputError, where, 'the sampling settings');
  checkObject(SAMPLING_SPEC, value, path.slice(), fail, { closed: true });
  return value as SamplingSettings;
}

/** Longest run id accepted; run ids are echoed in every progress notification. */
export const MAX_RUN_ID_LENGTH = 200;

const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

const GENERATE_PARAMS_SPEC: ObjectSpec = {
  name: 'generateParams',
  description: 'thinkscope/generate params.',
  fields: [
    { key: 'runId', value: { kind: 'string', minLength: 1 }, required: true, description: '' },
    { key: 'question', value: { kind: 'string' }, required: true, description: '' },
    { key: 'groundTruth', value: { kind: 'nullable', of: { kind: 'string' } }, required: false, description: '' },
    { key: 'sampling', value: { kind: 'object', spec: { name: 'sampling', description: '', fields: [] } }, required: false, description: '' },
    { key: 'budget', value: { kind: 'object', spec: { name: 'budget', description: '', fields: [] } }, required: false, description: '' },
    {
      key: 'outPath',
      value: { kind: 'string', pattern: ABSOLUTE_PATH.source, patternLabel: 'an absolute file path' },
      required: false,
      description: '',
    },
  ],
};

/**
 * Checks `thinkscope/generate` params: runId (non-empty, at most 200 characters), question,
 * optional groundTruth, sampling and budget overrides (see parseSampling, parseBudget) and an
 * absolute outPath. Unknown keys are an error.
 * @throws InputError naming the field, e.g. "params: budget.maxThinkingTokens must be …".
 */
export function parseGenerateParams(value: unknown, where = 'thinkscope/generate params'): GenerateParams {
  const fail: Fail = failWith(InputError, where, 'the request');
  if (!isRecord(value)) fail([], `must be an object, got ${describeValue(value)}`, 'structure');
  // The nested overrides are checked below with their own rules; the spec only knows their keys.
  const top = { ...value, sampling: undefined, budget: undefined };
  checkObject(GENERATE_PARAMS_SPEC, top, [], fail, { closed: true });
  const params = value as unknown as GenerateParams;
  if (params.runId.length > MAX_RUN_ID_LENGTH) {
    fail(['runId'], `must be at most ${MAX_RUN_ID_LENGTH} characters, got ${params.runId.length}`, 'limit');
  }
  if (params.outPath !== undefined && params.outPath.includes('\0')) {
    fail(['outPath'], 'must not contain a NUL character', 'structure');
  }
  if (value.sampling !== undefined) parseSampling(value.sampling, where, ['sampling']);
  if (value.budget !== undefined) parseBudget(value.budget, where, ['budget']);
  return params;
}

/** Longest list of reflection cues accepted by `thinkscope/analyze`, and longest cue. */
export const MAX_CUES = 1000;
export const MAX_CUE_LENGTH = 200;

/** Checks `thinkscope/analyze` params: a valid trace and optional non-empty cue strings. */
export function parseAnalyzeParams(value: unknown, where = 'thinkscope/analyze params'): AnalyzeParams {
  const fail: Fail = failWith(InputError, where, 'the request');
  if (!isRecord(value)) fail([], `must be an object, got ${describeValue(value)}`, 'structure');
  const unknown = Object.keys(value).filter((k) => k !== 'trace' && k !== 'cues');
  if (unknown.length > 0) fail([], unknownKeysDetail(unknown, ['trace', 'cues']), 'structure');
  if (value.trace === undefined) fail(['trace'], 'is missing', 'structure');
  parseTraceDocument(value.trace, `${where}, trace`);
  const cues = value.cues;
  if (cues !== undefined) {
    if (!Array.isArray(cues)) fail(['cues'], `must be an array of strings, got ${describeValue(cues)}`, 'structure');
    if (cues.length > MAX_CUES) fail(['cues'], `must have at most ${MAX_CUES} cues, got ${cues.length}`, 'limit');
    cues.forEach((cue: unknown, i) => {
      if (typeof cue !== 'string' || cue.length === 0 || cue.length > MAX_CUE_LENGTH) {
        fail(['cues', i], `must be a non-empty string of at most ${MAX_CUE_LENGTH} characters, got ${describeValue(cue)}`, 'structure');
      }
    });
  }
  return value as unknown as AnalyzeParams;
}

// ---------------------------------------------------------------------------------------------
// Webview messages

/** Longest error text a webview may send (longer ones are refused, not truncated). */
export const MAX_WEBVIEW_TEXT = 64 * 1024;

/**
 * Checks a message from the trace view. Exactly the fields of one variant of TraceViewOutbound,
 * nothing more; `position.token` is a non-negative integer.
 * @throws InputError naming the field.
 */
export function parseTraceViewOutbound(value: unknown, where = 'trace view message'): TraceViewOutbound {
  const fail: Fail = failWith(InputError, where, 'the message');
  if (!isRecord(value)) fail([], `must be an object, got ${describeValue(value)}`, 'structure');
  const only = (...keys: string[]) => {
    const extra = Object.keys(value).filter((k) => !keys.includes(k));
    if (extra.length > 0) fail([], unknownKeysDetail(extra, keys), 'structure');
  };
  switch (value.type) {
    case 'ready':
      only('type');
      break;
    case 'position':
      only('type', 'token');
      if (!Number.isSafeInteger(value.token) || (value.token as number) < 0) {
        fail(['token'], `must be a non-negative integer, got ${describeValue(value.token)}`, 'structure');
      }
      break;
    case 'error':
      only('type', 'message');
      if (typeof value.message !== 'string') fail(['message'], `must be a string, got ${describeValue(value.message)}`, 'structure');
      if (value.message.length > MAX_WEBVIEW_TEXT) {
        fail(['message'], `must be at most ${MAX_WEBVIEW_TEXT} characters, got ${value.message.length}`, 'limit');
      }
      break;
    default:
      fail(['type'], `must be one of "ready", "position", "error", got ${describeValue(value.type)}`, 'structure');
  }
  return value as unknown as TraceViewOutbound;
}

/** Whether `value` is a well-formed message from the trace view (see parseTraceViewOutbound). */
export function isTraceViewOutbound(value: unknown): value is TraceViewOutbound {
  try {
    parseTraceViewOutbound(value);
    return true;
  } catch (error) {
    if (error instanceof InputError) return false;
    throw error;
  }
}
