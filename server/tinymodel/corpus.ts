/**
 * The text the tiny model imitates: short reasoning traces whose word-to-word transitions become
 * the model's bigram statistics, and the extra words its vocabulary knows.
 *
 * Each sample is what follows the generation prompt (which ends with `<think>\n`): thinking in three
 * phases, the end-of-thinking delimiter, an answer, and the end-of-sequence token. The model learns
 * which words belong to which phase and moves through the phases as thinking grows. Reflection cues (Hmm, But
 * wait, Alternatively, Actually) and answers ("the answer is 12", `\boxed{}`, "Final Answer:")
 * appear the way they do in real traces. Every word here has its own context in the model, and
 * the model has room for at most `MAX_CONTEXT_CLASSES` of them (see bigrams.ts), so keep the word
 * set small.
 */

/** The phase of a trace a piece of corpus text belongs to. */
export type TracePhase = 'early' | 'middle' | 'late' | 'answer';

/** One sample: its text by phase. Thinking ends after `late` with `</think>`; the answer ends with `</s>`. */
export interface CorpusSample {
  /** Setting out the problem. */
  early: string;
  /** Checking and reflecting. */
  middle: string;
  /** Concluding; ends with a newline, after which `</think>` follows. */
  late: string;
  /** After `</think>`. */
  answer: string;
}

/** Full samples, each starting right after `<think>\n`. */
export const CORPUS_SAMPLES: readonly CorpusSample[] = [
  {
    early:
      'Okay, let me think about this problem.\n\nWe need to find the total of two numbers.\n\n' +
      'First, we need to find the sum.\n\n',
    middle:
      'Hmm, but wait, let me check the sum again: 3 + 4 = 7.\n\n' +
      'Alternatively, we can add the numbers and then multiply the sum by 2.\n\n' +
      'Actually, that is not right.\n\nLet me check the numbers again.\n\n',
    late: 'So the total is 7.\n\nTherefore, the answer is 7.\n',
    answer: '\n\nThe answer is \\boxed{7}.',
  },
  {
    early: 'Okay, so we need to find the sum of two numbers.\n\nLet me think about this.\n\n',
    middle: 'Hmm, maybe the answer is 12.\n\nLet me try again: 5 + 7 = 12.\n\nBut wait, that is right.\n\n',
    late: 'So the answer is 12.\n',
    answer: '\n\nFinal Answer: 12.',
  },
  {
    early: 'Let me think about this problem.\n\nWe need to multiply the two numbers.\n\n',
    middle:
      'Hmm, let me check again. But wait, maybe we can find the total.\n\nActually, the total is 9.\n\n',
    late: 'Therefore, the final answer is 9.\n',
    answer: '\n\nThe final answer is \\boxed{9}.',
  },
];

/**
 * Words the vocabulary knows beyond the corpus: the chat roles, reflection cues, and common math
 * words, so that questions and injected text tokenize into whole words.
 */
export const EXTRA_WORDS: readonly string[] = [
  'user', 'assistant', 'system', 'question', 'what', 'how', 'many', 'much', 'if', 'it', 'are', 'there', 'for',
  'in', 'a', 'an', 'each', 'with', 'has', 'was', 'be', 'do', 'from', 'at', 'on', 'or', 'as', 'yes', 'no',
  'boxed', 'plus', 'minus', 'times', 'divided', 'divide', 'equals', 'equal', 'number', 'square', 'root',
  'half', 'twice', 'double', 'difference', 'remainder', 'fraction', 'percent', 'average', 'product',
  'subtract', 'one', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'hundred', 'thousand',
  'step', 'result', 'solve', 'x', 'y', 'n', 'now', 'since', 'because', 'thus', 'hence', 'means', 'wrong',
  'correct', 'mistake', 'recheck', 're', 'look', 'hold', 'think', 'answer', 'final',
];

/** Every word of the corpus, then the extra words, each once, in first-seen order. */
export function vocabularyWords(): string[] {
  const words = new Set<string>();
  for (const sample of CORPUS_SAMPLES) {
    const text = `${sample.early}${sample.middle}${sample.late}${sample.answer}`;
    for (const match of text.matchAll(/[A-Za-z]+|[0-9]/g)) words.add(match[0].toLowerCase());
  }
  for (const word of EXTRA_WORDS) {
    for (const part of word.split(/[^A-Za-z0-9]+/)) if (part) words.add(part.toLowerCase());
  }
  for (let d = 0; d <= 9; d++) words.add(String(d));
  // Symbols that follow a space in arithmetic ("3 + 4 = 7").
  for (const symbol of ['+', '-', '=', '*', '/', '(', '<', '>']) words.add(symbol);
  return [...words];
}
