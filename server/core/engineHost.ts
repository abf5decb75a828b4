/**
 * Owns the current engine: loads it on first use from the settings (the embedded tiny model when no
 * model is configured), reloads it when the settings change, and reports its state. A model that
 * fails to load leaves the host in an error state with the reason; the process stays up.
 */
import type { EngineSettings, ServerStatus } from '../../protocol/settings';
import type { Engine } from '../engine/engine';
import { LocalEngine } from '../engine/local/localEngine';
import { ensureDefaultModel } from '../tinymodel';
import { VERSION } from '../version';

export interface EngineHostOptions {
  log?: (message: string) => void;
  /** Called whenever the status changes. */
  onStatus?: (status: ServerStatus) => void;
  /** Builds an engine other than the local one (e.g. remote); null: the local engine. */
  createEngine?: (settings: EngineSettings) => Promise<Engine> | null;
}

export class EngineHost {
  private settings: EngineSettings | null = null;
  private cacheDir = '';
  private extraKey = '';
  private engine: Promise<Engine> | null = null;
  private state: ServerStatus = {
    model: 'unloaded',
    modelName: null,
    modelPath: null,
    backend: null,
    gpuLayers: null,
    threads: null,
    error: null,
    busy: null,
    version: VERSION,
  };

  constructor(private readonly options: EngineHostOptions) {}

  get status(): ServerStatus {
    return { ...this.state };
  }

  /**
   * New engine settings and cache folder; the engine reloads on next use if they changed what it
   * loads. `extraKey` stands for anything else the engine depends on (e.g. the remote settings).
   */
  configure(settings: EngineSettings, cacheDir: string, extraKey = ''): void {
    const changed =
      JSON.stringify(settings) !== JSON.stringify(this.settings) || cacheDir !== this.cacheDir || extraKey !== this.extraKey;
    this.extraKey = extraKey;
    this.settings = settings;
    this.cacheDir = cacheDir;
    if (changed && (this.engine || this.state.model === 'error')) void this.unload();
  }

  /** The engine, loading it when needed. Throws the load error (ModelFileError and others). */
  async get(): Promise<Engine> {
    if (!this.settings) throw new Error('The engine has no settings yet');
    this.engine ??= this.load(this.settings);
    return this.engine;
  }

  setBusy(runLabel: string | null): void {
    this.update({ busy: runLabel });
  }

  async unload(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.update({ model: 'unloaded', backend: null, gpuLayers: null, threads: null, error: null });
    if (engine) {
      try {
        await (await engine).dispose();
      } catch {
        // A failed load has nothing to dispose.
      }
    }
  }

  private async load(settings: EngineSettings): Promise<Engine> {
    const custom = this.options.createEngine?.(settings);
    const modelPath = custom ? null : settings.modelPath || (await ensureDefaultModel(this.cacheDir));
    this.update({ model: 'loading', modelPath, modelName: null, error: null });
    try {
      const engine = custom
        ? await custom
        : await LocalEngine.load({
            settings: { ...settings, modelPath: modelPath ?? '' },
            cacheDir: this.cacheDir,
            ...(this.options.log ? { log: this.options.log } : {}),
          });
      const d = engine.describe();
      this.update({
        model: 'ready',
        modelName: d.modelName,
        modelPath: d.modelPath,
        backend: d.backend,
        gpuLayers: d.gpuLayers,
        threads: d.threads,
      });
      return engine;
    } catch (error) {
      this.engine = null;
      this.update({ model: 'error', error: (error as Error).message });
      throw error;
    }
  }

  private update(patch: Partial<ServerStatus>): void {
    this.state = { ...this.state, ...patch };
    this.options.onStatus?.(this.status);
  }
}
