import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { TraceFormatError } from '../../../protocol/guards';
import type { TraceDocument } from '../../../protocol/trace';
import { TraceReadError, TraceWriteError } from '../../../server/trace/errors';
import {
  appendTraceJsonl,
  readTraceFile,
  readTraceJsonl,
  readTraceJsonlAll,
  writeTraceFile,
  writeTraceJsonl,
} from '../../../server/trace/io';
import { MAX_JSONL_LINE_BYTES, MAX_TRACE_FILE_BYTES, READ_MEMORY_FACTOR } from '../../../server/trace/limits';
import { serializeTrace, serializeTraceLine } from '../../../server/trace/serialize';
import { sampleTrace, syntheticTrace } from '../../protocol/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'thinkscope-trace-io-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
const file = (name: string) => join(dir, `${counter++}-${name}`);

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected the promise to reject');
}

/** The sample trace with unknown fields at the top, in a token, an alternative, an event and the model. */
function traceWithUnknownFields(): TraceDocument {
  const t = sampleTrace() as TraceDocument & Record<string, unknown>;
  t.annotations = { alice: [{ step: 2, label: 'loop' }] };
  Object.assign(t.tokens[1]!, { heat: 0.25 });
  Object.assign(t.tokens[1]!.top[0]!, { rank: 1 });
  Object.assign(t.events[0]!, { breakpoint: 'wait-3' });
  Object.assign(t.model, { quantization: 'Q4_K_M' });
  return t;
}

describe('writeTraceFile and readTraceFile', () => {
  test('round-trip, unknown fields kept at every level', async () => {
    const path = file('a.trace.json');
    const t = traceWithUnknownFields();
    await writeTraceFile(path, t);
    const back = await readTraceFile(path);
    assert.deepEqual(back, JSON.parse(JSON.stringify(t)));
    assert.equal(readFileSync(path, 'utf8'), serializeTrace(t));
    // Rewriting what was read gives the same bytes.
    await writeTraceFile(path, back);
    assert.equal(readFileSync(path, 'utf8'), serializeTrace(t));
  });

  test('leaves no temporary file behind and creates missing folders', async () => {
    const sub = join(dir, 'nested', 'deeper');
    await writeTraceFile(join(sub, 't.trace.json'), sampleTrace());
    assert.deepEqual(readdirSync(sub), ['t.trace.json']);
  });

  test('a 50,000-token trace round-trips', async () => {
    const path = file('long.trace.json');
    const t = syntheticTrace(50_000, { top: 5 });
    await writeTraceFile(path, t);
    const back = await readTraceFile(path);
    assert.equal(back.tokens.length, 50_000);
    assert.deepEqual(back.tokens[49_999], t.tokens[49_999]);
  });

  test('refuses to write an invalid trace, and the old file stays', async () => {
    const path = file('keep.trace.json');
    await writeTraceFile(path, sampleTrace());
    const before = readFileSync(path, 'utf8');
    const bad = { ...sampleTrace(), answer: 'not the answer' };
    const e = await rejection(writeTraceFile(path, bad));
    assert.ok(e instanceof TraceFormatError);
    assert.match(e.message, /^.*keep\.trace\.json \(not written\): answer must be/);
    assert.equal(readFileSync(path, 'utf8'), before);
  });

  test('refuses to write a trace over the size limit', async () => {
    const path = file('big.trace.json');
    const e = await rejection(writeTraceFile(path, syntheticTrace(2000), { maxBytes: 100_000 }));
    assert.ok(e instanceof TraceWriteError);
    assert.equal(e.problem, 'limit');
    assert.match(e.message, /not written: the trace \(2000 tokens\) is over the 97\.7 KiB limit for one trace file/);
    assert.equal(existsSync(path), false);
  });

  test('a write the file system refuses says why', async () => {
    const blocker = file('blocker');
    writeFileSync(blocker, 'a file, not a folder');
    const e = await rejection(writeTraceFile(join(blocker, 'x.trace.json'), sampleTrace()));
    assert.ok(e instanceof TraceWriteError);
    assert.equal(e.problem, 'io');
    assert.match(e.message, /cannot write the trace: /);
  });
});

