import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { idsNeedingText, shareText, splitChunk } from '../../../../server/engine/remote/samples';
import { normalizeChunk } from '../../../../server/engine/remote/wire';

const none = () => undefined;

function vllmChunk(text: string, tokens: string[], opts: { ids?: number[]; finish?: string; stop?: string | null } = {}) {
  return normalizeChunk({
    choices: [
      {
        text,
        logprobs: {
          tokens,
          token_logprobs: tokens.map((_, i) => -0.1 * (i + 1)),
          top_logprobs: tokens.map((t) => ({ [t]: -0.1, alt: -2 })),
          text_offset: tokens.map((_, i) => i),
        },
        finish_reason: opts.finish ?? null,
        ...(opts.stop !== undefined ? { stop_reason: opts.stop } : {}),
        ...(opts.ids ? { token_ids: opts.ids } : {}),
      },
    ],
  });
}

describe('splitChunk', () => {
  test('one token per chunk takes the chunk text, with its id, logprob and alternatives', () => {
    const { content, stop, perToken } = splitChunk(vllmChunk(' need', [' need'], { ids: [512] }), { terminalStop: false, pieceOf: none });
    assert.equal(perToken, true);
    assert.equal(stop, null);
    assert.deepEqual(content.map((s) => [s.id, s.text, s.logprob, s.count]), [[512, ' need', -0.1, 1]]);
    assert.deepEqual(content[0]!.top!.map((a) => a.text), [' need', 'alt']);
  });

  test('a token inside a multi-byte character adds "" and the next carries the character', () => {
    const first = splitChunk(vllmChunk('', ['\uFFFD']), { terminalStop: false, pieceOf: none });
    assert.deepEqual(first.content.map((s) => s.text), ['']);
    const both = splitChunk(vllmChunk('é', ['\uFFFD', '\uFFFD']), { terminalStop: false, pieceOf: none });
    assert.deepEqual(both.content.map((s) => s.text), ['', 'é']);
  });

  test('several tokens in one chunk share its text by their pieces', () => {
    const { content } = splitChunk(vllmChunk('Let me', ['Let', ' me']), { terminalStop: false, pieceOf: none });
    assert.deepEqual(content.map((s) => s.text), ['Let', ' me']);
  });

  test('the stop token vLLM reports past the text becomes the stop sample', () => {
    // Text without the stop string (include_stop_str_in_output false, or already taken off).
    const a = splitChunk(vllmChunk('.', ['.', '</think>'], { ids: [278, 260], finish: 'stop', stop: '</think>' }), { terminalStop: true, pieceOf: none });
    assert.deepEqual(a.content.map((s) => s.text), ['.']);
    assert.deepEqual([a.stop!.id, a.stop!.piece, a.stop!.text, a.stop!.logprob], [260, '</think>', '', -0.2]);
    const b = splitChunk(vllmChunk('', ['</think>'], { finish: 'stop', stop: '</think>' }), { terminalStop: true, pieceOf: none });
    assert.deepEqual(b.content, []);
    assert.equal(b.stop!.piece, '</think>');
  });

  test('a server that leaves the stop token out: the last token made text, so there is no stop sample', () => {
    const { content, stop } = splitChunk(vllmChunk(' total', [' total'], { finish: 'stop' }), { terminalStop: true, pieceOf: none });
    assert.deepEqual(content.map((s) => s.text), [' total']);
    assert.equal(stop, null);
  });

  test('end-of-sequence: the last token is the stop even when its text was written out', () => {
    const { content, stop } = splitChunk(vllmChunk('.</s>', ['.', '</s>'], { finish: 'stop', stop: null }), {
      terminalStop: true,
      endOfSequence: true,
      pieceOf: none,
    });
    assert.deepEqual(content.map((s) => s.text), ['.']);
    assert.equal(stop!.piece, '</s>');
  });

  test('id-only tokens (token_id:N) get their pieces from the detokenizer cache', () => {
    const chunk = normalizeChunk({
      choices: [{ text: 'ab', logprobs: { tokens: ['token_id:1', 'token_id:2'], token_logprobs: [-1, -1], top_logprobs: [{ 'token_id:3': -0.5 }, null] } }],
    });
    assert.deepEqual(idsNeedingText(chunk).sort(), [1, 2, 3]);
    const pieces = new Map([[1, 'a'], [2, 'b'], [3, 'c']]);
    const { content } = splitChunk(chunk, { terminalStop: false, pieceOf: (id) => pieces.get(id) });
    assert.deepEqual(content.map((s) => [s.id, s.text, s.piece]), [[1, 'a', 'a'], [2, 'b', 'b']]);
    assert.deepEqual(content[0]!.top, [{ text: 'c', id: 3, logprob: -0.5 }]);
  });

  test('without logprobs or ids the chunk is one sample of `chunkCount` tokens', () => {
    const chunk = normalizeChunk({ choices: [{ text: 'Let me think', finish_reason: null }] });
    const { content, perToken } = splitChunk(chunk, { terminalStop: false, pieceOf: none, chunkCount: 3 });
    assert.equal(perToken, false);
    assert.deepEqual(content.map((s) => [s.id, s.text, s.logprob, s.count]), [[null, 'Let me think', null, 3]]);
    assert.deepEqual(splitChunk(normalizeChunk({ choices: [{ text: '' }] }), { terminalStop: false, pieceOf: none }).content, []);
  });
});

describe('shareText', () => {
  test('the parts always join to the text', () => {
    const cases: Array<[string, Array<string | null>]> = [
      ['abc', ['a', 'b', 'c']],
      ['abc', ['x', null, 'c']],
      ['abc', ['ab', 'zz']],
      ['', ['a', 'b']],
      ['héllo', ['h', '\uFFFD', '\uFFFD', 'llo']],
    ];
    for (const [text, pieces] of cases) {
      const parts = shareText(text, pieces);
      assert.equal(parts.length, pieces.length);
      assert.equal(parts.join(''), text);
    }
    assert.deepEqual(shareText('abc', []), []);
  });
});
