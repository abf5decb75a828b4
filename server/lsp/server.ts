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
import { generateTrace, type GenerateDefaults } from '../core/generateTrace';
import { runSweep, type AnswerJudge } from '../core/runSweep';
import { resolveBudget, resolveSampling, SettingsError } from '../core/validate';
import { analyzeTrace } from '../analysis/metrics';
import { LocalEngine } from '../engine/local/localEngine';
import { writeTraceFile } from '../trace/io';
import { VERSION } from '../version';
import { DEFAULT_REMOTE_SETTINGS, type RemoteCredentials } from '../../protocol/remote';
import { createRemoteEngine } from '../engine/remote';
import { toResponseError } from './errors';
import { abortSignalFor, onNotification, onRequest, sendNotification } from './rpc';
import { registerTraceFeatures, traceFeatureCapabilities } from './registerFeatures';

/** Progress notifications are batched to at most one per this many milliseconds. */
const PROGRESS_INTERVAL_MS = 50;

export function defaultServerSettings(cacheDir = join(homedir(), '.cache', 'thinkscope')): ServerSettings {
  return {
    engineKind: 'local',
    engine: { modelPath: '', ...DEFAULT_ENGINE },
    remote: DEFAULT_REMOTE_SETTINGS,
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
  // The API key lives here only: never in settings, traces or logs.
  let credentials: RemoteCredentials = {};
  let credentialsVersion = 0;
  const host = new EngineHost({
    log,
    createEngine: () =>
      settings.engineKind === 'remote' ? createRemoteEngine(settings.remote, credentials, { log }) : null,
    onStatus: (status) => sendNotification(connection, Methods.statusChanged, status),
  });
  const applySettings = (next: Partial<ServerSettings> | undefined) => {
    settings = mergeSettings(settings, next);
    const remoteKey = settings.engineKind === 'remote' ? JSON.stringify([settings.remote, credentialsVersion]) : '';
    host.configure(settings.engine, settings.cacheDir, remoteKey);
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
  onNotification(connection, Methods.setCredentials, (next) => {
    credentials = { ...(typeof next?.apiKey === 'string' ? { apiKey: next.apiKey } : {}) };
    credentialsVersion++;
    applySettings(undefined);
  });

  onRequest(connection, Methods.status, async () => host.status);

  const defaults = (): GenerateDefaults => ({
    budget: settings.budget,
    sampling: settings.sampling,
    delimiters: settings.delimiters,
    topAlternatives: settings.engine.topAlternatives,
    promptTemplate: settings.promptTemplate,
  });

  onRequest(connection, Methods.generate, async (params: GenerateParams, token): Promise<GenerateResult> => {
    const signal = abortSignalFor(token);
    let lastSent = 0;
    try {
      return await generateTrace(
        host,
        params,
        defaults(),
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

  onRequest(connection, Methods.sweep, async (params, token) => {
    try {
      return await runSweep(host, params, defaults(), judgeAnswer, {
        signal: abortSignalFor(token),
        onProgress: (progress) => sendNotification(connection, Methods.sweepProgress, progress),
      });
    } catch (error) {
      throw toResponseError(error);
    }
  });

  onRequest(connection, Methods.fork, async (params, token): Promise<GenerateResult> => {
    try {
      const engine = await host.get();
      if (!(engine instanceof LocalEngine)) throw new SettingsError('Forking needs the local engine (it reuses the KV cache)');
      const d = defaults();
      const trace = await engine.fork(
        params.trace,
        params.forkAt,
        {
          question: params.trace.question,
          groundTruth: params.trace.groundTruth,
          sampling: resolveSampling(params.trace.sampling, params.sampling),
          budget: resolveBudget(params.trace.budget, params.budget),
          delimiters: params.trace.delimiters,
          topAlternatives: d.topAlternatives,
        },
        {
          signal: abortSignalFor(token),
          onStarted: (trace) => sendNotification(connection, Methods.runStarted, { runId: params.runId, trace }),
          onStep: (builder) => {
            const progress = builder.takeProgress(params.runId);
            if (progress && progress.tokens.length >= 16) sendNotification(connection, Methods.runProgress, progress);
          },
        },
      );
      if (params.outPath) await writeTraceFile(params.outPath, trace);
      return params.outPath ? { trace, path: params.outPath } : { trace };
    } catch (error) {
      throw toResponseError(error);
    }
  });

  registerTraceFeatures(connection);
  connection.listen();
}

/** A sweep cell's final answer and its correctness, as the analysis extracts them. */
const judgeAnswer: AnswerJudge = (trace) => {
  const { metrics } = analyzeTrace(trace);
  return { finalAnswer: metrics.finalAnswer, correct: metrics.correct };
};

function mergeSettings(base: ServerSettings, next: Partial<ServerSettings> | undefined): ServerSettings {
  if (!next || typeof next !== 'object') return base;
  return {
    ...base,
    ...next,
    engine: { ...base.engine, ...(next.engine ?? {}) },
    sampling: { ...base.sampling, ...(next.sampling ?? {}) },
    budget: { ...base.budget, ...(next.budget ?? {}) },
    remote: { ...base.remote, ...(next.remote ?? {}) },
  };
}
