/**
 * The fast path of trace validation. A long trace is almost all tokens, and almost every token has
 * exactly the fields of the format, all valid; checking those with direct property reads is many
 * times faster than the general, spec-driven checker of protocol/validation.ts. The fast path only
 * ever says "certainly valid": anything else (an invalid token, a token with extra fields) goes to
 * the general checker, which decides and writes the message. A test checks that whatever the fast
 * path accepts, the general checker accepts too.
 */
import { ROUNDING_TOLERANCE } from './traceFields';

/** Number of fields of a token and of an alternative in format version 1. */
const TOKEN_FIELDS = 7;
const ALTERNATIVE_FIELDS = 3;

/** Whether `value` is a token with exactly the version-1 fields, every one valid. */
export function isPlainValidToken(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Record<string, unknown>;
  const id = t.id;
  if (!Number.isSafeInteger(id) || (id as number) < -1) return false;
  if (typeof t.text !== 'string') return false;
  const source = t.source;
  if (source !== 'model' && source !== 'injected' && source !== 'forced') return false;
  const phase = t.phase;
  if (phase !== 'thinking' && phase !== 'answer') return false;
  const logprob = t.logprob;
  if (logprob !== null && !(typeof logprob === 'number' && logprob <= ROUNDING_TOLERANCE && Number.isFinite(logprob))) return false;
  const entropy = t.entropy;
  if (entropy !== null && !(typeof entropy === 'number' && entropy >= -ROUNDING_TOLERANCE && Number.isFinite(entropy))) return false;
  const top = t.top;
  if (!Array.isArray(top)) return false;
  for (let i = 0; i < top.length; i++) if (!isPlainValidAlternative(top[i])) return false;
  return countKeys(t) === TOKEN_FIELDS;
}

function isPlainValidAlternative(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  const id = a.id;
  if (!Number.isSafeInteger(id) || (id as number) < 0) return false;
  if (typeof a.text !== 'string') return false;
  const logprob = a.logprob;
  if (!(typeof logprob === 'number' && logprob <= ROUNDING_TOLERANCE && Number.isFinite(logprob))) return false;
  return countKeys(a) === ALTERNATIVE_FIELDS;
}

function countKeys(o: object): number {
  return Object.keys(o).length;
}
