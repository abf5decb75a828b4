import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redactError, redactSecrets, RemoteEngineError } from '../../../../server/engine/remote/errors';

describe('redactSecrets', () => {
  test('replaces every occurrence of each secret and of its URL-encoded form', () => {
    const key = 'sk-test/abc+123';
    const text = `key ${key} again ${key} and ${encodeURIComponent(key)}`;
    const out = redactSecrets(text, [key, undefined]);
    assert.ok(!out.includes(key) && !out.includes(encodeURIComponent(key)));
    assert.equal(out, 'key [redacted] again [redacted] and [redacted]');
  });

  test('ignores secrets too short to redact safely', () => {
    assert.equal(redactSecrets('a b c', ['a', '']), 'a b c');
  });
});

describe('redactError', () => {
  test('keeps the kind, status and retry facts of a RemoteEngineError', () => {
    const e = redactError(new RemoteEngineError('rate-limited', 'key sk-abcdef was slow', 429, true, 1000), ['sk-abcdef']);
    assert.ok(e instanceof RemoteEngineError);
    assert.deepEqual([e.kind, e.status, e.retryable, e.retryAfterMs, e.message], ['rate-limited', 429, true, 1000, 'key [redacted] was slow']);
  });

  test('redacts other errors too, and returns errors without secrets unchanged', () => {
    const plain = new TypeError('fetch failed for sk-abcdef');
    const out = redactError(plain, ['sk-abcdef']);
    assert.equal(out.message, 'fetch failed for [redacted]');
    assert.equal(out.name, 'TypeError');
    const clean = new Error('nothing here');
    assert.equal(redactError(clean, ['sk-abcdef']), clean);
  });
});
