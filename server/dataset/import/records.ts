/**
 * Turns decoded rows into records, whatever container they came from: detects each row's format
 * (or checks the one asked for), maps it, gives it a stable unique id, and collects what could
 * not be imported with its line or row number.
 */
import { createHash } from 'node:crypto';
import type {
  Annotation,
  DatasetContainer,
  DatasetFormat,
  DatasetRecord,
  ImportProblem,
  ImportReport,
} from '../../../protocol/dataset';
import { ANNOTATIONS_COLUMN, ID_COLUMN, isExportDerivedColumn, TRACE_COLUMN, type S1k11Model } from '../columns';
import { checkAnnotation } from '../annotations/format';
import { describeType, type Row } from './fields';
import { isR1ChatRow, isR1ThinkRow, mapR1ChatRow, mapR1ThinkRow } from './r1';
import { isS1k11Row, isS1kRow, mapS1k11Row, mapS1kRow, type MappedRow } from './s1k';
import { checkTraceShape, isTraceRow, mapTraceRow } from './trace';

/** What an import can be told. */
export interface ImportOptions {
  /** Expect this format on every row (rows of another shape are errors); default: detect per row. */
  format?: DatasetFormat | 'auto';
  /** s1K-1.1: which model's trajectory and attempt become the record's thinking and attempt. */
  trajectory?: S1k11Model;
  /** Stop collecting problems after this many (the count is still reported); default 1000. */
  maxProblems?: number;
}

const FORMAT_NAMES: Record<DatasetFormat, string> = {
  trace: 'a ThinkScope trace',
  s1k: 's1K (question, thinking_trajectories, attempt…)',
  's1k-1.1': 's1K-1.1 (question, deepseek_/gemini_thinking_trajectory…)',
  'r1-chat': 'a chat (messages or conversations)',
  'r1-think': 'a question with a <think> response (prompt/question/problem + response)',
};

/** The format a row has, or null when it matches none. */
export function detectRowFormat(row: Row): DatasetFormat | null {
  if (isTraceRow(row)) return 'trace';
  if (isS1kRow(row)) return 's1k';
  if (isS1k11Row(row)) return 's1k-1.1';
  if (isR1ChatRow(row)) return 'r1-chat';
  if (isR1ThinkRow(row)) return 'r1-think';
  return null;
}

/** Characters of the thinking's start and end that go into a content id. */
const ID_SAMPLE_CHARS = 4096;

/**
 * A content id: the first 16 hex digits of sha1 over the question, the thinking's length and its
 * first and last 4,096 characters. Sampling keeps ids cheap for long traces (hashing whole
 * trajectories cost as much as parsing them); two different traces of one question alike in
 * length, start and end would share an id, and the importer then tells them apart with "#2".
 */
export function contentId(question: string, thinking: string): string {
  const hash = createHash('sha1').update(question).update(`\0${thinking.length}\0`);
  if (thinking.length <= 2 * ID_SAMPLE_CHARS) hash.update(thinking);
  else hash.update(thinking.slice(0, ID_SAMPLE_CHARS)).update('\0').update(thinking.slice(-ID_SAMPLE_CHARS));
  return hash.digest('hex').slice(0, 16);
}

