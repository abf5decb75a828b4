/**
 * Datasets and annotation: import (s1K, s1K-1.1, R1-style, ThinkScope traces; JSONL, JSON,
 * Parquet), the annotation store and schema, agreement, export and "select like s1".
 * See docs/datasets.md.
 */
export { importDataset, detectContainer, detectRowFormat, contentId, toTraceDocument, estimateTokens } from './import/index';
export type { ImportOptions, ImportLimits, Tokenizer } from './import/index';
export { AnnotationStore, AnnotationFileCorruptError, annotationsPath } from './annotations/store';
export type { AnnotationFileProblem, AnnotationStoreOptions } from './annotations/store';
export { checkAnnotation } from './annotations/format';
export {
  DEFAULT_SCHEMA,
  schemaPath,
  loadAnnotationSchema,
  loadSchemaFile,
  validateSchema,
  checkAnnotationAgainstSchema,
} from './annotations/schema';
export type { SchemaLoad, SchemaProblem } from './annotations/schema';
export { defaultAnnotator } from './annotations/identity';
export { annotationProgress, queueRecords } from './annotations/queue';
export { computeAgreement, cohenKappa, fleissKappa } from './agreement';
export { exportDataset, rowsToJsonl, rowsToParquet } from './export/write';
export type { ExportOptions, ExportResult, ExportFormat } from './export/write';
export type { ExportFilter } from './export/filter';
export { s1TrainingText, QWEN_DEFAULT_SYSTEM } from './export/trainingText';
export { selectLikeS1 } from './export/select';
export type { SelectOptions, Selection } from './export/select';
export { LimitError, MAX_FILE_BYTES, MAX_LINE_BYTES, MAX_JSON_DEPTH } from './limits';
