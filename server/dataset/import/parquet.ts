/**
 * Parquet datasets as Hugging Face publishes them, read with hyparquet (pure JavaScript) and its
 * compressors (gzip, brotli, zstd, lz4…), one row group at a time, so a large file is never
 * decoded whole.
 *
 * Decoding runs in a worker thread (parquetWorker.ts) with a time limit per row group and a
 * memory limit: a corrupt file can send the decoder into an endless loop (seen with zero-length
 * RLE runs) or make it allocate without bound, and that must cost a terminated worker and a
 * reported row range, not a hung or crashed server. After a failed group a fresh worker goes on
 * at the next group, so the rest of the file is still imported. Healthy workers are kept (idle,
 * not holding the process open) for the next file. When the worker script is not present (a
 * bundle built without it), decoding runs in this thread without those guards.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { valueDepthExceeds } from '../json';
import { MAX_JSON_DEPTH } from '../limits';
import type { DecoderReply, DecoderRequest } from './parquetWorker';
import type { RecordBuilder } from './records';

/** How long one row group may take to decode before the file is judged corrupt there. */
export const PARQUET_GROUP_TIMEOUT_MS = 60_000;
/** How long opening a file (starting a worker, reading the footer) may take. */
const OPEN_TIMEOUT_MS = 30_000;
/** Heap a decoding worker may use. */
const WORKER_HEAP_MB = 4096;
/** Idle workers kept for later files. */
const MAX_IDLE_WORKERS = 2;

export interface ParquetReadOptions {
  groupTimeoutMs?: number;
  /** Decode in this thread even when the worker is available (no time or memory guard). */
  inProcess?: boolean;
}

type Range = { rowStart: number; rowEnd: number };

/** The worker script beside this module: .ts when run from source, .mjs in a bundle. */
function workerUrl(): URL | null {
  const here = import.meta.url;
  const url = new URL(here.endsWith('.ts') ? './parquetWorker.ts' : './parquetWorker.mjs', here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * What the Worker runs: the bundled script as is; from TypeScript source (tests, development) a
 * bootstrap that registers the TypeScript loader in the worker first, since loaders given to
 * the parent with --import do not reach worker threads.
 */
function workerEntry(url: URL): URL {
  if (!url.pathname.endsWith('.ts')) return url;
  const loader = import.meta.resolve('tsx/esm/api');
  const code = `import { register } from ${JSON.stringify(loader)};\nregister();\nawait import(${JSON.stringify(url.href)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** One decoding worker: one request at a time, each with a time limit. */
class Decoder {
  private readonly worker: Worker;
  private pending: { resolve: (reply: DecoderReply) => void; reject: (err: Error) => void } | null = null;
  /** Set once the worker is stuck, dead or terminated: it is never used again. */
  private broken: Error | null = null;

  constructor(url: URL) {
    this.worker = new Worker(workerEntry(url), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    this.worker.on('message', (reply: DecoderReply) => {
      const p = this.pending;
      this.pending = null;
      p?.resolve(reply);
    });
    const fail = (err: Error): void => {
      this.broken ??= err;
      const p = this.pending;
      this.pending = null;
      p?.reject(err);
    };
    this.worker.on('error', (err) => fail(new Error(err.message)));
    this.worker.on('exit', (code) => fail(new Error(`the decoder stopped (exit code ${code})`)));
  }

  get healthy(): boolean {
    return this.broken === null;
  }

  request(request: DecoderRequest, timeoutMs: number): Promise<DecoderReply> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<DecoderReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.broken = new Error(`decoding took longer than ${Math.round(timeoutMs / 1000)} s (the file is probably corrupt there)`);
        this.pending = null;
        reject(this.broken);
      }, timeoutMs);
      this.pending = {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      };
      this.worker.postMessage(request);
    });
  }

  /** Lets the process exit while this worker idles. */
  park(): void {
    this.worker.unref();
  }

  unpark(): void {
    this.worker.ref();
  }

  async terminate(): Promise<void> {
    this.broken ??= new Error('the decoder was stopped');
    await this.worker.terminate();
  }
}

const idle: Decoder[] = [];

function takeDecoder(url: URL): Decoder {
  const decoder = idle.pop() ?? new Decoder(url);
  decoder.unpark();
  return decoder;
}

async function giveBack(decoder: Decoder): Promise<void> {
  if (decoder.healthy && idle.length < MAX_IDLE_WORKERS) {
    decoder.park();
    idle.push(decoder);
  } else await decoder.terminate();
}

/** Feeds every row of a Parquet file to the builder (row numbers 1-based). */
export async function readParquetInto(path: string, builder: RecordBuilder, options: ParquetReadOptions = {}): Promise<void> {
  const url = options.inProcess ? null : workerUrl();
  if (url) await readWithWorkers(url, path, builder, options.groupTimeoutMs ?? PARQUET_GROUP_TIMEOUT_MS);
  else await readInProcess(path, builder);
}

function feedRows(builder: RecordBuilder, range: Range, rows: Record<string, unknown>[]): void {
  rows.forEach((row, i) => {
    const position = range.rowStart + i + 1;
    if (valueDepthExceeds(row, MAX_JSON_DEPTH)) builder.undecodable(position, `nesting deeper than ${MAX_JSON_DEPTH} levels`);
    else builder.add(row, position);
  });
}

function groupFailed(builder: RecordBuilder, range: Range, why: string): void {
  builder.undecodable(range.rowStart + 1, `rows ${range.rowStart + 1}–${range.rowEnd} could not be decoded: ${why}`, undefined, range.rowEnd - range.rowStart);
}

async function readWithWorkers(url: URL, path: string, builder: RecordBuilder, timeoutMs: number): Promise<void> {
  let groups: Range[] | null = null;
  let next = 0;
  while (groups === null || next < groups.length) {
    const decoder = takeDecoder(url);
    try {
      let opened: DecoderReply;
      try {
        opened = await decoder.request({ type: 'open', path }, Math.max(timeoutMs, OPEN_TIMEOUT_MS));
      } catch (err) {
        if (groups === null) throw new Error(`${path}: not a readable Parquet file: ${(err as Error).message}`);
        groupFailed(builder, groups[next]!, (err as Error).message);
        next++;
        continue;
      }
      if (opened.type === 'fatal') throw new Error(`${path}: not a readable Parquet file: ${opened.message}`);
      if (opened.type !== 'meta') throw new Error(`${path}: the Parquet decoder answered out of turn`);
      groups ??= opened.groups;
      while (next < groups.length) {
        const range = groups[next]!;
        let reply: DecoderReply;
        try {
          reply = await decoder.request({ type: 'read', group: next }, timeoutMs);
        } catch (err) {
          groupFailed(builder, range, (err as Error).message);
          next++;
          break; // this worker is stuck or dead: a fresh one goes on at the next group
        }
        if (reply.type === 'rows') feedRows(builder, range, reply.rows);
        else if (reply.type === 'groupError') groupFailed(builder, range, reply.message);
        next++;
      }
    } finally {
      await giveBack(decoder);
    }
  }
}

async function readInProcess(path: string, builder: RecordBuilder): Promise<void> {
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new Error(`${path}: not a readable Parquet file: ${err instanceof Error ? err.message : String(err)}`);
  }
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const range = { rowStart, rowEnd: rowStart + Number(group.num_rows) };
    try {
      feedRows(builder, range, await parquetReadObjects({ file, metadata, rowStart: range.rowStart, rowEnd: range.rowEnd, compressors }));
    } catch (err) {
      groupFailed(builder, range, err instanceof Error ? err.message : String(err));
    }
    rowStart = range.rowEnd;
  }
}
