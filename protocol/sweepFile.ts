/**
 * Reading sweep files (`*.sweep.json`, protocol/sweep.ts): a guard that checks a parsed document
 * deeply and says what is wrong and where. Pure: imports only protocol/.
 *
 * Fields a version does not define are kept (the guard returns the value it was given), so a
 * reader that rewrites a sweep keeps them.
 */
import { parseBudgetSettings, parseSamplingSettings, parseTraceDocument } from './guards';
import { SWEEP_FORMAT, SWEEP_VERSION, type SweepDocument } from './sweep';
import type { ObjectSpec, ValueSpec } from './traceFields';
import { ValidationError, checkObject, describeValue, failWith, isRecord, type Fail, type ValidationErrorInit } from './validation';

/** A sweep document that is not a valid ThinkScope sweep (format version 1). */
export class SweepFormatError extends ValidationError {
  constructor(init: ValidationErrorInit) {
    super({ rootLabel: 'the sweep', ...init });
    this.name = 'SweepFormatError';
  }
}

const count: ValueSpec = { kind: 'integer', minimum: 0 };
const nullableCount: ValueSpec = { kind: 'nullable', of: count };
const nullableString: ValueSpec = { kind: 'nullable', of: { kind: 'string' } };
const anyObject: ValueSpec = { kind: 'object', spec: { name: 'object', description: '', fields: [] } };

const field = (key: string, value: ValueSpec, required = true) => ({ key, value, required, description: '' });

const KEY_SPEC: ObjectSpec = {
  name: 'sweepCellKey',
  description: 'Which combination a cell is.',
  fields: [field('maxThinkingTokens', nullableCount), field('ignoreEnd', nullableCount), field('extendWith', { kind: 'string' })],
};

const CELL_SPEC: ObjectSpec = {
  name: 'sweepCell',
  description: 'One combination of the sweep and its result.',
  fields: [
    field('key', { kind: 'object', spec: KEY_SPEC }),
    field('status', { kind: 'enum', values: ['pending', 'done', 'cancelled', 'failed'] }),
    field('traceId', nullableString),
    field('thinkingTokens', nullableCount),
    field('answerTokens', nullableCount),
    field('finalAnswer', nullableString),
    field('error', { kind: 'string' }, false),
  ],
};

const SETTINGS_SPEC: ObjectSpec = {
  name: 'sweepSettings',
  description: "The sweep's settings.",
  fields: [
    field('question', { kind: 'string' }),
    field('groundTruth', nullableString),
    field('budgets', { kind: 'array', items: nullableCount }),
    field('waitCounts', { kind: 'array', items: nullableCount }),
    field('extendWith', { kind: 'array', items: { kind: 'string' } }),
    field('base', anyObject),
    field('sampling', anyObject),
    field('mode', { kind: 'enum', values: ['shared', 'naive'] }),
  ],
};

const TIMING_SPEC: ObjectSpec = {
  name: 'sweepTiming',
  description: 'How long the sweep took and what it evaluated.',
  fields: [
    field('startedAt', { kind: 'string' }),
    field('durationMs', { kind: 'number', minimum: 0 }),
    field('evaluatedTokens', count),
  ],
};

const SWEEP_SPEC: ObjectSpec = {
  name: 'sweep',
  description: 'A ThinkScope sweep file.',
  fields: [
    field('format', { kind: 'const', value: SWEEP_FORMAT }),
    field('version', { kind: 'const', value: SWEEP_VERSION }),
    field('id', { kind: 'string', minLength: 1 }),
    field('createdAt', { kind: 'string' }),
    field('settings', { kind: 'object', spec: SETTINGS_SPEC }),
    field('cells', { kind: 'array', items: { kind: 'object', spec: CELL_SPEC } }),
    field('traces', { kind: 'array', items: anyObject }),
    field('timing', { kind: 'object', spec: TIMING_SPEC }, false),
    field('status', { kind: 'enum', values: ['running', 'done', 'cancelled', 'failed'] }),
  ],
};

