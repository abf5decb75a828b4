/**
 * The lists a user types to set up a sweep (VS Code input boxes, command-line flags), parsed into
 * SweepParams fields, and the name a sweep file gets. Pure: imports only protocol/.
 *
 * - budgets: `64, 128, 256, none` (whole numbers of thinking tokens; `none` is no maximum);
 * - Wait counts: `0, 1, 2` (how many ends of thinking are suppressed);
 * - extension strings: `Wait, Hmm, Alternatively`; a string holding a comma or spaces at its ends
 *   goes in double quotes: `"Wait, no", " Hmm"`.
 */

/** What a list parses to: the values in the order typed, or a message saying what is wrong. */
export type ListParse<T> = { ok: true; values: T[] } | { ok: false; error: string };

/** The largest budget or Wait count accepted. */
export const MAX_SWEEP_COUNT = 10_000_000;
/** The most values one list may hold. */
export const MAX_SWEEP_LIST = 64;
/** The longest extension string accepted. */
export const MAX_EXTENSION_LENGTH = 200;

/** Words accepted for "no maximum" in a budget list. */
const NO_MAXIMUM = new Set(['none', 'inf', '∞', 'unlimited']);

/** Splits at commas outside double quotes; each item is trimmed unless it is quoted. */
function splitItems(text: string): { items: string[] } | { error: string } {
  const items: string[] = [];
  let i = 0;
  const n = text.length;
  while (i <= n) {
    while (i < n && /\s/.test(text[i]!)) i++;
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < n) j++;
        value += text[j];
        j++;
      }
      if (j >= n) return { error: `A quote opened at character ${i + 1} is not closed` };
      j++;
      while (j < n && /\s/.test(text[j]!)) j++;
      if (j < n && text[j] !== ',') return { error: `Put a comma after the quoted ${JSON.stringify(value)}` };
      items.push(value);
      i = j + 1;
      continue;
    }
    const comma = text.indexOf(',', i);
    const end = comma < 0 ? n : comma;
    items.push(text.slice(i, end).trim());
    i = end + 1;
  }
  return { items };
}

type ItemParse<T> = { value: T } | { error: string };

function parseList<T>(
  text: string,
  what: string,
  parseItem: (item: string) => ItemParse<T>,
  sameKey: (value: T) => string,
): ListParse<T> {
  const split = splitItems(text);
  if ('error' in split) return { ok: false, error: split.error };
  const items = split.items;
  if (items.length === 1 && items[0] === '') return { ok: false, error: `Type at least one ${what}` };
  if (items.length > MAX_SWEEP_LIST) return { ok: false, error: `At most ${MAX_SWEEP_LIST} ${what}s, got ${items.length}` };
  const values: T[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < items.length; k++) {
    const item = items[k]!;
    if (item === '' && k === items.length - 1 && k > 0) break;
    const parsed = parseItem(item);
    if ('error' in parsed) return { ok: false, error: parsed.error };
    const key = sameKey(parsed.value);
    if (seen.has(key)) return { ok: false, error: `${JSON.stringify(item)} is listed twice` };
    seen.add(key);
    values.push(parsed.value);
  }
  return { ok: true, values };
}

function parseCount(item: string, what: string): ItemParse<number> {
  if (item === '') return { error: `An empty ${what}: remove the extra comma` };
  if (!/^\d+$/.test(item)) return { error: `${JSON.stringify(item)} is not a ${what}: write a whole number ≥ 0` };
  const n = Number(item);
  if (n > MAX_SWEEP_COUNT) return { error: `${item} is too large: a ${what} is at most ${MAX_SWEEP_COUNT}` };
  return { value: n };
}

/**
 * Parses a list of thinking budgets (`maxThinkingTokens`): whole numbers, or `none` for no maximum.
 * Example: "64, 128, none" → [64, 128, null].
 */
export function parseBudgetList(text: string): ListParse<number | null> {
  return parseList<number | null>(
    text,
    'budget',
    (item) => {
      if (NO_MAXIMUM.has(item.toLowerCase())) return { value: null };
      if (item !== '' && !/^\d+$/.test(item)) {
        return { error: `${JSON.stringify(item)} is not a budget: write a whole number ≥ 0, or "none" for no maximum` };
      }
      return parseCount(item, 'budget');
    },
    (v) => String(v),
  );
}

/** Parses a list of Wait counts (`ignoreEnd`): whole numbers. Example: "0, 1, 2" → [0, 1, 2]. */
export function parseWaitCountList(text: string): ListParse<number> {
  return parseList<number>(text, 'Wait count', (item) => parseCount(item, 'Wait count'), (v) => String(v));
}

/**
 * Parses a list of extension strings (what replaces a suppressed end of thinking). Items are
 * trimmed; quoted items are kept exactly (`\"` and `\\` escape a quote and a backslash).
 * Example: `Wait, "Hmm, ", Alternatively` → ["Wait", "Hmm, ", "Alternatively"].
 */
export function parseExtensionList(text: string): ListParse<string> {
  return parseList<string>(
    text,
    'extension string',
    (item) => {
      if (item === '') return { error: 'An empty extension string: remove the extra comma (or quote a string)' };
      if (item.length > MAX_EXTENSION_LENGTH) return { error: `An extension string is at most ${MAX_EXTENSION_LENGTH} characters` };
      return { value: item };
    },
    (v) => v,
  );
}

/** A list of values as a user would type it back: "64, 128, none"; strings quoted where needed. */
export function formatSweepList(values: ReadonlyArray<number | string | null>): string {
  return values
    .map((v) => {
      if (v === null) return 'none';
      if (typeof v === 'number') return String(v);
      return v === v.trim() && !/[",\\]/.test(v) && v !== '' ? v : JSON.stringify(v);
    })
    .join(', ');
}

/**
 * The file name of a sweep: `<time>-<slug>.sweep.json`, e.g.
 * "2025-01-31T12-00-00-how-many-r-are-in-raspberry.sweep.json". The time is UTC to the second; the
 * slug is the question's first 40 letters and digits, lowercased, joined by dashes.
 */
export function sweepFileName(question: string, at: Date): string {
  const slug = question.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40).replace(/-$/, '') || 'sweep';
  const time = at.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return `${time}-${slug}.sweep.json`;
}
