import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkAnnotationAgainstSchema,
  DEFAULT_SCHEMA,
  loadAnnotationSchema,
  schemaPath,
  validateSchema,
} from '../../../../server/dataset/annotations/schema';
import { tempDir } from '../fixtures/rows';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir('thinkscope-schema-')));
after(() => cleanup());

describe('annotation schema', () => {
  test('the default follows s1K: quality with reasons, correctness, difficulty, domain, step labels', () => {
    assert.deepEqual(validateSchema(DEFAULT_SCHEMA).problems, []);
    assert.deepEqual(DEFAULT_SCHEMA.questions.map((q) => q.id), ['quality', 'reasons', 'correctness', 'difficulty', 'domain']);
    const quality = DEFAULT_SCHEMA.questions[0]!;
    assert.equal(quality.kind, 'label');
    if (quality.kind === 'label') assert.deepEqual(quality.options.map((o) => o.value), ['accept', 'flawed', 'reject']);
    assert.deepEqual(DEFAULT_SCHEMA.stepLabels.map((s) => s.id), ['correct', 'error', 'redundant', 'self-correction']);
    assert.deepEqual(DEFAULT_SCHEMA.quality, { question: 'quality', accept: ['accept'], reject: ['reject'] });
  });

  test('a workspace without a schema file gets the default', async () => {
    const load = await loadAnnotationSchema(join(dir, 'empty'));
    assert.equal(load.ok, true);
    if (load.ok) {
      assert.equal(load.source, 'default');
      assert.equal(load.schema, DEFAULT_SCHEMA);
    }
  });

  test('loads a valid schema file', async () => {
    const ws = join(dir, 'ws1');
    await mkdir(join(ws, '.thinkscope'), { recursive: true });
    const schema = {
      $schema: '../server/dataset/schema.schema.json',
      version: 1,
      questions: [{ kind: 'rating', id: 'clarity', title: 'Clarity', min: 1, max: 3 }],
      stepLabels: [{ id: 'loop', key: 'l' }],
    };
    await writeFile(schemaPath(ws), JSON.stringify(schema));
    const load = await loadAnnotationSchema(ws);
    assert.equal(load.ok, true);
    if (load.ok) {
      assert.equal(load.source, 'file');
      assert.deepEqual(load.schema.stepLabels, [{ id: 'loop', key: 'l' }]);
    }
  });

  test('lists every problem with its path', () => {
    const result = validateSchema({
      version: 2,
      extra: true,
      questions: [
        { kind: 'label', id: '1bad', title: '', options: [] },
        { kind: 'rating', id: 'r', title: 'R', min: 5, max: 1 },
        { kind: 'label', id: 'q', title: 'Q', options: [{ value: 'a', key: '1' }, { value: 'a', key: '1' }] },
        { kind: 'label', id: 'q', title: 'Dup', options: [{ value: 'x' }], showWhen: { question: 'r', values: ['x'] } },
        { kind: 'slider', id: 's', title: 'S' },
      ],
      stepLabels: [{ id: 'e', key: 'ee' }],
      quality: { question: 'r', accept: ['a'], reject: [] },
    });
    assert.equal(result.schema, null);
    assert.deepEqual(result.problems, [
      { path: '"extra"', message: 'unknown property' },
      { path: 'version', message: 'must be 1' },
      { path: 'questions[0].id', message: 'expected an id: a letter, then letters, digits, _ or - (at most 64)' },
      { path: 'questions[0].title', message: 'expected a non-empty string' },
      { path: 'questions[0].options', message: 'expected a non-empty list' },
      { path: 'questions[1].max', message: 'must be greater than min' },
      { path: 'questions[2].options[1].value', message: '"a" is used twice' },
      { path: 'questions[2].options[1].key', message: 'key "1" is used twice' },
      { path: 'questions[3].id', message: '"q" is used twice' },
      { path: 'questions[4].kind', message: 'expected "label", "rating" or "text"' },
      { path: 'questions[3].showWhen.question', message: '"r" is not a label question of this schema' },
      { path: 'stepLabels[0].key', message: 'expected a single character' },
      { path: 'quality.question', message: 'expected the id of a label question' },
    ]);
  });

  test('a broken schema file is reported with its path, line and column, and not replaced by the default', async () => {
    const ws = join(dir, 'ws2');
    await mkdir(join(ws, '.thinkscope'), { recursive: true });
    await writeFile(schemaPath(ws), '{\n  "version": 1,\n  "questions": [,]\n}');
    const load = await loadAnnotationSchema(ws);
    assert.equal(load.ok, false);
    if (!load.ok) assert.match(load.message, /schema\.json:3:17: invalid JSON/);
    await writeFile(schemaPath(ws), JSON.stringify({ version: 1, questions: 'no', stepLabels: [] }));
    const invalid = await loadAnnotationSchema(ws);
    assert.equal(invalid.ok, false);
    if (!invalid.ok) assert.match(invalid.message, /is not a valid annotation schema:\n {2}questions: expected a list/);
  });

  test('checks annotations against the schema', () => {
    assert.deepEqual(
      checkAnnotationAgainstSchema(
        {
          traceId: 't',
          annotator: 'a',
          at: '2025-01-01T00:00:00Z',
          labels: { quality: 'maybe', reasons: 'formatting', difficulty: 9, domain: 'algebra', mood: 'x' },
          steps: [{ step: 2, labels: ['error', 'typo'] }],
        },
        DEFAULT_SCHEMA,
      ),
      [
        'labels.quality: "maybe" is not an option',
        'labels.reasons: expected a list of options',
        'labels.difficulty: expected an integer from 1 to 5',
        'labels.mood: no such question in the schema',
        'steps[2]: "typo" is not a step label',
      ],
    );
  });

  test('the JSON Schema for the file accepts the default schema', async () => {
    const jsonSchema = JSON.parse(await readFile(new URL('../../../../server/dataset/schema.schema.json', import.meta.url), 'utf8')) as {
      required: string[];
      properties: Record<string, unknown>;
    };
    for (const key of jsonSchema.required) assert.ok(key in DEFAULT_SCHEMA, key);
    for (const key of Object.keys(DEFAULT_SCHEMA)) assert.ok(key in jsonSchema.properties, key);
  });
});
