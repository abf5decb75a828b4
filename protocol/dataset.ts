/**
 * Datasets and annotation: the records an import produces, the annotation schema and the
 * annotations themselves, agreement between annotators, and the messages of the annotation view.
 * Documented in docs/datasets.md.
 */
import type { TraceAnalysis } from './analysis';
import type { TraceDocument } from './trace';

/** Any value JSON can hold. Source columns and parsed metadata are kept as this. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The shape of a source row, detected per row. */
export type DatasetFormat =
  /** s1K: question, solution, cot_type, source_type, metadata, cot, thinking_trajectories, attempt. */
  | 's1k'
  /** s1K-1.1: s1K's columns with gemini_/deepseek_ thinking trajectories and attempts (and *_grade). */
  | 's1k-1.1'
  /** A prompt/question/problem with a response that holds `<think>…</think>` (or `reasoning_content`). */
  | 'r1-think'
  /** Chat `messages` (or ShareGPT `conversations`); the assistant turn carries the reasoning. */
  | 'r1-chat'
  /** A ThinkScope trace document. */
  | 'trace';

/** How the rows are stored in the file. */
export type DatasetContainer = 'jsonl' | 'json' | 'parquet';

/** Where a record came from: `row` is the 1-based line for JSONL, the 1-based row otherwise. */
export interface RecordOrigin {
  file: string;
  container: DatasetContainer;
  row: number;
  format: DatasetFormat;
}

/**
 * One question with one reasoning trace, normalised from any supported source. The s1K columns
 * map onto the named fields; every other source column is kept, unchanged, in `columns`, so an
 * export writes it back.
 */
export interface DatasetRecord {
  /** Stable id: annotations are keyed by it. From `thinkscope_id`, else `id`/`uuid`, else a hash of question and thinking. */
  id: string;
  question: string;
  /** The reference solution or ground truth (s1K `solution`); null when the source has none. */
  solution: string | null;
  /** The reasoning text (s1K's thinking_trajectories joined with "\n"; s1K-1.1: one model's trajectory). */
  thinking: string;
  /** The answer after thinking (s1K `attempt`); null when the source has none. */
  attempt: string | null;
  /** Subject area, from a `domain` column, the metadata, or cot_type; null when unknown. */
  domain: string | null;
  /** s1K `cot_type` (e.g. "math", "science", "crossword"). */
  cotType: string | null;
  /** s1K `source_type`: the dataset the question came from. */
  sourceType: string | null;
  /** s1K `metadata` parsed (a Python dict literal or JSON); null when absent or unparsable. */
  metadata: JsonValue | null;
  /** The metadata exactly as stored when it was a string; null otherwise. */
  metadataRaw: string | null;
  /** Source columns not mapped to a field above (null values left out), e.g. s1K-1.1's gemini_* and *_grade. */
  columns: Record<string, JsonValue>;
  origin: RecordOrigin;
  /** The full trace, when the record was imported from a ThinkScope trace. */
  trace?: TraceDocument;
  /** Annotations carried in the file (an export with an `annotations` column). */
  annotations?: Annotation[];
}

/** A row or line that could not be imported (or imported with a caveat). */
export interface ImportProblem {
  /** 1-based line (JSONL, JSON documents). */
  line?: number;
  /** 1-based column within the line (JSON documents). */
  column?: number;
  /** 1-based row (Parquet, JSON arrays). */
  row?: number;
  message: string;
}

export interface ImportReport {
  file: string;
  container: DatasetContainer;
  /** The format most rows had; null when no row was recognised. */
  format: DatasetFormat | null;
  /** Rows per detected format. */
  formats: Partial<Record<DatasetFormat, number>>;
  records: DatasetRecord[];
  /** Rows or lines that were skipped, with why. */
  errors: ImportProblem[];
  /** Rows imported with a caveat (duplicate id renamed, metadata left unparsed, torn last line). */
  warnings: ImportProblem[];
  /** Rows or lines seen, blank lines excluded: each became a record or an error. */
  rowsRead: number;
}

// ---------------------------------------------------------------------------------------------
// Annotation schema

/** One choice of a label question. */
export interface LabelOption {
  value: string;
  /** Display text; defaults to the value. */
  label?: string;
  /** Keyboard shortcut (a single character, e.g. "1"). */
  key?: string;
  description?: string;
}

