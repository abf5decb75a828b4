/**
 * The stepper's keys. The same table drives the key handler, the help overlay and (by hand) the
 * keybindings the extension contributes, so VS Code lists them and users can rebind them there.
 * A key the page handles does not reach VS Code (its propagation stops at the document), so a
 * stepping key is never applied twice; keys the page does not know go on to VS Code.
 */
import type { StepCommand } from '../../../protocol/webview';
import { isEditableOrControl } from '../../shared/dom';

export interface KeyBinding {
  /** KeyboardEvent.key values that trigger the command. */
  keys: readonly string[];
  command: StepCommand;
  /** How the help overlay shows the keys. */
  label: string;
  description: string;
}

/** Every key the stepper handles, in the order the help overlay lists them. */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { keys: ['ArrowRight'], command: 'nextToken', label: '→', description: 'Next token' },
  { keys: ['ArrowLeft'], command: 'prevToken', label: '←', description: 'Previous token' },
  { keys: ['ArrowDown', 'j'], command: 'nextStep', label: '↓  j', description: 'Next step (paragraph or reflection cue)' },
  { keys: ['ArrowUp', 'k'], command: 'prevStep', label: '↑  k', description: 'Previous step' },
  { keys: ['i'], command: 'nextIntervention', label: 'i', description: 'Next intervention (suppressed or forced end…)' },
  { keys: ['I'], command: 'prevIntervention', label: 'Shift+I', description: 'Previous intervention' },
  { keys: ['w'], command: 'nextCue', label: 'w', description: 'Next reflection cue ("Wait", "Hmm", …)' },
  { keys: ['W'], command: 'prevCue', label: 'Shift+W', description: 'Previous reflection cue' },
  { keys: ['a'], command: 'jumpToAnswer', label: 'a', description: 'Jump to the answer' },
  { keys: ['Home'], command: 'jumpToStart', label: 'Home', description: 'Jump to the first token' },
  { keys: ['h'], command: 'toggleHeat', label: 'h', description: 'Heat colouring: off → probability → entropy' },
  { keys: [' ', 'p'], command: 'toggleReplay', label: 'Space  p', description: 'Replay the generation / stop' },
  { keys: ['?'], command: 'toggleHelp', label: '?', description: 'Show or hide this help' },
];

const BY_KEY = new Map<string, StepCommand>();
for (const binding of KEY_BINDINGS) for (const key of binding.keys) BY_KEY.set(key, binding.command);

/** The command a key event maps to, or null (modified keys and keys typed into controls map to none). */
export function commandForKey(event: KeyboardEvent): StepCommand | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return null;
  if (isEditableOrControl(event.target)) return null;
  return BY_KEY.get(event.key) ?? null;
}

/**
 * Handles the stepper's keys on `doc`: runs the command, keeps the browser from scrolling, and
 * stops the event so that VS Code does not run the same command from its keybinding. Escape goes
 * to `onEscape`. Returns a function that removes the handler.
 */
export function installKeyboard(doc: Document, onCommand: (command: StepCommand) => void, onEscape: () => boolean): () => void {
  const listener = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (onEscape()) {
        event.preventDefault();
        event.stopPropagation();
      }
      return;
    }
    const command = commandForKey(event);
    if (!command) return;
    event.preventDefault();
    event.stopPropagation();
    onCommand(command);
  };
  doc.addEventListener('keydown', listener);
  return () => doc.removeEventListener('keydown', listener);
}
