/** Reads ThinkScope's VS Code settings into the server's settings (protocol/settings.ts). */
import * as vscode from 'vscode';
import { DEFAULT_REMOTE_SETTINGS } from '../protocol/remote';
import type { GpuSetting, ServerSettings } from '../protocol/settings';
import type { BudgetSettings, Delimiters, SamplingSettings } from '../protocol/trace';

export const SECTION = 'thinkscope';

export function readServerSettings(cacheDir: string): ServerSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const trusted = vscode.workspace.isTrusted;
  // In an untrusted workspace a model path set by the workspace is ignored: only the user's own.
  const modelPath = trusted
    ? c.get<string>('model.path', '')
    : (c.inspect<string>('model.path')?.globalValue ?? '');
  const nullableCount = (key: string): number | null => {
    const v = c.get<number | null>(key, null);
    return typeof v === 'number' && v >= 0 ? v : null;
  };
  const budget: BudgetSettings = {
    minThinkingTokens: c.get<number>('budget.minThinkingTokens', 0),
    maxThinkingTokens: nullableCount('budget.maxThinkingTokens'),
    ignoreEnd: nullableCount('budget.ignoreEnd'),
    extendWith: c.get<string>('budget.extendWith', 'Wait'),
    answerPrefix: c.get<string>('budget.answerPrefix', 'Final Answer:'),
    maxAnswerTokens: c.get<number>('budget.maxAnswerTokens', 256),
  };
  const sampling: SamplingSettings = {
    temperature: c.get<number>('sampling.temperature', 0),
    topK: c.get<number>('sampling.topK', 0),
    topP: c.get<number>('sampling.topP', 1),
    minP: c.get<number>('sampling.minP', 0),
    seed: c.get<number>('sampling.seed', 0),
  };
  const thinkStart = c.get<string>('delimiters.thinkStart', '');
  const thinkEnd = c.get<string>('delimiters.thinkEnd', '');
  const delimiters: Delimiters | null = thinkStart && thinkEnd ? { thinkStart, thinkEnd } : null;
  const layers = c.get<string | number>('engine.gpuLayers', 'auto');
  const remote = c.get<Record<string, unknown>>('remote', {});
  return {
    // In an untrusted workspace a remote endpoint set by the workspace is not contacted.
    engineKind: c.get<string>('engine.kind', 'local') === 'remote' && trusted ? 'remote' : 'local',
    remote: {
      ...DEFAULT_REMOTE_SETTINGS,
      endpoint: String(remote.endpoint ?? DEFAULT_REMOTE_SETTINGS.endpoint),
      model: String(remote.model ?? ''),
      timeoutMs: Number(remote.timeoutMs ?? DEFAULT_REMOTE_SETTINGS.timeoutMs),
      maxRetries: Number(remote.maxRetries ?? DEFAULT_REMOTE_SETTINGS.maxRetries),
      concurrency: Number(remote.concurrency ?? DEFAULT_REMOTE_SETTINGS.concurrency),
    },
    engine: {
      modelPath: resolveModelPath(modelPath),
      gpu: c.get<GpuSetting>('engine.gpu', 'auto'),
      gpuLayers: layers === 'auto' || layers === 'max' ? layers : Number(layers),
      contextSize: c.get<number>('engine.contextSize', 4096),
      threads: c.get<number>('engine.threads', 0),
      topAlternatives: c.get<number>('engine.topAlternatives', 5),
    },
    sampling,
    budget,
    delimiters,
    promptTemplate: c.get<string>('promptTemplate', '') || null,
    cacheDir,
  };
}

/** `~` and workspace-relative model paths become absolute. */
function resolveModelPath(path: string): string {
  if (!path) return '';
  if (path.startsWith('~/')) return `${process.env.HOME ?? ''}${path.slice(1)}`;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path) && folder) return vscode.Uri.joinPath(folder.uri, path).fsPath;
  return path;
}
