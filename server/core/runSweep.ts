/**
 * A budget sweep as the server and the CLI run it: check the lists, build the cells (budget ×
 * Wait count × extension string), run them shared or naive, and keep the sweep file up to date
 * after every cell so a cancelled or interrupted sweep keeps what finished.
 */
import { randomUUID } from 'node:crypto';
import type { BudgetSettings, SamplingSettings, TraceDocument } from '../../protocol/trace';
import {
  SWEEP_FORMAT,
  SWEEP_VERSION,
  type SweepCell,
  type SweepCellKey,
  type SweepDocument,
  type SweepParams,
  type SweepProgress,
} from '../../protocol/sweep';
import { LocalEngine } from '../engine/local/localEngine';
import { runNaiveSweep, runSharedSweep } from '../engine/local/sweep';
import type { Engine } from '../engine/engine';
import { writeFileAtomic } from '../util/atomicFile';
import type { EngineHost } from './engineHost';
import type { GenerateDefaults } from './generateTrace';
import { checkQuestion, resolveBudget, resolveSampling, SettingsError } from './validate';

/** What a finished trace answered, and whether that is right. */
export type AnswerJudge = (trace: TraceDocument) => { finalAnswer: string | null; correct: boolean | null };

export interface SweepHooks {
  signal?: AbortSignal;
  onProgress?(progress: SweepProgress): void;
}

/** At most this many cells in one sweep. */
const MAX_CELLS = 512;

export interface PlannedSweep {
  keys: SweepCellKey[];
  budgets: BudgetSettings[];
  base: BudgetSettings;
  sampling: SamplingSettings;
}

/** Checks a sweep request and expands it into cells; throws SettingsError naming what is wrong. */
export function planSweep(params: SweepParams, defaults: GenerateDefaults): PlannedSweep {
  const base = resolveBudget(defaults.budget, params.budget);
  const sampling = resolveSampling(defaults.sampling, params.sampling);
  const list = <T>(name: string, value: T[] | undefined, fallback: T[]): T[] => {
    if (value === undefined) return fallback;
    if (!Array.isArray(value) || value.length === 0) throw new SettingsError(`${name} must be a non-empty list`);
    return value;
  };
  const budgets = list('budgets', params.budgets, []);
  if (budgets.length === 0) throw new SettingsError('budgets must be a non-empty list of thinking budgets');
  const waits = list('waitCounts', params.waitCounts, [base.ignoreEnd]);
  const strings = list('extendWith', params.extendWith, [base.extendWith]);
  const keys: SweepCellKey[] = [];
  const cells: BudgetSettings[] = [];
  for (const extendWith of unique(strings)) {
    for (const ignoreEnd of unique(waits)) {
      for (const maxThinkingTokens of unique(budgets)) {
        const key = { maxThinkingTokens, ignoreEnd, extendWith };
        try {
          cells.push(resolveBudget(base, { maxThinkingTokens, ignoreEnd, extendWith }));
        } catch (error) {
          throw new SettingsError(`Sweep cell ${JSON.stringify(key)}: ${(error as Error).message}`);
        }
        keys.push(key);
      }
    }
  }
  if (cells.length > MAX_CELLS) throw new SettingsError(`A sweep has at most ${MAX_CELLS} cells; this one has ${cells.length}`);
  return { keys, budgets: cells, base, sampling };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

export async function runSweep(
  host: EngineHost,
  params: SweepParams,
  defaults: GenerateDefaults,
  judge: AnswerJudge,
  hooks: SweepHooks = {},
): Promise<{ sweep: SweepDocument; path?: string }> {
  const question = checkQuestion(params.question);
  const plan = planSweep(params, defaults);
  const mode = params.mode ?? 'shared';
  if (mode !== 'shared' && mode !== 'naive') throw new SettingsError(`mode must be "shared" or "naive", got ${JSON.stringify(mode)}`);
  const engine: Engine = await host.get();
  const started = new Date();
  const t0 = performance.now();
  const sweep: SweepDocument = {
    format: SWEEP_FORMAT,
    version: SWEEP_VERSION,
    id: randomUUID(),
    createdAt: started.toISOString(),
    settings: {
      question,
      groundTruth: params.groundTruth ?? null,
      budgets: unique(params.budgets),
      waitCounts: unique(params.waitCounts ?? [plan.base.ignoreEnd]),
      extendWith: unique(params.extendWith ?? [plan.base.extendWith]),
      base: plan.base,
      sampling: plan.sampling,
      mode,
    },
    cells: plan.keys.map((key) => ({
      key,
      status: 'pending',
      traceId: null,
      thinkingTokens: null,
      answerTokens: null,
      finalAnswer: null,
      correct: null,
    })),
    traces: [],
    status: 'running',
  };
  let done = 0;
  let writing = Promise.resolve();
  const save = () => {
    if (!params.outPath) return writing;
    const path = params.outPath;
    const text = JSON.stringify(sweep);
    writing = writing.then(() => writeFileAtomic(path, text));
    return writing;
  };
  const onCell = (index: number, trace: TraceDocument) => {
    const verdict = judge(trace);
    const cell: SweepCell = {
      ...sweep.cells[index]!,
      status: trace.stopReason === 'cancelled' ? 'cancelled' : 'done',
      traceId: trace.id,
      thinkingTokens: trace.thinkingTokens,
      answerTokens: trace.answerTokens,
      finalAnswer: verdict.finalAnswer,
      correct: verdict.correct,
    };
    sweep.cells[index] = cell;
    sweep.traces.push(trace);
    done++;
    hooks.onProgress?.({ runId: params.runId, cellIndex: index, cell, trace, done, total: sweep.cells.length });
    void save();
  };
  const request = {
    question,
    groundTruth: params.groundTruth ?? null,
    sampling: plan.sampling,
    delimiters: defaults.delimiters,
    topAlternatives: defaults.topAlternatives,
    promptTemplate: defaults.promptTemplate,
  };
  host.setBusy(params.runId);
  try {
    let evaluatedTokens: number;
    if (engine instanceof LocalEngine) {
      const run = mode === 'shared' ? runSharedSweep : runNaiveSweep;
      const result = await run(engine, request, plan.budgets, {
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        onCell,
      });
      evaluatedTokens = result.evaluatedTokens;
    } else {
      // Engines without a KV cache to share run each cell on its own.
      evaluatedTokens = 0;
      for (let i = 0; i < plan.budgets.length && !hooks.signal?.aborted; i++) {
        const trace = await engine.generate({ ...request, budget: plan.budgets[i]! }, hooks.signal ? { signal: hooks.signal } : {});
        evaluatedTokens += trace.tokens.length;
        onCell(i, trace);
      }
    }
    sweep.status = hooks.signal?.aborted ? 'cancelled' : 'done';
    for (const cell of sweep.cells) if (cell.status === 'pending' && hooks.signal?.aborted) cell.status = 'cancelled';
    sweep.timing = { startedAt: started.toISOString(), durationMs: Math.round(performance.now() - t0), evaluatedTokens };
  } catch (error) {
    sweep.status = 'failed';
    await save().catch(() => undefined);
    throw error;
  } finally {
    host.setBusy(null);
  }
  await save();
  return params.outPath ? { sweep, path: params.outPath } : { sweep };
}
