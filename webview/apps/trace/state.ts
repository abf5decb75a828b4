/**
 * The view state kept through the webview API (see protocol/traceView.ts): read and checked on
 * start, written at most every SAVE_DELAY_MS.
 */
import { isTraceViewState, type TraceViewState } from '../../../protocol/traceView';
import type { WebviewApi } from '../../shared/vscodeApi';

const SAVE_DELAY_MS = 150;

/** The state a fresh view starts from. */
export function defaultState(): TraceViewState {
  return { v: 1, traceId: null, position: 0, heat: 'off', speed: 20, help: false, source: null };
}

/** The saved state, or the default when none was saved or it is not valid. */
export function loadState(api: WebviewApi<unknown>): TraceViewState {
  const saved = api.getState();
  return isTraceViewState(saved) ? { ...saved } : defaultState();
}

/** Writes the state, coalescing bursts of changes (a held arrow key) into one write. */
export class StateSaver {
  private timer = 0;
  private pending: TraceViewState | null = null;

  constructor(private readonly api: WebviewApi<unknown>) {}

  save(state: TraceViewState): void {
    this.pending = state;
    if (this.timer) return;
    this.timer = window.setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  /** Writes a pending state now. */
  flush(): void {
    if (this.timer) window.clearTimeout(this.timer);
    this.timer = 0;
    if (this.pending) this.api.setState({ ...this.pending });
    this.pending = null;
  }
}
