/**
 * Reads a text file line by line without holding it whole: fixed-size reads, each read's complete
 * lines decoded in one go and cut at "\n" (a trailing "\r" dropped, a leading BOM dropped). A line
 * longer than the read grows the buffer up to the line limit; a line over the limit is not
 * accumulated: it is reported as too long and skipped up to its end.
 *
 * Decoding a whole read at once, rather than line by line, matters: lines of tens of kilobytes of
 * non-ASCII text decode to strings V8 allocates one by one in large-object space, which costs
 * more than the parsing.
 */
import { promises as fs } from 'node:fs';
import { MAX_LINE_BYTES } from '../limits';

/** A line's text with its 1-based number, or the number of a line that exceeded the limit. */
export type LineItem = { line: number; text: string } | { line: number; tooLong: true; bytes: number };

const READ_SIZE = 4 * 1024 * 1024;

function stripCr(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

/**
 * Yields the lines of a file in batches (one batch per read of `readSize` bytes), so a caller can
 * process them synchronously between reads. Empty lines are yielded too; callers skip them.
 */
export async function* readLineBatches(path: string, maxLineBytes = MAX_LINE_BYTES, readSize = READ_SIZE): AsyncGenerator<LineItem[]> {
  const handle = await fs.open(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(Math.max(4, Math.min(readSize, maxLineBytes + 1)));
    let filled = 0; // bytes of buffer holding the start of lines not yet yielded
    let lineNo = 1;
    let skipping = false; // inside a line already over the limit
    let skipped = 0;
    let atStart = true;
    for (;;) {
      if (!skipping && filled === buffer.length) {
        // A line longer than the buffer: grow up to the limit, or give up on the line.
        if (buffer.length <= maxLineBytes) {
          const grown = Buffer.allocUnsafe(Math.min(Math.max(buffer.length * 2, readSize), maxLineBytes + 1));
          buffer.copy(grown, 0, 0, filled);
          buffer = grown;
        } else {
          skipping = true;
          skipped = filled;
          filled = 0;
        }
      }
      let { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      if (atStart && filled + bytesRead >= 3) {
        atStart = false;
        if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
          buffer.copy(buffer, 0, 3, filled + bytesRead);
          bytesRead -= 3;
        }
      }
      let end = filled + bytesRead;
      if (skipping) {
        const nl = buffer.indexOf(0x0a, filled);
        if (nl === -1 || nl >= end) {
          skipped += bytesRead;
          filled = 0;
          continue;
        }
        yield [{ line: lineNo++, tooLong: true, bytes: skipped + (nl - filled) }];
        skipping = false;
        buffer.copy(buffer, 0, nl + 1, end);
        end -= nl + 1;
      }
      const last = end === 0 ? -1 : buffer.lastIndexOf(0x0a, end - 1);
      if (last < 0) {
        filled = end;
        continue; // no complete line yet
      }
      yield cutLines(buffer, 0, last, lineNo, maxLineBytes);
      lineNo += countNewlines(buffer, 0, last + 1);
      buffer.copy(buffer, 0, last + 1, end);
      filled = end - (last + 1);
    }
    if (skipping) yield [{ line: lineNo, tooLong: true, bytes: skipped }];
    else if (filled > 0) {
      yield filled > maxLineBytes ? [{ line: lineNo, tooLong: true, bytes: filled }] : [{ line: lineNo, text: stripCr(buffer.toString('utf8', 0, filled)) }];
    }
  } finally {
    await handle.close();
  }
}

function countNewlines(buffer: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buffer.indexOf(0x0a, from); i !== -1 && i < to; i = buffer.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** The lines in buffer[start, last) (last is a newline), decoded in one go. */
function cutLines(buffer: Buffer, start: number, last: number, firstLine: number, maxLineBytes: number): LineItem[] {
  const text = buffer.toString('utf8', start, last);
  const items: LineItem[] = [];
  let line = firstLine;
  let byteStart = start;
  let charStart = 0;
  for (;;) {
    const byteEnd = buffer.indexOf(0x0a, byteStart);
    const charEnd = byteEnd >= last ? text.length : text.indexOf('\n', charStart);
    const bytes = (byteEnd >= last ? last : byteEnd) - byteStart;
    if (bytes > maxLineBytes) items.push({ line, tooLong: true, bytes });
    else items.push({ line, text: stripCr(text.slice(charStart, charEnd)) });
    if (byteEnd >= last) return items;
    line++;
    byteStart = byteEnd + 1;
    charStart = charEnd + 1;
  }
}
