import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectContainer, importDataset } from '../../../../server/dataset/import/index';
import { LimitError } from '../../../../server/dataset/limits';
import { chatRow, r1Row, s1k11Row, s1kRow, tempDir, traceDoc, writeJsonl, writeParquet } from '../fixtures/rows';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir()));
after(() => cleanup());

describe('importDataset: s1K', () => {
  test('maps the s1K columns and parses the Python-dict metadata', async () => {
    const path = join(dir, 's1k.jsonl');
    await writeJsonl(path, [s1kRow(1), s1kRow(2)]);
    const report = await importDataset(path);
    assert.equal(report.format, 's1k');
    assert.equal(report.container, 'jsonl');
    assert.deepEqual(report.errors, []);
    assert.equal(report.records.length, 2);
    const r = report.records[0]!;
    assert.equal(r.question, 'Question 1: what is 1 + 1?');
    assert.equal(r.solution, 'The answer is 2.');
    assert.equal(r.thinking, 'Let me add 1 and 1.\n\nWait, 1 + 1 = 2.');
    assert.equal(r.attempt, '**2**');
    assert.equal(r.cotType, 'science');
    assert.equal(r.domain, 'science');
    assert.equal(r.sourceType, 'qq8933/AIME_1983_2024');
    assert.deepEqual(r.metadata, { Year: 1984, 'Problem Number': 1, Part: null, solved: true, tags: ['a', "b's"] });
    assert.equal(r.metadataRaw, s1kRow(1).metadata);
    assert.deepEqual(r.columns, {}); // cot is null in s1K: left out
    assert.deepEqual(r.origin, { file: path, container: 'jsonl', row: 1, format: 's1k' });
    assert.match(r.id, /^[0-9a-f]{16}$/);
  });

  test('joins several thinking trajectories with a newline, as s1 does', async () => {
    const path = join(dir, 'multi.jsonl');
    await writeJsonl(path, [{ ...s1kRow(1), thinking_trajectories: ['first', 'second'] }]);
    const { records } = await importDataset(path);
    assert.equal(records[0]!.thinking, 'first\nsecond');
  });

  test('keeps metadata it cannot parse as text, with a warning', async () => {
    const path = join(dir, 'meta.jsonl');
    await writeJsonl(path, [{ ...s1kRow(1), metadata: "{'when': datetime(2020, 1, 1)}" }]);
    const { records, warnings } = await importDataset(path);
    assert.equal(records[0]!.metadata, null);
    assert.equal(records[0]!.metadataRaw, "{'when': datetime(2020, 1, 1)}");
    assert.deepEqual(warnings, [{ line: 1, message: 'metadata kept as text: it is neither a Python literal nor JSON' }]);
  });

  test('prefers a domain column, then metadata.domain/subject, then cot_type', async () => {
    const path = join(dir, 'domain.jsonl');
    await writeJsonl(path, [
      { ...s1kRow(1), domain: 'Number theory' },
      { ...s1kRow(2), metadata: "{'subject': 'Physics'}" },
      { ...s1kRow(3), metadata: null },
    ]);
    const { records } = await importDataset(path);
    assert.deepEqual(records.map((r) => r.domain), ['Number theory', 'Physics', 'science']);
  });
});

describe('importDataset: s1K-1.1', () => {
  test('takes the deepseek trajectory by default and keeps gemini and grades as columns', async () => {
    const path = join(dir, 's1k11.parquet');
    await writeParquet(path, [s1k11Row(1), s1k11Row(3)]);
    const report = await importDataset(path);
    assert.equal(report.container, 'parquet');
    assert.equal(report.format, 's1k-1.1');
    assert.deepEqual(report.errors, []);
    const r = report.records[1]!;
    assert.equal(r.thinking, 'Okay, so I need to triple 3.\n\nHmm, 3 * 3 = 9.');
    assert.equal(r.attempt, 'The answer is $\\boxed{9}$');
    assert.deepEqual(Object.keys(r.columns).sort(), [
      'deepseek_grade',
      'deepseek_grade_reason',
      'gemini_attempt',
      'gemini_grade',
      'gemini_grade_reason',
      'gemini_thinking_trajectory',
    ]);
    assert.equal(r.columns.gemini_grade, 'No');
    assert.deepEqual(r.origin, { file: path, container: 'parquet', row: 2, format: 's1k-1.1' });
  });

  test('takes the gemini trajectory when asked, and falls back with a warning', async () => {
    const path = join(dir, 's1k11.jsonl');
    await writeJsonl(path, [s1k11Row(1), { ...s1k11Row(2), deepseek_thinking_trajectory: null }]);
    const gemini = await importDataset(path, { trajectory: 'gemini' });
    assert.equal(gemini.records[0]!.thinking, 'Gemini thinks about 1.\nTriple is 3.');
    const fallback = await importDataset(path);
    assert.equal(fallback.records[1]!.thinking, 'Gemini thinks about 2.\nTriple is 6.');
    assert.deepEqual(fallback.warnings, [{ line: 2, message: 'no deepseek trajectory: used gemini_thinking_trajectory' }]);
  });

  test('reads Parquet files spread over several row groups, with row numbers across groups', async () => {
    const path = join(dir, 'groups.parquet');
    const rows = Array.from({ length: 25 }, (_, i) => s1k11Row(i));
    rows[17] = { ...rows[17]!, question: '' };
    await writeParquet(path, rows, 10);
    const report = await importDataset(path);
    assert.equal(report.records.length, 24);
    assert.deepEqual(report.errors, [{ row: 18, message: 'column "question" is missing or empty' }]);
    assert.equal(report.records[23]!.origin.row, 25);
  });
});

