import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSweepList, parseBudgetList, parseExtensionList, parseWaitCountList, sweepFileName } from '../../../../protocol/sweepInput';

const ok = <T>(r: { ok: true; values: T[] } | { ok: false; error: string }): T[] => {
  if (!r.ok) assert.fail(r.error);
  return r.values;
};
const error = (r: { ok: boolean; error?: string }): string => {
  assert.equal(r.ok, false);
  return r.error!;
};

describe('budget lists', () => {
  test('parse whole numbers and "none"', () => {
    assert.deepEqual(ok(parseBudgetList('64,128,256,512,1024')), [64, 128, 256, 512, 1024]);
    assert.deepEqual(ok(parseBudgetList(' 64 , none, 0 ,')), [64, null, 0]);
    assert.deepEqual(ok(parseBudgetList('∞')), [null]);
  });

  test('say what is wrong', () => {
    assert.equal(error(parseBudgetList('')), 'Type at least one budget');
    assert.match(error(parseBudgetList('64, -1')), /"-1" is not a budget: write a whole number ≥ 0, or "none" for no maximum/);
    assert.match(error(parseBudgetList('64, 1.5')), /"1.5" is not a budget/);
    assert.match(error(parseBudgetList('64,,128')), /An empty budget: remove the extra comma/);
    assert.match(error(parseBudgetList('64, 64')), /"64" is listed twice/);
    assert.match(error(parseBudgetList('none, inf')), /"inf" is listed twice/);
    assert.match(error(parseBudgetList('99999999999')), /too large/);
    assert.match(error(parseBudgetList(Array.from({ length: 65 }, (_, i) => i).join(','))), /At most 64 budgets/);
  });
});

describe('Wait count lists', () => {
  test('parse whole numbers', () => {
    assert.deepEqual(ok(parseWaitCountList('0')), [0]);
    assert.deepEqual(ok(parseWaitCountList('0, 1, 2, 3')), [0, 1, 2, 3]);
    assert.match(error(parseWaitCountList('none')), /"none" is not a Wait count/);
  });
});

describe('extension string lists', () => {
  test('trim plain items and keep quoted ones exactly', () => {
    assert.deepEqual(ok(parseExtensionList('Wait')), ['Wait']);
    assert.deepEqual(ok(parseExtensionList('Wait, Hmm, Alternatively')), ['Wait', 'Hmm', 'Alternatively']);
    assert.deepEqual(ok(parseExtensionList('"Wait, no", " Hmm", "say \\"why\\""')), ['Wait, no', ' Hmm', 'say "why"']);
  });

  test('say what is wrong', () => {
    assert.match(error(parseExtensionList('"Wait')), /A quote opened at character 1 is not closed/);
    assert.match(error(parseExtensionList('"Wait" Hmm')), /Put a comma after the quoted "Wait"/);
    assert.match(error(parseExtensionList('Wait,,Hmm')), /An empty extension string/);
    assert.match(error(parseExtensionList('Hmm, Hmm')), /"Hmm" is listed twice/);
  });

  test('formatSweepList writes lists that parse back to the same values', () => {
    const strings = ['Wait', 'Wait, no', ' Hmm', 'say "why"'];
    assert.deepEqual(ok(parseExtensionList(formatSweepList(strings))), strings);
    assert.equal(formatSweepList([64, null]), '64, none');
    assert.deepEqual(ok(parseBudgetList(formatSweepList([64, null, 128]))), [64, null, 128]);
  });
});

describe('sweepFileName', () => {
  test('is the UTC time and a slug of the question', () => {
    const at = new Date(Date.UTC(2025, 0, 31, 12, 0, 5, 250));
    assert.equal(sweepFileName('How many r are in "raspberry"?', at), '2025-01-31T12-00-05-how-many-r-are-in-raspberry.sweep.json');
    assert.equal(sweepFileName('¿¡!', at), '2025-01-31T12-00-05-sweep.sweep.json');
    const long = sweepFileName('a'.repeat(39) + ' bcd', at);
    assert.equal(long, `2025-01-31T12-00-05-${'a'.repeat(39)}.sweep.json`);
  });
});
