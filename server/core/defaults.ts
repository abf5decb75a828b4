/** Default settings, shared by the server, the CLI and (through package.json) the VS Code settings. */
import type { EngineSettings } from '../../protocol/settings';
import type { BudgetSettings, SamplingSettings } from '../../protocol/trace';

export const DEFAULT_BUDGET: BudgetSettings = {
  minThinkingTokens: 0,
  maxThinkingTokens: null,
  ignoreEnd: null,
  extendWith: 'Wait',
  answerPrefix: 'Final Answer:',
  maxAnswerTokens: 256,
};

export const DEFAULT_SAMPLING: SamplingSettings = {
  temperature: 0,
  topK: 0,
  topP: 1,
  minP: 0,
  seed: 0,
};

export const DEFAULT_ENGINE: Omit<EngineSettings, 'modelPath'> = {
  gpu: 'auto',
  gpuLayers: 'auto',
  contextSize: 4096,
  threads: 0,
  topAlternatives: 5,
};
