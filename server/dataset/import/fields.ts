/**
 * The pieces every row mapper shares: reading typed fields out of a row with messages that name
 * the column, parsing s1K's metadata, deriving the domain, and keeping the unmapped columns.
 */
import type { DatasetRecord, JsonValue } from '../../../protocol/dataset';
import { DOMAIN_COLUMN } from '../columns';
import { isJsonObject, toJsonValue } from '../json';
import { parsePythonLiteral } from '../pythonLiteral';

/** A record before it gets its id and origin. */
export type RecordFields = Omit<DatasetRecord, 'id' | 'origin'>;

/** A source row: column name → decoded value. */
export type Row = Record<string, unknown>;

/** Raised by the readers below; the importer turns it into a row error. */
export class RowError extends Error {
  override name = 'RowError';
}

/** Describes a value's type for messages: "a number", "null", "a list". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** A string column; numbers become their decimal text; null/absent gives null. */
export function optionalText(row: Row, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  throw new RowError(`column "${column}": expected text, found ${describeType(value)}`);
}

/** A string column that must be present and non-empty. */
export function requiredText(row: Row, column: string): string {
  const value = optionalText(row, column);
  if (value === null || value.trim() === '') throw new RowError(`column "${column}" is missing or empty`);
  return value;
}

/** s1K's metadata: a Python dict literal as a string (or JSON, or already an object). */
export function readMetadata(value: unknown): { metadata: JsonValue | null; metadataRaw: string | null; warning?: string } {
  if (value === null || value === undefined) return { metadata: null, metadataRaw: null };
  if (typeof value !== 'string') return { metadata: toJsonValue(value), metadataRaw: null };
  const trimmed = value.trim();
  if (trimmed === '') return { metadata: null, metadataRaw: value };
  // Python's repr uses single quotes: try it first then (no exception thrown for the usual case).
  const pythonFirst = trimmed.includes("'") || !(trimmed.startsWith('{') || trimmed.startsWith('['));
  let parsed = pythonFirst ? parsePythonLiteral(trimmed) : undefined;
  if (parsed === undefined && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
    try {
      parsed = JSON.parse(trimmed) as JsonValue;
    } catch {
      parsed = pythonFirst ? undefined : parsePythonLiteral(trimmed);
    }
  }
  if (parsed === undefined) {
    return { metadata: null, metadataRaw: value, warning: 'metadata kept as text: it is neither a Python literal nor JSON' };
  }
  return { metadata: parsed, metadataRaw: value };
}

const METADATA_DOMAIN_KEYS = ['domain', 'subject'];

/** The domain: a `domain` column, else metadata.domain / metadata.subject, else cot_type. */
export function deriveDomain(row: Row, metadata: JsonValue | null, cotType: string | null): string | null {
  const column = row[DOMAIN_COLUMN];
  if (typeof column === 'string' && column.trim() !== '') return column;
  if (isJsonObject(metadata)) {
    for (const key of METADATA_DOMAIN_KEYS) {
      const v = metadata[key];
      if (typeof v === 'string' && v.trim() !== '') return v;
    }
  }
  return cotType;
}

/**
 * The columns a mapper did not consume, as JSON values, null values left out (a Parquet file has
 * every column on every row, JSONL only those present: leaving nulls out makes both read alike).
 */
export function unmappedColumns(row: Row, mapped: ReadonlySet<string>, drop?: (name: string) => boolean): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(row)) {
    if (mapped.has(name) || value === null || value === undefined) continue;
    if (drop?.(name)) continue;
    out[name] = toJsonValue(value);
  }
  return out;
}

/** Splits a response at the end-of-thinking tag: `<think>A</think>B` → A, B. */
export function splitThinkTags(response: string): { thinking: string; answer: string | null; closed: boolean; opened: boolean } {
  const open = response.indexOf('<think>');
  const close = response.indexOf('</think>', open === -1 ? 0 : open);
  const opened = open !== -1;
  const start = opened ? open + '<think>'.length : 0;
  if (close === -1) return { thinking: trimOneNewline(response.slice(start)), answer: null, closed: false, opened };
  return {
    thinking: trimOneNewline(response.slice(start, close)),
    answer: response.slice(close + '</think>'.length).trim(),
    closed: true,
    opened,
  };
}

/** Drops one newline just inside the tags ("<think>\n…\n</think>"), as chat templates write them. */
function trimOneNewline(text: string): string {
  let out = text;
  if (out.startsWith('\n')) out = out.slice(1);
  if (out.endsWith('\n')) out = out.slice(0, -1);
  return out;
}
