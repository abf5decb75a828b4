/**
 * Checks request settings that come from outside (JSON-RPC params, CLI flags, VS Code settings)
 * and merges them over defaults. Errors say which field and what was wrong.
 */
import type { BudgetSettings, SamplingSettings } from '../../protocol/trace';
import { validateBudget } from '../engine/forcing';

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

const BUDGET_KEYS = new Set<keyof BudgetSettings>([
  'minThinkingTokens', 'maxThinkingTokens', 'ignoreEnd', 'extendWith', 'answerPrefix', 'maxAnswerTokens',
]);
const SAMPLING_KEYS = new Set<keyof SamplingSettings>(['temperature', 'topK', 'topP', 'minP', 'seed']);

function checkKeys(value: object, known: Set<string>, what: string): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) throw new SettingsError(`Unknown ${what} setting "${key}" (known: ${[...known].join(', ')})`);
  }
}

/** `base` with `override` applied and checked. */
export function resolveBudget(base: BudgetSettings, override: unknown): BudgetSettings {
  if (override !== undefined && override !== null && (typeof override !== 'object' || Array.isArray(override))) {
    throw new SettingsError('budget must be an object');
  }
  const o = (override ?? {}) as Partial<BudgetSettings>;
  checkKeys(o, BUDGET_KEYS as Set<string>, 'budget');
  const merged: BudgetSettings = { ...base, ...o };
  try {
    return validateBudget(merged);
  } catch (error) {
    throw new SettingsError((error as Error).message);
  }
}

export function resolveSampling(base: SamplingSettings, override: unknown): SamplingSettings {
  if (override !== undefined && override !== null && (typeof override !== 'object' || Array.isArray(override))) {
    throw new SettingsError('sampling must be an object');
  }
  const o = (override ?? {}) as Partial<SamplingSettings>;
  checkKeys(o, SAMPLING_KEYS as Set<string>, 'sampling');
  const s: SamplingSettings = { ...base, ...o };
  const num = (field: string, v: unknown) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SettingsError(`sampling.${field} must be a number, got ${JSON.stringify(v)}`);
  };
  num('temperature', s.temperature);
  if (s.temperature < 0) throw new SettingsError(`sampling.temperature must be ≥ 0 (0 is greedy), got ${s.temperature}`);
  num('topK', s.topK);
  if (!Number.isInteger(s.topK) || s.topK < 0) throw new SettingsError(`sampling.topK must be a whole number ≥ 0 (0: no cut), got ${s.topK}`);
  num('topP', s.topP);
  if (!(s.topP > 0 && s.topP <= 1)) throw new SettingsError(`sampling.topP must be in (0, 1], got ${s.topP}`);
  if (s.minP !== undefined) {
    num('minP', s.minP);
    if (s.minP < 0 || s.minP >= 1) throw new SettingsError(`sampling.minP must be in [0, 1), got ${s.minP}`);
  }
  num('seed', s.seed);
  if (!Number.isInteger(s.seed)) throw new SettingsError(`sampling.seed must be a whole number, got ${s.seed}`);
  return s;
}

/** A question must have some text. */
export function checkQuestion(question: unknown): string {
  if (typeof question !== 'string' || question.trim() === '') {
    throw new SettingsError('The question is empty: type the question the model should think about');
  }
  return question;
}
