/** JSON documents: one trace (`.trace.json`), one record, or an array of records. */
import { promises as fs } from 'node:fs';
import { parseJson } from '../json';
import type { RecordBuilder } from './records';

/** Reads a whole JSON document (the caller checked its size) and feeds its rows to the builder. */
export async function readJsonDocumentInto(path: string, builder: RecordBuilder): Promise<void> {
  let text = await fs.readFile(path, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseJson(text, { multiline: true });
  if (!parsed.ok) {
    builder.undecodable(1, parsed.line === undefined ? parsed.message : `line ${parsed.line}, column ${parsed.column}: ${parsed.message}`);
    return;
  }
  if (Array.isArray(parsed.value)) parsed.value.forEach((row, i) => builder.add(row, i + 1));
  else builder.add(parsed.value, 1);
}
