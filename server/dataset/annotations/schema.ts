/**
 * The annotation schema: `.thinkscope/schema.json` in the workspace, or the default that follows
 * s1K's curation criteria (quality with reasons, correctness, difficulty, domain; step labels for
 * correct steps, errors, redundant steps and self-corrections). Validation names every problem
 * with its JSON path. The JSON Schema of the file is server/dataset/schema.schema.json.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Annotation, AnnotationSchema, LabelOption, StepLabel, TraceQuestion } from '../../../protocol/dataset';
import { parseJson } from '../json';

/** Where a workspace keeps its schema. */
export function schemaPath(workspaceDir: string): string {
  return join(workspaceDir, '.thinkscope', 'schema.json');
}

/** The default schema, after s1K's quality, difficulty and diversity criteria. */
export const DEFAULT_SCHEMA: AnnotationSchema = {
  version: 1,
  guidelines: [
    '# Labelling reasoning traces',
    '',
    'Judge the trace as training data for a reasoning model (s1K-style: quality, difficulty, diversity).',
    '',
    '- **Accept**: the reasoning is sound and readable and the final answer is right.',
    '- **Flawed**: usable with reservations; pick the reasons.',
    '- **Reject**: must not be trained on; pick the reasons (API error, broken formatting, a figure the text',
    '  refers to but does not contain, inconsistent numbering, wrong answer…).',
    '',
    'Step labels mark individual steps: a correct step, an error, a redundant step (overthinking: it',
    'repeats or re-verifies without adding anything) and a self-correction (the trace notices and fixes a',
    'mistake).',
  ].join('\n'),
  questions: [
    {
      kind: 'label',
      id: 'quality',
      title: 'Quality',
      required: true,
      options: [
        { value: 'accept', label: 'Accept', key: '1' },
        { value: 'flawed', label: 'Flawed', key: '2' },
        { value: 'reject', label: 'Reject', key: '3' },
      ],
    },
    {
      kind: 'label',
      id: 'reasons',
      title: 'Reasons',
      multiple: true,
      showWhen: { question: 'quality', values: ['flawed', 'reject'] },
      options: [
        { value: 'api-error', label: 'API error or cut-off output' },
        { value: 'formatting', label: 'Broken formatting' },
        { value: 'missing-figure', label: 'Refers to a figure or image that is not there' },
        { value: 'inconsistent-numbering', label: 'Inconsistent numbering' },
        { value: 'wrong-answer', label: 'Wrong final answer' },
        { value: 'flawed-reasoning', label: 'Reasoning errors' },
        { value: 'overthinking', label: 'Overthinking: long redundant stretches' },
        { value: 'other', label: 'Other (say in the note)' },
      ],
    },
    {
      kind: 'label',
      id: 'correctness',
      title: 'Final answer',
      options: [
        { value: 'correct', label: 'Correct', key: 'y' },
        { value: 'incorrect', label: 'Incorrect', key: 'n' },
        { value: 'unsure', label: 'Cannot tell', key: 'u' },
      ],
    },
    { kind: 'rating', id: 'difficulty', title: 'Difficulty', min: 1, max: 5, captions: { '1': 'routine', '3': 'competition', '5': 'olympiad / research' } },
    { kind: 'text', id: 'domain', title: 'Domain', suggestions: ['algebra', 'geometry', 'number theory', 'combinatorics', 'probability', 'calculus', 'physics', 'chemistry', 'biology', 'computer science', 'logic puzzle', 'crossword'] },
  ],
  stepLabels: [
    { id: 'correct', label: 'Correct step', key: 'c' },
    { id: 'error', label: 'Error', key: 'e' },
    { id: 'redundant', label: 'Redundant (overthinking)', key: 'r' },
    { id: 'self-correction', label: 'Self-correction', key: 's' },
  ],
  quality: { question: 'quality', accept: ['accept'], reject: ['reject'] },
};

