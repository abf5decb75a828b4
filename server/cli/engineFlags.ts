/** The engine flags every model-running command shares (--model, --threads, --context-size, --gpu). */
import type { GpuSetting } from '../../protocol/settings';
import { DEFAULT_ENGINE } from '../core/defaults';
import { EngineHost } from '../core/engineHost';
import { intFlag, UsageError } from './args';
import { cliCacheDir } from './cacheDir';

export const ENGINE_OPTIONS = {
  model: { type: 'string' },
  threads: { type: 'string' },
  'context-size': { type: 'string' },
  gpu: { type: 'string' },
} as const;

const GPU = new Set<GpuSetting>(['auto', 'cuda', 'vulkan', 'metal', 'cpu']);

export interface EngineFlagValues {
  model?: string | undefined;
  threads?: string | undefined;
  'context-size'?: string | undefined;
  gpu?: string | undefined;
}

/** An engine host configured from the flags, caching in the CLI's cache folder. */
export function hostFromFlags(values: EngineFlagValues): EngineHost {
  if (values.gpu !== undefined && !GPU.has(values.gpu as GpuSetting)) {
    throw new UsageError(`--gpu must be one of ${[...GPU].join(', ')}, got "${values.gpu}"`);
  }
  const host = new EngineHost({});
  host.configure(
    {
      ...DEFAULT_ENGINE,
      modelPath: values.model ?? '',
      threads: intFlag('threads', values.threads, 1) ?? 0,
      contextSize: intFlag('context-size', values['context-size'], 64) ?? DEFAULT_ENGINE.contextSize,
      gpu: (values.gpu ?? DEFAULT_ENGINE.gpu) as GpuSetting,
    },
    cliCacheDir(),
  );
  return host;
}
