import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { annotationLine, canonicalAnnotation, checkAnnotation, supersedes } from '../../../../server/dataset/annotations/format';

const base = { traceId: 't', annotator: 'a', at: '2025-01-01T00:00:00.000Z', labels: {}, steps: [] };

describe('annotation format', () => {
  test('the line is canonical: fixed key order, labels by key, steps by index', () => {
    const a = { note: 'n', steps: [{ labels: ['error'], step: 5 }, { step: 2, labels: ['correct'], note: 's' }], labels: { z: 1, a: ['x'] }, at: base.at, annotator: 'a', traceId: 't' };
    assert.equal(
      annotationLine(checkAnnotation(a)),
      '{"traceId":"t","annotator":"a","at":"2025-01-01T00:00:00.000Z","labels":{"a":["x"],"z":1},"steps":[{"step":2,"labels":["correct"],"note":"s"},{"step":5,"labels":["error"]}],"note":"n"}\n',
    );
    assert.deepEqual(canonicalAnnotation(canonicalAnnotation(checkAnnotation(a))), canonicalAnnotation(checkAnnotation(a)));
  });

  test('drops unknown fields and rejects wrong ones by name', () => {
    assert.deepEqual(checkAnnotation({ ...base, extra: 1 }), base);
    const cases: [unknown, RegExp][] = [
      [null, /expected an annotation object, found null/],
      [{ ...base, traceId: '' }, /traceId: expected a non-empty string/],
      [{ ...base, labels: [] }, /labels: expected an object, found a list/],
      [{ ...base, labels: { q: Infinity } }, /labels\.q: not a finite number/],
      [{ ...base, labels: { q: [''] } }, /labels\.q\[0\]: expected a non-empty label/],
      [{ ...base, steps: [{ step: 1.5, labels: [] }] }, /steps\[0\]\.step: expected a step index/],
      [{ ...base, steps: [{ step: 1, labels: 'x' }] }, /steps\[0\]\.labels: expected a list/],
      [{ ...base, note: 5 }, /note: expected text/],
    ];
    for (const [value, message] of cases) assert.throws(() => checkAnnotation(value), message);
  });

  test('a later time supersedes; an equal time supersedes too (the later line wins)', () => {
    assert.equal(supersedes({ ...base, at: '2025-01-02T00:00:00Z' }, base), true);
    assert.equal(supersedes(base, { ...base, at: '2025-01-02T00:00:00Z' }), false);
    assert.equal(supersedes(base, base), true);
  });
});
