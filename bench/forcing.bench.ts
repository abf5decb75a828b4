/**
 * Budget-forced generation with full per-token metadata vs node-llama-cpp's plain generation of
 * the same number of tokens, same model, context and threads, greedy; interleaved rounds, medians.
 */
import { join } from 'node:path';
import { getLlama, type Token } from 'node-llama-cpp';
import { DEFAULT_BUDGET, DEFAULT_SAMPLING } from '../server/core/defaults';
import { LocalEngine } from '../server/engine/local/localEngine';
import { figure, median, tinyModelFile } from './support';

const ROUNDS = 5;
const { dir, modelPath } = await tinyModelFile();
const engine = await LocalEngine.load({
  settings: { modelPath, gpu: 'cpu', gpuLayers: 'auto', contextSize: 2048, threads: 1, topAlternatives: 5 },
  cacheDir: join(dir, 'cache'),
});
const request = {
  question: 'What is 17 * 23?',
  groundTruth: null,
  sampling: DEFAULT_SAMPLING,
  budget: { ...DEFAULT_BUDGET, minThinkingTokens: 700, maxThinkingTokens: 800, maxAnswerTokens: 64 },
  delimiters: null,
  topAlternatives: 5,
};
// The plain baseline: the same model file, its own context, node-llama-cpp's evaluate loop.
const llama = await getLlama({ gpu: false });
const plainModel = await llama.loadModel({ modelPath });
const plainContext = await plainModel.createContext({ contextSize: 2048, threads: 1 });
const plainSequence = plainContext.getSequence();

async function plain(prompt: string, count: number): Promise<number> {
  await plainSequence.eraseContextTokenRanges([{ start: 0, end: plainSequence.nextTokenIndex }]);
  const tokens = plainModel.tokenize(prompt, true);
  const t0 = performance.now();
  let n = 0;
  // yieldEogToken: end-of-sequence does not stop it early; the count is what counts.
  for await (const _ of plainSequence.evaluate(tokens as Token[], { temperature: 0, yieldEogToken: true })) {
    if (++n >= count) break;
  }
  return n / ((performance.now() - t0) / 1000);
}

const forced: number[] = [];
const baseline: number[] = [];
let tokens = 0;
for (let round = 0; round < ROUNDS; round++) {
  const t0 = performance.now();
  const trace = await engine.generate(request);
  const seconds = (performance.now() - t0) / 1000;
  tokens = trace.tokens.length;
  forced.push(tokens / seconds);
  baseline.push(await plain(trace.prompt, tokens));
}
figure('tokens_per_run', tokens, 0);
figure('forced_with_metadata_tok_s', median(forced), 0);
figure('plain_node_llama_cpp_tok_s', median(baseline), 0);
figure('forced_vs_plain_ratio', median(forced) / median(baseline));
await engine.dispose();
await plainContext.dispose();
await plainModel.dispose();
