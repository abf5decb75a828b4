/**
 * The detail pane: the selected token (text, source, log-probability, probability, entropy, top
 * alternatives), the intervention it belongs to (what the model wanted and what was put in its
 * place), its step and answer candidate, and a summary of the trace.
 */
import type { TraceModel } from './model';
import { h } from '../../shared/dom';
import { formatCount, formatNumber, formatPercent, formatProbability, preview, probabilityOf, quoteTokenText } from '../../shared/format';
import { describeEvent } from './events';

const KIND_LABELS = {
  thinking: 'thinking',
  injected: 'injected',
  forced: 'forced',
  answer: 'answer',
} as const;

export class DetailPane {
  readonly element: HTMLElement;
  private readonly token: HTMLElement;
  private readonly intervention: HTMLElement;
  private readonly context: HTMLElement;
  private readonly summary: HTMLElement;

  constructor(parent: HTMLElement) {
    this.element = h('aside', 'ts-detail');
    this.element.setAttribute('aria-label', 'Selected token');
    this.element.setAttribute('aria-live', 'polite');
    this.token = h('section', 'ts-detail-token');
    this.intervention = h('section', 'ts-detail-intervention');
    this.context = h('section', 'ts-detail-context');
    this.summary = h('section', 'ts-detail-summary');
    this.element.append(this.token, this.intervention, this.context, this.summary);
    parent.append(this.element);
  }

  /** Shows token `position` of `model`. */
  show(model: TraceModel, position: number): void {
    this.renderToken(model, position);
    this.renderIntervention(model, position);
    this.renderContext(model, position);
  }

  /** Shows the trace-level summary (question, budget, outcome); call when the trace or its analysis changes. */
  showSummary(model: TraceModel): void {
    const trace = model.trace;
    const rows: [string, string][] = [['Question', preview(trace.question, 300)]];
    if (trace.groundTruth !== null) rows.push(['Ground truth', trace.groundTruth]);
    rows.push(['Model', trace.model.name]);
    const budget = trace.budget;
    rows.push(['Budget', `min ${formatCount(budget.minThinkingTokens)} · max ${budget.maxThinkingTokens === null ? '∞' : formatCount(budget.maxThinkingTokens)} thinking tokens`]);
    rows.push(['Tokens', `${formatCount(trace.thinkingTokens)} thinking · ${formatCount(trace.answerTokens)} answer`]);
    rows.push(['Stop', trace.stopReason]);
    const metrics = model.metrics;
    if (metrics) {
      const verdict = metrics.correct === null ? '' : metrics.correct ? ' ✓' : ' ✗';
      rows.push(['Final answer', `${metrics.finalAnswer ?? '—'}${verdict}`]);
      if (metrics.firstCorrectToken !== null) {
        rows.push(['First correct', `token ${formatCount(metrics.firstCorrectToken + 1)} (${formatCount(metrics.tokensAfterFirstCorrect ?? 0)} thinking tokens after)`]);
      }
      if (metrics.outcomeEfficiency !== null) rows.push(['Outcome efficiency', formatNumber(metrics.outcomeEfficiency, 2)]);
    }
    rows.push(['Steps', `${formatCount(model.steps.length)}${model.structureSource === 'local' ? ' (paragraphs, local)' : ''}`]);
    this.summary.replaceChildren(h('h3', '', 'Trace'), definitionList(rows));
  }

  private renderToken(model: TraceModel, position: number): void {
    if (position < 0 || position >= model.length) {
      this.token.replaceChildren(h('h3', '', 'Token'), h('p', 'ts-muted', model.length === 0 ? 'No tokens yet.' : 'No token selected.'));
      return;
    }
    const token = model.trace.tokens[position];
    const p = probabilityOf(token.logprob);
    const rows: [string, string][] = [
      ['Text', quoteTokenText(token.text)],
      ['Id', String(token.id)],
      ['Span', `${KIND_LABELS[model.kind(position)]} (${token.source}, ${token.phase})`],
      ['Logprob', formatNumber(token.logprob)],
      ['Probability', p === null ? '—' : formatProbability(p)],
      ['Entropy', token.entropy === null ? '—' : `${formatNumber(token.entropy)} nats`],
    ];
    const heading = h('h3', '', `Token ${formatCount(position + 1)}`);
    const children: Node[] = [heading, definitionList(rows)];
    const alternatives = model.alternatives(position);
    if (alternatives.length > 0) {
      const list = h('ol', 'ts-alternatives');
      list.setAttribute('aria-label', 'Top alternatives');
      for (const alt of alternatives) {
        const altP = Math.exp(alt.logprob);
        const item = h('li', alt.id === token.id && alt.text === token.text ? 'ts-alt ts-alt-chosen' : 'ts-alt');
        const bar = h('span', 'ts-alt-bar');
        bar.style.width = `${Math.max(1, Math.round(altP * 100))}%`;
        item.append(bar, h('span', 'ts-alt-text', quoteTokenText(alt.text)), h('span', 'ts-alt-p', formatPercent(altP)));
        list.append(item);
      }
      children.push(h('h4', '', 'Top alternatives'), list);
    }
    this.token.replaceChildren(...children);
  }

  private renderIntervention(model: TraceModel, position: number): void {
    const placed = model.interventionCovering(position);
    const here = model.eventsAt(position).filter((p) => p !== placed);
    const shown = placed ? [placed, ...here] : here;
    if (shown.length === 0) {
      this.intervention.replaceChildren();
      this.intervention.hidden = true;
      return;
    }
    this.intervention.hidden = false;
    const children: Node[] = [];
    for (const item of shown) {
      const description = describeEvent(item.event, model.trace);
      children.push(h('h3', `ts-event-title m-${item.event.kind}`, description.title));
      for (const line of description.lines) children.push(h('p', 'ts-event-line', line));
    }
    this.intervention.replaceChildren(...children);
  }

  private renderContext(model: TraceModel, position: number): void {
    const children: Node[] = [];
    const stepIndex = model.stepIndexAt(position);
    if (stepIndex >= 0) {
      const step = model.steps[stepIndex];
      const label = `Step ${formatCount(stepIndex + 1)} / ${formatCount(model.steps.length)}${step.cue ? ` · cue “${step.cue}”` : ''} · ${step.phase}`;
      children.push(h('h3', '', label), h('p', 'ts-step-preview', model.stepPreview(stepIndex)));
    }
    const candidate = model.candidateAt(position);
    if (candidate) {
      const verdict = candidate.correct === null ? 'not judged' : candidate.correct ? 'correct' : 'incorrect';
      children.push(h('p', `ts-candidate ts-candidate-${candidate.correct === null ? 'unknown' : candidate.correct ? 'correct' : 'wrong'}`,
        `Answer candidate ${quoteTokenText(candidate.text)} (${candidate.kind}, ${verdict})`));
    }
    this.context.replaceChildren(...children);
  }
}

/** A <dl> of label/value pairs, all set as text. */
function definitionList(rows: readonly [string, string][]): HTMLDListElement {
  const list = h('dl', 'ts-dl');
  for (const [label, value] of rows) list.append(h('dt', '', label), h('dd', '', value));
  return list;
}
