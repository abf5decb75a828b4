/**
 * Dataset import: picks the container (Parquet by its magic bytes, JSONL, a JSON document or
 * array), checks the size limits, and reads every row into records. See docs/datasets.md.
 */
import { promises as fs } from 'node:fs';
import type { DatasetContainer, ImportReport } from '../../../protocol/dataset';
import { formatBytes, LimitError, MAX_DOCUMENT_BYTES, MAX_FILE_BYTES } from '../limits';
import { readJsonDocumentInto } from './json';
import { readJsonlInto } from './jsonl';
import { readLineBatches } from './lines';
import { readParquetInto } from './parquet';
import { RecordBuilder, type ImportOptions } from './records';

export { contentId, detectRowFormat, type ImportOptions } from './records';
export { toTraceDocument, estimateTokens, type Tokenizer } from './toTrace';

/** Limits an import applies (tests lower them). */
export interface ImportLimits {
  maxFileBytes?: number;
  maxLineBytes?: number;
  maxDocumentBytes?: number;
  /** How long one Parquet row group may take to decode (default 60 s). */
  parquetGroupTimeoutMs?: number;
}

const PARQUET_MAGIC = Buffer.from('PAR1');

/** Which container a file is: Parquet by magic bytes, else by extension and first line. */
export async function detectContainer(path: string): Promise<DatasetContainer> {
  const head = Buffer.alloc(4);
  const handle = await fs.open(path, 'r');
  let bytes: number;
  try {
    ({ bytesRead: bytes } = await handle.read(head, 0, 4, 0));
  } finally {
    await handle.close();
  }
  if (bytes === 4 && head.equals(PARQUET_MAGIC)) return 'parquet';
  const lower = path.toLowerCase();
  if (lower.endsWith('.parquet')) return 'parquet'; // reading it reports what is wrong
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.trace.json')) return 'json';
  return (await firstLineIsWholeObjectOfMany(path)) ? 'jsonl' : 'json';
}

/** A `.json` file whose first line is a complete object and which has another line is JSONL. */
async function firstLineIsWholeObjectOfMany(path: string): Promise<boolean> {
  let first: string | null = null;
  for await (const batch of readLineBatches(path)) {
    for (const item of batch) {
      if (!('text' in item) || item.text.trim() === '') continue;
      if (first !== null) return true;
      first = item.text;
      try {
        const v: unknown = JSON.parse(first);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
      } catch {
        return false;
      }
    }
  }
  return false;
}

/**
 * Imports a dataset file. Rows that cannot be imported are reported in `errors` with their line
 * or row; everything else is imported. Throws (with the path in the message) only when the file
 * as a whole cannot be read: missing, over a size limit, or not Parquet at all.
 */
export async function importDataset(path: string, options: ImportOptions & { limits?: ImportLimits } = {}): Promise<ImportReport> {
  let size: number;
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) throw new Error(`${path}: not a file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof Error && 'code' in err) throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code}`);
    throw err;
  }
  const maxFile = options.limits?.maxFileBytes ?? MAX_FILE_BYTES;
  if (size > maxFile) {
    throw new LimitError(`${path} is ${formatBytes(size)}: files over ${formatBytes(maxFile)} are refused; split it into smaller files`);
  }
  const container = await detectContainer(path);
  const builder = new RecordBuilder(path, container, options);
  if (container === 'parquet') await readParquetInto(path, builder, { groupTimeoutMs: options.limits?.parquetGroupTimeoutMs });
  else if (container === 'jsonl') await readJsonlInto(path, builder, options.limits?.maxLineBytes);
  else {
    const maxDoc = options.limits?.maxDocumentBytes ?? MAX_DOCUMENT_BYTES;
    if (size > maxDoc) {
      throw new LimitError(`${path} is ${formatBytes(size)}: a single JSON document over ${formatBytes(maxDoc)} is refused; write it as JSONL (one record per line)`);
    }
    await readJsonDocumentInto(path, builder);
  }
  return builder.finish();
}
