/**
 * Logprobs as OpenAI-compatible completions servers send them, normalized to one shape.
 *
 * Two layouts exist:
 * - the completions layout (OpenAI legacy completions, vLLM, SGLang): parallel lists `tokens`,
 *   `token_logprobs`, `top_logprobs` (one `{text: logprob}` dict per token) and `text_offset`;
 * - the content layout (OpenAI chat, llama.cpp's server): `content: [{token, logprob, id?,
 *   top_logprobs: [{token, logprob, id?}]}]`.
 * A token may be written `token_id:N` (vLLM's `return_tokens_as_token_ids`): its id is N and its text
 * is not given.
 */
import type { TokenAlternative } from '../../../protocol/trace';

/** One alternative at a position: its text when the server gave it, its id when known. */
export interface RawAlternative {
  text: string | null;
  id: number | null;
  logprob: number;
}

/** One generated token as the server described it. */
export interface RawTokenLogprob {
  /** The token's text as the server wrote it (null for `token_id:N`). */
  text: string | null;
  id: number | null;
  /** null when the server gave none (vLLM: the first token of an echoed prompt). */
  logprob: number | null;
  /** null when the server gave no alternatives at this position. */
  top: RawAlternative[] | null;
}

const TOKEN_ID = /^token_id:(-?\d+)$/;

/** Splits a server token string into text and id (`token_id:N` → id N, no text). */
export function parseTokenString(token: string): { text: string | null; id: number | null } {
  const m = TOKEN_ID.exec(token);
  return m ? { text: null, id: Number(m[1]) } : { text: token, id: null };
}

/** Thrown by the normalizer; the caller adds where the value came from. */
export class LogprobsShapeError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumberOrNull = (v: unknown): v is number | null => v === null || (typeof v === 'number' && !Number.isNaN(v));

/**
 * Normalizes a choice's `logprobs` value. Returns null when the server sent none (`null`, absent, or
 * empty lists). Throws LogprobsShapeError naming the first field that does not fit either layout.
 */
export function normalizeLogprobs(value: unknown): RawTokenLogprob[] | null {
  if (value === null || value === undefined) return null;
  if (!isRecord(value)) throw new LogprobsShapeError(`logprobs must be an object or null, got ${typeof value}`);
  if ('content' in value) return normalizeContent(value.content);
  return normalizeCompletions(value);
}

function normalizeCompletions(value: Record<string, unknown>): RawTokenLogprob[] | null {
  const { tokens, token_logprobs: logprobs, top_logprobs: top } = value;
  if (tokens === undefined || tokens === null) return null;
  if (!Array.isArray(tokens)) throw new LogprobsShapeError('logprobs.tokens must be a list');
  if (logprobs !== undefined && logprobs !== null && (!Array.isArray(logprobs) || logprobs.length !== tokens.length)) {
    throw new LogprobsShapeError('logprobs.token_logprobs must be a list as long as logprobs.tokens');
  }
  if (top !== undefined && top !== null && (!Array.isArray(top) || top.length !== tokens.length)) {
    throw new LogprobsShapeError('logprobs.top_logprobs must be a list as long as logprobs.tokens');
  }
  if (tokens.length === 0) return null;
  return tokens.map((token, i) => {
    if (typeof token !== 'string') throw new LogprobsShapeError(`logprobs.tokens[${i}] must be a string`);
    const lp = Array.isArray(logprobs) ? logprobs[i] : null;
    if (!isNumberOrNull(lp)) throw new LogprobsShapeError(`logprobs.token_logprobs[${i}] must be a number or null`);
    const dict = Array.isArray(top) ? top[i] : null;
    let alternatives: RawAlternative[] | null = null;
    if (dict !== null && dict !== undefined) {
      if (!isRecord(dict)) throw new LogprobsShapeError(`logprobs.top_logprobs[${i}] must be an object of token → logprob`);
      alternatives = Object.entries(dict).map(([key, v]) => {
        if (typeof v !== 'number' || Number.isNaN(v)) {
          throw new LogprobsShapeError(`logprobs.top_logprobs[${i}][${JSON.stringify(key)}] must be a number`);
        }
        return { ...parseTokenString(key), logprob: v };
      });
    }
    return { ...parseTokenString(token), logprob: lp, top: alternatives };
  });
}

