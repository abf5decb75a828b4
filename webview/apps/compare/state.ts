/**
 * The compare view's saved state (protocol/compareView.ts): read and checked on start, written
 * after a burst of changes settles.
 */
import { isCompareViewState, type CompareViewState } from '../../../protocol/compareView';
import type { WebviewApi } from '../../shared/vscodeApi';

const SAVE_DELAY_MS = 150;

/** The state a fresh view starts from. */
export function defaultCompareState(): CompareViewState {
  return { v: 1, sweepId: null, extendWith: null, pair: null, focus: null };
}

/** The saved state, or the default when none was saved or it is not valid. */
export function loadCompareState(api: WebviewApi<unknown>): CompareViewState {
  const saved = api.getState();
  return isCompareViewState(saved) ? { ...saved, pair: saved.pair ? [saved.pair[0], saved.pair[1]] : null } : defaultCompareState();
}

/** Writes the state, coalescing bursts of changes (a held arrow key) into one write. */
export class CompareStateSaver {
  private timer = 0;
  private pending: CompareViewState | null = null;

  constructor(private readonly api: WebviewApi<unknown>) {}

  save(state: CompareViewState): void {
    this.pending = { ...state };
    if (this.timer) return;
    this.timer = window.setTimeout(() => this.flush(), SAVE_DELAY_MS);
  }

  /** Writes a pending state now. */
  flush(): void {
    if (this.timer) window.clearTimeout(this.timer);
    this.timer = 0;
    if (this.pending) this.api.setState(this.pending);
    this.pending = null;
  }
}
