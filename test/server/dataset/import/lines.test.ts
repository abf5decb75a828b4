import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { readLineBatches, type LineItem } from '../../../../server/dataset/import/lines';
import { tempDir } from '../fixtures/rows';

let dir = '';
let cleanup: () => Promise<void> = async () => {};
before(async () => ({ dir, cleanup } = await tempDir()));
after(() => cleanup());

async function collect(path: string, maxLineBytes?: number, readSize?: number): Promise<LineItem[]> {
  const out: LineItem[] = [];
  for await (const batch of readLineBatches(path, maxLineBytes, readSize)) out.push(...batch);
  return out;
}

describe('readLineBatches', () => {
  test('gives the same lines as splitting the text, whatever the read size', async () => {
    const path = join(dir, 'prop.txt');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { maxLength: 20 }), fc.integer({ min: 1, max: 64 }), fc.boolean(), async (lines, readSize, trailing) => {
        const clean = lines.map((l) => l.replace(/[\r\n]/g, ''));
        const text = clean.join('\n') + (trailing && clean.length > 0 ? '\n' : '');
        await writeFile(path, text);
        const got = await collect(path, undefined, readSize);
        const expected = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
        assert.deepEqual(
          got.map((g) => ('text' in g ? g.text : null)),
          expected,
        );
        assert.deepEqual(got.map((g) => g.line), expected.map((_, i) => i + 1));
      }),
      { numRuns: 200 },
    );
  });

  test('reports exactly the lines over the limit, whatever the read size', async () => {
    const path = join(dir, 'limits.txt');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }).map((l) => l.replace(/[\r\n]/g, '')), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 1, max: 48 }),
        fc.boolean(),
        async (lines, readSize, limit, bom) => {
          await writeFile(path, (bom ? '\uFEFF' : '') + lines.join('\n'));
          const got = await collect(path, limit, readSize);
          const expected = lines.map((text, i) => {
            const bytes = Buffer.byteLength(text);
            return bytes > limit ? { line: i + 1, tooLong: true, bytes } : { line: i + 1, text };
          });
          if (lines[lines.length - 1] === '') expected.pop(); // a final empty line is no line
          assert.deepEqual(got, expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('drops a BOM and trailing carriage returns', async () => {
    const path = join(dir, 'bom.txt');
    await writeFile(path, '\uFEFFfirst\r\nsecond\r\n');
    assert.deepEqual(await collect(path, undefined, 4), [
      { line: 1, text: 'first' },
      { line: 2, text: 'second' },
    ]);
  });

  test('reports over-long lines with their size and keeps counting lines', async () => {
    const path = join(dir, 'long.txt');
    await writeFile(path, `ok\n${'x'.repeat(100)}\nfine\n${'y'.repeat(50)}`);
    assert.deepEqual(await collect(path, 20, 8), [
      { line: 1, text: 'ok' },
      { line: 2, tooLong: true, bytes: 100 },
      { line: 3, text: 'fine' },
      { line: 4, tooLong: true, bytes: 50 },
    ]);
  });

  test('keeps multi-byte characters whole across read boundaries', async () => {
    const path = join(dir, 'utf8.txt');
    const line = 'é😀中'.repeat(20);
    await writeFile(path, `${line}\n${line}`);
    for (const size of [1, 2, 3, 5, 7]) {
      assert.deepEqual(await collect(path, undefined, size), [
        { line: 1, text: line },
        { line: 2, text: line },
      ]);
    }
  });
});
