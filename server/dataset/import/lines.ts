/**
 * Reads a text file line by line without holding it whole: fixed-size reads, lines cut at "\n"
 * (a trailing "\r" dropped, a leading BOM dropped). A line longer than the limit is not
 * accumulated: it is reported as too long and skipped up to its end.
 */
import { promises as fs } from 'node:fs';
import { MAX_LINE_BYTES } from '../limits';

/** A line's text with its 1-based number, or the number of a line that exceeded the limit. */
export type LineItem = { line: number; text: string } | { line: number; tooLong: true; bytes: number };

const READ_SIZE = 4 * 1024 * 1024;

/**
 * Yields the lines of a file in batches (one batch per read of `readSize` bytes), so a caller can
 * process them synchronously between reads. Empty lines are yielded too; callers skip them.
 */
export async function* readLineBatches(path: string, maxLineBytes = MAX_LINE_BYTES, readSize = READ_SIZE): AsyncGenerator<LineItem[]> {
  const handle = await fs.open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(readSize);
    let lineNo = 1;
    let parts: Buffer[] = [];
    let partBytes = 0;
    let skipping = false; // inside a line already over the limit
    let skippedBytes = 0;
    let first = true;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, readSize, null);
      if (bytesRead === 0) break;
      const batch: LineItem[] = [];
      let start = 0;
      if (first) {
        first = false;
        if (bytesRead >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
      }
      for (;;) {
        const nl = buffer.indexOf(0x0a, start);
        const end = nl === -1 || nl >= bytesRead ? bytesRead : nl;
        const pieceBytes = end - start;
        if (skipping) {
          skippedBytes += pieceBytes;
        } else if (partBytes + pieceBytes > maxLineBytes) {
          skipping = true;
          skippedBytes = partBytes + pieceBytes;
          parts = [];
          partBytes = 0;
        } else if ((nl === -1 || nl >= bytesRead) && pieceBytes > 0) {
          parts.push(Buffer.from(buffer.subarray(start, end)));
          partBytes += pieceBytes;
        }
        if (nl === -1 || nl >= bytesRead) break;
        // A line ends at `end`.
        if (skipping) {
          batch.push({ line: lineNo, tooLong: true, bytes: skippedBytes });
          skipping = false;
          skippedBytes = 0;
        } else if (parts.length > 0) {
          parts.push(buffer.subarray(start, end));
          batch.push({ line: lineNo, text: stripCr(Buffer.concat(parts).toString('utf8')) });
          parts = [];
          partBytes = 0;
        } else {
          batch.push({ line: lineNo, text: stripCr(buffer.toString('utf8', start, end)) });
        }
        lineNo++;
        start = nl + 1;
      }
      if (batch.length > 0) yield batch;
    }
    if (skipping) yield [{ line: lineNo, tooLong: true, bytes: skippedBytes }];
    else if (partBytes > 0) yield [{ line: lineNo, text: stripCr(Buffer.concat(parts).toString('utf8')) }];
  } finally {
    await handle.close();
  }
}

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
