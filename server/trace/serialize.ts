/**
 * Trace documents as text, in a stable layout that diffs well:
 *
 * - keys in a fixed order (the order of protocol/traceFields.ts), then any keys this version does
 *   not know, in the order they came; in the document those go before `events` and `tokens`;
 * - the header pretty-printed (two-space indent), then one event per line and one token per line,
 *   each compact;
 * - in JSONL, the whole trace compact on one line.
 *
 * Writing the same trace twice gives the same bytes, and reading what was written gives back an
 * equal trace, unknown fields included.
 */
import type { TraceDocument } from '../../protocol/trace';
import { EVENT_SPEC, TOKEN_SPEC, TRACE_SPEC, type ObjectSpec, type ValueSpec } from '../../protocol/traceFields';

type Json = Record<string, unknown>;

/** Document fields written last, each item on a line of its own. */
const LIST_FIELDS = new Set(['events', 'tokens']);
/** Tokens are handed out in batches of this many lines. */
const TOKENS_PER_CHUNK = 4096;

const quotedKeys = new Map<string, string>();
const quote = (key: string): string => {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    quotedKeys.set(key, q);
  }
  return q;
};

const knownKeys = new WeakMap<ObjectSpec, ReadonlySet<string>>();
function keysOf(spec: ObjectSpec): ReadonlySet<string> {
  let keys = knownKeys.get(spec);
  if (!keys) {
    keys = new Set(spec.fields.map((f) => f.key));
    knownKeys.set(spec, keys);
  }
  return keys;
}

/** Keys of `obj` the spec does not name, in their order (undefined values are absent). */
function otherKeys(obj: Json, spec: ObjectSpec, present: number): string[] {
  if (Object.keys(obj).length === present) return [];
  const known = keysOf(spec);
  return Object.keys(obj).filter((k) => !known.has(k) && obj[k] !== undefined);
}

/** One object on one line: `{"id":5,"text":"Hi",…}`. */
export function compactObject(obj: Json, spec: ObjectSpec): string {
  let out = '{';
  let present = 0;
  for (const field of spec.fields) {
    const v = obj[field.key];
    if (v === undefined) continue;
    out += `${present === 0 ? '' : ','}${quote(field.key)}:${compactValue(v, field.value)}`;
    present++;
  }
  let n = present;
  for (const key of otherKeys(obj, spec, present)) {
    out += `${n === 0 ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(obj[key])}`;
    n++;
  }
  return `${out}}`;
}

function compactValue(v: unknown, spec: ValueSpec): string {
  switch (spec.kind) {
    case 'object':
      return compactObject(v as Json, spec.spec);
    case 'nullable':
      return v === null ? 'null' : compactValue(v, spec.of);
    case 'array': {
      const items = v as unknown[];
      if (items.length === 0) return '[]';
      let out = '[';
      for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + compactValue(items[i], spec.items);
      return `${out}]`;
    }
    default:
      return JSON.stringify(v);
  }
}

/**
 * A token as compact JSON. The common case — exactly the version-1 fields, alternatives likewise —
 * is written with direct property reads (a long trace is almost all tokens); anything else goes
 * through compactObject. Both give the same text for the same token.
 */
export function tokenLine(token: Json): string {
  const top = token.top as Json[];
  if (Object.keys(token).length !== TOKEN_SPEC.fields.length || !Array.isArray(top)) return compactObject(token, TOKEN_SPEC);
  let alternatives = '';
  for (let i = 0; i < top.length; i++) {
    const a = top[i]!;
    if (Object.keys(a).length !== 3) return compactObject(token, TOKEN_SPEC);
    alternatives += `${i === 0 ? '' : ','}{"id":${a.id as number},"text":${JSON.stringify(a.text)},"logprob":${a.logprob as number}}`;
  }
  return `{"id":${token.id as number},"text":${JSON.stringify(token.text)},"source":"${token.source as string}","phase":"${
    token.phase as string
  }","logprob":${token.logprob as number | null},"entropy":${token.entropy as number | null},"top":[${alternatives}]}`;
}

