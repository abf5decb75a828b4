/**
 * The machinery behind the guards in protocol/guards.ts: the error types, JSON paths, descriptions
 * of values for messages, and a checker that validates a value against the field descriptions of
 * protocol/traceFields.ts. Pure: no I/O, imports only protocol/.
 */
import { MAX_TRACE_DEPTH, type ObjectSpec, type ValueSpec } from './traceFields';

/** Where a value sits in a JSON document: keys and array indices from the root. */
export type JsonPath = readonly (string | number)[];

/**
 * Which kind of rule a value broke: its shape (what a JSON Schema can say), the format version,
 * an invariant between fields (a schema cannot say it), or a size limit.
 */
export type ValidationRule = 'structure' | 'version' | 'invariant' | 'limit';

export interface ValidationErrorInit {
  /** The file or source the value came from, e.g. "trace.json" or "trace.json:12:5". */
  where?: string;
  path: JsonPath;
  /** What is wrong, as the rest of a sentence whose subject is the value, e.g. "must be a string, got 3". */
  detail: string;
  rule: ValidationRule;
  /** The sentence's subject; by default the path, or `rootLabel` for the root. */
  subject?: string;
  /** What the root is called when the path is empty, e.g. "the trace". */
  rootLabel?: string;
}

/** A value that does not have the shape or meaning it must have. The message names where and what. */
export class ValidationError extends Error {
  readonly where: string | undefined;
  readonly path: JsonPath;
  readonly detail: string;
  readonly rule: ValidationRule;
  readonly subject: string;

  constructor(init: ValidationErrorInit) {
    const subject = init.subject ?? (init.path.length > 0 ? formatJsonPath(init.path) : (init.rootLabel ?? 'the value'));
    super(`${init.where ? `${init.where}: ` : ''}${subject} ${init.detail}`);
    this.name = 'ValidationError';
    this.where = init.where;
    this.path = init.path;
    this.detail = init.detail;
    this.rule = init.rule;
    this.subject = subject;
  }

  /** The same error, said to come from `where` (e.g. once a reader knows the line and column). */
  relocated(where: string): ValidationError {
    return new (this.constructor as new (init: ValidationErrorInit) => ValidationError)({
      where,
      path: this.path,
      detail: this.detail,
      rule: this.rule,
      subject: this.subject,
    });
  }
}

/** A trace document that is not a valid ThinkScope trace (format version 1). */
export class TraceFormatError extends ValidationError {
  constructor(init: ValidationErrorInit) {
    super({ rootLabel: 'the trace', ...init });
    this.name = 'TraceFormatError';
  }
}

/** A request's params or a webview message that does not have the expected shape. */
export class InputError extends ValidationError {
  constructor(init: ValidationErrorInit) {
    super({ rootLabel: 'the input', ...init });
    this.name = 'InputError';
  }
}

/** Throws the error of one guard; `path` is copied, so callers may keep mutating theirs. */
export type Fail = (path: JsonPath, detail: string, rule: ValidationRule, subject?: string) => never;

