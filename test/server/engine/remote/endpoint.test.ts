import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseEndpoint, publicEndpoint } from '../../../../server/engine/remote/endpoint';
import { RemoteEngineError } from '../../../../server/engine/remote/errors';

describe('parseEndpoint', () => {
  test('splits the API base and the server root', () => {
    assert.deepEqual(parseEndpoint('http://127.0.0.1:8000/v1/'), { base: 'http://127.0.0.1:8000/v1', root: 'http://127.0.0.1:8000', userinfo: null });
    assert.deepEqual(parseEndpoint('https://gpu.example.org/serve/v1'), {
      base: 'https://gpu.example.org/serve/v1',
      root: 'https://gpu.example.org/serve',
      userinfo: null,
    });
  });

  test('takes credentials out of the URL (kept only for Basic auth) and drops query and fragment', () => {
    const e = parseEndpoint('http://alice:s3cr%40t@host:8000/v1?token=abc#x');
    assert.equal(e.base, 'http://host:8000/v1');
    assert.equal(e.userinfo, 'alice:s3cr@t');
    assert.ok(!e.base.includes('s3cr'));
  });

  test('refuses what is not an http(s) URL, without repeating credentials', () => {
    assert.throws(() => parseEndpoint('ftp://host/v1'), (err: unknown) => err instanceof RemoteEngineError && err.kind === 'settings' && /http:\/\/ or https:\/\//.test(err.message));
    assert.throws(
      () => parseEndpoint('hunter22@not a url'),
      (err: unknown) => err instanceof RemoteEngineError && /is not a URL/.test(err.message) && !err.message.includes('hunter22'),
    );
  });
});

describe('publicEndpoint', () => {
  test('strips userinfo, query and fragment', () => {
    assert.equal(publicEndpoint('https://u:p@host/v1?key=1#f'), 'https://host/v1');
    assert.equal(publicEndpoint('http://127.0.0.1:8000/v1'), 'http://127.0.0.1:8000/v1');
  });
});
