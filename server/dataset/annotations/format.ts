/**
 * One annotation as stored: the line format of `.thinkscope/annotations.jsonl`, with validation
 * that names the offending field, and a canonical serialisation (fixed key order, sorted steps) so
 * that the same annotation is always the same line.
 */
import type { Annotation, AnnotationValue, StepAnnotation } from '../../../protocol/dataset';

/** Longest annotator name, trace id, label key or label value accepted. */
const MAX_NAME = 1_000;
/** Longest free text (a text question's answer, a note). */
const MAX_TEXT = 100_000;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_NAME;
}

function checkValue(value: unknown, where: string): AnnotationValue {
  if (typeof value === 'string') {
    if (value.length > MAX_TEXT) throw new Error(`${where}: text longer than ${MAX_TEXT} characters`);
    return value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${where}: not a finite number`);
    return value;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (!isName(v)) throw new Error(`${where}[${i}]: expected a non-empty label, found ${describe(v)}`);
    });
    return value as string[];
  }
  throw new Error(`${where}: expected text, a number or a list of labels, found ${describe(value)}`);
}

function checkStep(value: unknown, i: number): StepAnnotation {
  const where = `steps[${i}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected an object, found ${describe(value)}`);
  const s = value as Record<string, unknown>;
  if (typeof s.step !== 'number' || !Number.isInteger(s.step) || s.step < 0) throw new Error(`${where}.step: expected a step index (0 or more)`);
  if (!Array.isArray(s.labels)) throw new Error(`${where}.labels: expected a list, found ${describe(s.labels)}`);
  s.labels.forEach((l, j) => {
    if (!isName(l)) throw new Error(`${where}.labels[${j}]: expected a non-empty label, found ${describe(l)}`);
  });
  const step: StepAnnotation = { step: s.step, labels: s.labels as string[] };
  if (s.note !== undefined) {
    if (typeof s.note !== 'string' || s.note.length > MAX_TEXT) throw new Error(`${where}.note: expected text`);
    step.note = s.note;
  }
  return step;
}

/** Checks a parsed value is an Annotation; throws an Error naming the first wrong field. */
export function checkAnnotation(value: unknown): Annotation {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`expected an annotation object, found ${describe(value)}`);
  const a = value as Record<string, unknown>;
  if (!isName(a.traceId)) throw new Error('traceId: expected a non-empty string');
  if (!isName(a.annotator)) throw new Error('annotator: expected a non-empty string');
  if (typeof a.at !== 'string' || Number.isNaN(Date.parse(a.at))) throw new Error('at: expected an ISO 8601 date');
  if (typeof a.labels !== 'object' || a.labels === null || Array.isArray(a.labels)) throw new Error(`labels: expected an object, found ${describe(a.labels)}`);
  const labels: Record<string, AnnotationValue> = {};
  for (const [k, v] of Object.entries(a.labels as Record<string, unknown>)) {
    if (!isName(k)) throw new Error('labels: a key is empty or too long');
    labels[k] = checkValue(v, `labels.${k}`);
  }
  if (!Array.isArray(a.steps)) throw new Error(`steps: expected a list, found ${describe(a.steps)}`);
  const steps = a.steps.map((s, i) => checkStep(s, i));
  const out: Annotation = { traceId: a.traceId, annotator: a.annotator, at: a.at, labels, steps };
  if (a.note !== undefined) {
    if (typeof a.note !== 'string' || a.note.length > MAX_TEXT) throw new Error('note: expected text');
    out.note = a.note;
  }
  return out;
}

/** The annotation with keys in a fixed order, labels sorted by key and steps by index. */
export function canonicalAnnotation(a: Annotation): Annotation {
  const labels: Record<string, AnnotationValue> = {};
  for (const key of Object.keys(a.labels).sort()) labels[key] = a.labels[key]!;
  const steps = [...a.steps]
    .sort((x, y) => x.step - y.step)
    .map((s) => (s.note === undefined ? { step: s.step, labels: s.labels } : { step: s.step, labels: s.labels, note: s.note }));
  const out: Annotation = { traceId: a.traceId, annotator: a.annotator, at: a.at, labels, steps };
  if (a.note !== undefined) out.note = a.note;
  return out;
}

/** One line of the annotation file (with its "\n"). */
export function annotationLine(a: Annotation): string {
  return `${JSON.stringify(canonicalAnnotation(a))}\n`;
}

/** Whether revision `b` supersedes revision `a` of the same (trace, annotator): later `at` wins; equal times, the later line. */
export function supersedes(b: Annotation, a: Annotation): boolean {
  return Date.parse(b.at) >= Date.parse(a.at);
}
