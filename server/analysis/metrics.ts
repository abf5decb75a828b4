/**
 * Overthinking metrics of a trace and of a set of traces. Definitions and formulas are in
 * docs/analysis.md; in short, with T the thinking tokens of a trace:
 * - outcome efficiency = (thinking tokens up to the end of the step holding the first correct
 *   candidate) / T (Chen et al., "Do NOT Think That Much for 2+3=?");
 * - process efficiency = (thinking tokens in steps that bring a new distinct candidate answer or
 *   open a new approach) / T;
 * - loops = groups of near-duplicate steps (word-trigram Jaccard ≥ a threshold).
 */
import type { AnswerCandidate, CueOccurrence, OverthinkingMetrics, TraceAnalysis, TraceStep } from '../../protocol/analysis';
import {
  DEFAULT_ANALYSIS_SETTINGS,
  type AggregateMetrics,
  type AnalysisSettings,
  type AnswerFlip,
  type MetricSummary,
} from '../../protocol/analysisExtra';
import type { TraceDocument } from '../../protocol/trace';
import { answersEquivalent, lastBoxContent } from './answerValue';
import { chooseFinalAnswer, collectCandidates } from './candidates';
import { buildGeneratedText, type GeneratedText } from './generatedText';
import { findLoops, NoveltyTracker, wordRanges, wordStream, type WordStream } from './similarity';
import { segmentGenerated, withDelimiters } from './steps';

/** Analysis settings (defaults for every field not given) and the reference to judge against. */
export interface AnalyzeOptions extends Partial<AnalysisSettings> {
  /**
   * The answer to judge candidates against. Omitted: the trace's ground truth, else its final
   * answer. A string is treated as a ground truth; null judges nothing.
   */
  reference?: string | null;
}

/** An analysis with the joined text it was computed from (for callers that map characters to tokens). */
export interface DetailedAnalysis {
  analysis: TraceAnalysis;
  generated: GeneratedText;
  settings: AnalysisSettings;
}

/** Steps, candidates, cues and overthinking metrics of one trace. */
export function analyzeTrace(trace: TraceDocument, options: AnalyzeOptions = {}): TraceAnalysis {
  return analyzeTraceDetailed(trace, options).analysis;
}

/** analyzeTrace, also returning the joined text and the settings used. */
export function analyzeTraceDetailed(trace: TraceDocument, options: AnalyzeOptions = {}): DetailedAnalysis {
  const settings = resolveSettings(options);
  const g = buildGeneratedText(trace.tokens);
  const { steps, cues } = segmentGenerated(g, withDelimiters(trace, { cues: settings.cues }));
  const candidates = collectCandidates(trace, g, steps);
  const final = chooseFinalAnswer(candidates);

  const { reference, kind: referenceKind } = chooseReference(trace, final, options);
  if (reference !== null) judge(candidates, reference);

  const metrics = computeMetrics(trace, g, steps, cues, candidates, final, reference, referenceKind, settings);
  return { analysis: { steps, candidates, cues, metrics }, generated: g, settings };
}

/** The settings with defaults filled in for every field not given. */
export function resolveSettings(options: Partial<AnalysisSettings> = {}): AnalysisSettings {
  const s: AnalysisSettings = { ...DEFAULT_ANALYSIS_SETTINGS };
  for (const key of Object.keys(s) as (keyof AnalysisSettings)[]) {
    const v = options[key];
    if (v !== undefined) (s as unknown as Record<string, unknown>)[key] = v;
  }
  return s;
}

function chooseReference(
  trace: TraceDocument,
  final: AnswerCandidate | null,
  options: AnalyzeOptions,
): { reference: string | null; kind: OverthinkingMetrics['reference'] } {
  if (options.reference !== undefined) {
    return options.reference === null || options.reference.trim() === ''
      ? { reference: null, kind: 'none' }
      : { reference: referenceText(options.reference), kind: 'ground-truth' };
  }
  if (trace.groundTruth !== null && trace.groundTruth !== undefined && trace.groundTruth.trim() !== '') {
    return { reference: referenceText(trace.groundTruth), kind: 'ground-truth' };
  }
  if (final) return { reference: final.text, kind: 'final-answer' };
  return { reference: null, kind: 'none' };
}

/** A ground truth given as a worked solution is judged by its last box. */
function referenceText(groundTruth: string): string {
  return lastBoxContent(groundTruth) ?? groundTruth.trim();
}

/** Sets `correct` on every candidate; candidates written alike are judged once. */
function judge(candidates: AnswerCandidate[], reference: string): void {
  const memo = new Map<string, boolean>();
  for (const c of candidates) {
    let v = memo.get(c.text);
    if (v === undefined) {
      v = answersEquivalent(c.text, reference);
      memo.set(c.text, v);
    }
    c.correct = v;
  }
}

