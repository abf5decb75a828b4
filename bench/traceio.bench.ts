/**
 * Trace validation, writing and reading at two sizes: a long trace (32,000 tokens) and the largest
 * the format promises to handle (1,000,000 tokens), 5 alternatives per token. Prints `name: value`
 * lines: wall-clock and CPU milliseconds (on a shared machine the CPU time is the steadier figure),
 * file size and memory in MB (10^6 bytes).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseTraceDocument } from '../protocol/guards';
import type { TraceDocument } from '../protocol/trace';
import { readTraceFile, writeTraceFile } from '../server/trace/io';
import { syntheticTrace } from '../test/protocol/fixtures';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const print = (name: string, value: string | number) => console.log(`${name}: ${value}`);

/** Runs `f`; returns its result, the wall-clock ms and the CPU ms (user + system) it took. */
async function timed<T>(f: () => T | Promise<T>): Promise<[T, number, number]> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await f();
  const used = process.cpuUsage(cpu);
  return [result, performance.now() - start, (used.user + used.system) / 1000];
}

async function run(label: string, tokens: number, validations: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'thinkscope-bench-'));
  const path = join(dir, `${label}.trace.json`);
  try {
    let trace: TraceDocument | null = syntheticTrace(tokens, { top: 5 });
    parseTraceDocument(trace); // warm-up
    let best = Infinity;
    for (let i = 0; i < validations; i++) best = Math.min(best, (await timed(() => parseTraceDocument(trace)))[1]);
    print(`${label}_validate_ms`, best.toFixed(1));
    const [, writeMs, writeCpu] = await timed(() => writeTraceFile(path, trace!));
    print(`${label}_write_ms`, writeMs.toFixed(0));
    print(`${label}_write_cpu_ms`, writeCpu.toFixed(0));
    print(`${label}_file_mb`, mb(statSync(path).size));

    trace = null;
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const [back, readMs, readCpu] = await timed(() => readTraceFile(path));
    print(`${label}_read_ms`, readMs.toFixed(0));
    print(`${label}_read_cpu_ms`, readCpu.toFixed(0));
    gc();
    print(`${label}_read_heap_mb`, mb(process.memoryUsage().heapUsed - heapBefore));
    if (back.tokens.length !== tokens) throw new Error(`read ${back.tokens.length} tokens, wrote ${tokens}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await run('trace_32k', 32_000, 5);
await run('trace_1m', 1_000_000, 2);
print('peak_rss_mb', mb(process.resourceUsage().maxRSS * 1024));
