/**
 * ThinkScope trace documents as dataset records. The shape check here is deliberately minimal:
 * it makes sure the fields a record is built from are there and of the right type, and refuses a
 * trace written by a newer version of the format instead of misreading it.
 */
import { TRACE_FORMAT, TRACE_VERSION, type TraceDocument } from '../../../protocol/trace';
import { describeType, RowError, type RecordFields, type Row } from './fields';
import type { MappedRow } from './s1k';

/** Whether a value claims to be a ThinkScope trace. */
export function isTraceRow(row: Row): boolean {
  return row.format === TRACE_FORMAT;
}

/** Checks the fields a record needs; throws RowError naming the first field that is wrong. */
export function checkTraceShape(value: Row): TraceDocument {
  if (value.format !== TRACE_FORMAT) throw new RowError(`not a ThinkScope trace: "format" is not "${TRACE_FORMAT}"`);
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new RowError(`trace "version": expected a positive integer, found ${describeType(version)}`);
  }
  if (version > TRACE_VERSION) {
    throw new RowError(`trace format version ${version} is newer than this ThinkScope reads (${TRACE_VERSION}): update ThinkScope`);
  }
  for (const field of ['id', 'question', 'answer'] as const) {
    if (typeof value[field] !== 'string') throw new RowError(`trace "${field}": expected text, found ${describeType(value[field])}`);
  }
  if ((value.id as string).trim() === '') throw new RowError('trace "id" is empty');
  if (value.groundTruth !== undefined && value.groundTruth !== null && typeof value.groundTruth !== 'string') {
    throw new RowError(`trace "groundTruth": expected text or null, found ${describeType(value.groundTruth)}`);
  }
  if (!Array.isArray(value.tokens)) throw new RowError(`trace "tokens": expected a list, found ${describeType(value.tokens)}`);
  value.tokens.forEach((t: unknown, i: number) => {
    if (typeof t !== 'object' || t === null) throw new RowError(`trace "tokens[${i}]": expected an object, found ${describeType(t)}`);
    const token = t as Record<string, unknown>;
    if (typeof token.text !== 'string') throw new RowError(`trace "tokens[${i}].text": expected text, found ${describeType(token.text)}`);
    if (token.phase !== 'thinking' && token.phase !== 'answer') throw new RowError(`trace "tokens[${i}].phase": expected "thinking" or "answer"`);
  });
  return value as unknown as TraceDocument;
}

/** The thinking text of a trace: its thinking-phase tokens joined. */
export function traceThinking(trace: TraceDocument): string {
  let text = '';
  for (const token of trace.tokens) if (token.phase === 'thinking') text += token.text;
  return text;
}

/** Maps a trace document to record fields; the record keeps the trace. */
export function mapTraceRow(row: Row): MappedRow & { id: string } {
  const trace = checkTraceShape(row);
  const fields: RecordFields = {
    question: trace.question,
    solution: trace.groundTruth ?? null,
    thinking: traceThinking(trace),
    attempt: trace.answer === '' ? null : trace.answer,
    domain: null,
    cotType: null,
    sourceType: null,
    metadata: null,
    metadataRaw: null,
    columns: {},
    trace,
  };
  return { fields, warnings: [], id: trace.id };
}
