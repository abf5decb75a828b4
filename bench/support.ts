/** Shared helpers for benchmarks: the tiny model on disk, figures printed as `name: value`. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '../server/tinymodel';

export async function tinyModelFile(): Promise<{ dir: string; modelPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'thinkscope-bench-'));
  const modelPath = join(dir, 'tiny.gguf');
  await writeTinyModel(modelPath, { seed: 0 });
  return { dir, modelPath };
}

export function figure(name: string, value: number | string, digits = 3): void {
  process.stdout.write(`${name}: ${typeof value === 'number' ? Number(value.toFixed(digits)) : value}\n`);
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