describe('readTraceFile errors', () => {
  test('a missing file', async () => {
    const path = join(dir, 'nope.trace.json');
    const e = await rejection(readTraceFile(path));
    assert.ok(e instanceof TraceReadError);
    assert.equal(e.message, `${path}: cannot open: no such file or directory`);
    assert.equal(e.code, 'ENOENT');
  });

  test('a directory, a device', async () => {
    const folder = file('folder.trace.json');
    mkdirSync(folder);
    assert.match((await rejection(readTraceFile(folder))).message, /is a directory, not a trace file$/);
    const e = await rejection(readTraceFile('/dev/zero'));
    assert.equal(e.message, '/dev/zero: is not a regular file (a device, a pipe or a socket)');
  });

  test('a file over the size limit is refused before it is read', async () => {
    const path = file('huge.trace.json');
    writeFileSync(path, '');
    truncateSync(path, MAX_TRACE_FILE_BYTES + 1); // sparse: takes no disk space
    const start = performance.now();
    const e = await rejection(readTraceFile(path));
    assert.ok(performance.now() - start < 1000);
    assert.ok(e instanceof TraceReadError);
    assert.equal(e.problem, 'limit');
    assert.equal(e.message, `${path}: is 500.0 MiB, over the 500 MiB limit for one trace file; split it or record fewer alternatives per token`);
  });

  test('a file the process has no memory for is refused before it is read', async () => {
    const { heap_size_limit: limit } = getHeapStatistics();
    const size = Math.ceil(limit / READ_MEMORY_FACTOR) + 64 * 1024 ** 2;
    const path = file('too-big-for-memory.trace.json');
    writeFileSync(path, '');
    truncateSync(path, size);
    const e = await rejection(readTraceFile(path, { maxBytes: size }));
    assert.ok(e instanceof TraceReadError);
    assert.match(e.message, /reading it needs about .* of memory, more than the .* this process has left \(its heap limit is .*; Node's --max-old-space-size raises it\)$/);
  });

  test('invalid JSON, with line and column', async () => {
    const path = file('broken.trace.json');
    writeFileSync(path, '{\n  "format": "thinkscope.trace",\n  "version": 1,,\n}');
    const e = await rejection(readTraceFile(path));
    assert.ok(e instanceof TraceReadError);
    assert.equal(e.message, `${path}:3:16: invalid JSON: expected a double-quoted key, got ','`);
  });

  test('a trace from a newer version', async () => {
    const path = file('future.trace.json');
    writeFileSync(path, serializeTrace(sampleTrace()).replace('"version": 1', '"version": 2'));
    const e = await rejection(readTraceFile(path));
    assert.ok(e instanceof TraceFormatError);
    assert.equal(e.message, `${path}:3:14: the trace was written by a newer ThinkScope (format version 2); this version reads version 1. Update ThinkScope to open it`);
  });

  test('deeply nested JSON: a clear error, no crash', async () => {
    const path = file('deep.trace.json');
    writeFileSync(path, '['.repeat(100_000));
    assert.match((await rejection(readTraceFile(path))).message, /:1:100001: invalid JSON: unexpected end of the text/);
    writeFileSync(path, `{"format":"thinkscope.trace","version":1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    assert.ok((await rejection(readTraceFile(path))) instanceof TraceFormatError);
  });
});

describe('JSONL', () => {
  test('reads good lines and reports bad ones with their line numbers', async () => {
    const path = file('set.jsonl');
    const good = serializeTraceLine(sampleTrace());
    const other = serializeTraceLine({ ...sampleTrace(), id: 'second' });
    writeFileSync(
      path,
      [
        good,
        '',
        '{"format": "thinkscope.trace", "version": 1',
        good.replace('"stopReason":"eos"', '"stopReason":"done"'),
        '   ',
        `${other}\r`,
        'not json at all',
      ].join('\n'),
    );
    const { traces, errors } = await readTraceJsonlAll(path);
    assert.deepEqual(traces.map((t) => t.id), [sampleTrace().id, 'second']);
    assert.deepEqual(errors.map((e) => e.message.replace(path, 'F')), [
      'F:3:44: invalid JSON: unexpected end of the text: the object is not closed (the file may be truncated)',
      `F:4:${good.indexOf('"stopReason":"eos"') + 14}: stopReason must be one of "eos", "answer-cap", "context-full", "cancelled", "interrupted", "error", "imported", got "done"`,
      "F:7:1: invalid JSON: unexpected 'n' where a value was expected",
    ]);
    const lines: number[] = [];
    for await (const entry of readTraceJsonl(path)) lines.push(entry.line);
    assert.deepEqual(lines, [1, 3, 4, 6, 7]);
  });

  test('a line over 50 MiB is skipped without stopping the rest', async () => {
    const path = file('long-line.jsonl');
    const good = serializeTraceLine(sampleTrace());
    writeFileSync(path, `${good}\n`);
    appendFileSync(path, Buffer.alloc(MAX_JSONL_LINE_BYTES + 1, 0x20));
    appendFileSync(path, `\n${good}\n`);
    const { traces, errors } = await readTraceJsonlAll(path);
    assert.equal(traces.length, 2);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message, `${path}:2: the line is 50.0 MiB, over the 50 MiB limit for one JSONL line; it was skipped`);
  });

  test('a line that is not UTF-8', async () => {
    const path = file('latin1.jsonl');
    writeFileSync(path, Buffer.concat([Buffer.from('{"q": "caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const { errors } = await readTraceJsonlAll(path);
    assert.equal(errors[0]!.message, `${path}:1:11: is not valid UTF-8 (byte 0xe9 at offset 10); trace files are UTF-8 JSON`);
  });

  test('a missing file rejects at once', async () => {
    const e = await rejection(readTraceJsonlAll(join(dir, 'none.jsonl')));
    assert.ok(e instanceof TraceReadError);
    assert.match(e.message, /cannot open: no such file or directory$/);
  });

  test('appends durably; a torn last line does not swallow the next trace', async () => {
    const path = file('append.jsonl');
    await appendTraceJsonl(path, sampleTrace());
    appendFileSync(path, '{"format":"thinkscope.tr'); // a crash mid-append
    await appendTraceJsonl(path, { ...sampleTrace(), id: 'after-crash' });
    const { traces, errors } = await readTraceJsonlAll(path);
    assert.deepEqual(traces.map((t) => t.id), [sampleTrace().id, 'after-crash']);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.message.replace(path, 'F').split(':').slice(0, 2).join(':'), 'F:2');
  });

  test('appending keeps unknown fields', async () => {
    const path = file('unknown.jsonl');
    const t = traceWithUnknownFields();
    await appendTraceJsonl(path, t);
    const { traces } = await readTraceJsonlAll(path);
    assert.deepEqual(traces[0], JSON.parse(JSON.stringify(t)));
  });

  test('refuses to append an invalid trace or a line over the limit', async () => {
    const path = file('refuse.jsonl');
    const e1 = await rejection(appendTraceJsonl(path, { ...sampleTrace(), thinkingTokens: 99 }));
    assert.ok(e1 instanceof TraceFormatError);
    assert.match(e1.message, /\(not appended\): thinkingTokens must be 4/);
    const e2 = await rejection(appendTraceJsonl(path, syntheticTrace(500), { maxLineBytes: 10_000 }));
    assert.ok(e2 instanceof TraceWriteError);
    assert.match(e2.message, /not appended: the trace \(500 tokens\) is .* as one line, over the 9\.8 KiB limit for a JSONL line; save it as a \.trace\.json file instead/);
    assert.equal(existsSync(path), false);
  });

  test('writeTraceJsonl writes all traces atomically, and names an invalid one', async () => {
    const path = file('all.jsonl');
    const traces = [sampleTrace(), { ...sampleTrace(), id: 'b' }, traceWithUnknownFields()];
    await writeTraceJsonl(path, traces);
    const back = await readTraceJsonlAll(path);
    assert.deepEqual(back.traces, JSON.parse(JSON.stringify(traces)));
    const e = await rejection(writeTraceJsonl(path, [sampleTrace(), { ...sampleTrace(), answerTokens: 0 }]));
    assert.match(e.message, /all\.jsonl trace #1 \(not written\): answerTokens must be 3/);
    assert.equal((await readTraceJsonlAll(path)).traces.length, 3);
  });
});
