/**
 * What the remote engine's integration tests share: the tiny model written to a temporary folder,
 * the local engine on it, the OpenAI-compatible test server on it, requests with greedy settings,
 * and a projection of a trace onto what must agree between the two engines.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTraceDocument } from '../../protocol/guards';
import type { BudgetSettings, Delimiters, SamplingSettings, TraceDocument } from '../../protocol/trace';
import type { GenerationRequest } from '../../server/engine/engine';
import { LocalEngine } from '../../server/engine/local/localEngine';
import { writeTinyModel } from '../../server/tinymodel';

export const GREEDY: SamplingSettings = { temperature: 0, topK: 0, topP: 1, seed: 0 };

export const BASE_BUDGET: BudgetSettings = {
  minThinkingTokens: 0,
  maxThinkingTokens: null,
  ignoreEnd: null,
  extendWith: 'Wait',
  answerPrefix: 'Final Answer:',
  maxAnswerTokens: 48,
};

/** A request with greedy sampling and the base budget, overridden by `budget`. */
export function request(
  question: string,
  budget: Partial<BudgetSettings> = {},
  options: { sampling?: SamplingSettings; delimiters?: Delimiters | null; topAlternatives?: number } = {},
): GenerationRequest {
  return {
    question,
    groundTruth: null,
    sampling: options.sampling ?? GREEDY,
    budget: { ...BASE_BUDGET, ...budget },
    delimiters: options.delimiters ?? null,
    topAlternatives: options.topAlternatives ?? 5,
  };
}

export interface TinyModelFiles {
  dir: string;
  modelPath: string;
  remove(): Promise<void>;
}

/** Writes the tiny model (seed 0) into a fresh temporary folder. */
export async function tinyModelFiles(): Promise<TinyModelFiles> {
  const dir = await fs.mkdtemp(join(tmpdir(), 'thinkscope-remote-'));
  const modelPath = join(dir, 'tiny.gguf');
  await writeTinyModel(modelPath, { seed: 0 });
  return { dir, modelPath, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** The local engine on the model, one thread. */
export function loadLocal(files: TinyModelFiles): Promise<LocalEngine> {
  return LocalEngine.load({
    settings: { modelPath: files.modelPath, gpu: 'cpu', gpuLayers: 0, contextSize: 2048, threads: 1, topAlternatives: 5 },
    cacheDir: join(files.dir, 'cache'),
  });
}

const close = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-4);

/**
 * Asserts that two traces agree on everything both engines must produce alike: each token's id,
 * text, source, phase, logprob and alternatives; each event's kind, position, wanted token, injected
 * text and thinking count; the counts, the answer and the stop reason.
 */
export function assertSameTrace(remote: TraceDocument, local: TraceDocument, label = ''): void {
  const where = label ? `${label}: ` : '';
  const texts = (t: TraceDocument) => t.tokens.map((x) => x.text);
  assert.deepEqual(texts(remote), texts(local), `${where}token texts`);
  for (let i = 0; i < local.tokens.length; i++) {
    const a = remote.tokens[i]!;
    const b = local.tokens[i]!;
    assert.deepEqual([a.id, a.source, a.phase], [b.id, b.source, b.phase], `${where}token ${i}`);
    assert.ok(close(a.logprob, b.logprob), `${where}token ${i} logprob ${a.logprob} vs ${b.logprob}`);
    assert.deepEqual(
      a.top.map((x) => [x.id, x.text]),
      b.top.map((x) => [x.id, x.text]),
      `${where}token ${i} alternatives`,
    );
  }
  const events = (t: TraceDocument) =>
    t.events.map((e) => ({
      kind: e.kind,
      at: e.at,
      wanted: e.wanted ? [e.wanted.id, e.wanted.text] : null,
      injected: e.injected ?? null,
      thinkingTokens: e.thinkingTokens ?? null,
      detail: e.detail ?? null,
    }));
  assert.deepEqual(events(remote), events(local), `${where}events`);
  remote.events.forEach((e, i) => assert.ok(close(e.wanted?.logprob ?? null, local.events[i]!.wanted?.logprob ?? null), `${where}event ${i} wanted logprob`));
  assert.deepEqual(
    [remote.stopReason, remote.thinkingTokens, remote.answerTokens, remote.answer],
    [local.stopReason, local.thinkingTokens, local.answerTokens, local.answer],
    `${where}outcome`,
  );
}

/** Asserts the trace is a valid trace document (format version 1) and returns it. */
export function assertValidTrace(trace: TraceDocument): TraceDocument {
  return parseTraceDocument(JSON.parse(JSON.stringify(trace)) as unknown, 'remote trace');
}
