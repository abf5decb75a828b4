/**
 * End to end in a real VS Code: "ThinkScope: Generate Trace" from the command palette streams a
 * trace from the embedded tiny model into the stepper, and the status bar shows model and backend.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { copyWorkspace, withVsCode } from './harness';

describe('Generate Trace in VS Code (code-server)', () => {
  test('the command streams a trace into the stepper and saves it', { timeout: 600_000 }, async () => {
    const workspace = copyWorkspace('samples', 'generate');
    await withVsCode(
      {
        workspace,
        name: 'generate',
        settings: {
          'thinkscope.engine.threads': 1,
          'thinkscope.budget.maxThinkingTokens': 48,
          'thinkscope.budget.maxAnswerTokens': 24,
        },
      },
      async (vscode) => {
        await vscode.waitForActivation('ThinkScope', 'thinkscope.thinkscope');
        await vscode.runCommand('ThinkScope: Generate Trace');
        await vscode.answerInputBox('What is 12 + 30?');
        await vscode.pickQuickItem(/As configured/);
        // Tokens appear in the webview as text spans: thinking first, then the forced answer.
        const frame = vscode.webviewFrame();
        await frame.locator('.t').nth(20).waitFor({ timeout: 120_000 });
        await frame.locator('.k-forced').first().waitFor({ timeout: 120_000 });
        const text = await frame.locator('body').innerText();
        assert.match(text, /Final Answer:/);
        // The status bar names the model and the backend node-llama-cpp chose.
        await vscode.statusBarItem(/thinkscope-tiny-v1 · CPU/).waitFor({ timeout: 60_000 });
        await vscode.screenshot('generate-trace');
        // The finished trace is saved in the workspace.
        const dir = join(workspace, '.thinkscope', 'traces');
        const deadline = Date.now() + 60_000;
        while (!(existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.trace.json'))) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 250));
        }
        const saved = readdirSync(dir).filter((f) => f.endsWith('.trace.json'));
        assert.equal(saved.length, 1);
        const trace = JSON.parse(readFileSync(join(dir, saved[0]!), 'utf8')) as { thinkingTokens: number; question: string };
        assert.equal(trace.question, 'What is 12 + 30?');
        assert.ok(trace.thinkingTokens <= 49);
      },
    );
  });
});
