/** Column names of the s1K family and of the columns a ThinkScope export adds. */

/** s1K's columns, in the order Hugging Face publishes them. */
export const S1K_COLUMNS = [
  'solution',
  'question',
  'cot_type',
  'source_type',
  'metadata',
  'cot',
  'thinking_trajectories',
  'attempt',
] as const;

/** The reasoning models of s1K-1.1; each has `<model>_thinking_trajectory`, `<model>_attempt`, often `<model>_grade`. */
export const S1K11_MODELS = ['deepseek', 'gemini'] as const;
export type S1k11Model = (typeof S1K11_MODELS)[number];

/** The record id in an export (read back on import so annotations stay attached). */
export const ID_COLUMN = 'thinkscope_id';
/** The full annotations of a record, as a JSON list of Annotation. */
export const ANNOTATIONS_COLUMN = 'annotations';
/** Prefix of the per-question consensus columns (`annotation_quality`, …). */
export const ANNOTATION_PREFIX = 'annotation_';
/** How many annotators labelled the record. */
export const ANNOTATOR_COUNT_COLUMN = 'annotation_count';
/** The trace document of a record imported from a trace (export option). */
export const TRACE_COLUMN = 'thinkscope_trace';
/** s1's training text (export option). */
export const TEXT_COLUMN = 'text';
/** The record's domain. */
export const DOMAIN_COLUMN = 'domain';

/** Columns an export adds: dropped on import of a file that has `thinkscope_id` (they are derived). */
export function isExportDerivedColumn(name: string): boolean {
  return name === ID_COLUMN || name === ANNOTATIONS_COLUMN || name === TRACE_COLUMN || name === TEXT_COLUMN || name.startsWith(ANNOTATION_PREFIX);
}
