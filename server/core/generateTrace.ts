/**
 * One generation request, as the server and the CLI both run it: check the request, get the
 * engine, generate with budget forcing, write the trace atomically when asked.
 */
import type { GenerateParams } from '../../protocol/rpc';
import type { BudgetSettings, SamplingSettings, TraceDocument, Delimiters } from '../../protocol/trace';
import type { GenerationHooks } from '../engine/engine';
import { writeTraceFile } from '../trace/io';
import type { EngineHost } from './engineHost';
import { checkQuestion, resolveBudget, resolveSampling } from './validate';

export interface GenerateDefaults {
  budget: BudgetSettings;
  sampling: SamplingSettings;
  delimiters: Delimiters | null;
  topAlternatives: number;
  promptTemplate: string | null;
}

export async function generateTrace(
  host: EngineHost,
  params: GenerateParams,
  defaults: GenerateDefaults,
  hooks: GenerationHooks = {},
): Promise<{ trace: TraceDocument; path?: string }> {
  // Everything is checked before the model is touched: a bad request generates nothing.
  const question = checkQuestion(params.question);
  const budget = resolveBudget(defaults.budget, params.budget);
  const sampling = resolveSampling(defaults.sampling, params.sampling);
  const engine = await host.get();
  host.setBusy(params.runId);
  try {
    const trace = await engine.generate(
      {
        question,
        groundTruth: params.groundTruth ?? null,
        sampling,
        budget,
        delimiters: defaults.delimiters,
        topAlternatives: defaults.topAlternatives,
        promptTemplate: defaults.promptTemplate,
      },
      hooks,
    );
    if (params.outPath) {
      await writeTraceFile(params.outPath, trace);
      return { trace, path: params.outPath };
    }
    return { trace };
  } finally {
    host.setBusy(null);
  }
}
