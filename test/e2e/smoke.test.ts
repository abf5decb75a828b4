/**
 * Smoke test in a real VS Code: code-server starts with this extension installed, the extension
 * activates without error, and its commands are in the command palette.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, copyWorkspace, processesOf, withVsCode, type VsCodeSession } from './harness';

interface Manifest {
  publisher: string;
  name: string;
  displayName: string;
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
const extensionId = `${manifest.publisher}.${manifest.name}`;

describe('VS Code with ThinkScope (code-server)', () => {
  test('the extension activates and its commands are in the palette', { timeout: 600_000 }, async () => {
    const workspace = copyWorkspace('samples', 'smoke');
    let session: VsCodeSession | undefined;
    await withVsCode({ workspace, name: 'smoke' }, async (vscode) => {
      session = vscode;

      // Installed and activated (onStartupFinished): the running extensions list shows it with
      // an activation time, no error, and the extension host logged no error from it.
      const row = await vscode.waitForActivation(manifest.displayName, extensionId);
      assert.equal(await row.locator('.codicon-error, .codicon-warning').count(), 0, `${manifest.displayName} shows an error in the running extensions list`);
      assert.ok(vscode.extensionHostLog().includes(`_doActivateExtension ${extensionId},`), `the extension host log does not show ${extensionId} activating`);

      // Contributed commands are offered by the command palette: every one that package.json
      // does not hide from it with a `when` clause.
      await vscode.findCommand('ThinkScope: Generate Trace');
      const contributed = manifest.contributes?.commands ?? [];
      assert.ok(contributed.length > 0, 'package.json contributes no commands');
      const conditional = new Set((manifest.contributes?.menus?.commandPalette ?? []).filter((m) => m.when !== undefined).map((m) => m.command));
      for (const command of contributed.filter((c) => !conditional.has(c.command))) {
        await vscode.findCommand(command.category ? `${command.category}: ${command.title}` : command.title);
      }

      await vscode.screenshot('smoke');
    });
    // close() stopped everything by itself, without forcing, and nothing of the session is left.
    assert.ok(session);
    assert.deepEqual(session.closeProblems, []);
    assert.deepEqual(processesOf(session.runDir), [], 'processes of the session are still running after close()');
  });
});
