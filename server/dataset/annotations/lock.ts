/**
 * An inter-process lock on a file: a `<file>.lock` created with O_CREAT|O_EXCL holding the owner's
 * pid, host and time. A lock whose owner is gone (same host, pid no longer running) or which is
 * older than the stale age on another host is broken — by renaming it aside and checking that the
 * renamed file is the one judged stale, so two breakers cannot both take over.
 *
 * Fairness: a process that finds the lock taken leaves a `<file>.lock.wait-<host>-<pid>` marker
 * while it waits. A process about to take the lock while another live process is waiting joins
 * the waiters instead of barging in, so a busy writer that releases and re-takes the lock in a
 * loop cannot starve a second window.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hostname } from 'node:os';

export interface LockOptions {
  /** Give up after this long (ms); default 10 s. */
  timeoutMs?: number;
  /** A lock from another host older than this is stale (ms); default 60 s. */
  staleMs?: number;
}

interface LockInfo {
  pid: number;
  host: string;
  at: number;
  token: string;
}

/** Raised when the lock stays held by a live process past the timeout. */
export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

/** Whether a process with this pid is running on this host. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLockInfo(path: string): Promise<{ info: LockInfo | null; ino: number; mtimeMs: number } | null> {
  try {
    const stat = await fs.stat(path);
    const text = await fs.readFile(path, 'utf8');
    let info: LockInfo | null = null;
    try {
      const v = JSON.parse(text) as Partial<LockInfo>;
      if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.at === 'number' && typeof v.token === 'string') {
        info = v as LockInfo;
      }
    } catch {
      info = null; // being written, or torn by a crash between create and write
    }
    return { info, ino: stat.ino, mtimeMs: stat.mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** How long an unreadable lock file may exist before it counts as torn by a crash. */
const UNREADABLE_GRACE_MS = 2_000;

function isStale(found: { info: LockInfo | null; mtimeMs: number }, staleMs: number): boolean {
  const { info } = found;
  if (info === null) return Date.now() - found.mtimeMs > UNREADABLE_GRACE_MS;
  if (info.host === hostname()) return info.pid !== process.pid && !processAlive(info.pid);
  return Date.now() - info.at > staleMs;
}

/** Breaks a stale lock if it is still the same file (inode) that was judged stale. */
async function breakStaleLock(path: string, ino: number): Promise<void> {
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await fs.rename(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else broke it
    throw err;
  }
  const stat = await fs.stat(aside);
  if (stat.ino !== ino) {
    // A fresh lock replaced the stale one between our look and our rename: put it back.
    try {
      await fs.link(aside, path);
    } catch {
      // A newer lock exists now; the one we moved is lost to its owner, which re-checks before writing.
    }
  }
  await fs.rm(aside, { force: true });
}

/** A held lock. */
export interface HeldLock {
  /** Whether the lock file on disk is still ours. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

const waitMarker = (lockPath: string): string => `${lockPath}.wait-${hostname()}-${process.pid}`;

/** Whether another process is waiting for this lock (dead waiters' markers are removed). */
async function othersWaiting(lockPath: string, staleMs: number): Promise<boolean> {
  const dir = dirname(lockPath);
  const prefix = `${basename(lockPath)}.wait-`;
  const mine = basename(waitMarker(lockPath));
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return false;
  }
  let waiting = false;
  for (const name of names) {
    if (!name.startsWith(prefix) || name === mine) continue;
    const rest = name.slice(prefix.length);
    const cut = rest.lastIndexOf('-');
    const host = rest.slice(0, cut);
    const pid = Number(rest.slice(cut + 1));
    let alive: boolean;
    if (host === hostname()) alive = Number.isInteger(pid) && processAlive(pid);
    else {
      const stat = await fs.stat(join(dir, name)).catch(() => null);
      alive = stat !== null && Date.now() - stat.mtimeMs < staleMs;
    }
    if (alive) waiting = true;
    else await fs.rm(join(dir, name), { force: true });
  }
  return waiting;
}

/** Takes the lock on `target` (the lock file is `${target}.lock`), waiting for a live holder. */
export async function acquireLock(target: string, options: LockOptions = {}): Promise<HeldLock> {
  const path = `${target}.lock`;
  const marker = waitMarker(path);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 60_000;
  const token = randomBytes(8).toString('hex');
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  let waiting = false;
  const pause = async (): Promise<void> => {
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 8);
  };
  const startWaiting = async (): Promise<void> => {
    if (!waiting) await fs.writeFile(marker, '');
    waiting = true;
  };
  try {
    for (;;) {
      if (!waiting && (await othersWaiting(path, staleMs))) {
        await startWaiting(); // someone is already waiting: queue up rather than barge in
        await pause();
        continue;
      }
      const lock = await tryCreate(path, token);
      if (lock) return lock;
      await startWaiting();
      const found = await readLockInfo(path);
      if (found && isStale(found, staleMs)) {
        await breakStaleLock(path, found.ino);
        continue;
      }
      if (Date.now() > deadline) {
        const who = found?.info ? `process ${found.info.pid} on ${found.info.host} since ${new Date(found.info.at).toISOString()}` : 'another process';
        throw new LockTimeoutError(`${target} is locked by ${who}; if no ThinkScope is running there, delete ${path}`);
      }
      await pause();
    }
  } finally {
    if (waiting) await fs.rm(marker, { force: true });
  }
}

/** Creates the lock file exclusively; null when it exists. */
async function tryCreate(path: string, token: string): Promise<HeldLock | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw err;
  }
  try {
    const info: LockInfo = { pid: process.pid, host: hostname(), at: Date.now(), token };
    await handle.writeFile(JSON.stringify(info));
  } finally {
    await handle.close();
  }
  return {
    async stillHeld() {
      const found = await readLockInfo(path);
      return found?.info?.token === token;
    },
    async release() {
      const found = await readLockInfo(path);
      if (found?.info?.token === token) await fs.rm(path, { force: true });
    },
  };
}

/** Runs `fn` while holding the lock on `target`. */
export async function withLock<T>(target: string, fn: (lock: HeldLock) => Promise<T>, options?: LockOptions): Promise<T> {
  const lock = await acquireLock(target, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