/** A problem with a schema file, at a JSON path such as `questions[2].options[0].value`. */
export interface SchemaProblem {
  path: string;
  message: string;
}

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed value against the schema format; returns the schema or every problem found. */
export function validateSchema(value: unknown): { schema: AnnotationSchema; problems: [] } | { schema: null; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const bad = (path: string, message: string): void => void problems.push({ path, message });
  if (!isObj(value)) return { schema: null, problems: [{ path: '(root)', message: 'expected an object' }] };
  const known = new Set(['$schema', 'version', 'guidelines', 'questions', 'stepLabels', 'quality']);
  for (const k of Object.keys(value)) if (!known.has(k)) bad(JSON.stringify(k), 'unknown property');
  if (value.version !== 1) bad('version', 'must be 1');
  if (value.guidelines !== undefined && typeof value.guidelines !== 'string') bad('guidelines', 'expected markdown text');
  const questionIds = new Map<string, TraceQuestion['kind']>();
  const labelOptions = new Map<string, Set<string>>();
  if (!Array.isArray(value.questions)) bad('questions', 'expected a list');
  else {
    value.questions.forEach((q, i) => checkQuestion(q, `questions[${i}]`, bad, questionIds, labelOptions));
    value.questions.forEach((q, i) => {
      if (!isObj(q) || !isObj(q.showWhen)) return;
      const target = q.showWhen.question;
      if (typeof target !== 'string' || questionIds.get(target) !== 'label') bad(`questions[${i}].showWhen.question`, `"${String(target)}" is not a label question of this schema`);
      else if (!Array.isArray(q.showWhen.values) || q.showWhen.values.some((v) => !labelOptions.get(target)!.has(v as string))) {
        bad(`questions[${i}].showWhen.values`, `expected a list of "${target}" option values`);
      }
    });
  }
  if (!Array.isArray(value.stepLabels)) bad('stepLabels', 'expected a list (it may be empty)');
  else {
    const ids = new Set<string>();
    const keys = new Set<string>();
    value.stepLabels.forEach((s, i) => {
      const p = `stepLabels[${i}]`;
      if (!isObj(s)) return bad(p, 'expected an object');
      checkOption(s, p, 'id', ids, keys, bad);
    });
  }
  if (value.quality !== undefined) {
    const q = value.quality;
    if (!isObj(q)) bad('quality', 'expected an object');
    else if (typeof q.question !== 'string' || questionIds.get(q.question) !== 'label') bad('quality.question', 'expected the id of a label question');
    else {
      for (const side of ['accept', 'reject'] as const) {
        const list = q[side];
        if (!Array.isArray(list) || list.some((v) => !labelOptions.get(q.question as string)!.has(v as string))) {
          bad(`quality.${side}`, `expected a list of "${q.question}" option values`);
        }
      }
    }
  }
  if (problems.length > 0) return { schema: null, problems };
  return { schema: value as unknown as AnnotationSchema, problems: [] };
}

function checkOption(o: Obj, p: string, idField: 'id' | 'value', ids: Set<string>, keys: Set<string>, bad: (path: string, message: string) => void): void {
  const id = o[idField];
  if (typeof id !== 'string' || id.trim() === '' || id.length > 200) bad(`${p}.${idField}`, 'expected a non-empty string (at most 200 characters)');
  else if (ids.has(id)) bad(`${p}.${idField}`, `"${id}" is used twice`);
  else ids.add(id);
  for (const f of ['label', 'description'] as const) if (o[f] !== undefined && typeof o[f] !== 'string') bad(`${p}.${f}`, 'expected text');
  if (o.key !== undefined) {
    if (typeof o.key !== 'string' || [...o.key].length !== 1) bad(`${p}.key`, 'expected a single character');
    else if (keys.has(o.key)) bad(`${p}.key`, `key "${o.key}" is used twice`);
    else keys.add(o.key);
  }
}

function checkQuestion(
  q: unknown,
  p: string,
  bad: (path: string, message: string) => void,
  ids: Map<string, TraceQuestion['kind']>,
  labelOptions: Map<string, Set<string>>,
): void {
  if (!isObj(q)) return bad(p, 'expected an object');
  if (typeof q.id !== 'string' || !ID.test(q.id)) bad(`${p}.id`, 'expected an id: a letter, then letters, digits, _ or - (at most 64)');
  else if (ids.has(q.id)) bad(`${p}.id`, `"${q.id}" is used twice`);
  if (typeof q.title !== 'string' || q.title.trim() === '') bad(`${p}.title`, 'expected a non-empty string');
  if (q.description !== undefined && typeof q.description !== 'string') bad(`${p}.description`, 'expected text');
  if (q.required !== undefined && typeof q.required !== 'boolean') bad(`${p}.required`, 'expected true or false');
  if (q.showWhen !== undefined && !isObj(q.showWhen)) bad(`${p}.showWhen`, 'expected { "question": …, "values": […] }');
  const id = typeof q.id === 'string' ? q.id : '';
  switch (q.kind) {
    case 'label': {
      ids.set(id, 'label');
      if (q.multiple !== undefined && typeof q.multiple !== 'boolean') bad(`${p}.multiple`, 'expected true or false');
      if (!Array.isArray(q.options) || q.options.length === 0) return bad(`${p}.options`, 'expected a non-empty list');
      const values = new Set<string>();
      const keys = new Set<string>();
      q.options.forEach((o, j) => {
        if (!isObj(o)) return bad(`${p}.options[${j}]`, 'expected an object');
        checkOption(o, `${p}.options[${j}]`, 'value', values, keys, bad);
      });
      labelOptions.set(id, values);
      return;
    }
    case 'rating':
      ids.set(id, 'rating');
      if (!Number.isInteger(q.min)) bad(`${p}.min`, 'expected an integer');
      if (!Number.isInteger(q.max)) bad(`${p}.max`, 'expected an integer');
      else if (Number.isInteger(q.min) && (q.max as number) <= (q.min as number)) bad(`${p}.max`, 'must be greater than min');
      else if (Number.isInteger(q.min) && (q.max as number) - (q.min as number) > 100) bad(`${p}.max`, 'at most 100 steps from min');
      if (q.captions !== undefined && (!isObj(q.captions) || Object.values(q.captions).some((c) => typeof c !== 'string'))) bad(`${p}.captions`, 'expected an object of text');
      return;
    case 'text':
      ids.set(id, 'text');
      if (q.suggestions !== undefined && (!Array.isArray(q.suggestions) || q.suggestions.some((s) => typeof s !== 'string'))) bad(`${p}.suggestions`, 'expected a list of text');
      return;
    default:
      return bad(`${p}.kind`, 'expected "label", "rating" or "text"');
  }
}

