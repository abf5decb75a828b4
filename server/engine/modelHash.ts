/**
 * sha256 of a model file, computed once per (path, size, mtime) and cached on disk, so a
 * multi-gigabyte model is hashed on first use only.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicFile';

interface HashCache {
  [key: string]: string;
}

const CACHE_FILE = 'model-hashes.json';

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The file's sha256, from the cache in `cacheDir` when the file has not changed since. */
export async function cachedModelHash(path: string, cacheDir: string): Promise<string> {
  const info = await stat(path);
  const key = `${path}|${info.size}|${info.mtimeMs}`;
  const cachePath = join(cacheDir, CACHE_FILE);
  let cache: HashCache = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(cachePath, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) cache = parsed as HashCache;
  } catch {
    // No cache yet, or an unreadable one: it is only a cache.
  }
  const known = cache[key];
  if (typeof known === 'string' && /^[0-9a-f]{64}$/.test(known)) return known;
  const digest = await hashFile(path);
  // Drop entries of older versions of the same file.
  for (const k of Object.keys(cache)) if (k.startsWith(`${path}|`)) delete cache[k];
  cache[key] = digest;
  await mkdir(cacheDir, { recursive: true });
  await writeFileAtomic(cachePath, JSON.stringify(cache, null, 1));
  return digest;
}
