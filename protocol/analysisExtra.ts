/**
 * Analysis types beyond protocol/analysis.ts that cross a process boundary: the analysis settings
 * the extension hands the server, aggregates over a set of traces, answer flips, and the
 * identifiers the extension contributes for trace documents (language id, commands, semantic
 * token legend, diagnostic codes). Definitions and formulas: docs/analysis.md.
 */
import type { AnswerCandidate } from './analysis';

/** Reflection cues that open a step when they start a sentence or a line (case-sensitive). */
export const DEFAULT_REFLECTION_CUES: readonly string[] = [
  'Wait',
  'Hmm',
  'Alternatively',
  'But wait',
  'Let me double-check',
  'Let me re-check',
  'Actually',
  'Hold on',
  'On second thought',
  'Let me verify',
];

/** Openings that mark a step as a new approach (matched case-insensitively at the step's start). */
export const DEFAULT_APPROACH_CUES: readonly string[] = [
  'Alternatively',
  'Another approach',
  'Another way',
  'A different approach',
  'Let me try another',
  'Let me try a different',
  "Let's try another",
  "Let's try a different",
  'Let me think differently',
  'Let me approach',
  'Let me consider another',
  'Instead,',
];

/** Tunable parts of the analysis; every field has a default in DEFAULT_ANALYSIS_SETTINGS. */
export interface AnalysisSettings {
  /** Reflection cues that open a step (see DEFAULT_REFLECTION_CUES). */
  cues: string[];
  /** Step openings that count as a new approach for process efficiency. */
  approachCues: string[];
  /** Word-trigram Jaccard similarity at or above which two steps are near-duplicates (0–1). */
  loopSimilarity: number;
  /** Steps with fewer words than this are never counted as repeats ("Hmm." is not a loop). */
  loopMinWords: number;
  /**
   * A step with at least `noveltyMinWords` distinct content words of which at least this share
   * never appeared in an earlier step opens a new approach (0–1).
   */
  noveltyShare: number;
  noveltyMinWords: number;
  /** Long thinking after the first correct answer: at least this share of thinking… */
  overthinkingShare: number;
  /** …and at least this many tokens. */
  overthinkingMinTokens: number;
}

/** The defaults documented in docs/analysis.md. */
export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = {
  cues: [...DEFAULT_REFLECTION_CUES],
  approachCues: [...DEFAULT_APPROACH_CUES],
  loopSimilarity: 0.8,
  loopMinWords: 8,
  noveltyShare: 0.5,
  noveltyMinWords: 5,
  overthinkingShare: 0.25,
  overthinkingMinTokens: 100,
};

/** Count, mean and median of one metric over the traces where it is defined. */
export interface MetricSummary {
  /** Traces where the metric is not null. */
  n: number;
  mean: number | null;
  median: number | null;
}

/** Metrics over a set of traces (a sweep, a dataset run). */
export interface AggregateMetrics {
  traces: number;
  /** Traces judged against a ground truth. */
  judged: number;
  /** Share of judged traces whose final answer matches the ground truth; null when none is judged. */
  accuracy: number | null;
  /** Share of traces whose thinking contains a correct candidate. */
  reachedCorrectInThinking: number | null;
  thinkingTokens: MetricSummary;
  answerTokens: MetricSummary;
  tokensAfterFirstCorrect: MetricSummary;
  outcomeEfficiency: MetricSummary;
  processEfficiency: MetricSummary;
  reflectionCues: MetricSummary;
  /** Number of loop groups per trace. */
  loops: MetricSummary;
  steps: MetricSummary;
}

/** The candidate answer changed right after an injected extension ("Wait"). */
export interface AnswerFlip {
  /** Index into the trace's events of the intervention, when an event records it. */
  eventIndex: number | null;
  /** Token range [injectedStart, injectedEnd) of the injected text. */
  injectedStart: number;
  injectedEnd: number;
  injectedText: string;
  /** The last candidate before the injection and the first one after it. */
  before: AnswerCandidate;
  after: AnswerCandidate;
  /** 'lost': was correct, now is not; 'gained': the reverse; 'neutral': otherwise or no reference. */
  effect: 'gained' | 'lost' | 'neutral';
}

/** Language id of the readable text view of a trace. */
export const TRACE_TEXT_LANGUAGE_ID = 'thinkscope-trace';

/** Commands the code lenses of trace documents invoke, each with one TracePositionArgs argument. */
export const TRACE_LENS_COMMANDS = {
  stepFromHere: 'thinkscope.stepFromHere',
  forkHere: 'thinkscope.forkHere',
} as const;

/** Argument of the code-lens commands: a trace document and a token index in it. */
export interface TracePositionArgs {
  uri: string;
  token: number;
}

/** Semantic token types of trace documents, in legend order. */
export const TRACE_SEMANTIC_TOKEN_TYPES = ['injected', 'forced', 'thinking', 'answer', 'cue'] as const;
/** One semantic token type of trace documents. */
export type TraceSemanticTokenType = (typeof TRACE_SEMANTIC_TOKEN_TYPES)[number];

/** Codes of the diagnostics on trace documents (source 'thinkscope'). */
export const TRACE_DIAGNOSTIC_CODES = {
  repeatedSteps: 'repeated-steps',
  thinkingAfterCorrect: 'thinking-after-correct',
  answerFlipAfterWait: 'answer-flip-after-wait',
  forcedCutMidSentence: 'forced-cut-mid-sentence',
  invalidTrace: 'invalid-trace',
  staleView: 'stale-view',
} as const;
/** One diagnostic code of trace documents. */
export type TraceDiagnosticCode = (typeof TRACE_DIAGNOSTIC_CODES)[keyof typeof TRACE_DIAGNOSTIC_CODES];