describe('importDataset: corrupt Parquet', () => {
  // Two row groups (rows 1–2, 3–4) with one byte of the first group's data changed so that the
  // decoder loops forever on a zero-length run: hyparquet never returns on it.
  const HANGS_IN_FIRST_GROUP =
    'UEFSMRUGFRwVHFwVBBUAFQQVABUEFQASAAADAwIAAABxMAIAAABxMRUGFRgVGFwABBUCFQQVABUEFQASAAADAQYAAABbInQwIl0VBhUcFRxcFQQVABUEFQAVBBUAEgAAAwMCAAAAcTICAAAAcTMVBhUsFSxcFQQVABUEFQAVBBUAEgAAAwMGAAAAWyJ0MiJdBgAAAFsidDMiXRUEGTxIBHJvb3QVBAAVDCUCGAhxdWVzdGlvbiUAABUMJQIYFXRoaW5raW5nX3RyYWplY3RvcmllcyUAABYIGSwZLCYIHBUMGRUAGRgIcXVlc3Rpb24VABYEFkgWSCYIAAAmUBwVDBkVABkYFXRoaW5raW5nX3RyYWplY3RvcmllcxUAFgQWRBZEJlAAABaMARYEABksJpQBHBUMGRUAGRgIcXVlc3Rpb24VABYEFkgWSCaUAQAAJtwBHBUMGRUAGRgVdGhpbmtpbmdfdHJhamVjdG9yaWVzFQAWBBZYFlgm3AEAABagARYEACgJaHlwYXJxdWV0APYAAABQQVIx';

  test('a row group that never finishes decoding is cut off and reported; the next group is still read', { timeout: 60_000 }, async () => {
    const path = join(dir, 'hangs.parquet');
    await writeFile(path, Buffer.from(HANGS_IN_FIRST_GROUP, 'base64'));
    const report = await importDataset(path, { limits: { parquetGroupTimeoutMs: 1_000 } });
    assert.deepEqual(report.errors, [{ row: 1, message: 'rows 1–2 could not be decoded: decoding took longer than 1 s (the file is probably corrupt there)' }]);
    assert.deepEqual(report.records.map((r) => [r.question, r.thinking, r.origin.row]), [
      ['q2', 't2', 3],
      ['q3', 't3', 4],
    ]);
    assert.equal(report.rowsRead, 4);
  });
});

