import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  approximateEntropy,
  LogprobsShapeError,
  normalizeLogprobs,
  parseTokenString,
  traceAlternatives,
} from '../../../../server/engine/remote/logprobs';

describe('normalizeLogprobs: the completions layout (vLLM, OpenAI legacy)', () => {
  test('maps tokens, token_logprobs and top_logprobs dicts position by position', () => {
    const entries = normalizeLogprobs({
      tokens: [' the', '</think>'],
      token_logprobs: [-0.5, -1.25],
      top_logprobs: [{ ' the': -0.5, ' a': -1.5 }, { '</think>': -1.25 }],
      text_offset: [0, 4],
    });
    assert.deepEqual(entries, [
      { text: ' the', id: null, logprob: -0.5, top: [{ text: ' the', id: null, logprob: -0.5 }, { text: ' a', id: null, logprob: -1.5 }] },
      { text: '</think>', id: null, logprob: -1.25, top: [{ text: '</think>', id: null, logprob: -1.25 }] },
    ]);
  });

  test('reads vLLM token_id:N tokens as ids without text', () => {
    const entries = normalizeLogprobs({ tokens: ['token_id:42'], token_logprobs: [-0.1], top_logprobs: [{ 'token_id:42': -0.1, 'token_id:7': -3 }] });
    assert.deepEqual(entries![0], {
      text: null,
      id: 42,
      logprob: -0.1,
      top: [{ text: null, id: 42, logprob: -0.1 }, { text: null, id: 7, logprob: -3 }],
    });
    assert.deepEqual(parseTokenString('token_id:5x'), { text: 'token_id:5x', id: null });
  });

  test('null logprobs and null top_logprobs entries are allowed; none at all gives null', () => {
    assert.equal(normalizeLogprobs(null), null);
    assert.equal(normalizeLogprobs(undefined), null);
    assert.equal(normalizeLogprobs({ tokens: [], token_logprobs: [], top_logprobs: [] }), null);
    const entries = normalizeLogprobs({ tokens: ['a'], token_logprobs: [null], top_logprobs: null });
    assert.deepEqual(entries, [{ text: 'a', id: null, logprob: null, top: null }]);
  });

  test('lists of different lengths and wrong types are refused with the field named', () => {
    assert.throws(() => normalizeLogprobs({ tokens: ['a', 'b'], token_logprobs: [-1] }), /token_logprobs must be a list as long as logprobs.tokens/);
    assert.throws(() => normalizeLogprobs({ tokens: [3] }), /logprobs.tokens\[0\] must be a string/);
    assert.throws(() => normalizeLogprobs({ tokens: ['a'], top_logprobs: [{ a: 'x' }] }), /top_logprobs\[0\]\["a"\] must be a number/);
    assert.throws(() => normalizeLogprobs('no'), LogprobsShapeError);
  });
});

describe('normalizeLogprobs: the content layout (llama.cpp server, OpenAI chat)', () => {
  test('keeps ids when the server gives them', () => {
    const entries = normalizeLogprobs({
      content: [{ id: 9, token: 'Hi', logprob: -0.2, bytes: [72, 105], top_logprobs: [{ id: 9, token: 'Hi', logprob: -0.2 }, { id: 3, token: 'Yo', logprob: -2 }] }],
    });
    assert.deepEqual(entries, [
      { text: 'Hi', id: 9, logprob: -0.2, top: [{ text: 'Hi', id: 9, logprob: -0.2 }, { text: 'Yo', id: 3, logprob: -2 }] },
    ]);
  });

  test('refuses entries without a token string', () => {
    assert.throws(() => normalizeLogprobs({ content: [{ logprob: -1 }] }), /logprobs.content\[0\].token must be a string/);
  });
});

describe('traceAlternatives', () => {
  test('sorts most likely first, keeps k, takes texts for id-only alternatives, and drops unknown ids', () => {
    const { top, dropped } = traceAlternatives(
      [
        { text: null, id: 5, logprob: -2 },
        { text: 'b', id: 2, logprob: -0.5 },
        { text: 'c', id: null, logprob: -1 },
        { text: 'd', id: 4, logprob: -3 },
      ],
      3,
      (id) => (id === 5 ? 'five' : undefined),
    );
    assert.deepEqual(top, [
      { id: 2, text: 'b', logprob: -0.5 },
      { id: 5, text: 'five', logprob: -2 },
    ]);
    assert.equal(dropped, 1);
  });

  test('k = 0 or no alternatives gives none', () => {
    assert.deepEqual(traceAlternatives([{ text: 'a', id: 1, logprob: -1 }], 0, () => undefined), { top: [], dropped: 0 });
    assert.deepEqual(traceAlternatives(null, 5, () => undefined), { top: [], dropped: 0 });
  });
});

describe('approximateEntropy', () => {
  test('is exact when the alternatives hold all the probability', () => {
    const h = approximateEntropy([
      { text: 'a', id: 1, logprob: Math.log(0.5) },
      { text: 'b', id: 2, logprob: Math.log(0.5) },
    ]);
    assert.ok(Math.abs(h! - Math.log(2)) < 1e-12);
  });

  test('counts a duplicate of the chosen token once', () => {
    const h = approximateEntropy([
      { text: 'a', id: 1, logprob: Math.log(0.5) },
      { text: 'a', id: 1, logprob: Math.log(0.5) },
      { text: 'b', id: 2, logprob: Math.log(0.5) },
    ]);
    assert.ok(Math.abs(h! - Math.log(2)) < 1e-12);
  });

  test('is null when the alternatives miss more than the allowed mass, and a lower bound otherwise', () => {
    assert.equal(approximateEntropy([{ text: 'a', id: 1, logprob: Math.log(0.9) }]), null);
    const p = [0.9995, 0.0004];
    const h = approximateEntropy(p.map((x, i) => ({ text: String(i), id: i, logprob: Math.log(x) })));
    const exactWithRestSpread = -p.reduce((s, x) => s + x * Math.log(x), 0) - 0.0001 * Math.log(0.0001 / 100);
    assert.ok(h !== null && h > 0 && h <= exactWithRestSpread);
  });
});
