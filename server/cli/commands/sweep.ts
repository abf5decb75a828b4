/** `thinkscope sweep`: one question across budgets, Wait counts and extension strings, into one sweep file. */
import { parseArgs } from 'node:util';
import { DEFAULT_BUDGET, DEFAULT_ENGINE, DEFAULT_SAMPLING } from '../../core/defaults';
import { runSweep } from '../../core/runSweep';
import { analyzeTrace } from '../../analysis/metrics';
import { intFlag, intListFlag, numberFlag, UsageError } from '../args';
import { ENGINE_OPTIONS, hostFromFlags } from '../engineFlags';

export const sweepUsage = `thinkscope sweep --question TEXT --budgets 64,128,256 --out run.sweep.json [options]
  --model FILE            GGUF model (default: the embedded tiny model)
  --ground-truth TEXT     reference answer: cells are marked correct or not
  --budgets LIST          maxThinkingTokens values ("none" for no maximum)
  --waits LIST            ignoreEnd values: how many ends are suppressed (default: none)
  --extend-with LIST      extension strings, e.g. Wait,Hmm,Alternatively (default Wait)
  --min-thinking N --max-answer-tokens N --seed N --temperature T
  --naive                 run every cell from scratch instead of sharing the prefix
  --threads N --context-size N --gpu auto|cuda|vulkan|metal|cpu`;

const countOrNone = (name: string, list: string | undefined): Array<number | null> | undefined =>
  list === undefined ? undefined : list.split(',').map((v) => (v.trim() === 'none' ? null : intListFlag(name, v.trim())![0]!));

export async function sweep(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...ENGINE_OPTIONS,
      question: { type: 'string' },
      'ground-truth': { type: 'string' },
      budgets: { type: 'string' },
      waits: { type: 'string' },
      'extend-with': { type: 'string' },
      'min-thinking': { type: 'string' },
      'max-answer-tokens': { type: 'string' },
      seed: { type: 'string' },
      temperature: { type: 'string' },
      naive: { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (values.question === undefined) throw new UsageError(`--question is required\n${sweepUsage}`);
  if (!values.budgets) throw new UsageError(`--budgets is required\n${sweepUsage}`);
  if (!values.out) throw new UsageError(`--out is required\n${sweepUsage}`);
  const host = hostFromFlags(values);
  const budget = {
    ...(values['min-thinking'] !== undefined ? { minThinkingTokens: intFlag('min-thinking', values['min-thinking'])! } : {}),
    ...(values['max-answer-tokens'] !== undefined ? { maxAnswerTokens: intFlag('max-answer-tokens', values['max-answer-tokens'], 1)! } : {}),
  };
  const sampling = {
    ...(values.seed !== undefined ? { seed: intFlag('seed', values.seed, Number.MIN_SAFE_INTEGER)! } : {}),
    ...(values.temperature !== undefined ? { temperature: numberFlag('temperature', values.temperature)! } : {}),
  };
  const waits = countOrNone('waits', values.waits);
  try {
    const { sweep: result } = await runSweep(
      host,
      {
        runId: 'cli',
        question: values.question,
        groundTruth: values['ground-truth'] ?? null,
        budgets: countOrNone('budgets', values.budgets)!,
        ...(waits ? { waitCounts: waits } : {}),
        ...(values['extend-with'] ? { extendWith: values['extend-with'].split(',') } : {}),
        budget,
        sampling,
        mode: values.naive ? 'naive' : 'shared',
        outPath: values.out,
      },
      { budget: DEFAULT_BUDGET, sampling: DEFAULT_SAMPLING, delimiters: null, topAlternatives: DEFAULT_ENGINE.topAlternatives, promptTemplate: null },
      (trace) => {
        const { metrics } = analyzeTrace(trace);
        return { finalAnswer: metrics.finalAnswer, correct: metrics.correct };
      },
      {
        onProgress: (p) => {
          const k = p.cell.key;
          process.stderr.write(
            `[${p.done}/${p.total}] max ${k.maxThinkingTokens ?? '∞'} · waits ${k.ignoreEnd ?? '-'} · "${k.extendWith}": ` +
              `${p.cell.thinkingTokens} thinking, answer ${JSON.stringify(p.cell.finalAnswer)}` +
              `${p.cell.correct === null ? '' : p.cell.correct ? ' ✓' : ' ✗'}\n`,
          );
        },
      },
    );
    process.stdout.write(
      `Wrote ${values.out}: ${result.cells.length} cells, ${result.timing?.evaluatedTokens} tokens evaluated in ${result.timing?.durationMs} ms (${result.settings.mode})\n`,
    );
    return 0;
  } finally {
    await host.unload();
  }
}
