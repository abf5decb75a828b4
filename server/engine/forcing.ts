/**
 * Budget forcing as a pure state machine (s1: "Simple test-time scaling", section 3.1).
 *
 * The engine asks the machine what to do with each token the model samples, feeds the machine's
 * answer to the model, and tells the machine how many tokens entered each phase. The machine knows
 * nothing of models or HTTP, so the local and the remote engine drive the same rules, and every
 * rule is unit-tested on its own.
 *
 * Rules (counts are tokens in the thinking phase, injected ones included):
 * - at `maxThinkingTokens` the end-of-thinking delimiter and the answer prefix are forced, unless
 *   the model is in the middle of a multi-byte character (it finishes the character first) or
 *   itself ends thinking at that very token;
 * - an end-of-thinking the model samples is suppressed, and `extendWith` injected instead, while
 *   thinking is below `minThinkingTokens`; when `ignoreEnd` is set, at most that many ends are
 *   suppressed (with no minimum: exactly the first `ignoreEnd` attempts);
 * - end-of-sequence inside thinking closes thinking and forces the answer prefix, so a run always
 *   ends with an answer;
 * - a thinking block the model reopens in the answer shares the one thinking budget;
 * - the answer stops at end-of-sequence or at `maxAnswerTokens`.
 */
import type { BudgetSettings, StopReason, TokenPhase } from '../../protocol/trace';

/** What the engine saw the model sample, classified against the delimiters. */
export type SampledKind = 'end-of-thinking' | 'start-of-thinking' | 'end-of-sequence' | 'text';

export type ForceReason = 'budget' | 'end-of-sequence' | 'context';

/** The machine's answer for one sampled token. */
export type ForcingAction =
  /** Feed the sampled token. `reopens`: it reopens thinking (event `thinking-reopened`). */
  | { kind: 'emit'; reopens?: boolean }
  /** Feed the sampled end-of-thinking: thinking ends here (event `natural-end`). */
  | { kind: 'natural-end' }
  /** Drop the sampled end-of-thinking and feed `inject` instead (event `suppressed-end`). */
  | { kind: 'suppress-end'; inject: string }
  /** Drop the sample; feed the end delimiter and the answer prefix (events `forced-end` / `eos-in-thinking`). */
  | { kind: 'force-end'; reason: ForceReason }
  /** The run is over. */
  | { kind: 'stop'; reason: Extract<StopReason, 'eos' | 'answer-cap' | 'context-full'> };

export interface ForcingSnapshot {
  phase: TokenPhase;
  thinkingTokens: number;
  answerTokens: number;
  suppressedEnds: number;
  /** End-of-thinking attempts the model made, suppressed or not. */
  endAttempts: number;
  done: boolean;
}

/** Thrown for budget settings no run can honour; nothing is generated. */
export class BudgetError extends Error {
  constructor(
    readonly field: keyof BudgetSettings,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetError';
  }
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Checks budget settings; throws BudgetError naming the field and the value. */
export function validateBudget(budget: BudgetSettings): BudgetSettings {
  const count = (field: keyof BudgetSettings, value: unknown, nullable: boolean) => {
    if (value === null && nullable) return;
    if (!isCount(value)) {
      throw new BudgetError(
        field,
        `budget.${field} must be a whole number ≥ 0${nullable ? ' or null' : ''}, got ${JSON.stringify(value)}`,
      );
    }
  };
  count('minThinkingTokens', budget.minThinkingTokens, false);
  count('maxThinkingTokens', budget.maxThinkingTokens, true);
  count('ignoreEnd', budget.ignoreEnd, true);
  count('maxAnswerTokens', budget.maxAnswerTokens, false);
  if (budget.maxAnswerTokens < 1) {
    throw new BudgetError('maxAnswerTokens', 'budget.maxAnswerTokens must be at least 1: a run always ends with an answer');
  }
  if (budget.maxThinkingTokens !== null && budget.maxThinkingTokens < budget.minThinkingTokens) {
    throw new BudgetError(
      'maxThinkingTokens',
      `budget.maxThinkingTokens (${budget.maxThinkingTokens}) is below budget.minThinkingTokens (${budget.minThinkingTokens})`,
    );
  }
  if (typeof budget.extendWith !== 'string' || budget.extendWith.length === 0) {
    throw new BudgetError('extendWith', 'budget.extendWith must be a non-empty string such as "Wait"');
  }
  if (typeof budget.answerPrefix !== 'string') {
    throw new BudgetError('answerPrefix', 'budget.answerPrefix must be a string (it may be empty)');
  }
  return budget;
}

export class BudgetForcer {
  private state: ForcingSnapshot;

