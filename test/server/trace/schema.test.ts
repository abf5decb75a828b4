/**
 * docs/trace.schema.json against the guard: the file is what server/trace/schema.ts generates, it
 * names the same fields as the guard, and a JSON Schema validator agrees with the guard on the
 * documented example, on random valid traces and on thousands of broken ones (the guard refuses
 * more: the invariants and limits a schema cannot say, which its errors mark as such).
 *
 * To regenerate the file: THINKSCOPE_WRITE_SCHEMA=1 node --import tsx --test test/server/trace/schema.test.ts
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { TraceFormatError, parseTraceDocument } from '../../../protocol/guards';
import { TRACE_EVENT_KINDS, TRACE_OBJECT_SPECS, TRACE_SPEC } from '../../../protocol/traceFields';
import { traceJsonSchema, traceJsonSchemaText } from '../../../server/trace/schema';
import { serializeTrace } from '../../../server/trace/serialize';
import { sampleTrace, syntheticTrace } from '../../protocol/fixtures';
import { applyMutation, arbMutation, arbTrace } from '../../protocol/traceArbitraries';
import { validateWithSchema } from './miniSchema';

const schemaPath = fileURLToPath(new URL('../../../docs/trace.schema.json', import.meta.url));
const docsPath = fileURLToPath(new URL('../../../docs/trace-format.md', import.meta.url));
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const docs = readFileSync(docsPath, 'utf8');
const docsExample = /```json\n([\s\S]*?)```/.exec(docs)![1]!;

/** What the guard says: "valid", or the rule of its error. */
function guardVerdict(value: unknown): string {
  try {
    parseTraceDocument(value);
    return 'valid';
  } catch (error) {
    if (error instanceof TraceFormatError) return error.rule;
    throw error;
  }
}

describe('docs/trace.schema.json', () => {
  test('is what server/trace/schema.ts generates', () => {
    if (process.env.THINKSCOPE_WRITE_SCHEMA === '1') writeFileSync(schemaPath, traceJsonSchemaText());
    assert.equal(readFileSync(schemaPath, 'utf8'), traceJsonSchemaText(), 'regenerate with THINKSCOPE_WRITE_SCHEMA=1 (see this file)');
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  });

  test('names every field the guard knows, with the same required lists', () => {
    const defs = schema.$defs as Record<string, Record<string, unknown>>;
    for (const spec of TRACE_OBJECT_SPECS) {
      const s = spec === TRACE_SPEC ? schema : defs[spec.name]!;
      assert.ok(s, `$defs.${spec.name}`);
      assert.deepEqual(Object.keys(s.properties as object).sort(), spec.fields.map((f) => f.key).sort(), spec.name);
      assert.deepEqual([...(s.required as string[])].sort(), spec.fields.filter((f) => f.required).map((f) => f.key).sort(), spec.name);
    }
    assert.equal(Object.keys(defs).length, TRACE_OBJECT_SPECS.length - 1);
    assert.deepEqual(traceJsonSchema(), schema);
  });

  test('the sample, the documented example and a long synthetic trace are valid for both', () => {
    for (const value of [sampleTrace(), JSON.parse(docsExample), JSON.parse(JSON.stringify(syntheticTrace(2000)))]) {
      assert.equal(validateWithSchema(schema, value), null);
      assert.equal(guardVerdict(value), 'valid');
    }
  });

  test('random valid traces are valid for the schema (property, 1000 runs)', () => {
    fc.assert(
      fc.property(arbTrace, (trace) => {
        assert.equal(validateWithSchema(schema, JSON.parse(JSON.stringify(trace))), null);
      }),
      { numRuns: 1000 },
    );
  });

  test('schema and guard agree on broken traces (property, 3000 runs)', () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(arbTrace, fc.array(arbMutation, { minLength: 1, maxLength: 2 }), (trace, mutations) => {
        let doc: unknown = JSON.parse(JSON.stringify(trace));
        for (const m of mutations) doc = applyMutation(doc, m);
        const verdict = guardVerdict(doc);
        const schemaProblem = validateWithSchema(schema, doc);
        seen.set(verdict, (seen.get(verdict) ?? 0) + 1);
        // The schema refuses exactly what the guard refuses for its shape or version.
        const guardRefusesShape = verdict === 'structure' || verdict === 'version';
        assert.equal(schemaProblem !== null, guardRefusesShape, `guard: ${verdict}, schema: ${schemaProblem}, doc: ${JSON.stringify(doc).slice(0, 400)}`);
      }),
      { numRuns: 3000 },
    );
    for (const verdict of ['valid', 'structure', 'invariant', 'limit']) assert.ok((seen.get(verdict) ?? 0) > 0, `${verdict}: ${[...seen]}`);
  });
});

describe('docs/trace-format.md', () => {
  test('the example is a trace in the layout ThinkScope writes', () => {
    const example = parseTraceDocument(JSON.parse(docsExample));
    assert.equal(serializeTrace(example), docsExample);
  });

  test('documents every field and every event kind', () => {
    for (const spec of TRACE_OBJECT_SPECS) {
      for (const f of spec.fields) assert.ok(docs.includes(`\`${f.key}\``) || docs.includes(`.${f.key}\``), `${spec.name}.${f.key}`);
    }
    for (const kind of TRACE_EVENT_KINDS) assert.ok(docs.includes(`| \`${kind}\` |`), kind);
  });
});
