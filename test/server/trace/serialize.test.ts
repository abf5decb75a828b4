import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTraceDocument } from '../../../protocol/guards';
import type { TraceDocument } from '../../../protocol/trace';
import { TOKEN_SPEC } from '../../../protocol/traceFields';
import { compactObject, serializeTrace, serializeTraceChunks, serializeTraceLine, tokenLine } from '../../../server/trace/serialize';
import { sampleTrace, syntheticTrace } from '../../protocol/fixtures';
import { arbTrace } from '../../protocol/traceArbitraries';

/** The trace as JSON would give it back (no -0, no undefined fields). */
const jsonClone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** The same object with its keys in reverse order, recursively. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (typeof v !== 'object' || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) out[k] = reversedKeys((v as Record<string, unknown>)[k]);
  return out;
}

describe('serializeTrace', () => {
  test('lays out the header pretty, then one event and one token per line', () => {
    const text = serializeTrace(sampleTrace());
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 5), ['{', '  "format": "thinkscope.trace",', '  "version": 1,', '  "id": "6f1c2a3e-0b7d-4a51-9c1e-2f6b8d9e0a11",', '  "createdAt": "2025-06-01T12:00:00.000Z",']);
    const tokensAt = lines.indexOf('  "tokens": [');
    const eventsAt = lines.indexOf('  "events": [');
    assert.ok(eventsAt > 0 && tokensAt > eventsAt);
    assert.equal(lines[eventsAt + 1], '    {"kind":"suppressed-end","at":2,"thinkingTokens":2,"wanted":{"id":2,"text":"</think>","logprob":-0.7},"injected":" Wait"},');
    assert.equal(lines[tokensAt + 3], '    {"id":102,"text":" Wait","source":"injected","phase":"thinking","logprob":null,"entropy":null,"top":[]},');
    assert.equal(lines.length - tokensAt - 1, 7 + 3); // 7 tokens, "  ]", "}", and the final ""
    assert.ok(text.endsWith('  ]\n}\n'));
    assert.deepEqual(JSON.parse(text), jsonClone(sampleTrace()));
  });

  test('writes unknown fields after the known ones, before events and tokens', () => {
    const t = { ...sampleTrace(), zeta: 1, alpha: { b: [1, 2] } } as TraceDocument;
    const text = serializeTrace(t);
    const keys = [...text.matchAll(/^ {2}"([^"]+)":/gm)].map((m) => m[1]);
    assert.deepEqual(keys.slice(-5), ['timing', 'zeta', 'alpha', 'events', 'tokens']);
    assert.match(text, /"alpha": \{\n {4}"b": \[\n {6}1,/);
  });

  test('empty lists', () => {
    const t = { ...sampleTrace(), tokens: [], events: [], thinkingTokens: 0, answerTokens: 0, answer: '' };
    const text = serializeTrace(t);
    assert.match(text, /"events": \[\],\n {2}"tokens": \[\]\n\}\n$/);
    assert.deepEqual(JSON.parse(text), t);
  });

  test('the key order does not depend on the input order', () => {
    const t = sampleTrace();
    assert.equal(serializeTrace(reversedKeys(t) as TraceDocument), serializeTrace(t));
    assert.equal(serializeTraceLine(reversedKeys(t) as TraceDocument), serializeTraceLine(t));
  });

  test('chunks join to the whole text; long traces come in many chunks', () => {
    const t = syntheticTrace(10_000);
    const chunks = [...serializeTraceChunks(t)];
    assert.ok(chunks.length > 3);
    assert.equal(chunks.join(''), serializeTrace(t));
  });

  test('random traces: parse(write(t)) equals t, and writing again gives the same text (property, 1000 runs)', () => {
    fc.assert(
      fc.property(arbTrace, (trace) => {
        const text = serializeTrace(trace);
        const back = parseTraceDocument(JSON.parse(text));
        assert.deepEqual(back, jsonClone(trace));
        assert.equal(serializeTrace(back), text);
        const line = serializeTraceLine(trace);
        assert.ok(!line.includes('\n'));
        assert.deepEqual(JSON.parse(line), jsonClone(trace));
        assert.equal(serializeTraceLine(back), line);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('tokenLine', () => {
  test('is the same text as the general writer, with or without unknown fields (property)', () => {
    fc.assert(
      fc.property(arbTrace, (trace) => {
        for (const t of trace.tokens) {
          const json = t as unknown as Record<string, unknown>;
          assert.equal(tokenLine(json), compactObject(json, TOKEN_SPEC));
        }
      }),
      { numRuns: 500 },
    );
  });
});
