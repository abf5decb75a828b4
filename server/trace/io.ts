/**
 * Reading and writing trace files: one trace per `.trace.json`, many per `.jsonl` (one per line).
 *
 * Every read is checked (protocol/guards.ts) and every write is atomic or durable
 * (server/util/atomicFile.ts). Fields this version does not know are kept on write. Limits
 * (server/trace/limits.ts): a `.trace.json` of at most 500 MiB, a JSONL line of at most 50 MiB;
 * a JSONL file streams, so its total size is not limited.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import { TraceFormatError, parseTraceDocument } from '../../protocol/guards';
import type { TraceDocument } from '../../protocol/trace';
import { appendFileDurable, writeFileAtomic } from '../util/atomicFile';
import { TraceReadError, TraceWriteError, describeFsError } from './errors';
import { readLines, type RawLine } from './lines';
import {
  MAX_JSONL_LINE_BYTES,
  MAX_TRACE_FILE_BYTES,
  MEMORY_CHECK_THRESHOLD_BYTES,
  READ_MEMORY_FACTOR,
  formatBytes,
} from './limits';
import { parseTraceBytes, type ParseLimits } from './parse';
import { serializeTraceChunks, serializeTraceLine } from './serialize';

export interface TraceFileOptions extends ParseLimits {
  /** Largest file accepted or written; MAX_TRACE_FILE_BYTES by default. */
  maxBytes?: number;
}

export interface TraceJsonlOptions {
  /** Longest line accepted or written; MAX_JSONL_LINE_BYTES by default. */
  maxLineBytes?: number;
}

/** One line of a JSONL file: a trace, or why the line was skipped. */
export type TraceJsonlEntry =
  | { line: number; trace: TraceDocument; error?: undefined }
  | { line: number; error: TraceReadError | TraceFormatError; trace?: undefined };

const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Reads and checks a `.trace.json` file.
 * @throws TraceReadError when the file cannot be read, is over the size limit, is not UTF-8 or not
 *   JSON (with line and column); TraceFormatError when it is not a valid trace (with the line and
 *   column of the field).
 */
export async function readTraceFile(path: string, options: TraceFileOptions = {}): Promise<TraceDocument> {
  const maxBytes = options.maxBytes ?? MAX_TRACE_FILE_BYTES;
  const handle = await openRegularFile(path);
  let bytes: Buffer;
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      throw new TraceReadError({
        path,
        problem: 'limit',
        reason: `is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for one trace file; split it or record fewer alternatives per token`,
      });
    }
    checkMemoryFor(path, size);
    bytes = await readAll(handle, path, size, maxBytes);
  } finally {
    await handle.close();
  }
  return parseTraceBytes(bytes, path, options);
}

/**
 * Checks a trace and writes it atomically as `.trace.json` (see serialize.ts for the layout):
 * a crash leaves the old file or the new one.
 * @throws TraceFormatError for an invalid trace (nothing is written), TraceWriteError when it would
 *   be over the size limit or the file system refuses.
 */
export async function writeTraceFile(path: string, trace: TraceDocument, options: TraceFileOptions = {}): Promise<void> {
  parseTraceDocument(trace, `${path} (not written)`);
  const maxBytes = options.maxBytes ?? MAX_TRACE_FILE_BYTES;
  const data = encodeWithin(serializeTraceChunks(trace), estimateTraceBytes(trace), maxBytes, () => {
    throw new TraceWriteError({
      path,
      problem: 'limit',
      reason: `not written: the trace (${trace.tokens.length} tokens) is over the ${formatBytes(maxBytes)} limit for one trace file, which readers would refuse; record fewer alternatives per token`,
    });
  });
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    const { reason, code } = describeFsError(error);
    throw new TraceWriteError({ path, problem: 'io', reason: `cannot write the trace: ${reason}`, code, cause: error });
  }
}

/**
 * Streams the traces of a JSONL file, one entry per non-blank line: the trace, or the error that
 * made the line unreadable (naming the file, the line and the column). Malformed lines do not stop
 * the rest; a line over the limit is skipped without being read into memory.
 * @throws TraceReadError only when the file itself cannot be opened or read.
 */
