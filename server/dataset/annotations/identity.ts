/** The annotator's name: `git config user.name`, else the OS user name. */
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';

/**
 * The default annotator identity: git's user.name (run in `cwd` so a repository's own setting
 * applies; given up after `timeoutMs`), else the OS user name, else "anonymous".
 */
export async function defaultAnnotator(cwd?: string, timeoutMs = 2_000): Promise<string> {
  const fromGit = await new Promise<string | null>((resolve) => {
    try {
      execFile('git', ['config', 'user.name'], { cwd, timeout: timeoutMs, windowsHide: true }, (err, stdout) => {
        const name = err ? '' : String(stdout).trim();
        resolve(name === '' ? null : name);
      });
    } catch {
      resolve(null);
    }
  });
  if (fromGit) return fromGit;
  try {
    const name = userInfo().username.trim();
    if (name !== '') return name;
  } catch {
    // no user database entry (some containers)
  }
  return 'anonymous';
}
