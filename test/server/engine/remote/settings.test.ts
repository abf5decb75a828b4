import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_REMOTE_SETTINGS } from '../../../../protocol/remote';
import { RemoteEngineError } from '../../../../server/engine/remote/errors';
import { checkRemoteSettings } from '../../../../server/engine/remote/settings';

describe('checkRemoteSettings', () => {
  test('fills defaults and normalizes', () => {
    const s = checkRemoteSettings({ endpoint: ' http://gpu:8000/v1 ', model: ' simplescaling/s1.1-32B ' });
    assert.deepEqual(s, { ...DEFAULT_REMOTE_SETTINGS, endpoint: 'http://gpu:8000/v1', model: 'simplescaling/s1.1-32B' });
  });

  test('names the setting and the value that is wrong', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ endpoint: '' }, /thinkscope.remote.endpoint must be a URL/],
      [{ timeoutMs: 0 }, /thinkscope.remote.timeoutMs must be a whole number ≥ 1, got 0/],
      [{ maxRetries: -1 }, /maxRetries must be a whole number ≥ 0/],
      [{ concurrency: 2.5 }, /concurrency must be a whole number ≥ 1, got 2.5/],
      [{ tokenCounting: 'magic' }, /tokenCounting must be "usage", "tokenizer" or "auto", got "magic"/],
      [{ contextSize: 3 }, /contextSize must be a whole number ≥ 16/],
      [{ chatTemplate: 7 }, /chatTemplate must be a Jinja template/],
      [{ apiKey: 'sk-x' }, /Unknown remote setting "apiKey"/],
    ];
    for (const [value, message] of cases) {
      assert.throws(() => checkRemoteSettings(value), (e: unknown) => e instanceof RemoteEngineError && e.kind === 'settings' && message.test(e.message));
    }
    assert.throws(() => checkRemoteSettings(null), /must be an object/);
  });
});
