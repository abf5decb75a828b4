/**
 * Budget sweeps on the local engine, sharing the work between budgets.
 *
 * A sweep's cells differ only in budget settings. Within a group (same extension string and
 * minimum) one *line* is generated with the most permissive budget of the group. At every decision
 * the forcing machine of each cell not yet branched off is asked what it would do in the line's
 * exact state; the first time a cell's answer differs from the line's (its budget cuts here, or it
 * lets the model end where the line suppresses it), the cell forks: it takes the line's tokens, KV
 * cache and random stream, goes on alone to its answer, and the KV cache is rewound for the line.
 * A cell that never differs gets the line's own trace. So every cell's trace is token for token
 * what a separate run with that cell's settings produces, at the cost of the longest line plus
 * the answers (instead of one full run per cell).
 */
import type { BudgetSettings, TraceDocument } from '../../../protocol/trace';
import { BudgetForcer, type ForcingAction } from '../forcing';
import type { GenerationRequest } from '../engine';
import type { LocalEngine } from './localEngine';
import type { LocalRun } from './run';

export interface SweepRunHooks {
  signal?: AbortSignal;
  /** A cell's trace is ready (cells complete out of order). */
  onCell?(index: number, trace: TraceDocument): void;
}

export interface SweepRunResult {
  /** One per cell, in the cells' order; null for cells a cancellation left undone. */
  traces: Array<TraceDocument | null>;
  /** Tokens fed to the model after the prompt, over the whole sweep. */
  evaluatedTokens: number;
  cancelled: boolean;
}

/** Cells that can share one line: same minimum, extension string, answer prefix and cap. */
function groupKey(b: BudgetSettings): string {
  return JSON.stringify([b.minThinkingTokens, b.extendWith, b.answerPrefix, b.maxAnswerTokens]);
}

/** The most permissive budget of a group: it thinks at least as long as any of its cells. */
export function lineBudget(cells: readonly BudgetSettings[]): BudgetSettings {
  const first = cells[0]!;
  const maxes = cells.map((c) => c.maxThinkingTokens);
  // With no minimum, "ignoreEnd: null" suppresses nothing, the same as 0.
  const ignores = cells.map((c) => (c.ignoreEnd === null && c.minThinkingTokens === 0 ? 0 : c.ignoreEnd));
  return {
    ...first,
    maxThinkingTokens: maxes.includes(null) ? null : Math.max(...(maxes as number[])),
    ignoreEnd: ignores.includes(null) ? null : Math.max(...(ignores as number[])),
  };
}

function sameAction(a: ForcingAction, b: ForcingAction): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'force-end' && b.kind === 'force-end') return a.reason === b.reason;
  if (a.kind === 'stop' && b.kind === 'stop') return a.reason === b.reason;
  return true;
}

/** Runs every cell, sharing each group's line. */
export async function runSharedSweep(
  engine: LocalEngine,
  request: Omit<GenerationRequest, 'budget'>,
  cells: readonly BudgetSettings[],
  hooks: SweepRunHooks = {},
): Promise<SweepRunResult> {
  return engine.exclusive(async () => {
    const traces: Array<TraceDocument | null> = cells.map(() => null);
    let evaluatedTokens = 0;
    const groups = new Map<string, number[]>();
    cells.forEach((c, i) => {
      const key = groupKey(c);
      groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const members of groups.values()) {
      if (hooks.signal?.aborted) break;
      const budget = lineBudget(members.map((i) => cells[i]!));
      const line = await engine.openRun(await engine.header({ ...request, budget }), { ...request, budget });
      const open = new Set(members);
      const settle = (index: number, trace: TraceDocument) => {
        traces[index] = trace;
        open.delete(index);
        hooks.onCell?.(index, trace);
      };
      try {
        while (!line.done && open.size > 0) {
          if (hooks.signal?.aborted) break;
          const peek = line.peek();
          if (!peek) break;
          const state = line.forcer.snapshot;
          const decideAs = (b: BudgetSettings) =>
            new BudgetForcer(b, state).decide(peek.kind, peek.midCharacter, peek.contextLeft);
          const lineAction = decideAs(budget);
          for (const index of [...open]) {
            if (sameAction(decideAs(cells[index]!), lineAction)) continue;
            const branch = line.fork(cells[index]!);
            const from = branch.builder.tokens.length;
            const stop = await branch.runToEnd(hooks.signal);
            if (stop === null) break;
            evaluatedTokens += branch.builder.tokens.length - from;
            settle(index, branch.trace());
          }
          await line.step();
        }
        evaluatedTokens += line.builder.tokens.length;
        if (!hooks.signal?.aborted || line.done) {
          for (const index of [...open]) settle(index, sameTokensUnder(line, cells[index]!));
        }
      } finally {
        await line.close();
      }
    }
    return { traces, evaluatedTokens, cancelled: hooks.signal?.aborted ?? false };
  });
}

/** The line's trace under a cell's own budget (the cell never decided differently). */
function sameTokensUnder(line: LocalRun, budget: BudgetSettings): TraceDocument {
  const header = { ...line.builder.header, budget };
  delete (header as { id?: string }).id;
  return line.builder.fork(header).build(line.stop ?? 'cancelled');
}

/**
 * Runs every cell from scratch, one after another, as s1's scripts do (for comparison with the
 * shared sweep): the KV cache is emptied before each cell so no prefix is reused.
 */
export async function runNaiveSweep(
  engine: LocalEngine,
  request: Omit<GenerationRequest, 'budget'>,
  cells: readonly BudgetSettings[],
  hooks: SweepRunHooks = {},
): Promise<SweepRunResult> {
  const traces: Array<TraceDocument | null> = cells.map(() => null);
  let evaluatedTokens = 0;
  for (let i = 0; i < cells.length; i++) {
    if (hooks.signal?.aborted) break;
    await engine.clearCache();
    const trace = await engine.generate({ ...request, budget: cells[i]! }, hooks.signal ? { signal: hooks.signal } : {});
    if (trace.stopReason === 'cancelled') break;
    evaluatedTokens += trace.tokens.length;
    traces[i] = trace;
    hooks.onCell?.(i, trace);
  }
  return { traces, evaluatedTokens, cancelled: hooks.signal?.aborted ?? false };
}