function normalizeContent(content: unknown): RawTokenLogprob[] | null {
  if (content === null || content === undefined) return null;
  if (!Array.isArray(content)) throw new LogprobsShapeError('logprobs.content must be a list');
  if (content.length === 0) return null;
  return content.map((entry, i) => {
    const where = `logprobs.content[${i}]`;
    if (!isRecord(entry)) throw new LogprobsShapeError(`${where} must be an object`);
    const parsed = contentToken(entry, where);
    if (!isNumberOrNull(entry.logprob ?? null)) throw new LogprobsShapeError(`${where}.logprob must be a number`);
    let top: RawAlternative[] | null = null;
    if (entry.top_logprobs !== undefined && entry.top_logprobs !== null) {
      if (!Array.isArray(entry.top_logprobs)) throw new LogprobsShapeError(`${where}.top_logprobs must be a list`);
      top = entry.top_logprobs.map((alt, j) => {
        const w = `${where}.top_logprobs[${j}]`;
        if (!isRecord(alt)) throw new LogprobsShapeError(`${w} must be an object`);
        if (typeof alt.logprob !== 'number' || Number.isNaN(alt.logprob)) throw new LogprobsShapeError(`${w}.logprob must be a number`);
        return { ...contentToken(alt, w), logprob: alt.logprob };
      });
    }
    return { ...parsed, logprob: (entry.logprob as number | null | undefined) ?? null, top };
  });
}

function contentToken(entry: Record<string, unknown>, where: string): { text: string | null; id: number | null } {
  if (typeof entry.token !== 'string') throw new LogprobsShapeError(`${where}.token must be a string`);
  const parsed = parseTokenString(entry.token);
  if (entry.id !== undefined && entry.id !== null) {
    if (typeof entry.id !== 'number' || !Number.isInteger(entry.id)) throw new LogprobsShapeError(`${where}.id must be an integer`);
    parsed.id = entry.id;
  }
  return parsed;
}

/**
 * The alternatives a trace records at one position: sorted most likely first (ties keep the
 * server's order), at most `k`, each with a known id and text. `textOf` supplies texts for ids the
 * server sent without text; alternatives whose id or text stays unknown are left out (the trace
 * format requires ids). Returns the kept alternatives and how many were left out for want of an id.
 */
export function traceAlternatives(
  top: readonly RawAlternative[] | null,
  k: number,
  textOf: (id: number) => string | undefined,
): { top: TokenAlternative[]; dropped: number } {
  if (!top || k <= 0) return { top: [], dropped: 0 };
  const sorted = top.map((alt, i) => ({ alt, i })).sort((a, b) => b.alt.logprob - a.alt.logprob || a.i - b.i);
  const out: TokenAlternative[] = [];
  let dropped = 0;
  for (const { alt } of sorted.slice(0, k)) {
    const text = alt.text ?? (alt.id !== null ? textOf(alt.id) : undefined);
    if (alt.id === null || alt.id < 0 || text === undefined) {
      dropped++;
      continue;
    }
    out.push({ id: alt.id, text, logprob: alt.logprob });
  }
  return { top: out, dropped };
}

/**
 * Entropy (nats) of a distribution known only through its most likely tokens, or null when they
 * cover less than `minCoverage` of the probability. The uncovered mass counts as one outcome, so
 * the figure is a close lower bound of the full-vocabulary entropy, not the exact value.
 */
export function approximateEntropy(top: readonly RawAlternative[] | null, minCoverage = 0.999): number | null {
  if (!top || top.length === 0) return null;
  const seen = new Set<string>();
  let mass = 0;
  let entropy = 0;
  for (const alt of top) {
    const key = alt.id !== null ? `#${alt.id}` : `t${alt.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const p = Math.exp(alt.logprob);
    if (p <= 0) continue;
    mass += p;
    entropy -= p * Math.log(p);
  }
  if (mass < minCoverage) return null;
  const rest = Math.max(0, 1 - mass);
  if (rest > 0) entropy -= rest * Math.log(rest);
  return Math.max(0, entropy);
}
