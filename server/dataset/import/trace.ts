/**
 * ThinkScope trace documents as dataset records, validated by the trace format's own guard (which
 * also refuses a trace written by a newer version of the format instead of misreading it).
 */
import { parseTraceDocument, TraceFormatError } from '../../../protocol/guards';
import { TRACE_FORMAT, type TraceDocument } from '../../../protocol/trace';
import { RowError, type RecordFields, type Row } from './fields';
import type { MappedRow } from './s1k';

/** Whether a value claims to be a ThinkScope trace. */
export function isTraceRow(row: Row): boolean {
  return row.format === TRACE_FORMAT;
}

/**
 * Checks a trace document fully (protocol/guards.ts: every field's shape, the format version, the
 * invariants between fields); throws RowError with the guard's message naming the field.
 */
export function checkTraceShape(value: Row): TraceDocument {
  try {
    return parseTraceDocument(value);
  } catch (err) {
    if (err instanceof TraceFormatError) throw new RowError(err.message);
    throw err;
  }
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