describe('importDataset: DeepSeek-R1 style', () => {
  test('splits a <think> response into thinking and answer; takes the reference answer', async () => {
    const path = join(dir, 'r1.jsonl');
    await writeJsonl(path, [r1Row(3)]);
    const { records, format } = await importDataset(path);
    assert.equal(format, 'r1-think');
    assert.equal(records[0]!.question, 'Compute 3^2.');
    assert.equal(records[0]!.thinking, 'I square 3.\nWait, 3*3 = 9.');
    assert.equal(records[0]!.attempt, 'The result is 9.');
    assert.equal(records[0]!.solution, '9');
    assert.equal(records[0]!.sourceType, 'synthetic');
    assert.deepEqual(records[0]!.columns, {});
  });

  test('handles a response without the opening tag, and an unfinished one', async () => {
    const path = join(dir, 'r1b.jsonl');
    await writeJsonl(path, [
      { problem: 'P', output: 'thinking only</think>answer' },
      { question: 'Q', completion: '<think>never ends' },
      { question: 'R', reasoning_content: 'reasoning here', content: 'final' },
    ]);
    const { records, warnings } = await importDataset(path);
    assert.deepEqual(
      records.map((r) => [r.question, r.thinking, r.attempt]),
      [
        ['P', 'thinking only', 'answer'],
        ['Q', 'never ends', null],
        ['R', 'reasoning here', 'final'],
      ],
    );
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.line, 2);
    assert.match(warnings[0]!.message, /no <\/think>/);
  });

  test('reads chat messages with reasoning_content and ShareGPT conversations', async () => {
    const path = join(dir, 'chat.jsonl');
    await writeJsonl(path, [
      chatRow(4),
      { conversations: [{ from: 'human', value: 'Hi?' }, { from: 'gpt', value: '<think>greet back</think>Hello.' }] },
      { messages: [{ role: 'user', content: 'only a question' }] },
    ]);
    const { records, errors, format } = await importDataset(path);
    assert.equal(format, 'r1-chat');
    assert.deepEqual(
      records.map((r) => [r.question, r.thinking, r.attempt, r.domain]),
      [
        ['Is 4 even?', '4 mod 2 is 0.', 'Yes.', 'arithmetic'],
        ['Hi?', 'greet back', 'Hello.', null],
      ],
    );
    assert.deepEqual(errors, [{ line: 3, message: 'column "messages": no assistant message' }]);
  });
});

describe('importDataset: ThinkScope traces', () => {
  test('reads a .trace.json document and keeps the whole trace, unknown fields included', async () => {
    const path = join(dir, 'one.trace.json');
    await writeFile(path, JSON.stringify(traceDoc('trace-1'), null, 2));
    const report = await importDataset(path);
    assert.equal(report.container, 'json');
    assert.equal(report.format, 'trace');
    const r = report.records[0]!;
    assert.equal(r.id, 'trace-1');
    assert.equal(r.thinking, 'Two plus two');
    assert.equal(r.attempt, '4');
    assert.equal(r.solution, '4');
    assert.deepEqual(r.trace, traceDoc('trace-1'));
  });

  test('reads JSONL of traces, checked by the trace guard; a future format version is refused by name', async () => {
    const path = join(dir, 'traces.jsonl');
    const bad = traceDoc('c');
    bad.tokens = (bad.tokens as Record<string, unknown>[]).map((t, i) => (i === 0 ? { ...t, text: 1 } : t));
    await writeJsonl(path, [traceDoc('a'), { ...traceDoc('b'), version: 2 }, bad, { ...traceDoc('d'), answer: 'not what the tokens say' }]);
    const report = await importDataset(path);
    assert.deepEqual(report.records.map((r) => r.id), ['a']);
    assert.deepEqual(report.errors.map((e) => e.line), [2, 3, 4]);
    assert.match(report.errors[0]!.message, /newer ThinkScope \(format version 2\); this version reads version 1/);
    assert.match(report.errors[1]!.message, /^tokens\[0\]\.text must be a string/);
    assert.match(report.errors[2]!.message, /answer/);
  });
});

