/**
 * Turns one streamed chunk into the samples the forcing machine decides on: the tokens that add
 * text, and — in the chunk that stops on a stop string or end-of-sequence — the token that made it
 * stop, which servers report in the logprobs but leave out of the text (vLLM's `stop` handling).
 *
 * With per-token information (logprobs or token ids) each sample is one token, and the chunk's text
 * is shared out so that the samples' texts joined are exactly the chunk's text. Without it, the
 * chunk's text is one sample that stands for `count` tokens.
 */
import type { RawAlternative, RawTokenLogprob } from './logprobs';
import type { CompletionChunk } from './wire';

/** One thing the model sampled, as far as the server told. */
export interface Sample {
  /** Vocabulary id; null when the server did not say. */
  id: number | null;
  /** The text it adds to the generated text ("" for a stop token, or inside a multi-byte character). */
  text: string;
  /** The token on its own as the server (or its detokenizer) writes it; null when unknown. */
  piece: string | null;
  logprob: number | null;
  top: RawAlternative[] | null;
  /** How many tokens it stands for: 1 with per-token information. */
  count: number;
}

export interface ChunkSamples {
  /** Samples that add text, in order. */
  content: Sample[];
  /** The token the stream stopped on, when the chunk is a stop and the server reported the token. */
  stop: Sample | null;
  /** Whether the server described each token (logprobs or ids), so each sample is one token. */
  perToken: boolean;
}

export interface SplitOptions {
  /** The chunk ends the stream with finish reason "stop" (a stop string or end-of-sequence). */
  terminalStop: boolean;
  /** The text of a token the server gave only by id (from the detokenizer cache). */
  pieceOf: (id: number) => string | undefined;
  /** Tokens the chunk's text stands for when the server gave no per-token information. */
  chunkCount?: number;
  /**
   * The server said the stream stopped at end-of-sequence (vLLM: `stop_reason` null or a token id):
   * the last token is the stop token, and its text, if the server wrote it, is not generated text.
   */
  endOfSequence?: boolean;
}

/** Splits a chunk into samples (see the module comment). */
export function splitChunk(chunk: CompletionChunk, options: SplitOptions): ChunkSamples {
  const entries = tokenEntries(chunk, options.pieceOf);
  let text = chunk.text;
  if (entries === null) {
    const content = text === '' ? [] : [textSample(text, options.chunkCount ?? 1)];
    return { content, stop: null, perToken: false };
  }
  let stop: Sample | null = null;
  let tokens = entries;
  if (options.terminalStop && entries.length > 0) {
    const last = entries[entries.length - 1]!;
    const lastMadeText = last.piece !== null && last.piece !== '' && text.endsWith(last.piece);
    if (options.endOfSequence && lastMadeText) text = text.slice(0, text.length - last.piece!.length);
    if (options.endOfSequence || text === '' || !lastMadeText) {
      stop = { ...last, text: '' };
      tokens = entries.slice(0, -1);
    }
  }
  const texts = shareText(text, tokens.map((t) => t.piece));
  const content = tokens.map((t, i) => ({ ...t, text: texts[i]! }));
  if (content.length === 0 && text !== '') content.push(textSample(text, 1));
  return { content, stop, perToken: true };
}

/** The ids whose text must be known before `splitChunk` (tokens and alternatives given only by id). */
export function idsNeedingText(chunk: CompletionChunk): number[] {
  const out = new Set<number>();
  const lp = chunk.logprobs;
  if (lp) {
    lp.forEach((entry, i) => {
      const id = entry.id ?? chunk.tokenIds?.[i] ?? null;
      if (entry.text === null && id !== null) out.add(id);
      for (const alt of entry.top ?? []) if (alt.text === null && alt.id !== null) out.add(alt.id);
    });
  } else if (chunk.tokenIds) {
    for (const id of chunk.tokenIds) out.add(id);
  }
  return [...out].filter((id) => id >= 0);
}

function textSample(text: string, count: number): Sample {
  return { id: null, text, piece: null, logprob: null, top: null, count };
}

/** One entry per token: from logprobs (ids from `token_ids` when they line up), or from ids alone. */
function tokenEntries(chunk: CompletionChunk, pieceOf: (id: number) => string | undefined): Sample[] | null {
  const lp: RawTokenLogprob[] | null = chunk.logprobs;
  const ids = chunk.tokenIds;
  if (lp) {
    const idsFit = ids !== null && ids.length === lp.length;
    return lp.map((entry, i) => {
      const id = entry.id ?? (idsFit ? ids[i]! : null);
      const top = entry.top?.map((alt) => (alt.text === null && alt.id !== null ? { ...alt, text: pieceOf(alt.id) ?? null } : alt)) ?? null;
      return {
        id,
        text: '',
        piece: entry.text ?? (id !== null ? (pieceOf(id) ?? null) : null),
        logprob: entry.logprob,
        top,
        count: 1,
      };
    });
  }
  if (ids && ids.length > 0) {
    return ids.map((id) => ({ id, text: '', piece: pieceOf(id) ?? null, logprob: null, top: null, count: 1 }));
  }
  return null;
}

/**
 * Shares `text` out among tokens whose own pieces are `pieces`: each token takes its piece while
 * the text goes on with it; a token whose piece is unknown or does not match takes ""; the last
 * token takes whatever is left. The parts joined are exactly `text`.
 */
export function shareText(text: string, pieces: readonly (string | null)[]): string[] {
  const n = pieces.length;
  if (n === 0) return [];
  if (n === 1) return [text];
  const out: string[] = [];
  let rest = text;
  for (let i = 0; i < n - 1; i++) {
    const piece = pieces[i];
    if (piece && rest.startsWith(piece)) {
      out.push(piece);
      rest = rest.slice(piece.length);
    } else {
      out.push('');
    }
  }
  out.push(rest);
  return out;
}
