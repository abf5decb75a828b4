import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Annotation, AnnotationSchema } from '../../../protocol/dataset';
import { cohenKappa, computeAgreement, fleissKappa } from '../../../server/dataset/agreement';

/** n pairs of (a, b). */
function pairs(spec: [string, string, number][]): [string, string][] {
  return spec.flatMap(([a, b, n]) => Array.from({ length: n }, () => [a, b] as [string, string]));
}

describe("Cohen's kappa", () => {
  test('Wikipedia example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → po 0.7, pe 0.5, κ = 0.4 exactly', () => {
    const r = cohenKappa(pairs([['yes', 'yes', 20], ['yes', 'no', 5], ['no', 'yes', 10], ['no', 'no', 15]]));
    assert.equal(r.kappa, 0.4);
    assert.equal(r.observed, 0.7);
    assert.equal(r.items, 50);
  });

  test('Wikipedia "same agreement, different kappa" examples: 0.1304 and 0.2593', () => {
    // 45/15/25/15: po = .60, pe = .54 → κ = 0.06/0.46 = 3/23
    assert.equal(cohenKappa(pairs([['yes', 'yes', 45], ['yes', 'no', 15], ['no', 'yes', 25], ['no', 'no', 15]])).kappa, 3 / 23);
    // 25/35/5/35: po = .60, pe = .46 → κ = 0.14/0.54 = 7/27
    assert.equal(cohenKappa(pairs([['yes', 'yes', 25], ['yes', 'no', 35], ['no', 'yes', 5], ['no', 'no', 35]])).kappa, 7 / 27);
  });

  test('perfect agreement is 1; chance-level agreement 0; undefined cases null', () => {
    assert.equal(cohenKappa(pairs([['a', 'a', 3], ['b', 'b', 2]])).kappa, 1);
    assert.equal(cohenKappa(pairs([['a', 'a', 1], ['a', 'b', 1], ['b', 'a', 1], ['b', 'b', 1]])).kappa, 0);
    assert.deepEqual(cohenKappa(pairs([['a', 'a', 4]])), { kappa: null, observed: 1, items: 4 });
    assert.deepEqual(cohenKappa([]), { kappa: null, observed: null, items: 0 });
  });
});

describe("Fleiss' kappa", () => {
  test('Wikipedia example: 10 subjects, 14 raters, 5 categories → κ = 4211/20059 ≈ 0.210', () => {
    const table = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    const items = table.map((row) => new Map(row.map((n, j) => [`c${j + 1}`, n] as [string, number]).filter(([, n]) => n > 0)));
    const r = fleissKappa(items);
    assert.equal(r.kappa, 4211 / 20059);
    assert.equal(r.items, 10);
    assert.equal(r.raters, 14);
    // P̄ = 0.378, P̄e = 0.213 as the worked example gives them (rounded).
    assert.equal(r.observed!.toFixed(3), '0.378');
    assert.equal(r.expected!.toFixed(3), '0.213');
  });

  test('with two raters it is close to (not equal to) Cohen, and items with one rater are left out', () => {
    const items = [new Map([['a', 2]]), new Map([['a', 1], ['b', 1]]), new Map([['b', 2]]), new Map([['b', 2]]), new Map([['a', 1]])];
    const r = fleissKappa(items);
    assert.equal(r.items, 4);
    // Categories: a 3, b 5 of 8; P̄ = 3/4; P̄e = (9 + 25)/64 = 34/64 → κ = (3/4 − 34/64)/(30/64) = 14/30
    assert.equal(r.kappa, 14 / 30);
  });

  test('variable raters per item use the generalised formula', () => {
    const items = [new Map([['x', 3]]), new Map([['x', 1], ['y', 1]])];
    const r = fleissKappa(items);
    // P1 = 1, P2 = 0 → P̄ = 0.5; p_x = 4/5, p_y = 1/5 → P̄e = 17/25 → κ = (0.5 − 0.68)/(0.32) = −0.5625
    assert.ok(Math.abs(r.kappa! - -0.5625) < 1e-12);
  });

  test('undefined when everyone always picks the same category', () => {
    assert.equal(fleissKappa([new Map([['a', 3]]), new Map([['a', 2]])]).kappa, null);
  });
});

describe('computeAgreement', () => {
  const schema: AnnotationSchema = {
    version: 1,
    questions: [
      { kind: 'label', id: 'quality', title: 'Q', options: [{ value: 'accept' }, { value: 'reject' }] },
      { kind: 'label', id: 'reasons', title: 'R', multiple: true, options: [{ value: 'format' }, { value: 'wrong' }] },
      { kind: 'rating', id: 'difficulty', title: 'D', min: 1, max: 5 },
      { kind: 'text', id: 'domain', title: 'Dom' },
    ],
    stepLabels: [{ id: 'error' }],
  };
  const a = (traceId: string, annotator: string, labels: Annotation['labels'], steps: Annotation['steps'] = []): Annotation => ({
    traceId,
    annotator,
    at: '2025-01-01T00:00:00Z',
    labels,
    steps,
  });

  test('builds the Wikipedia Cohen example from annotations and reports it per key and pair', () => {
    const annotations: Annotation[] = [];
    const spec: [string, string, number][] = [['accept', 'accept', 20], ['accept', 'reject', 5], ['reject', 'accept', 10], ['reject', 'reject', 15]];
    let i = 0;
    for (const [x, y, n] of spec) {
      for (let k = 0; k < n; k++, i++) {
        annotations.push(a(`t${i}`, 'A', { quality: x }), a(`t${i}`, 'B', { quality: y }));
      }
    }
    const report = computeAgreement(annotations, schema);
    assert.deepEqual(report.annotators, ['A', 'B']);
    assert.equal(report.traces, 50);
    const quality = report.keys.find((k) => k.key === 'quality')!;
    assert.deepEqual(quality.pairs, [{ a: 'A', b: 'B', kappa: 0.4, observed: 0.7, items: 50 }]);
    assert.equal(quality.items, 50);
    assert.equal(quality.raters, 2);
    assert.equal(report.overall.items, 50);
    assert.deepEqual(report.pairs, [{ a: 'A', b: 'B', kappa: 0.4, observed: 0.7, items: 50 }]);
    assert.equal(report.disagreements.length, 15);
  });

  test('multiple-choice options, ratings and step labels each get a key; text questions none', () => {
    const annotations = [
      a('t1', 'A', { quality: 'reject', reasons: ['format', 'wrong'], difficulty: 3, domain: 'x' }, [{ step: 0, labels: ['error'] }]),
      a('t1', 'B', { quality: 'reject', reasons: ['format'], difficulty: 3, domain: 'y' }, [{ step: 2, labels: ['error'] }]),
      a('t2', 'A', { quality: 'accept', reasons: [], difficulty: 1 }),
      a('t2', 'B', { quality: 'accept', reasons: [], difficulty: 2 }),
    ];
    const report = computeAgreement(annotations, schema);
    assert.deepEqual(report.keys.map((k) => [k.key, k.items]), [
      ['quality', 2],
      ['reasons=format', 2],
      ['reasons=wrong', 2],
      ['difficulty', 2],
      ['step:error', 2],
    ]);
    assert.equal(report.keys.find((k) => k.key === 'quality')!.fleiss, 1);
    assert.equal(report.keys.find((k) => k.key === 'step:error')!.observed, 0);
    assert.deepEqual(report.disagreements, [
      { traceId: 't1', keys: ['reasons=wrong', 'step:error'] },
      { traceId: 't2', keys: ['difficulty'] },
    ]);
  });
});
