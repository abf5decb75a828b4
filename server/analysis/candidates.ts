/**
 * Candidate answers of a whole trace: explicit ones (boxes, "Final Answer:", "the answer is …",
 * choice statements) over each phase run, the number a thinking step concludes with (see
 * concludingNumber), and in the answer phase the final number or the whole short answer when
 * nothing explicit is there. Also picks the trace's final answer.
 */
import type { AnswerCandidate, TraceStep } from '../../protocol/analysis';
import type { TraceDocument } from '../../protocol/trace';
import { concludingNumber, extractCandidates, normalizeAnswer, type ExtractedAnswer } from './answers';
import { tokenAtChar, type GeneratedText } from './generatedText';

/** All candidates of a trace in text order, `correct` still null. */
export function collectCandidates(trace: TraceDocument, g: GeneratedText, steps: readonly TraceStep[]): AnswerCandidate[] {
  const out: AnswerCandidate[] = [];
  const push = (c: ExtractedAnswer, offset: number, phase: 'thinking' | 'answer') => {
    const startChar = c.startChar + offset;
    out.push({
      text: c.text,
      normalized: c.normalized,
      kind: c.kind,
      startChar,
      endChar: c.endChar + offset,
      token: tokenAtChar(g, startChar),
      phase,
      correct: null,
    });
  };
  const skipPrefixes = [trace.delimiters?.thinkEnd ?? '', trace.budget?.answerPrefix ?? ''].filter((p) => p !== '');
  for (const run of g.runs) {
    // Injected text is read apart from the model's text around it ("…is 5.Wait" is "5", then "Wait").
    for (const [from, to] of sourceSegments(g, run.startToken, run.endToken)) {
      const start = g.starts[from]!;
      const text = g.text.slice(start, g.starts[to]!);
      const found =
        run.phase === 'thinking'
          ? extractCandidates(text, { finalNumber: 'never' })
          : extractCandidates(text, { finalNumber: 'if-none', wholeTextFallback: true, skipPrefixes });
      for (const c of found) push(c, start, run.phase);
    }
  }
  out.sort((a, b) => a.startChar - b.startChar);

  // A thinking step that concludes with a number ("So the total is 42.") proposes it.
  const extra: AnswerCandidate[] = [];
  let k = 0;
  for (const step of steps) {
    if (step.phase !== 'thinking') continue;
    while (k < out.length && out[k]!.startChar < step.startChar) k++;
    if (k < out.length && out[k]!.startChar < step.endChar) continue; // has an explicit candidate
    const text = g.text.slice(step.startChar, step.endChar);
    const n = concludingNumber(text);
    if (!n) continue;
    const written = text.slice(n.start, n.end);
    const startChar = step.startChar + n.start;
    extra.push({
      text: written,
      normalized: normalizeAnswer(written),
      kind: 'last-number',
      startChar,
      endChar: step.startChar + n.end,
      token: tokenAtChar(g, startChar),
      phase: 'thinking',
      correct: null,
    });
  }
  return extra.length === 0 ? out : [...out, ...extra].sort((a, b) => a.startChar - b.startChar);
}

/** Token ranges in [from, to) where injected and other tokens alternate. */
function sourceSegments(g: GeneratedText, from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let start = from;
  for (let i = from + 1; i <= to; i++) {
    if (i === to || (g.tokens[i]!.source === 'injected') !== (g.tokens[i - 1]!.source === 'injected')) {
      out.push([start, i]);
      start = i;
    }
  }
  return out;
}

const FINAL_RANK: Record<AnswerCandidate['kind'], number> = {
  'final-answer': 3,
  boxed: 3,
  'answer-is': 2,
  choice: 2,
  'last-number': 1,
};

/**
 * The trace's final answer: among answer-phase candidates, the last of the strongest kind (a box
 * or a "Final Answer:" line, then "the answer is …" or a choice, then a final number).
 */
export function chooseFinalAnswer(candidates: readonly AnswerCandidate[]): AnswerCandidate | null {
  let best: AnswerCandidate | null = null;
  for (const c of candidates) {
    if (c.phase !== 'answer') continue;
    if (best === null || FINAL_RANK[c.kind] >= FINAL_RANK[best.kind]) best = c;
  }
  return best;
}
