/**
 * Budget sweeps: one question across many thinking budgets, Wait counts and extension strings.
 * A sweep file (`*.sweep.json`) holds the sweep's settings, one cell per combination, and every
 * trace. Cells arrive one by one while the sweep runs; a cancelled sweep keeps what finished.
 */
import type { BudgetSettings, SamplingSettings, TraceDocument } from './trace';

export const SWEEP_FORMAT = 'thinkscope.sweep';
export const SWEEP_VERSION = 1;

/**
 * How a sweep runs. `shared` generates the longest line once and branches off each budget's
 * answer, rewinding the KV cache; `naive` runs every cell from scratch (s1's scripts do this).
 */
export type SweepMode = 'shared' | 'naive';

export interface SweepSettings {
  question: string;
  groundTruth: string | null;
  /** `maxThinkingTokens` values; null is "no maximum". */
  budgets: Array<number | null>;
  /** `ignoreEnd` values (how many ends are suppressed); null is "only below the minimum". */
  waitCounts: Array<number | null>;
  /** Extension strings, e.g. ["Wait", "Hmm", "Alternatively"]. */
  extendWith: string[];
  /** The rest of the budget (minimum, answer prefix, answer cap), shared by every cell. */
  base: BudgetSettings;
  sampling: SamplingSettings;
  mode: SweepMode;
}

/** Which combination a cell is. */
export interface SweepCellKey {
  maxThinkingTokens: number | null;
  ignoreEnd: number | null;
  extendWith: string;
}

export type SweepCellStatus = 'pending' | 'done' | 'cancelled' | 'failed';

export interface SweepCell {
  key: SweepCellKey;
  status: SweepCellStatus;
  /** The trace's id in `traces`, once done. */
  traceId: string | null;
  thinkingTokens: number | null;
  answerTokens: number | null;
  /** The final answer as extracted (normalized); null when none was found. */
  finalAnswer: string | null;
  /** Against the ground truth; null without one. */
  correct: boolean | null;
  error?: string;
}

export interface SweepTiming {
  startedAt: string;
  durationMs: number;
  /** Tokens the model evaluated (prompt excluded): what sharing saves. */
  evaluatedTokens: number;
}

export interface SweepDocument {
  format: typeof SWEEP_FORMAT;
  version: number;
  id: string;
  createdAt: string;
  settings: SweepSettings;
  cells: SweepCell[];
  traces: TraceDocument[];
  timing?: SweepTiming;
  /** How the sweep ended. */
  status: 'running' | 'done' | 'cancelled' | 'failed';
}

/** Request: run a sweep. Budgets and lists are checked before anything runs. */
export interface SweepParams {
  runId: string;
  question: string;
  groundTruth?: string | null;
  budgets: Array<number | null>;
  waitCounts?: Array<number | null>;
  extendWith?: string[];
  /** Overrides of the base budget (minimum, answer prefix, answer cap). */
  budget?: Partial<BudgetSettings>;
  sampling?: Partial<SamplingSettings>;
  mode?: SweepMode;
  /** Where to write the sweep file (rewritten atomically after every cell). */
  outPath?: string;
}

export interface SweepResult {
  sweep: SweepDocument;
  path?: string;
}

/** Notification: a cell finished (its trace included). */
export interface SweepProgress {
  runId: string;
  cellIndex: number;
  cell: SweepCell;
  trace: TraceDocument | null;
  done: number;
  total: number;
}

/** Request: regenerate from a token of a trace with other settings. */
export interface ForkParams {
  runId: string;
  /** The parent trace (as the client has it). */
  trace: TraceDocument;
  /** Keep tokens [0, forkAt). */
  forkAt: number;
  budget?: Partial<BudgetSettings>;
  sampling?: Partial<SamplingSettings>;
  outPath?: string;
}
