/**
 * A small hand-made trace whose steps, cues and interventions are known by heart, for the
 * stepper's tests. Token indices (from 0):
 *
 *   0 "Okay" … 7 ".\n\n"                 step 1
 *   8 "Hmm" (cue) … 13 ".\n\n"           step 2
 *  14 "Yes" 15 "." 16 "\n"               step 3 (paragraph)
 *  17 "Wait" (injected, suppressed end)  step 4, cue
 *  21 "But" 22 " wait" (cue) … 24        step 5
 *  25 "</think>" (forced end) … 30 " 4"  step 6, the answer
 */
import type { TokenPhase, TokenSource, TraceDocument, TraceEvent, TraceToken } from '../../protocol/trace';

type Spec = [text: string, source?: TokenSource, phase?: TokenPhase];

const SPECS: Spec[] = [
  ['Okay'], [','], [' 2'], [' +'], [' 2'], [' ='], [' 4'], ['.\n\n'],
  ['Hmm'], [','], [' check'], [':'], [' 4'], ['.\n\n'],
  ['Yes'], ['.'], ['\n'],
  ['Wait', 'injected'], [','], [' sure'], ['.\n\n'],
  ['But'], [' wait'], [' fine'], ['.\n'],
  ['</think>', 'forced', 'answer'], ['\n\n', 'forced', 'answer'], ['Final', 'forced', 'answer'], [' Answer', 'forced', 'answer'], [':', 'forced', 'answer'],
  [' 4', 'model', 'answer'],
];

/** Expected positions in the known trace. */
export const KNOWN = {
  length: SPECS.length,
  stepStarts: [0, 8, 14, 17, 21, 25],
  cues: [8, 17, 21],
  interventions: [17, 25],
  answerStart: 25,
} as const;

/** A model token with plausible numbers. */
export function token(text: string, source: TokenSource = 'model', phase: TokenPhase = 'thinking', index = 0): TraceToken {
  if (source !== 'model') return { id: 1000 + index, text, logprob: null, entropy: null, top: [], source, phase };
  const logprob = -0.05 - (index % 5) * 0.3;
  return {
    id: 1000 + index,
    text,
    logprob,
    entropy: 0.2 + (index % 7) * 0.35,
    top: [
      { id: 1000 + index, text, logprob },
      { id: 9, text: ' so', logprob: logprob - 1.5 },
      { id: 10, text: '<b>x</b>', logprob: logprob - 2.5 },
    ],
    source,
    phase,
  };
}

/** A complete trace document around the given tokens and events. */
export function traceOf(id: string, tokens: TraceToken[], events: TraceEvent[]): TraceDocument {
  const thinking = tokens.filter((t) => t.phase === 'thinking').length;
  return {
    format: 'thinkscope.trace',
    version: 1,
    id,
    createdAt: '2025-03-01T12:00:00.000Z',
    question: 'What is 2 + 2?',
    groundTruth: '4',
    prompt: '<think>\n',
    model: { name: 'test-model', path: null, sha256: null, engine: 'local', chatTemplate: null },
    sampling: { temperature: 0, topK: 0, topP: 1, seed: 1 },
    budget: { minThinkingTokens: 20, maxThinkingTokens: 25, ignoreEnd: null, extendWith: 'Wait', answerPrefix: 'Final Answer:', maxAnswerTokens: 16 },
    delimiters: { thinkStart: '<think>', thinkEnd: '</think>' },
    tokens,
    events,
    thinkingTokens: thinking,
    answerTokens: tokens.length - thinking,
    answer: '',
    stopReason: 'eos',
    generator: { name: 'thinkscope', version: '0.1.0' },
  };
}

/** The known trace (a fresh copy each call). */
export function knownTrace(id = 'known-trace'): TraceDocument {
  const tokens = SPECS.map(([text, source, phase], i) => token(text, source, phase, i));
  const events: TraceEvent[] = [
    { kind: 'suppressed-end', at: 17, wanted: { id: 151649, text: '</think>', logprob: -0.1 }, injected: 'Wait', thinkingTokens: 17 },
    { kind: 'forced-end', at: 25, wanted: { id: 77, text: ' So', logprob: -0.7 }, injected: '</think>\n\nFinal Answer:', thinkingTokens: 25 },
  ];
  const trace = traceOf(id, tokens, events);
  trace.answer = 'Final Answer: 4';
  return trace;
}
