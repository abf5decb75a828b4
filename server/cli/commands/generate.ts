/**
 * `thinkscope generate`: one budget-forced trace, written to a file. Runs the same core as the
 * server (server/core/generateTrace.ts).
 */
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import type { BudgetSettings, SamplingSettings } from '../../../protocol/trace';
import { DEFAULT_BUDGET, DEFAULT_ENGINE, DEFAULT_SAMPLING } from '../../core/defaults';
import { generateTrace } from '../../core/generateTrace';
import { defined, intFlag, numberFlag, UsageError } from '../args';
import { ENGINE_OPTIONS, hostFromFlags } from '../engineFlags';

export const generateUsage = `thinkscope generate --question TEXT --out trace.json [options]
  --model FILE            GGUF model (default: the embedded tiny model)
  --ground-truth TEXT     reference answer, recorded in the trace
  --min-thinking N        suppress end-of-thinking below N thinking tokens
  --max-thinking N        force the end of thinking at N tokens
  --ignore-end N          suppress end-of-thinking at most N times
  --extend-with TEXT      text put in place of a suppressed end (default "Wait")
  --answer-prefix TEXT    text after a forced end (default "Final Answer:")
  --max-answer-tokens N   the answer's own cap (default ${DEFAULT_BUDGET.maxAnswerTokens})
  --seed N --temperature T --top-k N --top-p P
  --threads N             CPU threads (default: ${availableParallelism()}, this machine's parallelism)
  --context-size N        context window (default ${DEFAULT_ENGINE.contextSize})
  --gpu auto|cuda|vulkan|metal|cpu
  --think-start TEXT --think-end TEXT   delimiters (default: from the model)
  --quiet                 no streaming of the trace to stderr`;

export async function generate(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...ENGINE_OPTIONS,
      question: { type: 'string' },
      'ground-truth': { type: 'string' },
      out: { type: 'string' },
      'min-thinking': { type: 'string' },
      'max-thinking': { type: 'string' },
      'ignore-end': { type: 'string' },
      'extend-with': { type: 'string' },
      'answer-prefix': { type: 'string' },
      'max-answer-tokens': { type: 'string' },
      seed: { type: 'string' },
      temperature: { type: 'string' },
      'top-k': { type: 'string' },
      'top-p': { type: 'string' },
      'think-start': { type: 'string' },
      'think-end': { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  if (values.question === undefined) throw new UsageError(`--question is required\n${generateUsage}`);
  if (!values.out) throw new UsageError(`--out is required\n${generateUsage}`);
  if ((values['think-start'] === undefined) !== (values['think-end'] === undefined)) {
    throw new UsageError('--think-start and --think-end go together');
  }
  const budget: Partial<BudgetSettings> = defined({
    minThinkingTokens: intFlag('min-thinking', values['min-thinking']),
    maxThinkingTokens: intFlag('max-thinking', values['max-thinking']),
    ignoreEnd: intFlag('ignore-end', values['ignore-end']),
    extendWith: values['extend-with'],
    answerPrefix: values['answer-prefix'],
    maxAnswerTokens: intFlag('max-answer-tokens', values['max-answer-tokens'], 1),
  });
  const sampling: Partial<SamplingSettings> = defined({
    seed: intFlag('seed', values.seed, Number.MIN_SAFE_INTEGER),
    temperature: numberFlag('temperature', values.temperature),
    topK: intFlag('top-k', values['top-k']),
    topP: numberFlag('top-p', values['top-p']),
  });
  const host = hostFromFlags(values);
  const stream = !values.quiet;
  let shown = 0;
  try {
    const { trace } = await generateTrace(
      host,
      { runId: 'cli', question: values.question, groundTruth: values['ground-truth'] ?? null, budget, sampling, outPath: values.out },
      {
        budget: DEFAULT_BUDGET,
        sampling: DEFAULT_SAMPLING,
        delimiters: values['think-start'] ? { thinkStart: values['think-start'], thinkEnd: values['think-end']! } : null,
        topAlternatives: DEFAULT_ENGINE.topAlternatives,
        promptTemplate: null,
      },
      {
        onStep: (builder) => {
          if (!stream) return;
          const tokens = builder.tokens;
          let text = '';
          for (; shown < tokens.length; shown++) text += tokens[shown]!.text;
          process.stderr.write(text);
        },
      },
    );
    if (stream) process.stderr.write('\n');
    const d = host.status;
    process.stdout.write(
      `Wrote ${values.out}: ${trace.thinkingTokens} thinking + ${trace.answerTokens} answer tokens, ` +
        `${trace.events.length} events, stop: ${trace.stopReason}, ${trace.timing?.tokensPerSecond ?? 0} tok/s ` +
        `(${d.modelName}, ${d.backend}, ${d.threads} threads)\n`,
    );
    return 0;
  } finally {
    await host.unload();
  }
}
