/** Where the CLI caches the embedded model and model hashes: $THINKSCOPE_CACHE, else XDG cache. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cliCacheDir(): string {
  return (
    process.env.THINKSCOPE_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'thinkscope')
  );
}