/** One object over several lines, keys in spec order; `indent` is the indentation of its braces. */
function prettyObject(obj: Json, spec: ObjectSpec, indent: string): string {
  const inner = `${indent}  `;
  const entries: string[] = [];
  let present = 0;
  for (const field of spec.fields) {
    const v = obj[field.key];
    if (v === undefined) continue;
    present++;
    entries.push(`${inner}${quote(field.key)}: ${prettyValue(v, field.value, inner)}`);
  }
  for (const key of otherKeys(obj, spec, present)) entries.push(`${inner}${JSON.stringify(key)}: ${prettyJson(obj[key], inner)}`);
  return entries.length === 0 ? '{}' : `{\n${entries.join(',\n')}\n${indent}}`;
}

function prettyValue(v: unknown, spec: ValueSpec, indent: string): string {
  if (spec.kind === 'object') return prettyObject(v as Json, spec.spec, indent);
  if (spec.kind === 'nullable' && v !== null) return prettyValue(v, spec.of, indent);
  return prettyJson(v, indent);
}

function prettyJson(v: unknown, indent: string): string {
  return JSON.stringify(v, null, 2).replace(/\n/g, `\n${indent}`);
}

/**
 * The `.trace.json` text in pieces (the header, then batches of token lines), so that a very long
 * trace never has to be one string. Joined, they are `serializeTrace(trace)`.
 */
export function* serializeTraceChunks(trace: TraceDocument): Generator<string> {
  const doc = trace as unknown as Json;
  const lines: string[] = [];
  let present = 0;
  for (const field of TRACE_SPEC.fields) {
    if (LIST_FIELDS.has(field.key)) continue;
    const v = doc[field.key];
    if (v === undefined) continue;
    present++;
    lines.push(`  ${quote(field.key)}: ${prettyValue(v, field.value, '  ')}`);
  }
  for (const field of TRACE_SPEC.fields) if (LIST_FIELDS.has(field.key) && doc[field.key] !== undefined) present++;
  for (const key of otherKeys(doc, TRACE_SPEC, present)) lines.push(`  ${JSON.stringify(key)}: ${prettyJson(doc[key], '  ')}`);

  const events = trace.events as unknown as Json[];
  if (events.length === 0) lines.push('  "events": []');
  else lines.push(`  "events": [\n${events.map((e) => `    ${compactObject(e, EVENT_SPEC)}`).join(',\n')}\n  ]`);

  const tokens = trace.tokens as unknown as Json[];
  if (tokens.length === 0) {
    yield `{\n${lines.join(',\n')},\n  "tokens": []\n}\n`;
    return;
  }
  yield `{\n${lines.join(',\n')},\n  "tokens": [\n`;
  for (let start = 0; start < tokens.length; start += TOKENS_PER_CHUNK) {
    const end = Math.min(start + TOKENS_PER_CHUNK, tokens.length);
    const parts: string[] = [];
    for (let i = start; i < end; i++) {
      parts.push('    ', tokenLine(tokens[i]!), i === tokens.length - 1 ? '\n' : ',\n');
    }
    yield parts.join('');
  }
  yield '  ]\n}\n';
}

/** The `.trace.json` text of a trace (see the module comment for the layout). */
export function serializeTrace(trace: TraceDocument): string {
  let out = '';
  for (const chunk of serializeTraceChunks(trace)) out += chunk;
  return out;
}

/** The trace as one compact JSONL line, without the newline. */
export function serializeTraceLine(trace: TraceDocument): string {
  const doc = trace as unknown as Json;
  let out = '{';
  let n = 0;
  let present = 0;
  const put = (key: string, text: string) => {
    out += `${n === 0 ? '' : ','}${key}:${text}`;
    n++;
  };
  for (const field of TRACE_SPEC.fields) {
    if (!LIST_FIELDS.has(field.key) && doc[field.key] !== undefined) {
      put(quote(field.key), compactValue(doc[field.key], field.value));
      present++;
    }
  }
  for (const field of TRACE_SPEC.fields) if (LIST_FIELDS.has(field.key) && doc[field.key] !== undefined) present++;
  for (const key of otherKeys(doc, TRACE_SPEC, present)) put(JSON.stringify(key), JSON.stringify(doc[key]));
  for (const field of TRACE_SPEC.fields) {
    if (LIST_FIELDS.has(field.key) && doc[field.key] !== undefined) put(quote(field.key), compactValue(doc[field.key], field.value));
  }
  return `${out}}`;
}
