/**
 * Writes s1K-format datasets: JSONL (one row per line) or Parquet (hyparquet-writer, snappy),
 * atomically (write-then-rename, fsync). Parquet columns get a type from their values: text,
 * numbers, booleans, or JSON for lists, objects and mixed columns (hyparquet-writer does not
 * write Parquet LIST columns, so s1K's thinking_trajectories is a JSON column; hyparquet reads
 * it back as a list).
 */
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import type { Annotation, AnnotationSchema, DatasetRecord, JsonValue } from '../../../protocol/dataset';
import { writeFileAtomic } from '../../util/atomicFile';
import { DEFAULT_SCHEMA } from '../annotations/schema';
import { latestByTrace, qualityRule } from './consensus';
import { filterRecords, type ExportFilter } from './filter';
import { toS1kRows, type RowOptions } from './rows';

export type ExportFormat = 'jsonl' | 'parquet';

export interface ExportOptions {
  /** Default: from the file extension (.parquet → parquet, otherwise jsonl). */
  format?: ExportFormat;
  /** Annotations to judge and to write (merged with those the records carry; latest wins). */
  annotations?: readonly Annotation[];
  schema?: AnnotationSchema;
  /** Which records to keep; 'all' keeps every record. Default: accepted by ≥1, rejected by none. */
  filter?: ExportFilter | 'all';
  trainingText?: RowOptions['trainingText'];
  includeTraces?: boolean;
}

export interface ExportResult {
  path: string;
  format: ExportFormat;
  written: number;
  /** Left out: accepted by too few annotators. */
  tooFewAccepts: number;
  /** Left out: rejected by an annotator. */
  rejected: number;
}

/** Serialises rows as JSONL bytes (one JSON object per line). */
export function rowsToJsonl(rows: readonly Record<string, JsonValue>[]): Buffer {
  return Buffer.concat(rows.map((r) => Buffer.from(`${JSON.stringify(r)}\n`, 'utf8')));
}

type ParquetType = 'STRING' | 'DOUBLE' | 'BOOLEAN' | 'JSON';

function columnType(values: readonly JsonValue[]): ParquetType {
  let type: ParquetType | null = null;
  for (const v of values) {
    if (v === null) continue;
    const t: ParquetType = typeof v === 'string' ? 'STRING' : typeof v === 'number' ? 'DOUBLE' : typeof v === 'boolean' ? 'BOOLEAN' : 'JSON';
    if (type === null) type = t;
    else if (type !== t) return 'JSON';
  }
  return type ?? 'STRING';
}

/** Serialises rows as a Parquet file (columns in first-seen order; a row without a column has null). */
export function rowsToParquet(rows: readonly Record<string, JsonValue>[]): Uint8Array {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      names.push(k);
    }
  }
  const columnData: ColumnSource[] = names.map((name) => {
    const data = rows.map((r) => (name in r ? r[name]! : null));
    return { name, data, type: columnType(data), nullable: true };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

/** Filters, converts and writes records; see ExportOptions for the defaults. */
export async function exportDataset(path: string, records: readonly DatasetRecord[], options: ExportOptions = {}): Promise<ExportResult> {
  const format = options.format ?? (path.toLowerCase().endsWith('.parquet') ? 'parquet' : 'jsonl');
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const byTrace = latestByTrace(records.flatMap((r) => r.annotations ?? []), options.annotations ?? []);
  const outcome =
    options.filter === 'all'
      ? { kept: [...records], tooFewAccepts: 0, rejected: 0 }
      : filterRecords(records, byTrace, qualityRule(schema), options.filter);
  const rows = toS1kRows(outcome.kept, byTrace, { schema, trainingText: options.trainingText, includeTraces: options.includeTraces });
  await writeFileAtomic(path, format === 'parquet' ? rowsToParquet(rows) : rowsToJsonl(rows));
  return { path, format, written: rows.length, tooFewAccepts: outcome.tooFewAccepts, rejected: outcome.rejected };
}
