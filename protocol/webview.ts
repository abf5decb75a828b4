/**
 * Messages between the extension host and its webviews. Each direction is a discriminated union
 * on `type`. Messages from a webview are untrusted: the host checks them with the guards in
 * protocol/guards.ts before acting on them.
 */
import type { RunProgress } from './rpc';
import type { TraceAnalysis } from './analysis';
import type { TraceDocument } from './trace';

/** Host → trace view (the stepper, also used while a trace streams in). */
export type TraceViewInbound =
  | { type: 'load'; trace: TraceDocument; source: TraceSourceInfo; live: boolean; analysis?: TraceAnalysis }
  | { type: 'analysis'; analysis: TraceAnalysis }
  | { type: 'progress'; progress: RunProgress }
  | { type: 'finished'; trace: TraceDocument }
  | { type: 'failed'; message: string }
  | { type: 'command'; command: StepCommand };

export interface TraceSourceInfo {
  /** Display label: a file name, or "live: <question>". */
  label: string;
  /** The document's URI as a string, when the trace came from a file. */
  uri?: string;
}

/** Keyboard commands the host relays from VS Code keybindings. */
export type StepCommand =
  | 'nextToken'
  | 'prevToken'
  | 'nextStep'
  | 'prevStep'
  | 'nextIntervention'
  | 'prevIntervention'
  | 'nextCue'
  | 'prevCue'
  | 'jumpToAnswer'
  | 'jumpToStart'
  | 'toggleHeat'
  | 'toggleReplay'
  | 'toggleHelp';

/** Trace view → host. */
export type TraceViewOutbound =
  | { type: 'ready' }
  | { type: 'position'; token: number }
  | { type: 'error'; message: string };

export const STEP_COMMANDS: readonly StepCommand[] = [
  'nextToken', 'prevToken', 'nextStep', 'prevStep', 'nextIntervention', 'prevIntervention',
  'nextCue', 'prevCue', 'jumpToAnswer', 'jumpToStart', 'toggleHeat', 'toggleReplay', 'toggleHelp',
];
