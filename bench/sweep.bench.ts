/**
 * A budget sweep shared (one line, branches for each budget's answer) vs naive (every budget from
 * scratch), side by side on the tiny model, greedy; checks the traces are identical.
 */
import { join } from 'node:path';
import type { BudgetSettings } from '../protocol/trace';
import { DEFAULT_BUDGET, DEFAULT_SAMPLING } from '../server/core/defaults';
import { LocalEngine } from '../server/engine/local/localEngine';
import { runNaiveSweep, runSharedSweep } from '../server/engine/local/sweep';
import { figure, tinyModelFile } from './support';

const BUDGETS = [64, 128, 256, 512, 1024];
const { dir, modelPath } = await tinyModelFile();
const engine = await LocalEngine.load({
  settings: { modelPath, gpu: 'cpu', gpuLayers: 'auto', contextSize: 2048, threads: 1, topAlternatives: 5 },
  cacheDir: join(dir, 'cache'),
});
// Suppressing every end keeps the tiny model thinking up to the largest budget, so every budget cuts.
const cells: BudgetSettings[] = BUDGETS.map((b) => ({
  ...DEFAULT_BUDGET,
  ignoreEnd: 1000,
  maxThinkingTokens: b,
  maxAnswerTokens: 32,
}));
const request = { question: 'What is 17 * 23?', groundTruth: null, sampling: DEFAULT_SAMPLING, delimiters: null, topAlternatives: 5 };
await runSharedSweep(engine, request, cells.slice(0, 1)); // warm-up

let t0 = performance.now();
const shared = await runSharedSweep(engine, request, cells);
const sharedMs = performance.now() - t0;
t0 = performance.now();
const naive = await runNaiveSweep(engine, request, cells);
const naiveMs = performance.now() - t0;

const identical = cells.every((_, i) => {
  const a = shared.traces[i]!.tokens.map((t) => t.id).join(',');
  const b = naive.traces[i]!.tokens.map((t) => t.id).join(',');
  return a === b;
});
const answers = naive.traces.map((t) => t!.tokens.length - t!.thinkingTokens);
const sumAll = naive.traces.reduce((s, t) => s + t!.tokens.length, 0);
const longest = Math.max(...naive.traces.map((t) => t!.thinkingTokens)) + answers.reduce((s, a) => s + a, 0);
figure('budgets', BUDGETS.join(','));
figure('shared_ms', sharedMs, 0);
figure('naive_ms', naiveMs, 0);
figure('shared_evaluated_tokens', shared.evaluatedTokens, 0);
figure('naive_evaluated_tokens', naive.evaluatedTokens, 0);
figure('measured_ratio_naive_over_shared', naiveMs / sharedMs);
figure('theoretical_ratio', sumAll / longest);
figure('measured_over_theoretical', naiveMs / sharedMs / (sumAll / longest));
figure('traces_identical', identical ? 'yes' : 'NO');
await engine.dispose();
