/**
 * Trace events as the stepper shows them: which ones are interventions (the stepper's
 * "next intervention" visits them), their icon, and the text of their marker's detail.
 */
import type { TraceDocument, TraceEvent, TraceEventKind, WantedToken } from '../../../protocol/trace';
import { formatCount, formatNumber, formatProbability, quoteTokenText } from '../../shared/format';

/** Events where the budget or the user changed what the model produced. */
export const INTERVENTION_KINDS: ReadonlySet<TraceEventKind> = new Set<TraceEventKind>([
  'suppressed-end',
  'forced-end',
  'eos-in-thinking',
  'user-injected',
  'user-chose-token',
  'user-forced-end',
  'rewind',
]);

/** Whether an event changed the generation (as opposed to recording how it went). */
export function isIntervention(event: TraceEvent): boolean {
  return INTERVENTION_KINDS.has(event.kind);
}

const TITLES: Record<TraceEventKind, string> = {
  'suppressed-end': 'Suppressed end of thinking',
  'forced-end': 'Forced end of thinking (budget reached)',
  'natural-end': 'The model ended thinking',
  'thinking-reopened': 'Thinking reopened in the answer',
  'eos-in-thinking': 'End of sequence while thinking: answer forced',
  'answer-cap': 'The answer reached its token cap',
  'context-full': 'The context window is full',
  cancelled: 'Cancelled',
  interrupted: 'Generation interrupted',
  'user-injected': 'Text injected by the user',
  'user-chose-token': 'Token chosen by the user',
  'user-forced-end': 'End of thinking forced by the user',
  rewind: 'Rewound',
  paused: 'Paused',
};

const ICONS: Record<TraceEventKind, string> = {
  'suppressed-end': 'circle-slash',
  'forced-end': 'debug-stop',
  'natural-end': 'pass',
  'thinking-reopened': 'debug-restart',
  'eos-in-thinking': 'warning',
  'answer-cap': 'warning',
  'context-full': 'warning',
  cancelled: 'error',
  interrupted: 'error',
  'user-injected': 'edit',
  'user-chose-token': 'list-selection',
  'user-forced-end': 'debug-stop',
  rewind: 'debug-reverse-continue',
  paused: 'debug-pause',
};

/** The codicon name for an event kind. */
export function eventIcon(kind: TraceEventKind): string {
  return ICONS[kind];
}

/** A marker's detail: a title and lines of plain text. */
export interface EventDescription {
  title: string;
  lines: string[];
}

/** `"</think>" (p = 0.887, logprob -0.120)`; the probability is exp(logprob). */
export function describeWanted(wanted: WantedToken): string {
  if (wanted.logprob === null) return quoteTokenText(wanted.text);
  return `${quoteTokenText(wanted.text)} (p = ${formatProbability(Math.exp(wanted.logprob))}, logprob ${formatNumber(wanted.logprob)})`;
}

/** The text shown for an event: what the model wanted, what was put in its place, and where. */
export function describeEvent(event: TraceEvent, trace: TraceDocument): EventDescription {
  const lines: string[] = [];
  const where = `At token ${formatCount(event.at + 1)}${event.thinkingTokens !== undefined ? `, after ${formatCount(event.thinkingTokens)} thinking tokens` : ''}`;
  const budget = trace.budget;
  if (event.wanted) lines.push(`Model wanted: ${describeWanted(event.wanted)}`);
  if (event.kind === 'forced-end' && event.injected === undefined) {
    lines.push(`Forced: ${quoteTokenText(trace.delimiters.thinkEnd)} + ${quoteTokenText(budget.answerPrefix)}`);
  } else if (event.injected !== undefined) {
    const verb = event.kind === 'user-chose-token' ? 'Chosen' : event.kind.includes('forced') || event.kind === 'eos-in-thinking' ? 'Forced' : 'Injected';
    lines.push(`${verb}: ${quoteTokenText(event.injected)}`);
  }
  lines.push(where);
  if (event.kind === 'suppressed-end' && budget.minThinkingTokens > 0) {
    lines.push(`Minimum thinking: ${formatCount(budget.minThinkingTokens)} tokens`);
  }
  if (event.kind === 'forced-end' && budget.maxThinkingTokens !== null) {
    lines.push(`Maximum thinking: ${formatCount(budget.maxThinkingTokens)} tokens`);
  }
  if (event.kind === 'answer-cap') lines.push(`Answer cap: ${formatCount(budget.maxAnswerTokens)} tokens`);
  if (event.detail) lines.push(event.detail);
  if (event.branchTraceId) lines.push(`Abandoned branch kept as trace ${event.branchTraceId}`);
  return { title: TITLES[event.kind], lines };
}
