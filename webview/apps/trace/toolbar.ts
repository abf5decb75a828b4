/**
 * The header: where the trace came from, its state (live, finished, failed), stepping buttons
 * for mouse users, replay with its speed, the heat colouring and help. Controls come from the
 * toolkit folder only.
 */
import type { StepCommand } from '../../../protocol/webview';
import { HEAT_MODES, REPLAY_SPEEDS, type HeatMode } from '../../../protocol/traceView';
import { h } from '../../shared/dom';
import { createBadge, createButton, createDropdown, createProgressRing, type ToolkitBadge, type ToolkitButton, type ToolkitDropdown } from '../../toolkit';

const STEP_BUTTONS: readonly { command: StepCommand; icon: string; title: string }[] = [
  { command: 'jumpToStart', icon: 'debug-restart', title: 'First token (Home)' },
  { command: 'prevIntervention', icon: 'debug-reverse-continue', title: 'Previous intervention (Shift+I)' },
  { command: 'prevStep', icon: 'arrow-up', title: 'Previous step (↑)' },
  { command: 'prevToken', icon: 'chevron-left', title: 'Previous token (←)' },
  { command: 'nextToken', icon: 'chevron-right', title: 'Next token (→)' },
  { command: 'nextStep', icon: 'arrow-down', title: 'Next step (↓)' },
  { command: 'nextIntervention', icon: 'debug-continue', title: 'Next intervention (i)' },
  { command: 'nextCue', icon: 'comment', title: 'Next reflection cue (w)' },
  { command: 'jumpToAnswer', icon: 'pass', title: 'Jump to the answer (a)' },
];

const HEAT_LABELS: Record<HeatMode, string> = { off: 'Heat: off', probability: 'Heat: probability', entropy: 'Heat: entropy' };

export interface ToolbarHandlers {
  onCommand(command: StepCommand): void;
  onHeat(mode: HeatMode): void;
  onSpeed(speed: number): void;
}

export class Toolbar {
  readonly element: HTMLElement;
  private readonly label: HTMLElement;
  private readonly status: ToolkitBadge;
  private readonly spinner: HTMLElement;
  private readonly replay: ToolkitButton;
  private readonly heat: ToolkitDropdown<HeatMode>;
  private readonly speed: ToolkitDropdown<string>;

  constructor(parent: HTMLElement, handlers: ToolbarHandlers, initial: { heat: HeatMode; speed: number }) {
    this.element = h('header', 'ts-header');
    const title = h('div', 'ts-title');
    this.label = h('span', 'ts-label', 'Trace');
    this.status = createBadge('', 'Trace state');
    this.status.element.classList.add('ts-status');
    this.spinner = createProgressRing('Generating');
    this.spinner.classList.add('ts-spinner');
    this.spinner.hidden = true;
    title.append(this.label, this.status.element, this.spinner);

    const controls = h('div', 'ts-controls');
    controls.setAttribute('role', 'toolbar');
    controls.setAttribute('aria-label', 'Stepping');
    for (const button of STEP_BUTTONS) {
      controls.append(createButton({ icon: button.icon, title: button.title, onClick: () => handlers.onCommand(button.command) }).element);
    }
    this.replay = createButton({ icon: 'play', title: 'Replay from here (Space)', onClick: () => handlers.onCommand('toggleReplay') });
    this.speed = createDropdown({
      options: REPLAY_SPEEDS.map((s) => ({ value: String(s), label: `${s} tok/s` })),
      value: String(initial.speed),
      title: 'Replay speed',
      onChange: (value) => handlers.onSpeed(Number(value)),
    });
    this.heat = createDropdown({
      options: HEAT_MODES.map((mode) => ({ value: mode, label: HEAT_LABELS[mode] })),
      value: initial.heat,
      title: 'Heat colouring (h)',
      onChange: (mode) => handlers.onHeat(mode),
    });
    const help = createButton({ icon: 'question', title: 'Keyboard shortcuts (?)', onClick: () => handlers.onCommand('toggleHelp') });
    controls.append(h('span', 'ts-sep'), this.replay.element, this.speed.element, h('span', 'ts-sep'), this.heat.element, help.element);
    this.element.append(title, controls);
    parent.append(this.element);
  }

  /** Shows where the trace came from. */
  setLabel(label: string): void {
    this.label.textContent = label;
    this.label.title = label;
  }

  /** Shows the trace's state: e.g. "live", "stop: eos", "failed". */
  setStatus(text: string, live: boolean): void {
    this.status.setText(text);
    this.status.element.hidden = text === '';
    this.spinner.hidden = !live;
  }

  setReplaying(replaying: boolean): void {
    this.replay.setIcon(replaying ? 'debug-pause' : 'play');
    this.replay.setTitle(replaying ? 'Stop replay (Space)' : 'Replay from here (Space)');
  }

  setHeat(mode: HeatMode): void {
    this.heat.setValue(mode);
  }

  setSpeed(speed: number): void {
    this.speed.setValue(String(speed));
  }
}