interface QuestionBase {
  /** Key in `Annotation.labels`. Letters, digits, `_` and `-`. */
  id: string;
  title: string;
  description?: string;
  /** An annotation is complete only when it answers every required question. */
  required?: boolean;
  /** Ask only when another label question has one of these values. */
  showWhen?: { question: string; values: string[] };
}

/** Pick one option (or several with `multiple`). The value is a string (string[] when multiple). */
export interface LabelQuestion extends QuestionBase {
  kind: 'label';
  options: LabelOption[];
  multiple?: boolean;
}

/** An integer between min and max inclusive. */
export interface RatingQuestion extends QuestionBase {
  kind: 'rating';
  min: number;
  max: number;
  /** Captions for some values, e.g. { "1": "easy", "5": "olympiad" }. */
  captions?: Record<string, string>;
}

/** Free text, optionally with suggestions. */
export interface TextQuestion extends QuestionBase {
  kind: 'text';
  suggestions?: string[];
}

export type TraceQuestion = LabelQuestion | RatingQuestion | TextQuestion;

/** A label that can be put on a step of the thinking. */
export interface StepLabel {
  id: string;
  label?: string;
  key?: string;
  description?: string;
}

/** Which question and values decide quality, for export filters and "select like s1". */
export interface QualityRule {
  question: string;
  accept: string[];
  reject: string[];
}

/** The contents of `.thinkscope/schema.json`. */
export interface AnnotationSchema {
  version: 1;
  /** Markdown shown beside the labels. */
  guidelines?: string;
  questions: TraceQuestion[];
  stepLabels: StepLabel[];
  quality?: QualityRule;
}

// ---------------------------------------------------------------------------------------------
// Annotations

/** A label question's value: string (label, text), number (rating), string[] (multiple labels). */
export type AnnotationValue = string | number | string[];

export interface StepAnnotation {
  /** Step index as segmented by the analysis (TraceStep.index). */
  step: number;
  labels: string[];
  note?: string;
}

/**
 * One annotator's labels on one trace. The annotation file holds one line per revision; the
 * latest revision (by `at`, then by position in the file) is the annotation.
 */
export interface Annotation {
  traceId: string;
  annotator: string;
  /** ISO 8601 time of this revision. */
  at: string;
  labels: Record<string, AnnotationValue>;
  steps: StepAnnotation[];
  note?: string;
}

// ---------------------------------------------------------------------------------------------
// Agreement

/** Cohen's kappa of two annotators on one key (or pooled over keys). */
export interface PairAgreement {
  a: string;
  b: string;
  /** null when undefined (fewer than one shared item, or chance agreement is 1). */
  kappa: number | null;
  /** Observed agreement, the share of shared items with equal values. */
  observed: number | null;
  /** Items both annotators labelled. */
  items: number;
}

/**
 * Agreement on one key: a single-valued trace question (`quality`), one option of a
 * multiple-choice question (`reasons=api-error`) or one step label (`step:error`).
 */
export interface KeyAgreement {
  key: string;
  question: string;
  /** The option or step label for binary keys; null for a whole single-valued question. */
  label: string | null;
  scope: 'trace' | 'step';
  /** Items rated by at least two annotators. */
  items: number;
  /** The most annotators any item had. */
  raters: number;
  /** Fleiss' kappa (with a varying number of raters per item); null when undefined. */
  fleiss: number | null;
  /** Fleiss' P̄: mean agreement among rater pairs. */
  observed: number | null;
  /** Fleiss' P̄e: agreement expected by chance. */
  expected: number | null;
  pairs: PairAgreement[];
}

export interface AgreementReport {
  annotators: string[];
  /** Traces with annotations from at least two annotators. */
  traces: number;
  keys: KeyAgreement[];
  /** Fleiss' kappa pooled over every key (categories namespaced by key). */
  overall: { fleiss: number | null; observed: number | null; expected: number | null; items: number };
  /** Cohen's kappa per pair, pooled over every key. */
  pairs: PairAgreement[];
  /** Traces where annotators gave different values, with the keys they differ on. */
  disagreements: { traceId: string; keys: string[] }[];
}

// ---------------------------------------------------------------------------------------------
// Selection

/** What "select like s1" did, step by step, for people to read. */
export interface SelectionReport {
  pool: number;
  target: number;
  selected: number;
  seed: number;
  /** Quality, difficulty and diversity steps in order: how many records each kept and why. */
  steps: { name: string; kept: number; dropped: number; detail: string }[];
  domains: { domain: string; available: number; selected: number }[];
  /** The whole report as text. */
  text: string;
}

