/** Number and text formatting shared by the webview apps. */

const countFormat = new Intl.NumberFormat('en-US');

/** 8311 → "8,311". */
export function formatCount(n: number): string {
  return countFormat.format(n);
}

/** A probability for display: three significant digits, scientific below 0.001. */
export function formatProbability(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p === 0) return '0';
  if (p < 0.001) return p.toExponential(1);
  if (p >= 0.9995 && p < 1) return '0.999';
  return p.toFixed(3);
}

/** A probability as a percentage, e.g. "88.7%". */
export function formatPercent(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.001) return '<0.1%';
  return `${(p * 100).toFixed(1)}%`;
}

/** A log-probability or an entropy, three decimals; "—" when unknown. */
export function formatNumber(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** exp(logprob), or null for a token that was not sampled. */
export function probabilityOf(logprob: number | null | undefined): number | null {
  return logprob === null || logprob === undefined ? null : Math.exp(logprob);
}

/** Token text as a quoted literal, so whitespace and control characters are visible. */
export function quoteTokenText(text: string): string {
  return JSON.stringify(text);
}

/** Whitespace collapsed and cut to `max` characters, with an ellipsis when cut. */
export function preview(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
