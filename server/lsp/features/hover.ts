/**
 * Hovers on trace documents: over a token, its text, probability (exp(logprob)), entropy and top
 * alternatives, its step and any answer candidate it starts; over an injected or forced token or
 * an intervention (a JSON event object, an inline marker), what the model wanted, with what
 * probability, and what was put in its place.
 */
import type { Hover } from 'vscode-languageserver';
import type { TraceDocument, TraceEvent, TraceToken } from '../../../protocol/trace';
import { stepAt } from '../../analysis/metrics';
import type { DocumentAnalysis, TraceDocumentModel } from '../traceDocument';
import { eventKindLabel } from './textView';

const fmt = (n: number) => n.toLocaleString('en-US');

/** exp(logprob) as a percentage with sensible precision. */
export function formatProbability(logprob: number): string {
  const p = Math.exp(logprob) * 100;
  if (p >= 10) return `${p.toFixed(1)}%`;
  if (p >= 0.01) return `${p.toPrecision(2)}%`;
  return `${p.toExponential(1)}%`;
}

/** Model text as inline code, escapes visible ("\n" shows as \n), any backticks fenced safely. */
export function codeSpan(text: string): string {
  const json = JSON.stringify(text);
  const longest = Math.max(0, ...(json.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${json}${fence}` : `${fence} ${json} ${fence}`;
}

const SOURCE_LABEL: Record<TraceToken['source'], string> = {
  model: 'sampled by the model',
  injected: 'injected',
  forced: 'forced by the budget',
};

/** The hover at `offset` in a trace document, or null when nothing is there. */
export function traceHover(model: TraceDocumentModel, offset: number, analysis: DocumentAnalysis | null): Hover | null {
  const trace = model.trace;
  if (!trace) return null;
  const ev = model.layout.eventAt(offset);
  const evSpan = ev >= 0 ? model.layout.eventSpan(ev) : null;
  if (evSpan) {
    return {
      contents: { kind: 'markdown', value: eventMarkdown(trace, ev) },
      range: model.lines.range(evSpan[0], evSpan[1]),
    };
  }
  const token = model.layout.tokenAt(offset);
  if (token < 0) return null;
  const [start, end] = model.layout.tokenText(token);
  const span = end > start ? [start, end] : model.layout.tokenSpan(token);
  return {
    contents: { kind: 'markdown', value: tokenMarkdown(model, token, analysis) },
    range: model.lines.range(span[0]!, span[1]!),
  };
}

/** Markdown for token `index`. */
export function tokenMarkdown(model: TraceDocumentModel, index: number, analysis: DocumentAnalysis | null): string {
  const trace = model.trace!;
  const t = trace.tokens[index]!;
  const lines: string[] = [];
  const step = analysis ? stepAt(analysis.analysis.steps, index) : undefined;
  const stepText = step ? ` · step ${step.index + 1}${step.cue ? ` (${step.cue})` : ''}` : '';
  lines.push(`**Token ${fmt(index)}** · ${t.phase} · ${SOURCE_LABEL[t.source]}${stepText}`);
  lines.push('');
  lines.push(`${codeSpan(t.text)} (id ${t.id})`);
  lines.push('');
  const stats: string[] = [];
  if (t.logprob !== null && t.logprob !== undefined) stats.push(`probability **${formatProbability(t.logprob)}** (logprob ${t.logprob.toFixed(3)})`);
  if (t.entropy !== null && t.entropy !== undefined) stats.push(`entropy **${t.entropy.toFixed(2)}** nats`);
  if (stats.length > 0) {
    lines.push(stats.join(' · '));
    lines.push('');
  }
  const top = t.top ?? [];
  if (top.length > 0) {
    lines.push('Top alternatives:');
    for (const alt of top.slice(0, 10)) {
      const chosen = alt.id === t.id ? ' ← this token' : '';
      lines.push(`- ${codeSpan(alt.text)} ${formatProbability(alt.logprob)}${chosen}`);
    }
    lines.push('');
  }
  if (analysis) {
    const candidate = analysis.analysis.candidates.find((c) => c.token === index);
    if (candidate) {
      const verdict = candidate.correct === null ? '' : candidate.correct ? ' — correct' : ' — not correct';
      lines.push(`Answer candidate (${candidate.kind}): ${codeSpan(candidate.text)}${verdict}`);
      lines.push('');
    }
  }
  // The intervention that put this token in.
  if (t.source !== 'model') {
    let runStart = index;
    while (runStart > 0 && trace.tokens[runStart - 1]!.source === t.source && index - runStart < 10_000) runStart--;
    for (const k of model.eventsAtToken(runStart)) lines.push(eventMarkdown(trace, k), '');
  }
  // Interventions recorded at this very token.
  for (const k of model.eventsAtToken(index)) {
    if (t.source !== 'model' && eventsStartRun(trace, index)) continue; // already shown above
    lines.push(eventMarkdown(trace, k), '');
  }
  return lines.join('\n').trimEnd();
}

function eventsStartRun(trace: TraceDocument, index: number): boolean {
  const t = trace.tokens[index]!;
  return index === 0 || trace.tokens[index - 1]!.source !== t.source;
}

/** Markdown for event `k`: what happened, what the model wanted, what was put in. */
export function eventMarkdown(trace: TraceDocument, k: number): string {
  const ev: TraceEvent = trace.events[k]!;
  const lines = [`**Intervention: ${eventKindLabel(ev.kind)}** · event ${k + 1} at token ${fmt(ev.at)}`];
  if (ev.wanted) {
    const p = ev.wanted.logprob === null ? 'unknown probability' : `probability ${formatProbability(ev.wanted.logprob)}`;
    lines.push(`- The model wanted ${codeSpan(ev.wanted.text)} (id ${ev.wanted.id}) with ${p}.`);
  }
  if (ev.injected !== undefined) {
    const verb = ev.kind === 'suppressed-end' || ev.kind === 'user-injected' ? 'Injected' : 'Forced';
    lines.push(`- ${verb} in its place: ${codeSpan(ev.injected)}.`);
  }
  if (ev.thinkingTokens !== undefined) lines.push(`- Thinking tokens at that point: ${fmt(ev.thinkingTokens)}.`);
  if (ev.detail) lines.push(`- ${ev.detail.replace(/\s+/g, ' ')}`);
  if (ev.branchTraceId) lines.push(`- Abandoned branch kept as trace ${codeSpan(ev.branchTraceId)}.`);
  return lines.join('\n');
}
