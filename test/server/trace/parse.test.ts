import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TraceFormatError } from '../../../protocol/guards';
import { TraceReadError } from '../../../server/trace/errors';
import { countJsonValues, parseTraceBytes, parseTraceJson } from '../../../server/trace/parse';
import { serializeTrace, serializeTraceLine } from '../../../server/trace/serialize';
import { sampleTrace } from '../../protocol/fixtures';
import { arbTrace } from '../../protocol/traceArbitraries';

const text = serializeTrace(sampleTrace());

function error(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected an error');
}

describe('parseTraceJson', () => {
  test('reads what serializeTrace wrote', () => {
    assert.deepEqual(parseTraceJson(text, 'a.trace.json'), JSON.parse(text));
  });

  test('a syntax error names the file, line and column', () => {
    const broken = text.replace('"stopReason": "eos",', '"stopReason": "eos"');
    const e = error(() => parseTraceJson(broken, 'a.trace.json'));
    assert.ok(e instanceof TraceReadError);
    const line = broken.split('\n').findIndex((l) => l.includes('"thinkingTokens"')) + 1;
    assert.equal(e.message, `a.trace.json:${line}:3: invalid JSON: expected ',' or '}' after a value in an object, got '"'`);
    assert.equal(e.line, line);
    assert.equal(e.problem, 'syntax');
  });

  test('a truncated file says it may be truncated', () => {
    const e = error(() => parseTraceJson(text.slice(0, 700), 'a.trace.json'));
    assert.match(e.message, /^a\.trace\.json:\d+:\d+: invalid JSON: .*\(the file may be truncated\)$/);
  });

  test('a format error names the line and column of the field', () => {
    const broken = text.replace('"logprob":-0.3,', '"logprob":"x",');
    const e = error(() => parseTraceJson(broken, 'a.trace.json'));
    assert.ok(e instanceof TraceFormatError);
    const lines = broken.split('\n');
    const line = lines.findIndex((l) => l.includes('"logprob":"x"')) + 1;
    const column = lines[line - 1]!.indexOf('"x"') + 1;
    assert.equal(e.message, `a.trace.json:${line}:${column}: tokens[3].logprob must be a log-probability (a number ≤ 0) or null, got "x"`);
    assert.deepEqual(e.path, ['tokens', 3, 'logprob']);
  });

  test('a missing field points at its object', () => {
    const broken = text.replace('"answer": "4",\n', '');
    const e = error(() => parseTraceJson(broken, 'a.trace.json'));
    assert.equal(e.message, 'a.trace.json:1:1: answer is missing (it must be a string)');
  });

  test('a JSONL line reports its own line number', () => {
    const line = serializeTraceLine(sampleTrace()).replace('"version":1', '"version":7');
    const e = error(() => parseTraceJson(line, { path: 'set.jsonl', line: 12 }));
    assert.match(e.message, /^set\.jsonl:12:\d+: the trace was written by a newer ThinkScope \(format version 7\)/);
    const bad = error(() => parseTraceJson('{"format": ', { path: 'set.jsonl', line: 3 }));
    assert.equal(bad.message, 'set.jsonl:3:12: invalid JSON: unexpected end of the text where a value was expected (the file may be truncated)');
  });

  test('a byte-order mark is ignored, also for positions', () => {
    assert.ok(parseTraceJson(`\uFEFF${text}`, 'a.trace.json'));
    assert.match(error(() => parseTraceJson('\uFEFF{x', 'a.json')).message, /^a\.json:1:2: /);
  });

  test('100,000 open brackets: a clear error, no stack overflow', () => {
    const e = error(() => parseTraceJson('['.repeat(100_000), 'deep.json'));
    assert.ok(e instanceof TraceReadError);
    assert.equal(e.message, 'deep.json:1:100001: invalid JSON: unexpected end of the text where a value was expected (the file may be truncated)');
    const closed = `{"format":"thinkscope.trace","version":1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    assert.ok(error(() => parseTraceJson(closed, 'deep.json')) instanceof TraceFormatError);
  });
});

describe('parseTraceBytes', () => {
  test('reads UTF-8 with or without a byte-order mark', () => {
    assert.ok(parseTraceBytes(Buffer.from(text), 'a.json'));
    assert.ok(parseTraceBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'a.json'));
  });

  test('invalid UTF-8 names the byte and its position', () => {
    const modified = text.replace('What is 2 + 2?', 'What is 2 \u00e9 2?');
    const bytes = Buffer.from(modified);
    const at = bytes.indexOf(0xc3);
    bytes[at + 1] = 0x28;
    const e = error(() => parseTraceBytes(bytes, 'a.json'));
    assert.ok(e instanceof TraceReadError);
    assert.equal(e.problem, 'encoding');
    const line = modified.split('\n').findIndex((l) => l.includes('"question"')) + 1;
    const column = modified.split('\n')[line - 1]!.indexOf('\u00e9') + 1;
    assert.equal(e.message, `a.json:${line}:${column}: is not valid UTF-8 (byte 0xc3 at offset ${at}); trace files are UTF-8 JSON`);
  });

  test('refuses more JSON values than the limit', () => {
    const e = error(() => parseTraceBytes(Buffer.from(text), 'a.json', { maxValues: 50 }));
    assert.ok(e instanceof TraceReadError);
    assert.equal(e.problem, 'limit');
    assert.match(e.message, /^a\.json: has more than 50 JSON values, over the limit for one trace/);
  });

  test('countJsonValues', () => {
    assert.equal(countJsonValues(Buffer.from('[{"a":1,"b":[2,3]}]')), 5);
    assert.equal(countJsonValues(Buffer.from(',,,,,,'), 2), 3);
  });

  test('random byte damage to valid traces: only TraceReadError or TraceFormatError, quickly (property, 3000 runs)', () => {
    const damage = fc.record({
      kind: fc.constantFrom('truncate', 'insert', 'overwrite', 'delete', 'duplicate'),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
      length: fc.integer({ min: 1, max: 200 }),
    });
    const counts = { accepted: 0, read: 0, format: 0 };
    fc.assert(
      fc.property(arbTrace, fc.array(damage, { minLength: 1, maxLength: 3 }), fc.boolean(), (trace, damages, asLine) => {
        let b = Buffer.from(asLine ? serializeTraceLine(trace) : serializeTrace(trace));
        for (const d of damages) {
          const i = d.at % (b.length + 1);
          if (d.kind === 'truncate') b = b.subarray(0, i);
          else if (d.kind === 'insert') b = Buffer.concat([b.subarray(0, i), d.bytes, b.subarray(i)]);
          else if (d.kind === 'overwrite') b = Buffer.concat([b.subarray(0, i), d.bytes, b.subarray(i + d.bytes.length)]);
          else if (d.kind === 'delete') b = Buffer.concat([b.subarray(0, i), b.subarray(i + d.length)]);
          else b = Buffer.concat([b.subarray(0, i + d.length), b.subarray(i)]);
        }
        const start = performance.now();
        try {
          parseTraceBytes(b, 'damaged.json');
          counts.accepted++;
        } catch (e) {
          if (e instanceof TraceReadError) counts.read++;
          else if (e instanceof TraceFormatError) counts.format++;
          else throw e;
          assert.match((e as Error).message, /^damaged\.json(:\d+:\d+)?: /);
        }
        assert.ok(performance.now() - start < 1000);
      }),
      { numRuns: 3000 },
    );
    assert.ok(counts.read > 100 && counts.format > 10, JSON.stringify(counts));
  });
});
