/**
 * Trace documents for the language-feature tests: a small realistic trace written by the real
 * trace writer (one token per line), and helpers to find positions in its text.
 */
import type { Position } from 'vscode-languageserver';
import type { TraceDocument } from '../../../../protocol/trace';
import type { TraceTextDocument } from '../../../../server/lsp/traceDocument';
import { serializeTrace } from '../../../../server/trace/serialize';
import { answer, forcedEnd, injected, think, traceOf } from '../../analysis/traceFixtures';

export const JSON_URI = 'file:///work/traces/sample.trace.json';
export const VIEW_URI = 'thinkscope-trace:/work/traces/sample.trace.json';

/**
 * Ground truth 5. Tokens:
 *   [0,8)   "Let me add 2 and 3.\n\n"
 *   [8,14)  "So the answer is 5." (candidate "5" at token 12)
 *   [14]    injected "Wait" (event 0, suppressed end; the model wanted "</think>" at 90%)
 *   [15,22) ", the answer is 6.\n\n" (candidate "6" at token 19)
 *   [22,29) "Hmm, we need the count of"
 *   [29,38) forced "</think>\nFinal Answer:" (event 1) and " 6"
 */
export function sampleTrace(): TraceDocument {
  return traceOf(
    [
      think('Let me add 2 and 3.\n\n'),
      think('So the answer is 5.'),
      injected('Wait'),
      think(', the answer is 6.\n\n'),
      think('Hmm, we need the count of'),
      forcedEnd(29),
      answer(' 6'),
    ],
    { groundTruth: '5' },
  );
}

/** A document over `text`, counting how often its text is read. */
export function docOf(uri: string, text: string, version = 1, languageId?: string): TraceTextDocument & { reads: number } {
  const doc = {
    uri,
    version,
    reads: 0,
    getText() {
      doc.reads++;
      return text;
    },
    ...(languageId ? { languageId } : {}),
  };
  return doc;
}

/** The `.trace.json` text of a trace, as ThinkScope writes it. */
export function jsonText(trace: TraceDocument): string {
  return serializeTrace(trace);
}

/** The position of the `occurrence`-th match of `needle` in `text`, plus `shift` characters. */
export function positionOf(text: string, needle: string, occurrence = 0, shift = 0): Position {
  let at = -1;
  for (let k = 0; k <= occurrence; k++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence + 1} times`);
  }
  const offset = at + shift;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The text a range covers. */
export function textAt(text: string, range: { start: Position; end: Position }): string {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(range.start), offset(range.end));
}

/** The line of `text` a token's JSON object is on (ThinkScope writes one token per line). */
export function tokenLine(text: string, token: number): number {
  const first = text.split('\n').findIndex((l) => l.trim() === '"tokens": [');
  if (first < 0) throw new Error('no "tokens" line');
  return first + 1 + token;
}
