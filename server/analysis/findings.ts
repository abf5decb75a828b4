/**
 * Overthinking findings of an analysed trace, in token terms: repeated-step loops, long thinking
 * after the first correct answer, an answer flip after an injected extension, and a forced cut in
 * the middle of a sentence. The language server turns them into diagnostics; the command line can
 * print them as they are.
 */
import type { TraceAnalysis } from '../../protocol/analysis';
import { TRACE_DIAGNOSTIC_CODES, type AnalysisSettings, type TraceDiagnosticCode } from '../../protocol/analysisExtra';
import type { TraceDocument } from '../../protocol/trace';
import { firstTokenFrom, type GeneratedText } from './generatedText';
import { answerFlips, resolveSettings, stepAt } from './metrics';

/** One finding; token ranges are [startToken, endToken) in the trace's tokens. */
export interface Finding {
  code: TraceDiagnosticCode;
  severity: 'warning' | 'information';
  message: string;
  startToken: number;
  endToken: number;
  /** Other places the finding concerns (the other steps of a loop, the injection before a flip). */
  related: { startToken: number; endToken: number; message: string }[];
}

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (x: number) => `${Math.round(x * 100)}%`;
/** Quotes model text for a message: one line, at most `max` characters. */
export function quote(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return `“${one.length > max ? `${one.slice(0, max - 1)}…` : one}”`;
}

/** Every finding of a trace, ordered by position. */
export function detectFindings(
  trace: TraceDocument,
  analysis: TraceAnalysis,
  generated: GeneratedText,
  options: Partial<AnalysisSettings> = {},
): Finding[] {
  const settings = resolveSettings(options);
  const findings = [
    ...loopFindings(analysis, settings),
    ...overthinkingFindings(analysis, generated, settings),
    ...flipFindings(trace, analysis, generated),
    ...forcedCutFindings(trace, generated),
  ];
  return findings.sort((a, b) => a.startToken - b.startToken);
}

function loopFindings(analysis: TraceAnalysis, settings: AnalysisSettings): Finding[] {
  const { steps } = analysis;
  return analysis.metrics.loops.map((group) => {
    const first = steps[group[0]!]!;
    const repeat = steps[group[1]!]!;
    const names = group.map((i) => String(i + 1));
    const list = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    return {
      code: TRACE_DIAGNOSTIC_CODES.repeatedSteps,
      severity: 'warning' as const,
      message:
        `Steps ${list} repeat each other (word-trigram similarity ≥ ${settings.loopSimilarity}): ` +
        `the model goes over the same ground ${group.length} times, starting ${quote(first.preview)}.`,
      startToken: repeat.startToken,
      endToken: Math.min(repeat.endToken, repeat.startToken + 1),
      related: group
        .filter((i) => i !== group[1])
        .map((i) => ({
          startToken: steps[i]!.startToken,
          endToken: steps[i]!.startToken + 1,
          message: `Step ${i + 1}: ${quote(steps[i]!.preview)}`,
        })),
    };
  });
}

function overthinkingFindings(analysis: TraceAnalysis, g: GeneratedText, settings: AnalysisSettings): Finding[] {
  const m = analysis.metrics;
  if (m.firstCorrectToken === null || m.tokensAfterFirstCorrect === null || m.thinkingTokens === 0) return [];
  const share = m.tokensAfterFirstCorrect / m.thinkingTokens;
  if (m.tokensAfterFirstCorrect < settings.overthinkingMinTokens || share < settings.overthinkingShare) return [];
  const candidate = analysis.candidates.find((c) => c.phase === 'thinking' && c.correct === true)!;
  const step = stepAt(analysis.steps, candidate.token);
  const against = m.reference === 'ground-truth' ? 'the ground truth' : 'the final answer';
  return [
    {
      code: TRACE_DIAGNOSTIC_CODES.thinkingAfterCorrect,
      severity: 'warning',
      message:
        `A correct answer (${quote(candidate.text)}, matching ${against}) appears at token ${fmt(candidate.token)}` +
        `${step ? ` in step ${step.index + 1}` : ''}; thinking goes on for ${fmt(m.tokensAfterFirstCorrect)} more tokens ` +
        `(${pct(share)} of ${fmt(m.thinkingTokens)} thinking tokens).`,
      startToken: candidate.token,
      endToken: Math.max(candidate.token + 1, firstTokenFrom(g, candidate.endChar)),
      related: [],
    },
  ];
}

function flipFindings(trace: TraceDocument, analysis: TraceAnalysis, g: GeneratedText): Finding[] {
  return answerFlips(trace, analysis).map((flip) => {
    const detail =
      flip.effect === 'lost'
        ? ' It was correct before and is not after.'
        : flip.effect === 'gained'
          ? ' It was wrong before and is correct after.'
          : '';
    return {
      code: TRACE_DIAGNOSTIC_CODES.answerFlipAfterWait,
      severity: flip.effect === 'lost' ? ('warning' as const) : ('information' as const),
      message:
        `After the injected ${quote(flip.injectedText || '(extension)')} at token ${fmt(flip.injectedStart)}, ` +
        `the answer changes from ${quote(flip.before.text)} to ${quote(flip.after.text)}.${detail}`,
      startToken: flip.after.token,
      endToken: Math.max(flip.after.token + 1, firstTokenFrom(g, flip.after.endChar)),
      related: [
        {
          startToken: flip.injectedStart,
          endToken: Math.max(flip.injectedEnd, flip.injectedStart + 1),
          message: `Injected ${quote(flip.injectedText || '(extension)')}`,
        },
        {
          startToken: flip.before.token,
          endToken: flip.before.token + 1,
          message: `Answer before: ${quote(flip.before.text)}`,
        },
      ],
    };
  });
}

/** Sentence ends: punctuation, possibly followed by closing quotes, brackets or emphasis. */
const SENTENCE_END = /(?:[.!?…。][)"'”’\]*_]*|\\\]|\$\$|```)$/;

function forcedCutFindings(trace: TraceDocument, g: GeneratedText): Finding[] {
  const out: Finding[] = [];
  for (const ev of trace.events) {
    if (ev.kind !== 'forced-end' && ev.kind !== 'user-forced-end') continue;
    const at = Math.max(0, Math.min(ev.at, trace.tokens.length));
    // The thinking text before the cut.
    let from = at;
    while (from > 0 && trace.tokens[from - 1]!.phase === 'thinking' && at - from < 200) from--;
    const before = g.text.slice(g.starts[from]!, g.starts[at]!);
    if (before.trim() === '' || /\n\s*$/.test(before) || SENTENCE_END.test(before.trimEnd())) continue;
    const last = before.trimEnd();
    const lastSentence = last.slice(Math.max(0, last.search(/[^.!?\n]*$/)));
    const who = ev.kind === 'forced-end' ? 'the thinking budget' : 'the user';
    out.push({
      code: TRACE_DIAGNOSTIC_CODES.forcedCutMidSentence,
      severity: 'information',
      message:
        `Thinking was cut by ${who} in the middle of a sentence at token ${fmt(at)}` +
        `${ev.thinkingTokens !== undefined ? ` (${fmt(ev.thinkingTokens)} thinking tokens)` : ''}: ` +
        `${quote(lastSentence.length > 60 ? `…${lastSentence.slice(-59)}` : lastSentence, 61)}.`,
      startToken: Math.max(0, at - 1),
      endToken: Math.max(1, at),
      related:
        at < trace.tokens.length
          ? [{ startToken: at, endToken: at + 1, message: `Forced here: ${quote(ev.injected ?? trace.tokens[at]!.text)}` }]
          : [],
    });
  }
  return out;
}
