/**
 * The vocabulary of the tiny model: a SentencePiece-style ("llama") token list that llama.cpp's
 * SPM tokenizer can use.
 *
 * Order: `<unk>`, `<s>`, `</s>`, the 256 byte tokens `<0x00>`…`<0xFF>` (byte fallback, so any text
 * can be encoded), the thinking delimiters (user-defined tokens), the ChatML markers (control
 * tokens), then normal tokens: the space marker `▁`, newlines, printable ASCII, a few multi-byte
 * characters, and every prefix of every word, each with and without the `▁` space marker and in
 * lower and capitalized case. SPM merges adjacent pieces whose concatenation is a token, highest
 * score first; scores grow with length, so whole words win.
 */

/** The SentencePiece space marker (U+2581). */
export const SPACE_MARKER = '\u2581';

/** llama.cpp token types, as stored in `tokenizer.ggml.token_type`. */
export const TokenType = {
  NORMAL: 1,
  UNKNOWN: 2,
  CONTROL: 3,
  USER_DEFINED: 4,
  BYTE: 6,
} as const;

/** Texts of the special tokens. */
export const SPECIAL_TOKENS = {
  unk: '<unk>',
  bos: '<s>',
  eos: '</s>',
  thinkStart: '<think>',
  thinkEnd: '</think>',
  imStart: '<|im_start|>',
  imEnd: '<|im_end|>',
} as const;

/** Characters outside ASCII that are whole tokens, so math and accented text round-trip compactly. */
export const MULTIBYTE_CHARACTERS: readonly string[] = [
  '→', '≈', 'é', '×', '÷', '≤', '≥', '≠', '±', 'π', '√', '°', '²', '³', '½', '—', '–', '…', '∑', '∞', 'α', 'β', 'θ',
  'Δ', '’', '“', '”', '€', '£',
];

/** Multi-character pieces that are not words but appear whole in reasoning traces (added with their prefixes). */
export const PHRASE_TOKENS: readonly string[] = ['\\boxed{', '\n\n'];

/** A built vocabulary. */
export interface Vocabulary {
  tokens: readonly string[];
  scores: readonly number[];
  types: readonly number[];
  /** Ids of the special tokens. */
  special: Readonly<Record<keyof typeof SPECIAL_TOKENS, number>>;
  /** Id of a token text; throws when the vocabulary lacks it. */
  idOf(text: string): number;
  /** Id of a token text, or undefined. */
  find(text: string): number | undefined;
}

/** Builds the vocabulary for the given words (letters and digits; order is kept). */
export function buildVocabulary(words: readonly string[]): Vocabulary {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const index = new Map<string, number>();
  const add = (text: string, type: number, score: number): void => {
    if (index.has(text)) return;
    index.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
    scores.push(score);
  };

  add(SPECIAL_TOKENS.unk, TokenType.UNKNOWN, 0);
  add(SPECIAL_TOKENS.bos, TokenType.CONTROL, 0);
  add(SPECIAL_TOKENS.eos, TokenType.CONTROL, 0);
  for (let b = 0; b < 256; b++) add(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`, TokenType.BYTE, 0);
  add(SPECIAL_TOKENS.thinkStart, TokenType.USER_DEFINED, 0);
  add(SPECIAL_TOKENS.thinkEnd, TokenType.USER_DEFINED, 0);
  add(SPECIAL_TOKENS.imStart, TokenType.CONTROL, 0);
  add(SPECIAL_TOKENS.imEnd, TokenType.CONTROL, 0);

  const normal = (text: string): void => add(text, TokenType.NORMAL, pieceScore(text));
  normal(SPACE_MARKER);
  normal('\n');
  // Printable ASCII except the space, which SPM writes as the space marker.
  for (let c = 0x21; c <= 0x7e; c++) normal(String.fromCharCode(c));
  for (const ch of MULTIBYTE_CHARACTERS) normal(ch);
  // Every prefix, so that SPM can grow a piece one character at a time.
  const withPrefixes = (form: string): void => {
    const chars = [...form];
    for (let n = 1; n <= chars.length; n++) {
      const prefix = chars.slice(0, n).join('');
      normal(prefix);
      normal(SPACE_MARKER + prefix);
    }
  };
  for (const piece of PHRASE_TOKENS) withPrefixes(piece);
  for (const word of words) for (const form of wordForms(word)) withPrefixes(form);

  const special = Object.fromEntries(
    Object.entries(SPECIAL_TOKENS).map(([name, text]) => [name, index.get(text)!]),
  ) as Record<keyof typeof SPECIAL_TOKENS, number>;
  return {
    tokens,
    scores,
    types,
    special,
    find: (text) => index.get(text),
    idOf(text) {
      const id = index.get(text);
      if (id === undefined) throw new Error(`The tiny model's vocabulary has no token ${JSON.stringify(text)}`);
      return id;
    },
  };
}

/** The lower-case and capitalized forms of a word (one form for digits and symbols). */
export function wordForms(word: string): string[] {
  const lower = word.toLowerCase();
  const capital = lower.charAt(0).toUpperCase() + lower.slice(1);
  return lower === capital ? [lower] : [lower, capital];
}

/** Merge priority of a normal token: its length in characters, so longer pieces are merged first. */
function pieceScore(text: string): number {
  return [...text].length;
}
