/** The status bar item: model, compute backend and generation speed. */
import * as vscode from 'vscode';
import type { ServerStatus } from '../protocol/settings';

const BACKEND_LABEL: Record<string, string> = { cpu: 'CPU', cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal' };

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('thinkscope.status', vscode.StatusBarAlignment.Left, 100);
  private status: ServerStatus | null = null;
  private speed: number | null = null;

  constructor() {
    this.item.name = 'ThinkScope';
    this.item.command = 'thinkscope.showStatus';
    this.render();
    this.item.show();
  }

  update(status: ServerStatus): void {
    this.status = status;
    this.render();
  }

  /** Tokens per second of the run in progress; null when idle. */
  setSpeed(tokensPerSecond: number | null): void {
    this.speed = tokensPerSecond;
    this.render();
  }

  private render(): void {
    const s = this.status;
    const speed = this.speed !== null ? ` · ${this.speed.toFixed(0)} tok/s` : '';
    if (!s || s.model === 'unloaded') {
      this.item.text = `$(hubot) ThinkScope${s?.modelName ? `: ${s.modelName}` : ''}`;
      this.item.tooltip = 'ThinkScope: no model loaded yet (it loads on first generation)';
      this.item.backgroundColor = undefined;
    } else if (s.model === 'loading') {
      this.item.text = '$(loading~spin) ThinkScope: loading model…';
      this.item.tooltip = s.modelPath ?? undefined;
      this.item.backgroundColor = undefined;
    } else if (s.model === 'error') {
      this.item.text = '$(error) ThinkScope: model error';
      this.item.tooltip = s.error ?? 'The model failed to load';
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else {
      const backend = BACKEND_LABEL[s.backend ?? ''] ?? s.backend ?? '?';
      this.item.text = `$(hubot) ${s.modelName} · ${backend}${speed}`;
      const md = new vscode.MarkdownString(
        `**ThinkScope** ${s.version}\n\n- Model: \`${s.modelPath}\`\n- Backend: ${backend}` +
          `${s.gpuLayers ? ` (${s.gpuLayers} layers on the GPU)` : ''}\n- Threads: ${s.threads}` +
          `${s.busy ? `\n- Running: ${s.busy}` : ''}`,
      );
      this.item.tooltip = md;
      this.item.backgroundColor = undefined;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
