/**
 * Word-to-word statistics of the corpus, as the target logits of the tiny model.
 *
 * Tokens that behave alike as a context share a class ("Let", "let" and "▁let"; all digits; all
 * space-led digits); each class gets its own direction in the model's residual stream, so the
 * model can hold at most `MAX_CONTEXT_CLASSES` of them. For a context class c and a next token j,
 * the target logit is high when the corpus has c followed by j and low otherwise.
 */
import { CORPUS_SAMPLES, type TracePhase } from './corpus';
import type { Rng } from './prng';
import { SPACE_MARKER, SPECIAL_TOKENS, type Vocabulary } from './vocabulary';

/** How many context classes the residual stream has room for (see weights.ts). */
export const MAX_CONTEXT_CLASSES = 56;

/** Logit of a transition seen n times (index n, capped at the last entry), before noise: about 3 + 1.4 ln n. */
const SEEN_LOGIT = [0, 3, 4, 4.5, 4.9, 5.2, 5.5, 5.7, 5.9] as const;
/** Logit of a transition the corpus never shows. */
export const UNSEEN_LOGIT = -6;
/** Standard deviation of the seeded noise added to seen transitions, so seeds differ. */
const NOISE = 0.5;

/** The bigram table. */
export interface BigramTable {
  /** Class keys, in class order. */
  classes: readonly string[];
  /** Class of each token id, or -1 for tokens that never act as a context. */
  classOf: Int32Array;
  /** Tokens that follow something in the corpus: the only ones the model is meant to produce. */
  producible: ReadonlySet<number>;
  /** `logits[c][j]`: target logit of token j after a token of class c (0 for non-producible j). */
  logits: readonly Float64Array[];
  /**
   * For each producible token, how much it belongs to each phase: its frequency in that phase (its
   * count over the phase's length) divided by its highest frequency in any phase (so 1 in its main
   * phase, 0 in phases that never use it).
   */
  phaseAffinity: ReadonlyMap<number, Readonly<Record<TracePhase, number>>>;
}

/** The phases in trace order. */
export const TRACE_PHASES: readonly TracePhase[] = ['early', 'middle', 'late', 'answer'];

/** A corpus sample as tokens, each with the phase it belongs to (null for the prompt's tokens). */
export function corpusSequences(vocab: Vocabulary): { id: number; phase: TracePhase | null }[][] {
  return CORPUS_SAMPLES.map((sample) => {
    const seq: { id: number; phase: TracePhase | null }[] = [
      { id: vocab.special.thinkStart, phase: null },
      { id: vocab.idOf('\n'), phase: null },
    ];
    const push = (text: string, phase: TracePhase): void => {
      for (const id of segmentCorpusText(text, vocab)) seq.push({ id, phase });
    };
    push(sample.early, 'early');
    push(sample.middle, 'middle');
    push(sample.late, 'late');
    seq.push({ id: vocab.special.thinkEnd, phase: 'late' });
    push(sample.answer, 'answer');
    seq.push({ id: vocab.special.eos, phase: 'answer' });
    return seq;
  });
}

/** Splits corpus text into the tiny model's tokens (the way its SPM tokenizer does for this text). */
export function segmentCorpusText(text: string, vocab: Vocabulary): number[] {
  const ids: number[] = [];
  let covered = 0;
  for (const match of text.matchAll(/<\/think>|<\/s>|\n\n|\n| ?\\boxed\{| ?[A-Za-z]+| ?[^\sA-Za-z]/g)) {
    if (match.index !== covered) {
      throw new Error(`Corpus text has characters no token covers at offset ${covered}: ${JSON.stringify(text)}`);
    }
    covered = match.index + match[0].length;
    const piece = match[0].startsWith(' ') ? SPACE_MARKER + match[0].slice(1) : match[0];
    ids.push(vocab.idOf(piece));
  }
  if (covered !== text.length) throw new Error(`Corpus text ends with uncovered characters: ${JSON.stringify(text)}`);
  return ids;
}

/**
 * The context class of a token text: words by their lower-case letters, digits as "digit" or
 * "▁digit", `<think>` like the newline that follows it, anything else by its own text.
 */
export function contextClassKey(text: string): string {
  if (text === SPECIAL_TOKENS.thinkStart) return '\n';
  const spaced = text.startsWith(SPACE_MARKER);
  const bare = spaced ? text.slice(SPACE_MARKER.length) : text;
  if (/^[0-9]$/.test(bare)) return spaced ? `${SPACE_MARKER}digit` : 'digit';
  if (/^[A-Za-z]+$/.test(bare)) return bare.toLowerCase();
  if (bare === '\\boxed{') return bare;
  return text;
}

/** Builds the table from the corpus; `rng` supplies the per-seed noise. */
export function buildBigramTable(vocab: Vocabulary, rng: Rng): BigramTable {
  const sequences = corpusSequences(vocab);

  const classIndex = new Map<string, number>();
  const counts: Map<number, number>[] = [];
  const phaseCounts = new Map<number, Record<TracePhase, number>>();
  const phaseLengths: Record<TracePhase, number> = { early: 0, middle: 0, late: 0, answer: 0 };
  for (const seq of sequences) {
    // Start after `<think>`: its class is the newline's, which follows it in every sample.
    for (let i = 1; i + 1 < seq.length; i++) {
      const key = contextClassKey(vocab.tokens[seq[i]!.id]!);
      let c = classIndex.get(key);
      if (c === undefined) {
        c = classIndex.size;
        classIndex.set(key, c);
        counts.push(new Map());
      }
      const next = seq[i + 1]!;
      counts[c]!.set(next.id, (counts[c]!.get(next.id) ?? 0) + 1);
      let byPhase = phaseCounts.get(next.id);
      if (!byPhase) {
        byPhase = { early: 0, middle: 0, late: 0, answer: 0 };
        phaseCounts.set(next.id, byPhase);
      }
      if (next.phase) {
        byPhase[next.phase] += 1;
        phaseLengths[next.phase] += 1;
      }
    }
  }
  if (classIndex.size > MAX_CONTEXT_CLASSES) {
    throw new Error(
      `The corpus has ${classIndex.size} context classes; the tiny model has room for ${MAX_CONTEXT_CLASSES}`,
    );
  }

  const classOf = new Int32Array(vocab.tokens.length).fill(-1);
  vocab.tokens.forEach((text, id) => {
    const c = classIndex.get(contextClassKey(text));
    if (c !== undefined) classOf[id] = c;
  });

  const producible = [...phaseCounts.keys()].sort((a, b) => a - b);
  const logits = counts.map((row) => {
    const out = new Float64Array(vocab.tokens.length);
    for (const j of producible) {
      const n = row.get(j) ?? 0;
      out[j] = n === 0 ? UNSEEN_LOGIT : SEEN_LOGIT[Math.min(n, SEEN_LOGIT.length - 1)]! + NOISE * rng.normal();
    }
    return out;
  });
  const phaseAffinity = new Map<number, Record<TracePhase, number>>();
  for (const j of producible) {
    const n = phaseCounts.get(j)!;
    const rate = (p: TracePhase): number => n[p] / phaseLengths[p];
    const most = Math.max(...TRACE_PHASES.map(rate));
    phaseAffinity.set(j, {
      early: rate('early') / most,
      middle: rate('middle') / most,
      late: rate('late') / most,
      answer: rate('answer') / most,
    });
  }
  return { classes: [...classIndex.keys()], classOf, producible: new Set(producible), logits, phaseAffinity };
}
