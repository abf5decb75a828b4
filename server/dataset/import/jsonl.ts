/** JSONL datasets: one record per line, read as a stream. */
import { formatBytes, MAX_LINE_BYTES } from '../limits';
import { parseJson } from '../json';
import { readLineBatches } from './lines';
import type { RecordBuilder } from './records';

/** Feeds every non-blank line of a JSONL file to the builder; bad lines become line errors. */
export async function readJsonlInto(path: string, builder: RecordBuilder, maxLineBytes = MAX_LINE_BYTES): Promise<void> {
  for await (const batch of readLineBatches(path, maxLineBytes)) {
    for (const item of batch) {
      if ('tooLong' in item) {
        builder.undecodable(item.line, `line is ${formatBytes(item.bytes)}, over the ${formatBytes(maxLineBytes)} limit for one line: skipped`);
        continue;
      }
      const text = item.text;
      if (isBlank(text)) continue;
      const parsed = parseJson(text);
      if (!parsed.ok) {
        builder.undecodable(item.line, parsed.message, parsed.column);
        continue;
      }
      builder.add(parsed.value, item.line);
    }
  }
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}