export async function* readTraceJsonl(path: string, options: TraceJsonlOptions = {}): AsyncGenerator<TraceJsonlEntry> {
  const maxLineBytes = options.maxLineBytes ?? MAX_JSONL_LINE_BYTES;
  const handle = await openRegularFile(path);
  try {
    const lines = readLines(handle, maxLineBytes);
    for (;;) {
      let next: IteratorResult<RawLine>;
      try {
        next = await lines.next();
      } catch (error) {
        const { reason, code } = describeFsError(error);
        throw new TraceReadError({ path, problem: 'io', reason: `cannot read: ${reason}`, code, cause: error });
      }
      if (next.done) break;
      const raw = next.value;
      if (raw.bytes === null) {
        yield {
          line: raw.number,
          error: new TraceReadError({
            path,
            line: raw.number,
            problem: 'limit',
            reason: `the line is ${formatBytes(raw.byteLength)}, over the ${formatBytes(maxLineBytes)} limit for one JSONL line; it was skipped`,
          }),
        };
        continue;
      }
      let bytes = raw.bytes;
      if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
      if (isBlank(bytes)) continue;
      let entry: TraceJsonlEntry;
      try {
        entry = { line: raw.number, trace: parseTraceBytes(bytes, { path, line: raw.number }) };
      } catch (error) {
        if (!(error instanceof TraceReadError || error instanceof TraceFormatError)) throw error;
        entry = { line: raw.number, error };
      }
      yield entry;
    }
  } finally {
    await handle.close();
  }
}

/** All traces of a JSONL file and the errors of the lines that could not be read, in line order. */
export async function readTraceJsonlAll(
  path: string,
  options: TraceJsonlOptions = {},
): Promise<{ traces: TraceDocument[]; errors: Array<TraceReadError | TraceFormatError> }> {
  const traces: TraceDocument[] = [];
  const errors: Array<TraceReadError | TraceFormatError> = [];
  for await (const entry of readTraceJsonl(path, options)) {
    if (entry.error) errors.push(entry.error);
    else traces.push(entry.trace);
  }
  return { traces, errors };
}

/**
 * Checks a trace and appends it to a JSONL file as one line, durably (fsync before returning).
 * When the file's last line was left without its newline (a crash mid-append), the new line still
 * starts on a line of its own.
 * @throws TraceFormatError for an invalid trace, TraceWriteError when the line would be over the
 *   limit or the file system refuses.
 */
export async function appendTraceJsonl(path: string, trace: TraceDocument, options: TraceJsonlOptions = {}): Promise<void> {
  const line = encodeJsonlLine(path, trace, options.maxLineBytes ?? MAX_JSONL_LINE_BYTES, 'appended');
  try {
    const data = (await endsWithoutNewline(path)) ? Buffer.concat([Buffer.from('\n'), line]) : line;
    await appendFileDurable(path, data);
  } catch (error) {
    const { reason, code } = describeFsError(error);
    throw new TraceWriteError({ path, problem: 'io', reason: `cannot append the trace: ${reason}`, code, cause: error });
  }
}

/**
 * Writes traces as a JSONL file atomically (replacing it), one checked trace per line.
 * @throws TraceFormatError naming the first invalid trace's index, TraceWriteError as appendTraceJsonl.
 */
export async function writeTraceJsonl(path: string, traces: Iterable<TraceDocument>, options: TraceJsonlOptions = {}): Promise<void> {
  const maxLineBytes = options.maxLineBytes ?? MAX_JSONL_LINE_BYTES;
  const lines: Buffer[] = [];
  let index = 0;
  for (const trace of traces) lines.push(encodeJsonlLine(`${path} trace #${index++}`, trace, maxLineBytes, 'written'));
  try {
    await writeFileAtomic(path, Buffer.concat(lines));
  } catch (error) {
    const { reason, code } = describeFsError(error);
    throw new TraceWriteError({ path, problem: 'io', reason: `cannot write the traces: ${reason}`, code, cause: error });
  }
}