/**
 * Checks that `value` is a ThinkScope sweep this version can read and returns it typed: the shape
 * of every field, each trace (see parseTraceDocument), the base budget and sampling settings, and
 * the links between them: trace ids are unique, every cell's `traceId` names a trace of the sweep,
 * a done cell has a trace, and every cell's key is made of the settings' lists.
 *
 * @param where the file or source, for messages ("a.sweep.json: cells[2].traceId …").
 * @throws SweepFormatError, or the TraceFormatError / InputError of a trace or setting, naming the place.
 */
export function parseSweepDocument(value: unknown, where?: string): SweepDocument {
  const fail: Fail = failWith(SweepFormatError, where, 'the sweep');
  if (!isRecord(value)) fail([], `must be a JSON object (a ThinkScope sweep), got ${describeValue(value)}`, 'structure');
  if (value.format !== SWEEP_FORMAT) {
    fail(['format'], `must be ${JSON.stringify(SWEEP_FORMAT)}, got ${describeValue(value.format)}: this is not a ThinkScope sweep`, 'structure');
  }
  const version = value.version;
  if (typeof version === 'number' && Number.isSafeInteger(version) && version > SWEEP_VERSION) {
    fail(
      ['version'],
      `was written by a newer ThinkScope (sweep format version ${version}); this version reads version ${SWEEP_VERSION}. Update ThinkScope to open it`,
      'version',
      'the sweep',
    );
  }
  checkObject(SWEEP_SPEC, value, [], fail);
  const sweep = value as unknown as SweepDocument;
  // The field specs have no boolean kind: a cell's `correct` (boolean or null) is checked here.
  sweep.cells.forEach((cell, i) => {
    const correct: unknown = cell.correct;
    if (correct !== null && typeof correct !== 'boolean') {
      fail(['cells', i, 'correct'], `must be true, false or null, got ${describeValue(correct)}`, 'structure');
    }
  });
  const prefix = where ? `${where}: ` : '';
  parseBudgetSettings(sweep.settings.base, `${prefix}settings`, ['base']);
  parseSamplingSettings(sweep.settings.sampling, `${prefix}settings`, ['sampling']);
  const ids = new Set<string>();
  sweep.traces.forEach((trace, i) => {
    parseTraceDocument(trace, `${prefix}traces[${i}]`);
    if (ids.has(trace.id)) fail(['traces', i, 'id'], `repeats the id ${describeValue(trace.id)} of an earlier trace`, 'invariant');
    ids.add(trace.id);
  });
  const { budgets, waitCounts, extendWith } = sweep.settings;
  sweep.cells.forEach((cell, i) => {
    if (cell.traceId !== null && !ids.has(cell.traceId)) {
      fail(['cells', i, 'traceId'], `names no trace of this sweep (${describeValue(cell.traceId)})`, 'invariant');
    }
    if (cell.status === 'done' && cell.traceId === null) fail(['cells', i, 'traceId'], 'is null, but the cell is done', 'invariant');
    if (!budgets.includes(cell.key.maxThinkingTokens)) {
      fail(['cells', i, 'key', 'maxThinkingTokens'], `(${describeValue(cell.key.maxThinkingTokens)}) is not one of settings.budgets`, 'invariant');
    }
    if (!waitCounts.includes(cell.key.ignoreEnd)) {
      fail(['cells', i, 'key', 'ignoreEnd'], `(${describeValue(cell.key.ignoreEnd)}) is not one of settings.waitCounts`, 'invariant');
    }
    if (!extendWith.includes(cell.key.extendWith)) {
      fail(['cells', i, 'key', 'extendWith'], `(${describeValue(cell.key.extendWith)}) is not one of settings.extendWith`, 'invariant');
    }
  });
  return sweep;
}

/** Whether `value` is a valid sweep document (see parseSweepDocument). */
export function isSweepDocument(value: unknown): value is SweepDocument {
  try {
    parseSweepDocument(value);
    return true;
  } catch (error) {
    if (error instanceof ValidationError) return false;
    throw error;
  }
}
