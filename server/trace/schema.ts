/**
 * The JSON Schema (draft 2020-12) of the trace format, built from the same field descriptions as
 * the guard (protocol/traceFields.ts), so the two accept the same shapes. docs/trace.schema.json is
 * this function's output; a test keeps the file in step.
 *
 * The schema says everything about each field's shape. What it cannot say — the invariants between
 * fields and the limits on unknown fields — is in its description and in docs/trace-format.md.
 */
import { TRACE_OBJECT_SPECS, TRACE_SPEC, type ObjectSpec, type ValueSpec } from '../../protocol/traceFields';

/** A JSON Schema as plain JSON. */
export type JsonSchema = { [key: string]: JsonSchemaValue };
type JsonSchemaValue = string | number | boolean | null | JsonSchemaValue[] | { [key: string]: JsonSchemaValue };

export const TRACE_SCHEMA_ID = 'urn:thinkscope:trace-format:1';

const INVARIANTS = [
  'Beyond this schema, a valid trace also satisfies:',
  '(1) tokens whose source is "injected" or "forced" have logprob null;',
  '(2) a token in phase "thinking" right after one in phase "answer" has a "thinking-reopened" event at its index;',
  '(3) every event\'s "at" is at most the number of tokens;',
  '(4) unless tokenCounts is "tokenizer" or "estimated", thinkingTokens and answerTokens count the tokens of each phase;',
  '(5) "answer" is the answer-phase text after the last end-of-thinking delimiter, trimmed;',
  '(6) budget.maxThinkingTokens, when not null, is not below budget.minThinkingTokens;',
  '(7) fields this version does not define may appear anywhere and are kept; their values are plain JSON with finite numbers, nested at most 100 levels from the document.',
  'See docs/trace-format.md.',
].join(' ');

/** The schema of a trace document, format version 1. */
export function traceJsonSchema(): JsonSchema {
  const defs: Record<string, JsonSchemaValue> = {};
  for (const spec of TRACE_OBJECT_SPECS) if (spec !== TRACE_SPEC) defs[spec.name] = objectSchema(spec);
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: TRACE_SCHEMA_ID,
    title: 'ThinkScope trace, format version 1',
    ...objectSchema(TRACE_SPEC),
    $comment: INVARIANTS,
    $defs: defs,
  };
}

/** The schema as the text of docs/trace.schema.json. */
export function traceJsonSchemaText(): string {
  return `${JSON.stringify(traceJsonSchema(), null, 2)}\n`;
}

function objectSchema(spec: ObjectSpec): JsonSchema {
  const properties: Record<string, JsonSchemaValue> = {};
  for (const field of spec.fields) properties[field.key] = { description: field.description, ...valueSchema(field.value) };
  return {
    description: spec.description,
    type: 'object',
    properties,
    required: spec.fields.filter((f) => f.required).map((f) => f.key),
  };
}

function valueSchema(spec: ValueSpec): JsonSchema {
  switch (spec.kind) {
    case 'string':
      return {
        type: 'string',
        ...(spec.minLength !== undefined ? { minLength: spec.minLength } : {}),
        ...(spec.pattern !== undefined ? { pattern: spec.pattern } : {}),
      };
    case 'integer':
      // The guard accepts safe integers only.
      return {
        type: 'integer',
        minimum: spec.minimum ?? -Number.MAX_SAFE_INTEGER,
        maximum: spec.maximum ?? Number.MAX_SAFE_INTEGER,
      };
    case 'number': {
      // The guard accepts finite numbers only (a JSON number such as 1e400 reads as Infinity).
      const schema: JsonSchema = { type: 'number' };
      if (spec.exclusiveMinimum !== undefined) schema.exclusiveMinimum = spec.exclusiveMinimum;
      else schema.minimum = spec.minimum ?? -Number.MAX_VALUE;
      if (spec.exclusiveMaximum !== undefined) schema.exclusiveMaximum = spec.exclusiveMaximum;
      else schema.maximum = spec.maximum ?? Number.MAX_VALUE;
      return schema;
    }
    case 'enum':
      return { type: 'string', enum: [...spec.values] };
    case 'const':
      return { const: spec.value };
    case 'nullable': {
      const inner = valueSchema(spec.of);
      if (typeof inner.type === 'string' && inner.enum === undefined) return { ...inner, type: [inner.type, 'null'] };
      return { anyOf: [inner, { type: 'null' }] };
    }
    case 'array':
      return { type: 'array', items: valueSchema(spec.items) };
    case 'object':
      return { $ref: `#/$defs/${spec.spec.name}` };
  }
}
