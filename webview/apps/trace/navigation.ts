/**
 * Where each stepping command moves the selection. Pure: a model and a position in, a position
 * (or null when there is nowhere to go) out.
 */
import type { StepCommand } from '../../../protocol/webview';
import type { TraceModel } from './model';

/** The commands that move the selection. */
export type MoveCommand = Exclude<StepCommand, 'toggleHeat' | 'toggleReplay' | 'toggleHelp'>;

const MOVES: ReadonlySet<StepCommand> = new Set<StepCommand>([
  'nextToken', 'prevToken', 'nextStep', 'prevStep', 'nextIntervention', 'prevIntervention',
  'nextCue', 'prevCue', 'jumpToAnswer', 'jumpToStart',
]);

/** Whether a command moves the selection (the others toggle view modes). */
export function isMoveCommand(command: StepCommand): command is MoveCommand {
  return MOVES.has(command);
}

/** First value in sorted `positions` greater than `x`, or null. */
function nextAfter(positions: readonly number[], x: number): number | null {
  for (const p of positions) if (p > x) return p;
  return null;
}

/** Last value in sorted `positions` less than `x`, or null. */
function lastBefore(positions: readonly number[], x: number): number | null {
  let found: number | null = null;
  for (const p of positions) {
    if (p >= x) break;
    found = p;
  }
  return found;
}

/** The position `command` moves to from `position`, or null when there is none in that direction. */
export function navigate(model: TraceModel, position: number, command: MoveCommand): number | null {
  const n = model.length;
  if (n === 0) return null;
  const at = Math.max(0, Math.min(position, n - 1));
  let target: number | null;
  switch (command) {
    case 'nextToken':
      target = at + 1 < n ? at + 1 : null;
      break;
    case 'prevToken':
      target = at > 0 ? at - 1 : null;
      break;
    case 'nextStep':
    case 'prevStep': {
      const steps = model.steps;
      const current = model.stepIndexAt(at);
      if (command === 'nextStep') {
        target = current + 1 < steps.length ? steps[current + 1].startToken : null;
      } else if (current >= 0 && at > steps[current].startToken) {
        target = steps[current].startToken;
      } else {
        target = current > 0 ? steps[current - 1].startToken : null;
      }
      break;
    }
    case 'nextIntervention':
      target = nextAfter(model.interventions.map((e) => e.token), at);
      break;
    case 'prevIntervention':
      target = lastBefore(model.interventions.map((e) => e.token), at);
      break;
    case 'nextCue':
      target = nextAfter(model.cues.map((c) => c.token), at);
      break;
    case 'prevCue':
      target = lastBefore(model.cues.map((c) => c.token), at);
      break;
    case 'jumpToAnswer':
      target = model.answerStart >= 0 && model.answerStart !== at ? model.answerStart : null;
      break;
    case 'jumpToStart':
      target = at !== 0 ? 0 : null;
      break;
  }
  return target === null ? null : Math.max(0, Math.min(target, n - 1));
}