/** The outcome of loading a workspace's schema. */
export type SchemaLoad =
  | { ok: true; schema: AnnotationSchema; source: 'file' | 'default'; path: string }
  | { ok: false; path: string; problems: SchemaProblem[]; message: string };

/** Loads `.thinkscope/schema.json` from a workspace, or the default when there is none. */
export async function loadAnnotationSchema(workspaceDir: string): Promise<SchemaLoad> {
  return loadSchemaFile(schemaPath(workspaceDir));
}

/** Loads a schema file; a missing file gives the default schema. */
export async function loadSchemaFile(path: string): Promise<SchemaLoad> {
  let text: string;
  try {
    const stat = await fs.stat(path);
    if (stat.size > 1024 * 1024) {
      const problems = [{ path: '(file)', message: `${stat.size} bytes: a schema file is at most 1 MiB` }];
      return { ok: false, path, problems, message: `${path}: ${problems[0]!.message}` };
    }
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, schema: DEFAULT_SCHEMA, source: 'default', path };
    throw err;
  }
  const parsed = parseJson(text.replace(/^\uFEFF/, ''), { multiline: true });
  if (!parsed.ok) {
    const where = parsed.line === undefined ? '' : `:${parsed.line}:${parsed.column}`;
    return { ok: false, path, problems: [{ path: '(file)', message: parsed.message }], message: `${path}${where}: ${parsed.message}` };
  }
  const result = validateSchema(parsed.value);
  if (result.schema === null) {
    const list = result.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
    return { ok: false, path, problems: result.problems, message: `${path} is not a valid annotation schema:\n${list}` };
  }
  return { ok: true, schema: result.schema, source: 'file', path };
}

/** What in an annotation does not fit the schema (unknown questions or labels, values out of range). */
export function checkAnnotationAgainstSchema(annotation: Annotation, schema: AnnotationSchema): string[] {
  const problems: string[] = [];
  const questions = new Map(schema.questions.map((q) => [q.id, q]));
  for (const [id, value] of Object.entries(annotation.labels)) {
    const q = questions.get(id);
    if (!q) {
      problems.push(`labels.${id}: no such question in the schema`);
      continue;
    }
    if (q.kind === 'label') {
      const allowed = new Set(q.options.map((o: LabelOption) => o.value));
      const values = Array.isArray(value) ? value : [value];
      if (q.multiple ? !Array.isArray(value) : typeof value !== 'string') problems.push(`labels.${id}: expected ${q.multiple ? 'a list of options' : 'one option'}`);
      for (const v of values) if (typeof v !== 'string' || !allowed.has(v)) problems.push(`labels.${id}: "${String(v)}" is not an option`);
    } else if (q.kind === 'rating') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < q.min || value > q.max) problems.push(`labels.${id}: expected an integer from ${q.min} to ${q.max}`);
    } else if (typeof value !== 'string') problems.push(`labels.${id}: expected text`);
  }
  const stepIds = new Set(schema.stepLabels.map((s: StepLabel) => s.id));
  for (const s of annotation.steps) for (const l of s.labels) if (!stepIds.has(l)) problems.push(`steps[${s.step}]: "${l}" is not a step label`);
  return problems;
}