// ---------------------------------------------------------------------------------------------
// Annotation view messages

/** How far labelling has come over the current dataset. */
export interface AnnotationProgress {
  total: number;
  /** Records with at least one annotation from anyone. */
  labelled: number;
  /** Records with an annotation from the current annotator. */
  mine: number;
}

/** Which records the queue walks through. */
export type QueueFilter =
  | { kind: 'all' }
  | { kind: 'unlabelled' }
  | { kind: 'mine' }
  | { kind: 'disagreements' }
  | { kind: 'domain'; domain: string }
  | { kind: 'label'; question: string; value: string };

/** Keyboard commands the host relays to the annotation view. */
export type AnnotationCommand = 'nextStep' | 'prevStep' | 'toggleGuidelines' | 'focusNote';

/** Host → annotation view. */
export type AnnotationViewInbound =
  | {
      type: 'load';
      record: DatasetRecord;
      /** The record as a steppable trace (built from text when it has no token metadata). */
      trace: TraceDocument;
      analysis?: TraceAnalysis;
      schema: AnnotationSchema;
      annotator: string;
      /** Every annotator's current annotation of this record. */
      annotations: Annotation[];
      progress: AnnotationProgress;
      position: { index: number; count: number };
      filter: QueueFilter;
    }
  /** Annotations of the shown record changed (this window or another). */
  | { type: 'annotations'; traceId: string; annotations: Annotation[] }
  /** A change is on disk. */
  | { type: 'saved'; traceId: string; at: string }
  | { type: 'saveFailed'; traceId: string; message: string }
  | { type: 'progress'; progress: AnnotationProgress }
  | { type: 'agreement'; report: AgreementReport }
  | { type: 'command'; command: AnnotationCommand };

/** Annotation view → host. Untrusted: check with isAnnotationViewOutbound first. */
export type AnnotationViewOutbound =
  | { type: 'ready' }
  /** Set (or with null clear) a trace-level answer of the current annotator. */
  | { type: 'setLabel'; traceId: string; question: string; value: AnnotationValue | null }
  /** Replace the current annotator's labels on one step. */
  | { type: 'setStepLabels'; traceId: string; step: number; labels: string[] }
  | { type: 'setNote'; traceId: string; note: string }
  | { type: 'navigate'; direction: 'next' | 'prev' | 'nextUnlabelled' }
  | { type: 'setFilter'; filter: QueueFilter }
  | { type: 'error'; message: string };

const MAX_MESSAGE_TEXT = 100_000;

function isShortString(value: unknown, max = 1_000): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= 1_000 && value.every((v) => isShortString(v));
}

function isAnnotationValueOrNull(value: unknown): value is AnnotationValue | null {
  if (value === null) return true;
  if (typeof value === 'string') return value.length <= MAX_MESSAGE_TEXT;
  if (typeof value === 'number') return Number.isFinite(value);
  return isStringList(value);
}

function isQueueFilter(value: unknown): value is QueueFilter {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'all':
    case 'unlabelled':
    case 'mine':
    case 'disagreements':
      return true;
    case 'domain':
      return isShortString(v.domain);
    case 'label':
      return isShortString(v.question) && isShortString(v.value);
    default:
      return false;
  }
}

/** Whether a message from the annotation webview is well formed (checked before the host acts on it). */
export function isAnnotationViewOutbound(value: unknown): value is AnnotationViewOutbound {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return true;
    case 'setLabel':
      return isShortString(m.traceId) && isShortString(m.question) && isAnnotationValueOrNull(m.value);
    case 'setStepLabels':
      return isShortString(m.traceId) && Number.isInteger(m.step) && (m.step as number) >= 0 && isStringList(m.labels);
    case 'setNote':
      return isShortString(m.traceId) && typeof m.note === 'string' && m.note.length <= MAX_MESSAGE_TEXT;
    case 'navigate':
      return m.direction === 'next' || m.direction === 'prev' || m.direction === 'nextUnlabelled';
    case 'setFilter':
      return isQueueFilter(m.filter);
    case 'error':
      return typeof m.message === 'string' && m.message.length <= MAX_MESSAGE_TEXT;
    default:
      return false;
  }
}
