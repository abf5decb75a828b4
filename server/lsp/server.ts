/**
 * The ThinkScope language server: ThinkScope's custom methods (generate, status, analyze,
 * configure) and, through lsp/features, the standard features on trace documents.
 * It never imports `vscode`; the same core serves the CLI.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver';
import { Methods, type GenerateParams, type GenerateResult } from '../../protocol/rpc';
import type { ServerSettings } from '../../protocol/settings';
import { DEFAULT_BUDGET, DEFAULT_ENGINE, DEFAULT_SAMPLING } from '../core/defaults';
import { EngineHost } from '../core/engineHost';
import { generateTrace } from '../core/generateTrace';
import { VERSION } from '../version';
import { toResponseError } from './errors';
import { abortSignalFor, onNotification, onRequest, sendNotification } from './rpc';
import { registerTraceFeatures, traceFeatureCapabilities } from './registerFeatures';

/** Progress notifications are batched to at most one per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 50;

export function defaultServerSettings(cacheDir = join(homedir(), '.cache', 'thinkscope')): ServerSettings {
  return {
    engine: { modelPath: '', ...DEFAULT_ENGINE },
    sampling: DEFAULT_SAMPLING,
    budget: DEFAULT_BUDGET,
    delimiters: null,
    promptTemplate: null,
    cacheDir,
  };
}

export function startServer(connection: Connection): void {
  let settings = defaultServerSettings();
  const log = (message: string) => connection.console.log(message);
  const host = new EngineHost({
    log,
    onStatus: (status) => sendNotification(connection, Methods.statusChanged, status),
  });
  const applySettings = (next: Partial<ServerSettings> | undefined) => {
    settings = mergeSettings(settings, next);
    host.configure(settings.engine, settings.cacheDir);
  };

  connection.onInitialize((params): InitializeResult => {
    applySettings(params.initializationOptions as Partial<ServerSettings> | undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        ...traceFeatureCapabilities(),
      },
      serverInfo: { name: 'thinkscope', version: VERSION },
    };
  });

  onNotification(connection, Methods.configure, (next) => applySettings(next));

  onRequest(connection, Methods.status, async () => host.status);

  onRequest(connection, Methods.generate, async (params: GenerateParams, token): Promise<GenerateResult> => {
    const signal = abortSignalFor(token);
    let lastSent = 0;
    try {
      return await generateTrace(
        host,
        params,
        {
          budget: settings.budget,
          sampling: settings.sampling,
          delimiters: settings.delimiters,
          topAlternatives: settings.engine.topAlternatives,
          promptTemplate: settings.promptTemplate,
        },
        {
          signal,
          onStarted: (trace) => sendNotification(connection, Methods.runStarted, { runId: params.runId, trace }),
          onStep: (builder) => {
            const now = performance.now();
            if (now - lastSent < PROGRESS_INTERVAL_MS) return;
            lastSent = now;
            const progress = builder.takeProgress(params.runId);
            if (progress) sendNotification(connection, Methods.runProgress, progress);
          },
        },
      );
    } catch (error) {
      throw toResponseError(error);
    }
  });

  registerTraceFeatures(connection);
  connection.listen();
}

function mergeSettings(base: ServerSettings, next: Partial<ServerSettings> | undefined): ServerSettings {
  if (!next || typeof next !== 'object') return base;
  return {
    ...base,
    ...next,
    engine: { ...base.engine, ...(next.engine ?? {}) },
    sampling: { ...base.sampling, ...(next.sampling ?? {}) },
    budget: { ...base.budget, ...(next.budget ?? {}) },
  };
}
