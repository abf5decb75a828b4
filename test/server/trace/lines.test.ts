import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readLines, type RawLine } from '../../../server/trace/lines';

const dir = mkdtempSync(join(tmpdir(), 'thinkscope-lines-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function lines(content: string | Buffer, max: number, chunk: number): Promise<RawLine[]> {
  const path = join(dir, 'f.txt');
  writeFileSync(path, content);
  const handle = await open(path, 'r');
  try {
    const out: RawLine[] = [];
    for await (const line of readLines(handle, max, chunk)) out.push(line);
    return out;
  } finally {
    await handle.close();
  }
}

describe('readLines', () => {
  test('splits on newlines, across chunk boundaries, with a last line without newline', async () => {
    const got = await lines('ab\n\ncdef\ng', 100, 3);
    assert.deepEqual(got.map((l) => [l.number, l.bytes?.toString(), l.byteLength]), [
      [1, 'ab', 2],
      [2, '', 0],
      [3, 'cdef', 4],
      [4, 'g', 1],
    ]);
  });

  test('a long line is reported with its length and not kept', async () => {
    const got = await lines(`ok\n${'x'.repeat(50)}\nok2\n`, 10, 7);
    assert.deepEqual(got.map((l) => [l.number, l.bytes?.toString() ?? null, l.byteLength]), [
      [1, 'ok', 2],
      [2, null, 50],
      [3, 'ok2', 3],
    ]);
  });

  test('an empty file has no lines', async () => {
    assert.deepEqual(await lines('', 10, 4), []);
  });

  test('gives the same lines as split("\\n") for random content and chunk sizes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom('a', 'é', '\n', '\r', 'x'), maxLength: 60 }), fc.integer({ min: 1, max: 9 }), async (text, chunk) => {
        const expected = text.split('\n');
        if (expected[expected.length - 1] === '') expected.pop();
        const got = await lines(text, 1000, chunk);
        assert.deepEqual(got.map((l) => l.bytes!.toString()), expected);
      }),
      { numRuns: 200 },
    );
  });
});
