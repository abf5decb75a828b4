import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SweepFormatError, isSweepDocument, parseSweepDocument } from '../../../../protocol/sweepFile';
import { TraceFormatError } from '../../../../protocol/validation';
import { sweepFixture } from '../fixtures';

/** A JSON path and the value to put there; `undefined` deletes the key. */
type Edit = [Array<string | number>, unknown];

/** The fixture sweep as plain JSON with the edits made. */
function broken(...edits: Edit[]): unknown {
  const sweep: unknown = JSON.parse(JSON.stringify(sweepFixture()));
  for (const [path, value] of edits) {
    let at = sweep as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (value === undefined) delete at[last];
    else at[last] = value;
  }
  return sweep;
}

describe('parseSweepDocument', () => {
  test('accepts a whole sweep and keeps fields it does not know', () => {
    const sweep = broken([['notes'], { by: 'someone' }]);
    const parsed = parseSweepDocument(sweep, 'a.sweep.json');
    assert.equal(parsed, sweep);
    assert.deepEqual((parsed as unknown as { notes: unknown }).notes, { by: 'someone' });
    assert.ok(isSweepDocument(sweep));
  });

  const first = (sweepFixture().traces[0]!).id;
  const cases: Array<[string, Edit[], RegExp, new (...args: never[]) => Error]> = [
    ['another format', [[['format'], 'thinkscope.trace']], /a.sweep.json: format must be "thinkscope.sweep", got "thinkscope.trace": this is not a ThinkScope sweep/, SweepFormatError],
    ['a newer version', [[['version'], 2]], /written by a newer ThinkScope \(sweep format version 2\)/, SweepFormatError],
    ['a missing id', [[['id'], undefined]], /id is missing/, SweepFormatError],
    ['a bad budget list', [[['settings', 'budgets'], [64, -1]]], /settings\.budgets\[1\] must be/, SweepFormatError],
    ['an unknown mode', [[['settings', 'mode'], 'fast']], /settings\.mode must be/, SweepFormatError],
    ['a bad cell status', [[['cells', 3, 'status'], 'odd']], /cells\[3\]\.status must be/, SweepFormatError],
    ['a correct that is a string', [[['cells', 2, 'correct'], 'yes']], /cells\[2\]\.correct must be true, false or null, got "yes"/, SweepFormatError],
    ['a missing correct', [[['cells', 2, 'correct'], undefined]], /cells\[2\]\.correct must be true, false or null, got nothing/, SweepFormatError],
    ['a trace id that names no trace', [[['cells', 1, 'traceId'], 'nope']], /cells\[1\]\.traceId names no trace of this sweep \("nope"\)/, SweepFormatError],
    ['a done cell without trace', [[['cells', 1, 'traceId'], null]], /cells\[1\]\.traceId is null, but the cell is done/, SweepFormatError],
    ['a key off the axes', [[['cells', 0, 'key', 'maxThinkingTokens'], 999]], /cells\[0\]\.key\.maxThinkingTokens \(999\) is not one of settings\.budgets/, SweepFormatError],
    ['a repeated trace id', [[['traces', 1, 'id'], first], [['cells', 1, 'traceId'], first]], /traces\[1\]\.id repeats the id/, SweepFormatError],
    ['a broken trace', [[['traces', 4, 'thinkingTokens'], 1]], /a.sweep.json: traces\[4\]: thinkingTokens must be/, TraceFormatError],
  ];
  for (const [name, edit, message, type] of cases) {
    test(`refuses ${name}, saying where`, () => {
      const value = broken(...edit);
      assert.throws(() => parseSweepDocument(value, 'a.sweep.json'), (e: unknown) => {
        assert.ok(e instanceof type, `${(e as Error).name}: ${(e as Error).message}`);
        assert.match((e as Error).message, message);
        return true;
      });
      assert.equal(isSweepDocument(value), false);
    });
  }

  test('refuses a base budget with a wrong field', () => {
    const value = broken([['settings', 'base', 'maxAnswerTokens'], 'many']);
    assert.throws(() => parseSweepDocument(value, 'a.sweep.json'), /a.sweep.json: settings: base\.maxAnswerTokens must be/);
  });

  test('refuses what is not an object', () => {
    assert.throws(() => parseSweepDocument([1], 'x'), /x: the sweep must be a JSON object \(a ThinkScope sweep\), got an array of 1/);
  });
});