function encodeJsonlLine(where: string, trace: TraceDocument, maxLineBytes: number, verb: string): Buffer {
  parseTraceDocument(trace, `${where} (not ${verb})`);
  const line = Buffer.from(`${serializeTraceLine(trace)}\n`, 'utf8');
  if (line.length - 1 > maxLineBytes) {
    throw new TraceWriteError({
      path: where,
      problem: 'limit',
      reason: `not ${verb}: the trace (${trace.tokens.length} tokens) is ${formatBytes(line.length - 1)} as one line, over the ${formatBytes(maxLineBytes)} limit for a JSONL line; save it as a .trace.json file instead`,
    });
  }
  return line;
}

/** A first guess of a trace's size as a file, to size the output buffer. */
function estimateTraceBytes(trace: TraceDocument): number {
  const alternatives = trace.tokens.length > 0 ? trace.tokens[0]!.top.length : 0;
  return 64 * 1024 + trace.tokens.length * (120 + 60 * alternatives);
}

/**
 * Encodes text chunks as UTF-8 into one buffer (grown as needed, so the file is never held twice
 * over); calls `overLimit` as soon as the total would pass `maxBytes`.
 */
function encodeWithin(chunks: Iterable<string>, estimate: number, maxBytes: number, overLimit: () => never): Buffer {
  let buffer = Buffer.allocUnsafe(Math.max(1024, Math.min(estimate, maxBytes)));
  let used = 0;
  for (const chunk of chunks) {
    const need = Buffer.byteLength(chunk, 'utf8');
    if (used + need > maxBytes) overLimit();
    if (used + need > buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(used + need, Math.ceil(buffer.length * 1.5))));
      buffer.copy(grown, 0, 0, used);
      buffer = grown;
    }
    used += buffer.write(chunk, used, 'utf8');
  }
  return buffer.subarray(0, used);
}

/**
 * Refuses to parse a file the process has no memory left for: the text (up to two bytes a
 * character) and the objects together take about READ_MEMORY_FACTOR times the file's size.
 * Failing here with a message beats the process dying of an out-of-memory abort.
 */
function checkMemoryFor(path: string, size: number): void {
  if (size < MEMORY_CHECK_THRESHOLD_BYTES) return;
  const { heap_size_limit: limit, used_heap_size: used } = getHeapStatistics();
  const need = size * READ_MEMORY_FACTOR;
  if (need > limit - used) {
    throw new TraceReadError({
      path,
      problem: 'limit',
      reason: `is ${formatBytes(size)}; reading it needs about ${formatBytes(need)} of memory, more than the ${formatBytes(
        Math.max(0, limit - used),
      )} this process has left (its heap limit is ${formatBytes(limit)}; Node's --max-old-space-size raises it)`,
    });
  }
}

async function openRegularFile(path: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    const { reason, code } = describeFsError(error);
    throw new TraceReadError({ path, problem: 'io', reason: `cannot open: ${reason}`, code, cause: error });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new TraceReadError({
        path,
        problem: 'io',
        reason: stat.isDirectory() ? 'is a directory, not a trace file' : 'is not a regular file (a device, a pipe or a socket)',
      });
    }
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function readAll(handle: FileHandle, path: string, size: number, maxBytes: number): Promise<Buffer> {
  // Read what stat announced plus one byte, to notice a file that grew meanwhile.
  const buffer = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
  let filled = 0;
  try {
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
  } catch (error) {
    const { reason, code } = describeFsError(error);
    throw new TraceReadError({ path, problem: 'io', reason: `cannot read: ${reason}`, code, cause: error });
  }
  if (filled > size) {
    throw new TraceReadError({ path, problem: 'io', reason: 'changed while it was being read; try again once it is written' });
  }
  return buffer.subarray(0, filled);
}

async function endsWithoutNewline(path: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await fs.open(path, 'r');
  } catch (error) {
    if (describeFsError(error).code === 'ENOENT') return false;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== NEWLINE;
  } finally {
    await handle.close();
  }
}

function isBlank(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== CR) return false;
  }
  return true;
}