function computeMetrics(
  trace: TraceDocument,
  g: GeneratedText,
  steps: readonly TraceStep[],
  cues: readonly CueOccurrence[],
  candidates: readonly AnswerCandidate[],
  final: AnswerCandidate | null,
  reference: string | null,
  referenceKind: OverthinkingMetrics['reference'],
  settings: AnalysisSettings,
): OverthinkingMetrics {
  const tokens = trace.tokens;
  const thinkingBefore = (index: number) => thinkingTokensBefore(g, index);
  const thinkingTokens = thinkingBefore(tokens.length);
  const answerTokens = tokens.length - thinkingTokens;

  let firstCorrectToken: number | null = null;
  let tokensAfterFirstCorrect: number | null = null;
  let outcomeEfficiency: number | null = null;
  const firstCorrect = candidates.find((c) => c.phase === 'thinking' && c.correct === true);
  if (firstCorrect) {
    firstCorrectToken = firstCorrect.token;
    const step = stepAt(steps, firstCorrect.token);
    const upTo = thinkingBefore(step ? step.endToken : firstCorrect.token + 1);
    tokensAfterFirstCorrect = thinkingTokens - upTo;
    outcomeEfficiency = thinkingTokens === 0 ? null : upTo / thinkingTokens;
  }

  const correct =
    referenceKind === 'ground-truth' && reference !== null ? (final ? answersEquivalent(final.text, reference) : false) : null;

  const words = wordStream(g.text);
  const stepWords = wordRanges(words, steps);
  return {
    thinkingTokens,
    answerTokens,
    finalAnswer: final ? final.normalized : null,
    reference: referenceKind,
    correct,
    firstCorrectToken,
    tokensAfterFirstCorrect,
    outcomeEfficiency,
    processEfficiency: processEfficiency(g, steps, stepWords, words, candidates, settings, thinkingTokens),
    reflectionCues: cues.reduce((n, c) => n + (tokens[c.token]?.phase === 'thinking' ? 1 : 0), 0),
    loops: findLoops(words, stepWords, settings.loopSimilarity, settings.loopMinWords),
    steps: steps.reduce((n, s) => n + (s.phase === 'thinking' ? 1 : 0), 0),
  };
}

/** Thinking tokens among tokens [0, index), counted over the phase runs. */
function thinkingTokensBefore(g: GeneratedText, index: number): number {
  let n = 0;
  for (const run of g.runs) {
    if (run.startToken >= index) break;
    if (run.phase === 'thinking') n += Math.min(run.endToken, index) - run.startToken;
  }
  return n;
}