describe('importDataset: malformed input', () => {
  test('reports each bad line with its 1-based number and imports the rest', async () => {
    const path = join(dir, 'broken.jsonl');
    const lines = [
      JSON.stringify(s1kRow(1)),
      '{"question": "truncated", "thinking_traj',
      '',
      '[1, 2, 3]',
      JSON.stringify({ ...s1kRow(2), question: 42 }),
      JSON.stringify({ ...s1kRow(3), thinking_trajectories: [1] }),
      JSON.stringify({ hello: 'world' }),
      JSON.stringify(s1kRow(4)),
    ];
    await writeFile(path, lines.join('\r\n'));
    const report = await importDataset(path);
    assert.deepEqual(report.records.map((r) => r.origin.row), [1, 5, 8]);
    assert.equal(report.records[1]!.question, '42');
    assert.deepEqual(
      report.errors.map((e) => [e.line, e.message.slice(0, 40)]),
      [
        [2, 'invalid JSON: Unterminated string in JSO'],
        [4, 'expected an object (one record), found a'],
        [6, 'column "thinking_trajectories": item 1 i'],
        [7, 'not a record ThinkScope knows: expected '],
      ],
    );
    assert.equal(report.errors[2]!.message, 'column "thinking_trajectories": item 1 is a number, not text');
    assert.equal(report.errors[3]!.message, 'not a record ThinkScope knows: expected s1K, s1K-1.1, a <think> response, a chat or a ThinkScope trace; found keys hello');
    assert.equal(report.errors[0]!.column, 41); // just past the end of the 40-character line
    assert.equal(report.rowsRead, 7); // every line but the blank one
  });

  test('a forced format turns rows of another shape into errors', async () => {
    const path = join(dir, 'mixed.jsonl');
    await writeJsonl(path, [s1kRow(1), r1Row(2)]);
    const report = await importDataset(path, { format: 's1k' });
    assert.equal(report.records.length, 1);
    assert.deepEqual(report.errors, [{ line: 2, message: 'expected s1K (question, thinking_trajectories, attempt…), found a question with a <think> response (prompt/question/problem + response)' }]);
  });

  test('gives duplicate ids a suffix and says so', async () => {
    const path = join(dir, 'dupes.jsonl');
    await writeJsonl(path, [s1kRow(1), s1kRow(1), { ...r1Row(1), id: 'x' }, { ...r1Row(2), id: 'x' }]);
    const report = await importDataset(path);
    const [a, b, c, d] = report.records.map((r) => r.id);
    assert.equal(b, `${a}#2`);
    assert.deepEqual([c, d], ['x', 'x#2']);
    assert.equal(report.warnings.length, 2);
    assert.match(report.warnings[1]!.message, /id "x" already used at line 3: this record is "x#2"/);
  });

  test('skips a line over the line limit without reading it into memory, and goes on', async () => {
    const path = join(dir, 'long.jsonl');
    const long = JSON.stringify({ ...s1kRow(2), thinking_trajectories: ['x'.repeat(10_000)] });
    await writeFile(path, [JSON.stringify(s1kRow(1)), long, JSON.stringify(s1kRow(3))].join('\n'));
    const report = await importDataset(path, { limits: { maxLineBytes: 5_000 } });
    assert.deepEqual(report.records.map((r) => r.origin.row), [1, 3]);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.line, 2);
    assert.match(report.errors[0]!.message, /^line is [\d.]+ KiB, over the 4\.9 KiB limit for one line: skipped$/);
  });

  test('refuses a file over the size limit before reading it', async () => {
    const path = join(dir, 'big.jsonl');
    await writeJsonl(path, [s1kRow(1)]);
    await assert.rejects(importDataset(path, { limits: { maxFileBytes: 100 } }), (err: Error) => {
      assert.ok(err instanceof LimitError);
      assert.match(err.message, /big\.jsonl is \d+ bytes: files over 100 bytes are refused/);
      return true;
    });
  });

  test('refuses deeply nested lines', async () => {
    const path = join(dir, 'deep.jsonl');
    await writeFile(path, `${JSON.stringify(s1kRow(1))}\n{"question": "q", "x": ${'['.repeat(500)}${']'.repeat(500)}}\n`);
    const report = await importDataset(path);
    assert.equal(report.records.length, 1);
    assert.deepEqual(report.errors, [{ line: 2, message: 'nesting deeper than 100 levels' }]);
  });

  test('names the file when it does not exist or is not Parquet', async () => {
    await assert.rejects(importDataset(join(dir, 'nope.jsonl')), /cannot read .*nope\.jsonl: ENOENT/);
    const fake = join(dir, 'fake.parquet');
    await writeFile(fake, 'PAR1 this is not parquet');
    await assert.rejects(importDataset(fake), /fake\.parquet: not a readable Parquet file/);
  });

  test('reports a JSON document syntax error with line and column', async () => {
    const path = join(dir, 'bad.trace.json');
    await writeFile(path, '{\n  "format": "thinkscope.trace",\n  "id": oops\n}');
    const report = await importDataset(path);
    assert.equal(report.records.length, 0);
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0]!.message, /^line 3, column 9: invalid JSON/);
  });
});

describe('detectContainer', () => {
  test('uses magic bytes, extensions and the first line', async () => {
    const jsonArray = join(dir, 'rows.json');
    await writeFile(jsonArray, JSON.stringify([s1kRow(1), s1kRow(2)], null, 2));
    const jsonLines = join(dir, 'lines.json');
    await writeJsonl(jsonLines, [s1kRow(1), s1kRow(2)]);
    const parquetNoExt = join(dir, 'data.bin');
    await writeParquet(parquetNoExt, [s1kRow(1)]);
    assert.equal(await detectContainer(jsonArray), 'json');
    assert.equal(await detectContainer(jsonLines), 'jsonl');
    assert.equal(await detectContainer(parquetNoExt), 'parquet');
    const report = await importDataset(jsonArray);
    assert.deepEqual(report.records.map((r) => r.origin), [
      { file: jsonArray, container: 'json', row: 1, format: 's1k' },
      { file: jsonArray, container: 'json', row: 2, format: 's1k' },
    ]);
  });
});
