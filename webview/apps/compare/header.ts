/**
 * The top of the compare view: the question, the ground truth, how the sweep ran and how far it
 * has got (live cells done / total, cancelled, failed, where it was saved).
 */
import { codicon, h } from '../../shared/dom';
import { formatCount } from '../../shared/format';
import type { SweepModel } from './model';

export class SweepHeader {
  readonly element: HTMLElement;
  private readonly question: HTMLElement;
  private readonly facts: HTMLElement;
  private readonly status: HTMLElement;

  constructor(parent: HTMLElement) {
    this.element = h('header', 'cv-header');
    this.question = h('h1', 'cv-question');
    this.facts = h('div', 'cv-facts');
    this.status = h('div', 'cv-status');
    this.status.setAttribute('role', 'status');
    this.element.append(this.question, this.facts, this.status);
    parent.append(this.element);
  }

  render(model: SweepModel, source: string): void {
    this.question.textContent = model.question;
    this.question.title = model.question;
    this.facts.replaceChildren();
    const fact = (icon: string, text: string, title: string): void => {
      const span = h('span', 'cv-fact');
      span.title = title;
      span.append(codicon(icon), h('span', '', text));
      this.facts.append(span);
    };
    fact('target', model.judged() ? `ground truth: ${model.groundTruth}` : 'no ground truth', 'What the final answers are judged against');
    fact(model.mode === 'shared' ? 'git-merge' : 'repo-forked', model.mode === 'shared' ? 'shared prefix' : 'naive: every cell from scratch', model.mode === 'shared'
      ? 'The longest line was generated once; each budget branched off it'
      : 'Every cell was generated from scratch');
    if (model.timing) {
      fact(
        'watch',
        `${(model.timing.durationMs / 1000).toFixed(1)} s · ${formatCount(model.timing.evaluatedTokens)} tokens evaluated`,
        'Wall time of the sweep, and the tokens the model evaluated after the prompt (what sharing saves)',
      );
    }
    fact('file', source, 'Where this sweep comes from');
    this.status.replaceChildren();
    const total = formatCount(model.total());
    switch (model.status) {
      case 'running':
        this.status.append(codicon('loading', 'codicon-modifier-spin'), h('span', '', `Running: ${formatCount(model.finished())} / ${total} cells`));
        break;
      case 'done':
        this.status.append(codicon('pass'), h('span', '', `Done: ${formatCount(model.done())} / ${total} cells`));
        break;
      case 'cancelled':
        this.status.append(codicon('circle-slash'), h('span', '', `Cancelled: ${formatCount(model.done())} / ${total} cells done`));
        break;
      case 'failed':
        this.status.append(codicon('error'), h('span', '', `Failed after ${formatCount(model.done())} / ${total} cells${model.failure ? `: ${model.failure}` : ''}`));
        break;
    }
    this.status.className = `cv-status cv-status-${model.status}`;
    if (model.savedTo) {
      const saved = h('span', 'cv-fact cv-muted');
      saved.append(codicon('save'), h('span', '', `saved to ${model.savedTo}`));
      this.status.append(saved);
    }
  }
}
