import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ChunkFormatError, chunkExcerpt, normalizeChunk, serverErrorMessage } from '../../../../server/engine/remote/wire';

describe('normalizeChunk', () => {
  test('reads a vLLM streamed chunk with logprobs, token ids, stop reason and usage', () => {
    const chunk = normalizeChunk({
      id: 'cmpl-1',
      object: 'text_completion',
      choices: [
        {
          index: 0,
          text: '</think>',
          logprobs: { tokens: ['</think>'], token_logprobs: [-0.7], top_logprobs: [{ '</think>': -0.7 }], text_offset: [12] },
          finish_reason: 'stop',
          stop_reason: '</think>',
          token_ids: [260],
          prompt_token_ids: [1, 2, 3],
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
    });
    assert.equal(chunk.text, '</think>');
    assert.equal(chunk.finishReason, 'stop');
    assert.equal(chunk.stopReason, '</think>');
    assert.deepEqual(chunk.tokenIds, [260]);
    assert.deepEqual(chunk.promptTokenIds, [1, 2, 3]);
    assert.deepEqual(chunk.usage, { promptTokens: 3, completionTokens: 5 });
    assert.equal(chunk.logprobs![0]!.logprob, -0.7);
  });

  test('tells an absent stop_reason (undefined) from vLLM\'s null (end-of-sequence)', () => {
    assert.equal(normalizeChunk({ choices: [{ text: '', finish_reason: 'stop' }] }).stopReason, undefined);
    assert.equal(normalizeChunk({ choices: [{ text: '', finish_reason: 'stop', stop_reason: null }] }).stopReason, null);
    assert.equal(normalizeChunk({ choices: [{ text: '', finish_reason: 'stop', stop_reason: 2 }] }).stopReason, 2);
  });

  test('a usage-only chunk (no choices) is empty text with usage', () => {
    const chunk = normalizeChunk({ choices: [], usage: { prompt_tokens: 4, completion_tokens: 9 } });
    assert.equal(chunk.text, '');
    assert.equal(chunk.finishReason, null);
    assert.deepEqual(chunk.usage, { promptTokens: 4, completionTokens: 9 });
  });

  test('names the field that is wrong', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /must be a JSON object/],
      [{ id: 'x' }, /must have choices/],
      [{ choices: {} }, /choices must be a list/],
      [{ choices: [{ text: 5 }] }, /choices\[0\].text must be a string/],
      [{ choices: [{ text: '', finish_reason: 1 }] }, /finish_reason must be a string or null/],
      [{ choices: [{ text: '', token_ids: ['a'] }] }, /token_ids must be a list of token ids/],
      [{ choices: [{ text: '', logprobs: { tokens: 'a' } }] }, /choices\[0\].logprobs.tokens must be a list/],
      [{ choices: [{ text: '' }], usage: { completion_tokens: -1 } }, /usage.completion_tokens must be a whole number/],
    ];
    for (const [value, message] of cases) assert.throws(() => normalizeChunk(value), (e: unknown) => e instanceof ChunkFormatError && message.test(e.message));
  });
});

describe('serverErrorMessage', () => {
  test('finds the message in the OpenAI and the older vLLM error shapes', () => {
    assert.equal(serverErrorMessage({ error: { message: 'boom', type: 'X' } }), 'boom');
    assert.equal(serverErrorMessage({ object: 'error', message: 'too long', code: 400 }), 'too long');
    assert.equal(serverErrorMessage({ error: 'Unauthorized' }), 'Unauthorized');
    assert.equal(serverErrorMessage({ choices: [] }), null);
    assert.equal(serverErrorMessage('text'), null);
  });
});

test('chunkExcerpt flattens whitespace and cuts long data', () => {
  assert.equal(chunkExcerpt('{"a":\n 1}'), '{"a": 1}');
  assert.equal(chunkExcerpt('x'.repeat(200), 10), `${'x'.repeat(10)}…`);
});
