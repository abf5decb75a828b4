import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TraceDocument } from '../../../../protocol/trace';
import { JsonTraceLayout, scanTraceJson } from '../../../../server/lsp/features/jsonLayout';
import { LineIndex } from '../../../../server/lsp/features/lineIndex';
import { think, traceOf } from '../../analysis/traceFixtures';
import { jsonText, sampleTrace } from './fixtures';

/** Each token's "text" string content and object, as found by a layout, against the trace. */
function assertLayout(text: string, trace: TraceDocument, layout: JsonTraceLayout): void {
  for (let i = 0; i < trace.tokens.length; i++) {
    const [s, e] = layout.tokenText(i);
    assert.equal(JSON.parse(`"${text.slice(s, e)}"`), trace.tokens[i]!.text, `text of token ${i}`);
    const [os, oe] = layout.tokenSpan(i);
    assert.deepEqual(JSON.parse(text.slice(os, oe)), trace.tokens[i], `object of token ${i}`);
    assert.equal(layout.tokenAt(os), i);
    assert.equal(layout.tokenAt(oe - 1), i);
    assert.equal(layout.tokenAt(s), i);
  }
  for (let k = 0; k < trace.events.length; k++) {
    const span = layout.eventSpan(k)!;
    assert.deepEqual(JSON.parse(text.slice(span[0], span[1])), trace.events[k]);
    assert.equal(layout.eventAt(span[0]), k);
  }
}

/** Model text that is hard on a JSON scanner: quotes, braces, backslashes, a key-like string. */
const tricky = () =>
  traceOf([
    think('He said "{x}" and \\frac{1}{2}, [done]. '),
    { text: '"text": "fake", }', phase: 'thinking', source: 'model', whole: true },
    think(' \\"\\\\ end\n\nNext'),
  ]);

describe('scanTraceJson', () => {
  for (const [name, format] of [
    ['as ThinkScope writes it', (t: TraceDocument) => jsonText(t)],
    ['pretty-printed', (t: TraceDocument) => JSON.stringify(t, null, 2)],
    ['compact', (t: TraceDocument) => JSON.stringify(t)],
  ] as const) {
    test(`finds every token object and text string (${name})`, () => {
      for (const trace of [sampleTrace(), tricky()]) {
        const text = format(trace);
        const s = scanTraceJson(text);
        assert.equal(s.objStart.length, trace.tokens.length);
        assert.equal(s.eventStart.length, trace.events.length);
        for (let i = 0; i < trace.tokens.length; i++) {
          assert.deepEqual(JSON.parse(text.slice(s.objStart[i]!, s.objEnd[i]!)), trace.tokens[i]);
          assert.equal(JSON.parse(text.slice(s.textStart[i]!, s.textEnd[i]!)), trace.tokens[i]!.text);
        }
      }
    });
  }

  test('keys named "tokens" below the top level are not the token list', () => {
    const trace = sampleTrace() as TraceDocument & { extra: unknown };
    trace.extra = { tokens: [{ text: 'not a token' }], events: [{}] };
    const s = scanTraceJson(JSON.stringify(trace));
    assert.equal(s.objStart.length, trace.tokens.length);
    assert.equal(s.eventStart.length, trace.events.length);
  });
});

describe('JsonTraceLayout', () => {
  for (const [name, format] of [
    ['one token per line (line mode)', (t: TraceDocument) => jsonText(t)],
    ['pretty-printed (full scan)', (t: TraceDocument) => JSON.stringify(t, null, 2)],
    ['compact (full scan)', (t: TraceDocument) => JSON.stringify(t)],
  ] as const) {
    test(`locates tokens and events: ${name}`, () => {
      for (const trace of [sampleTrace(), tricky()]) {
        const text = format(trace);
        assertLayout(text, trace, new JsonTraceLayout(text, new LineIndex(text), trace));
      }
    });
  }

  test('a file that only looks one-token-per-line falls back to the full scan and stays right', () => {
    const trace = sampleTrace();
    const lines = jsonText(trace).split('\n');
    const first = lines.findIndex((l) => l.trim() === '"tokens": [');
    // Two tokens on one line, and one token spread over two lines: the line count still matches.
    lines[first + 1] = `${lines[first + 1]!} ${lines[first + 2]!.trim()}`;
    lines[first + 2] = lines[first + 3]!.replace('"text"', '\n"text"');
    lines.splice(first + 3, 1, ...lines[first + 2]!.split('\n'));
    lines.splice(first + 2, 1);
    const text = lines.join('\n');
    assert.deepEqual(JSON.parse(text), JSON.parse(jsonText(trace)));
    assertLayout(text, trace, new JsonTraceLayout(text, new LineIndex(text), trace));
  });

  test('positions outside any token mean no token', () => {
    const trace = sampleTrace();
    const text = jsonText(trace);
    const layout = new JsonTraceLayout(text, new LineIndex(text), trace);
    assert.equal(layout.tokenAt(0), -1);
    assert.equal(layout.tokenAt(text.indexOf('"question"')), -1);
    assert.equal(layout.eventAt(text.indexOf('"question"')), -1);
    assert.equal(layout.tokenAt(text.length), -1);
  });

  test('a trace without tokens or events', () => {
    const trace = traceOf([]);
    const text = jsonText(trace);
    const layout = new JsonTraceLayout(text, new LineIndex(text), trace);
    assert.equal(layout.tokenCount, 0);
    assert.equal(layout.tokenAt(10), -1);
    assert.equal(layout.eventSpan(0), null);
  });
});