function explicitId(row: Row): string | null {
  for (const key of [ID_COLUMN, 'id', 'uuid']) {
    const v = row[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return null;
}

function listKeys(row: Row): string {
  const keys = Object.keys(row);
  const shown = keys.slice(0, 12).map((k) => (k.length > 40 ? `${k.slice(0, 40)}…` : k));
  return keys.length === 0 ? 'no keys' : `keys ${shown.join(', ')}${keys.length > 12 ? ` and ${keys.length - 12} more` : ''}`;
}

/** Collects records from rows, in order. */
export class RecordBuilder {
  private readonly records: DatasetRecord[] = [];
  private readonly errors: ImportProblem[] = [];
  private readonly warnings: ImportProblem[] = [];
  private readonly formats: Partial<Record<DatasetFormat, number>> = {};
  private readonly ids = new Map<string, number>();
  private rowsRead = 0;
  private problemCount = 0;
  private readonly maxProblems: number;

  constructor(
    private readonly file: string,
    private readonly container: DatasetContainer,
    private readonly options: ImportOptions = {},
  ) {
    this.maxProblems = options.maxProblems ?? 1000;
  }

  private where(position: number, column?: number): ImportProblem {
    if (this.container === 'jsonl') return column === undefined ? { line: position, message: '' } : { line: position, column, message: '' };
    return { row: position, message: '' };
  }

  /** Records a row (or `rows` rows) that could not even be decoded: counted as read, and as an error. */
  undecodable(position: number, message: string, column?: number, rows = 1): void {
    this.rowsRead += rows;
    this.error(position, message, column);
  }

  /** Records a row that could not be imported. */
  error(position: number, message: string, column?: number): void {
    this.problemCount++;
    if (this.errors.length < this.maxProblems) this.errors.push({ ...this.where(position, column), message });
  }

  /** Records a caveat on a row that was imported. */
  warn(position: number, message: string): void {
    if (this.warnings.length < this.maxProblems) this.warnings.push({ ...this.where(position), message });
  }

  /** Adds one decoded row (a parsed JSON value or a Parquet row object). */
  add(value: unknown, position: number): void {
    this.rowsRead++;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.error(position, `expected an object (one record), found ${describeType(value)}`);
      return;
    }
    const row = value as Row;
    const detected = detectRowFormat(row);
    const wanted = this.options.format && this.options.format !== 'auto' ? this.options.format : null;
    if (detected === null) {
      this.error(position, `not a record ThinkScope knows: expected ${wanted ? FORMAT_NAMES[wanted] : 's1K, s1K-1.1, a <think> response, a chat or a ThinkScope trace'}; found ${listKeys(row)}`);
      return;
    }
    if (wanted && detected !== wanted) {
      this.error(position, `expected ${FORMAT_NAMES[wanted]}, found ${FORMAT_NAMES[detected]}`);
      return;
    }
    const fromExport = typeof row[ID_COLUMN] === 'string';
    const drop = fromExport ? isExportDerivedColumn : undefined;
    let mapped: MappedRow & { id?: string };
    try {
      mapped = this.map(detected, row, drop);
    } catch (err) {
      this.error(position, err instanceof Error ? err.message : String(err));
      return;
    }
    this.formats[detected] = (this.formats[detected] ?? 0) + 1;
    for (const w of mapped.warnings) this.warn(position, w);

    const id = this.uniqueId(mapped.id ?? explicitId(row) ?? contentId(mapped.fields.question, mapped.fields.thinking), position);
    const record: DatasetRecord = {
      id,
      ...mapped.fields,
      origin: { file: this.file, container: this.container, row: position, format: detected },
    };
    if (fromExport) this.attachExported(record, row, position);
    this.records.push(record);
  }

  private map(format: DatasetFormat, row: Row, drop?: (name: string) => boolean): MappedRow & { id?: string } {
    switch (format) {
      case 'trace':
        return mapTraceRow(row);
      case 's1k':
        return mapS1kRow(row, drop);
      case 's1k-1.1':
        return mapS1k11Row(row, this.options.trajectory, drop);
      case 'r1-chat':
        return mapR1ChatRow(row, drop);
      case 'r1-think':
        return mapR1ThinkRow(row, drop);
    }
  }

  private uniqueId(id: string, position: number): string {
    const first = this.ids.get(id);
    if (first === undefined) {
      this.ids.set(id, position);
      return id;
    }
    let n = 2;
    while (this.ids.has(`${id}#${n}`)) n++;
    const renamed = `${id}#${n}`;
    this.ids.set(renamed, position);
    const at = this.container === 'jsonl' ? 'line' : 'row';
    this.warn(position, `id "${id}" already used at ${at} ${first}: this record is "${renamed}"`);
    return renamed;
  }

  /** An export carries annotations and, optionally, the trace: put them back on the record. */
  private attachExported(record: DatasetRecord, row: Row, position: number): void {
    const annotations = row[ANNOTATIONS_COLUMN];
    if (Array.isArray(annotations)) {
      const good: Annotation[] = [];
      annotations.forEach((a, i) => {
        try {
          good.push(checkAnnotation(a));
        } catch (err) {
          this.warn(position, `annotations[${i}] left out: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
      if (good.length > 0) record.annotations = good;
    }
    const trace = row[TRACE_COLUMN];
    if (typeof trace === 'object' && trace !== null && !Array.isArray(trace)) {
      try {
        record.trace = checkTraceShape(trace as Row);
      } catch (err) {
        this.warn(position, `${TRACE_COLUMN} left out: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Total rows seen so far. */
  get count(): number {
    return this.rowsRead;
  }

  /** The report: records in file order, problems, and the format most rows had. */
  finish(): ImportReport {
    let format: DatasetFormat | null = null;
    for (const [f, n] of Object.entries(this.formats) as [DatasetFormat, number][]) {
      if (format === null || n > (this.formats[format] ?? 0)) format = f;
    }
    if (this.problemCount > this.errors.length) {
      this.warnings.push({ message: `${this.problemCount - this.errors.length} more rows could not be imported (only the first ${this.errors.length} are listed)` });
    }
    return {
      file: this.file,
      container: this.container,
      format,
      formats: this.formats,
      records: this.records,
      errors: this.errors,
      warnings: this.warnings,
      rowsRead: this.rowsRead,
    };
  }
}