/** The step holding token `token` (steps are sorted and tile their runs). */
export function stepAt(steps: readonly TraceStep[], token: number): TraceStep | undefined {
  let lo = 0;
  let hi = steps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = steps[mid]!;
    if (token < s.startToken) hi = mid - 1;
    else if (token >= s.endToken) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/**
 * Share of thinking tokens in productive steps: a step is productive when it holds a candidate
 * whose normalized answer no earlier step proposed, or opens a new approach (an approach cue at
 * its start, or mostly new vocabulary; see AnalysisSettings).
 */
function processEfficiency(
  g: GeneratedText,
  steps: readonly TraceStep[],
  stepWords: readonly [number, number][],
  words: WordStream,
  candidates: readonly AnswerCandidate[],
  settings: AnalysisSettings,
  thinkingTokens: number,
): number {
  if (thinkingTokens === 0) return 0;
  const approach = settings.approachCues.map((c) => c.toLowerCase()).filter((c) => c !== '');
  const proposed = new Set<string>();
  const novelty = new NoveltyTracker(words);
  let productive = 0;
  let k = 0;
  for (const step of steps) {
    if (step.phase !== 'thinking') continue;
    let newAnswer = false;
    while (k < candidates.length && candidates[k]!.startChar < step.startChar) k++;
    for (let j = k; j < candidates.length && candidates[j]!.startChar < step.endChar; j++) {
      const c = candidates[j]!;
      if (c.phase !== 'thinking') continue;
      if (!proposed.has(c.normalized)) newAnswer = true;
      proposed.add(c.normalized);
    }
    const opening = g.text.slice(step.startChar, Math.min(step.endChar, step.startChar + 96)).replace(/^[\s*_#>-]+/, '').toLowerCase();
    const cueOpens = approach.some((c) => opening.startsWith(c));
    const [from, to] = stepWords[step.index]!;
    const { share, distinct } = novelty.observe(from, to);
    const novel = distinct >= settings.noveltyMinWords && share >= settings.noveltyShare;
    if (newAnswer || cueOpens || novel) productive += step.endToken - step.startToken;
  }
  return productive / thinkingTokens;
}

/**
 * Where the candidate answer changes right after an injected extension. For each injection (an
 * event `suppressed-end` or `user-injected`, or a run of injected tokens no event records): the
 * last candidate before it, of any kind, and the first explicit answer after it (a box, a "Final
 * Answer:" line, "the answer is …", a choice; before the next injection) are not equivalent. A
 * number a step concludes with is not taken as the answer after: intermediate results ("the period
 * is 3") would read as flips.
 */
export function answerFlips(trace: TraceDocument, analysis: TraceAnalysis): AnswerFlip[] {
  const points = injectionPoints(trace);
  const flips: AnswerFlip[] = [];
  const cands = analysis.candidates;
  for (let p = 0; p < points.length; p++) {
    const point = points[p]!;
    const nextStart = p + 1 < points.length ? points[p + 1]!.start : Infinity;
    let before: AnswerCandidate | undefined;
    let after: AnswerCandidate | undefined;
    for (const c of cands) {
      if (c.token < point.start) before = c;
      else if (c.token >= nextStart) break;
      else if (c.token >= point.end && c.kind !== 'last-number') {
        after = c;
        break;
      }
    }
    if (!before || !after || answersEquivalent(after.text, before.text)) continue;
    const effect = before.correct === true && after.correct === false ? 'lost' : before.correct === false && after.correct === true ? 'gained' : 'neutral';
    flips.push({
      eventIndex: point.eventIndex,
      injectedStart: point.start,
      injectedEnd: point.end,
      injectedText: point.text,
      before,
      after,
      effect,
    });
  }
  return flips;
}

interface InjectionPoint {
  eventIndex: number | null;
  start: number;
  end: number;
  text: string;
}

/** Injections in token order: events first, then injected token runs no event covers. */
export function injectionPoints(trace: TraceDocument): InjectionPoint[] {
  const tokens = trace.tokens;
  const runEnd = (from: number) => {
    let e = from;
    while (e < tokens.length && tokens[e]!.source === 'injected') e++;
    return e;
  };
  const points: InjectionPoint[] = [];
  const covered = new Set<number>();
  trace.events.forEach((ev, i) => {
    if (ev.kind !== 'suppressed-end' && ev.kind !== 'user-injected') return;
    const start = Math.max(0, Math.min(ev.at, tokens.length));
    const end = runEnd(start);
    const text = end > start ? tokens.slice(start, end).map((t) => t.text).join('') : ev.injected ?? '';
    points.push({ eventIndex: i, start, end, text });
    covered.add(start);
  });
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.source !== 'injected' || (i > 0 && tokens[i - 1]!.source === 'injected')) continue;
    if (covered.has(i)) continue;
    const end = runEnd(i);
    points.push({ eventIndex: null, start: i, end, text: tokens.slice(i, end).map((t) => t.text).join('') });
  }
  return points.sort((a, b) => a.start - b.start);
}

/** Accuracy, and count, mean and median of each metric, over a set of traces. */
export function aggregateMetrics(list: readonly OverthinkingMetrics[]): AggregateMetrics {
  const judged = list.filter((m) => m.correct !== null);
  const withReference = list.filter((m) => m.reference !== 'none');
  return {
    traces: list.length,
    judged: judged.length,
    accuracy: judged.length === 0 ? null : judged.filter((m) => m.correct === true).length / judged.length,
    reachedCorrectInThinking:
      withReference.length === 0 ? null : withReference.filter((m) => m.firstCorrectToken !== null).length / withReference.length,
    thinkingTokens: summarize(list.map((m) => m.thinkingTokens)),
    answerTokens: summarize(list.map((m) => m.answerTokens)),
    tokensAfterFirstCorrect: summarize(list.map((m) => m.tokensAfterFirstCorrect)),
    outcomeEfficiency: summarize(list.map((m) => m.outcomeEfficiency)),
    processEfficiency: summarize(list.map((m) => m.processEfficiency)),
    reflectionCues: summarize(list.map((m) => m.reflectionCues)),
    loops: summarize(list.map((m) => m.loops.length)),
    steps: summarize(list.map((m) => m.steps)),
  };
}

/** Count, mean and median of the non-null values. */
export function summarize(values: readonly (number | null)[]): MetricSummary {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return { n: 0, mean: null, median: null };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const mid = xs.length >> 1;
  const median = xs.length % 2 === 1 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { n: xs.length, mean, median };
}
