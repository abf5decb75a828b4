/** Analysis results that cross a process boundary (server → extension → webviews). */

/** A reflection cue that opens a step, e.g. "Wait", "Hmm", "Alternatively". null: a paragraph step. */
export type StepCue = string | null;

/** A step of thinking (or of the answer): a paragraph, or a segment opened by a reflection cue. */
export interface TraceStep {
  index: number;
  /** Token range [startToken, endToken) in the trace's tokens. */
  startToken: number;
  endToken: number;
  /** Character range [startChar, endChar) in the generated text (tokens joined). */
  startChar: number;
  endChar: number;
  phase: 'thinking' | 'answer';
  cue: StepCue;
  /** First characters of the step, for outlines and lists. */
  preview: string;
}

export type CandidateKind = 'boxed' | 'final-answer' | 'answer-is' | 'last-number' | 'choice';

/** An answer the text proposes, wherever it appears. */
export interface AnswerCandidate {
  /** As written, e.g. "\\frac{1}{2}". */
  text: string;
  /** Canonical form used for equivalence, e.g. "0.5". */
  normalized: string;
  kind: CandidateKind;
  startChar: number;
  endChar: number;
  /** Token index where the candidate starts. */
  token: number;
  phase: 'thinking' | 'answer';
  /** Whether it matches the reference (ground truth, else the final answer); null when none. */
  correct: boolean | null;
}

/** A reflection cue occurrence (for the stepper's cue navigation and timeline). */
export interface CueOccurrence {
  cue: string;
  token: number;
  startChar: number;
}

export interface OverthinkingMetrics {
  thinkingTokens: number;
  answerTokens: number;
  /** The final answer as extracted, normalized; null when none could be found. */
  finalAnswer: string | null;
  /** What correctness was judged against. */
  reference: 'ground-truth' | 'final-answer' | 'none';
  /** Whether the final answer matches the ground truth; null without one. */
  correct: boolean | null;
  /** Token index of the first correct candidate in thinking; null when none. */
  firstCorrectToken: number | null;
  /** Thinking tokens after the first correct candidate. */
  tokensAfterFirstCorrect: number | null;
  /** Tokens up to the first correct answer / all thinking tokens (Chen et al.). null when never correct. */
  outcomeEfficiency: number | null;
  /** Share of thinking tokens in steps that bring a new candidate answer or a new approach. */
  processEfficiency: number;
  reflectionCues: number;
  /** Groups of near-duplicate steps (indices into steps). */
  loops: number[][];
  steps: number;
}

export interface TraceAnalysis {
  steps: TraceStep[];
  candidates: AnswerCandidate[];
  cues: CueOccurrence[];
  metrics: OverthinkingMetrics;
}
