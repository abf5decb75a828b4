/**
 * Splits a file into lines as it streams, holding at most one line in memory. A line longer than
 * the limit is not kept: it is reported with its length and skipped, so one huge line costs no
 * more memory than a chunk.
 */
import type { FileHandle } from 'node:fs/promises';

export interface RawLine {
  /** 1-based line number. */
  number: number;
  /** The line's bytes without the "\n"; null when the line is over the limit. */
  bytes: Buffer | null;
  /** The line's length in bytes (without the "\n"). */
  byteLength: number;
}

const NEWLINE = 0x0a;

/** The lines of the file behind `handle`, from its current position, in chunks of `chunkBytes`. */
export async function* readLines(handle: FileHandle, maxLineBytes: number, chunkBytes = 1024 * 1024): AsyncGenerator<RawLine> {
  let parts: Buffer[] = [];
  let lineBytes = 0;
  let number = 1;
  const take = (): RawLine => {
    const bytes = lineBytes > maxLineBytes ? null : parts.length === 1 ? parts[0]! : Buffer.concat(parts, lineBytes);
    const line = { number, bytes, byteLength: lineBytes };
    parts = [];
    lineBytes = 0;
    number++;
    return line;
  };
  for (;;) {
    // A fresh buffer each time: the lines handed out keep views into it.
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
    if (bytesRead === 0) break;
    const chunk = buffer.subarray(0, bytesRead);
    let start = 0;
    while (start < bytesRead) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? bytesRead : nl;
      lineBytes += end - start;
      if (lineBytes <= maxLineBytes) {
        if (end > start) parts.push(chunk.subarray(start, end));
      } else {
        parts = [];
      }
      if (nl === -1) break;
      yield take();
      start = nl + 1;
    }
  }
  if (lineBytes > 0) yield take();
}
