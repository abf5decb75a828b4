/**
 * A record as an s1K-format row: s1K's columns from the record's fields, the record's other
 * source columns unchanged, then the columns ThinkScope adds (id, domain, annotations, optionally
 * the trace and s1's training text). Importing the row gives the record back.
 */
import type { Annotation, AnnotationSchema, DatasetRecord, JsonValue } from '../../../protocol/dataset';
import {
  ANNOTATION_PREFIX,
  ANNOTATIONS_COLUMN,
  ANNOTATOR_COUNT_COLUMN,
  DOMAIN_COLUMN,
  ID_COLUMN,
  S1K_COLUMNS,
  TEXT_COLUMN,
  TRACE_COLUMN,
} from '../columns';
import { consensus } from './consensus';
import { s1TrainingText } from './trainingText';

export interface RowOptions {
  schema: AnnotationSchema;
  /** Add s1's training text as a `text` column; a string sets the system prompt. */
  trainingText?: boolean | { systemPrompt: string };
  /** Add the trace document of records imported from traces (large). */
  includeTraces?: boolean;
}

/** Names an export writes itself; a source column with one of these names is written as `source_<name>`. */
function reservedNames(schema: AnnotationSchema): Set<string> {
  return new Set<string>([
    ...S1K_COLUMNS.filter((c) => c !== 'cot'),
    DOMAIN_COLUMN,
    ID_COLUMN,
    ANNOTATIONS_COLUMN,
    ANNOTATOR_COUNT_COLUMN,
    TRACE_COLUMN,
    TEXT_COLUMN,
    ...schema.questions.map((q) => `${ANNOTATION_PREFIX}${q.id}`),
  ]);
}

/** Builds the rows of an export, in record order. */
export function toS1kRows(records: readonly DatasetRecord[], annotationsByTrace: ReadonlyMap<string, readonly Annotation[]>, options: RowOptions): Record<string, JsonValue>[] {
  const reserved = reservedNames(options.schema);
  return records.map((r) => toS1kRow(r, annotationsByTrace.get(r.id) ?? [], options, reserved));
}

function toS1kRow(record: DatasetRecord, annotations: readonly Annotation[], options: RowOptions, reserved: Set<string>): Record<string, JsonValue> {
  const row: Record<string, JsonValue> = {
    solution: record.solution,
    question: record.question,
    cot_type: record.cotType,
    source_type: record.sourceType,
    metadata: record.metadataRaw ?? record.metadata,
    cot: record.columns.cot ?? null,
    thinking_trajectories: [record.thinking],
    attempt: record.attempt,
  };
  for (const [name, value] of Object.entries(record.columns)) {
    if (name === 'cot') continue;
    let out = name;
    while (reserved.has(out) || out in row) out = `source_${out}`;
    row[out] = value;
  }
  row[DOMAIN_COLUMN] = record.domain;
  row[ID_COLUMN] = record.id;
  row[ANNOTATOR_COUNT_COLUMN] = annotations.length;
  for (const q of options.schema.questions) row[`${ANNOTATION_PREFIX}${q.id}`] = consensus(q, annotations);
  row[ANNOTATIONS_COLUMN] = annotations.map((a) => annotationJson(a));
  if (options.includeTraces && record.trace) row[TRACE_COLUMN] = record.trace as unknown as JsonValue;
  if (options.trainingText) {
    const system = typeof options.trainingText === 'object' ? options.trainingText.systemPrompt : undefined;
    row[TEXT_COLUMN] = s1TrainingText(record, system);
  }
  return row;
}

function annotationJson(a: Annotation): JsonValue {
  return JSON.parse(JSON.stringify(a)) as JsonValue;
}