  constructor(
    readonly budget: BudgetSettings,
    from?: ForcingSnapshot,
  ) {
    validateBudget(budget);
    this.state = from ? { ...from } : {
      phase: 'thinking',
      thinkingTokens: 0,
      answerTokens: 0,
      suppressedEnds: 0,
      endAttempts: 0,
      done: false,
    };
  }

  get snapshot(): ForcingSnapshot {
    return { ...this.state };
  }

  get phase(): TokenPhase {
    return this.state.phase;
  }

  /** Whether the thinking budget is used up (the next sample will be replaced by a forced end). */
  get thinkingBudgetReached(): boolean {
    const max = this.budget.maxThinkingTokens;
    return this.state.phase === 'thinking' && max !== null && this.state.thinkingTokens >= max;
  }

  /** Whether an end-of-thinking sampled now would be suppressed. */
  get wouldSuppressEnd(): boolean {
    const { minThinkingTokens: min, ignoreEnd } = this.budget;
    const belowMin = this.state.thinkingTokens < min;
    if (ignoreEnd === null) return belowMin;
    return this.state.suppressedEnds < ignoreEnd && (min === 0 || belowMin);
  }

  /**
   * Decides what happens to the token the model just sampled.
   * @param midCharacter the text so far ends inside a multi-byte character.
   * @param contextLeft tokens that still fit in the context window; Infinity when unbounded.
   */
  decide(sampled: SampledKind, midCharacter = false, contextLeft = Infinity): ForcingAction {
    const s = this.state;
    if (s.done) return { kind: 'stop', reason: 'eos' };
    if (s.phase === 'thinking') {
      if (sampled === 'end-of-thinking') {
        s.endAttempts++;
        if (this.wouldSuppressEnd && !this.thinkingBudgetReached) {
          s.suppressedEnds++;
          return { kind: 'suppress-end', inject: this.budget.extendWith };
        }
        return { kind: 'natural-end' };
      }
      if (sampled === 'end-of-sequence') return { kind: 'force-end', reason: 'end-of-sequence' };
      if (this.thinkingBudgetReached && !midCharacter) return { kind: 'force-end', reason: 'budget' };
      if (contextLeft <= 0) return { kind: 'force-end', reason: 'context' };
      return { kind: 'emit' };
    }
    // Answer phase.
    if (sampled === 'end-of-sequence') return this.stop('eos');
    if (s.answerTokens >= this.budget.maxAnswerTokens && !midCharacter) return this.stop('answer-cap');
    if (contextLeft <= 0) return this.stop('context-full');
    if (sampled === 'start-of-thinking') return { kind: 'emit', reopens: true };
    return { kind: 'emit' };
  }

  /** Records `count` tokens fed to the model in the current phase. */
  count(count: number): void {
    if (this.state.phase === 'thinking') this.state.thinkingTokens += count;
    else this.state.answerTokens += count;
  }

  /** Thinking ends: what follows (delimiter included) is answer. */
  enterAnswer(): void {
    this.state.phase = 'answer';
  }

  /** The model reopened thinking from the answer. */
  reopenThinking(): void {
    this.state.phase = 'thinking';
  }

  private stop(reason: Extract<StopReason, 'eos' | 'answer-cap' | 'context-full'>): ForcingAction {
    this.state.done = true;
    return { kind: 'stop', reason };
  }
}

/** The text forced at a cut: the end-of-thinking delimiter, then the answer prefix on a new line. */
export function forcedEndText(thinkEnd: string, answerPrefix: string): string {
  return answerPrefix ? `${thinkEnd}\n${answerPrefix}` : `${thinkEnd}\n`;
}