/** A `Fail` that throws `ErrorClass` with `where` and `rootLabel`. */
export function failWith(
  ErrorClass: new (init: ValidationErrorInit) => ValidationError,
  where: string | undefined,
  rootLabel: string,
): Fail {
  return (path, detail, rule, subject) => {
    throw new ErrorClass({ where, path: path.slice(), detail, rule, rootLabel, ...(subject ? { subject } : {}) });
  };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `tokens[12].logprob`, `model["odd key"]`. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const MAX_SHOWN_STRING = 40;

/** A short description of a value for an error message: `"abc"`, `-1`, `NaN`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string': {
      if (value.length <= MAX_SHOWN_STRING) return JSON.stringify(value);
      const shown = JSON.stringify(value.slice(0, MAX_SHOWN_STRING));
      return `${shown.slice(0, -1)}…" (${value.length} characters)`;
    }
    case 'number':
      return Number.isNaN(value) ? 'NaN' : String(value);
    case 'boolean':
      return String(value);
    case 'object':
      return Array.isArray(value) ? `an array of ${value.length}` : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** How a spec reads in a message: "a non-negative integer", "a string or null". */
export function describeSpec(spec: ValueSpec): string {
  switch (spec.kind) {
    case 'string':
      if (spec.pattern) return spec.patternLabel ?? `a string matching ${spec.pattern}`;
      return spec.minLength ? 'a non-empty string' : 'a string';
    case 'integer':
      if (spec.minimum === undefined) return 'an integer';
      if (spec.minimum === 0) return 'a non-negative integer';
      if (spec.minimum === 1) return 'a positive integer';
      return `an integer ≥ ${spec.minimum}`;
    case 'number':
      return spec.label ?? 'a number';
    case 'enum':
      return `one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return JSON.stringify(spec.value);
    case 'nullable':
      return `${describeSpec(spec.of)} or null`;
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
  }
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How an object's own fields are treated. */
export interface ObjectCheckOptions {
  /** Every field is optional (a partial update, e.g. request overrides). */
  partial?: boolean;
  /** Keys the spec does not name are an error; otherwise they are kept and checked to be plain JSON. */
  closed?: boolean;
}

interface CompiledSpec {
  keys: ReadonlySet<string>;
  regexps: Map<string, RegExp>;
}

const compiled = new WeakMap<ObjectSpec, CompiledSpec>();

function compile(spec: ObjectSpec): CompiledSpec {
  let c = compiled.get(spec);
  if (!c) {
    const regexps = new Map<string, RegExp>();
    for (const f of spec.fields) collectPatterns(f.value, regexps);
    c = { keys: new Set(spec.fields.map((f) => f.key)), regexps };
    compiled.set(spec, c);
  }
  return c;
}

function collectPatterns(spec: ValueSpec, into: Map<string, RegExp>): void {
  if (spec.kind === 'string' && spec.pattern && !into.has(spec.pattern)) into.set(spec.pattern, new RegExp(spec.pattern));
  else if (spec.kind === 'nullable') collectPatterns(spec.of, into);
  else if (spec.kind === 'array') collectPatterns(spec.items, into);
}

/**
 * Checks values against object specs. Values under keys a spec does not name are collected while
 * the shape is checked and examined afterwards by `checkUnknownValues`, so that a problem of shape
 * is always reported before a problem of an unknown value.
 */
export class SpecChecker {
  private readonly unknownValues: Array<{ path: JsonPath; value: unknown }> = [];

  /**
   * @param fastPaths per object spec, a predicate that says "certainly valid" for the common case
   *   (it must never accept what the spec rejects); anything it does not accept is checked in full.
   */
  constructor(
    private readonly fail: Fail,
    private readonly fastPaths: ReadonlyMap<ObjectSpec, (value: unknown) => boolean> = new Map(),
  ) {}

  /**
   * Checks `value` (found at `path`) against an object spec. `path` is a scratch array: it is
   * extended while descending and restored before returning.
   */
  object(spec: ObjectSpec, value: unknown, path: (string | number)[], options: ObjectCheckOptions = {}): void {
    const fail: Fail = this.fail;
    if (!isRecord(value)) fail(path, `must be an object, got ${describeValue(value)}`, 'structure');
    const c = compile(spec);
    const fields = spec.fields;
    let present = 0;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const v = value[field.key];
      if (v === undefined) {
        if (field.required && !options.partial) {
          path.push(field.key);
          fail(path, `is missing (it must be ${describeSpec(field.value)})`, 'structure');
        }
        continue;
      }
      present++;
      path.push(field.key);
      this.value(field.value, v, path, c);
      path.pop();
    }
    if (Object.keys(value).length !== present) this.otherKeys(spec, value, path, c, options.closed === true);
  }

  /**
   * Checks the values found under unknown keys: plain JSON, finite numbers, nested no deeper than
   * MAX_TRACE_DEPTH levels from the root.
   */
  checkUnknownValues(): void {
    for (const { path, value } of this.unknownValues) checkPlainJson(value, path.slice(), this.fail);
  }

  private value(spec: ValueSpec, v: unknown, path: (string | number)[], c: CompiledSpec): void {
    switch (spec.kind) {
      case 'nullable':
        if (v === null) return;
        if (isScalarSpec(spec.of)) {
          if (scalarOk(spec.of, v, c)) return;
          break;
        }
        // A nullable container reports "an object or null" when the value is neither.
        if (typeof v !== 'object') break;
        this.value(spec.of, v, path, c);
        return;
      case 'array': {
        if (!Array.isArray(v)) break;
        const items = spec.items;
        const fast = items.kind === 'object' ? this.fastPaths.get(items.spec) : undefined;
        for (let i = 0; i < v.length; i++) {
          if (fast !== undefined && fast(v[i])) continue;
          path.push(i);
          if (items.kind === 'object') this.object(items.spec, v[i], path);
          else this.value(items, v[i], path, c);
          path.pop();
        }
        return;
      }
      case 'object':
        this.object(spec.spec, v, path);
        return;
      default:
        if (scalarOk(spec, v, c)) return;
    }
    this.fail(path, `must be ${describeSpec(spec)}, got ${describeValue(v)}`, 'structure');
  }

  private otherKeys(
    spec: ObjectSpec,
    value: Record<string, unknown>,
    path: (string | number)[],
    c: CompiledSpec,
    closed: boolean,
  ): void {
    const unknown = Object.keys(value).filter((k) => !c.keys.has(k) && value[k] !== undefined);
    if (unknown.length === 0) return;
    if (closed) this.fail(path, unknownKeysDetail(unknown, spec.fields.map((f) => f.key)), 'structure');
    for (const key of unknown) this.unknownValues.push({ path: [...path, key], value: value[key] });
  }
}

/**
 * Checks `value` against an object spec: its shape first, then the values under keys the spec does
 * not name (see SpecChecker).
 */
export function checkObject(
  spec: ObjectSpec,
  value: unknown,
  path: (string | number)[],
  fail: Fail,
  options: ObjectCheckOptions = {},
  fastPaths?: ReadonlyMap<ObjectSpec, (value: unknown) => boolean>,
): void {
  const checker = new SpecChecker(fail, fastPaths);
  checker.object(spec, value, path, options);
  checker.checkUnknownValues();
}

/** Whether `v` satisfies a string, number, enum or const spec. */
function scalarOk(spec: ValueSpec, v: unknown, c: CompiledSpec): boolean {
  switch (spec.kind) {
    case 'string':
      return (
        typeof v === 'string' &&
        (spec.minLength === undefined || v.length >= spec.minLength) &&
        (spec.pattern === undefined || c.regexps.get(spec.pattern)!.test(v))
      );
    case 'integer':
      return (
        Number.isSafeInteger(v) &&
        (spec.minimum === undefined || (v as number) >= spec.minimum) &&
        (spec.maximum === undefined || (v as number) <= spec.maximum)
      );
    case 'number':
      return (
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (spec.minimum === undefined || v >= spec.minimum) &&
        (spec.maximum === undefined || v <= spec.maximum) &&
        (spec.exclusiveMinimum === undefined || v > spec.exclusiveMinimum) &&
        (spec.exclusiveMaximum === undefined || v < spec.exclusiveMaximum)
      );
    case 'enum':
      return typeof v === 'string' && spec.values.includes(v);
    case 'const':
      return v === spec.value;
    default:
      return false;
  }
}

function isScalarSpec(spec: ValueSpec): boolean {
  return spec.kind !== 'array' && spec.kind !== 'object' && spec.kind !== 'nullable';
}

/** "has unknown key "maxThinking" (did you mean "maxThinkingTokens"?); known keys: …". */
export function unknownKeysDetail(unknown: readonly string[], known: readonly string[]): string {
  const named = unknown.map((k) => {
    const close = closestKey(k, known);
    return close ? `${JSON.stringify(k)} (did you mean ${JSON.stringify(close)}?)` : JSON.stringify(k);
  });
  return `has unknown key${unknown.length > 1 ? 's' : ''} ${named.join(', ')}; known keys: ${known.join(', ')}`;
}

/** The known key `key` is most likely a misspelling of, if any is close. */
export function closestKey(key: string, known: readonly string[]): string | null {
  const lower = key.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    if (kl === lower || kl.startsWith(lower) || lower.startsWith(kl)) return k;
    const d = editDistance(lower, kl);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 4)) ? best : null;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8 || a.length > 64 || b.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Checks that a value a reader does not interpret (an unknown field) can be written back exactly:
 * plain JSON, finite numbers, nested no deeper than MAX_TRACE_DEPTH levels from the root.
 */
export function checkPlainJson(value: unknown, path: (string | number)[], fail: Fail): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      fail(path, `must be a finite number, got ${describeValue(value)} (a number that large cannot be written back)`, 'limit');
    }
    return;
  }
  if (typeof value !== 'object') fail(path, `is not a JSON value (got ${describeValue(value)})`, 'structure');
  if (path.length >= MAX_TRACE_DEPTH) {
    fail(path, `is nested more than ${MAX_TRACE_DEPTH} levels deep`, 'limit');
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      if (value[i] === undefined) fail(path, 'is not a JSON value (got nothing)', 'structure');
      checkPlainJson(value[i], path, fail);
      path.pop();
    }
    return;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) fail(path, 'is not a plain JSON object', 'structure');
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    path.push(key);
    checkPlainJson(v, path, fail);
    path.pop();
  }
}
