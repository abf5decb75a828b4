import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DatasetRecord } from '../../../../protocol/dataset';
import { parseTraceDocument } from '../../../../protocol/guards';
import { estimateTokens, toTraceDocument } from '../../../../server/dataset/import/toTrace';

function record(thinking: string, attempt: string | null): DatasetRecord {
  return {
    id: 'r1',
    question: 'What is 6 x 7?',
    solution: '42',
    thinking,
    attempt,
    domain: null,
    cotType: null,
    sourceType: null,
    metadata: null,
    metadataRaw: null,
    columns: {},
    origin: { file: 'x.jsonl', container: 'jsonl', row: 1, format: 'r1-think' },
  };
}

describe('estimateTokens', () => {
  test('pieces always join back to the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        assert.equal(estimateTokens(text).join(''), text);
      }),
      { numRuns: 500 },
    );
  });

  test('splits words, digits and punctuation roughly like a BPE pre-tokenizer', () => {
    assert.deepEqual(estimateTokens("Let's compute 12345 + x."), ['Let', "'s", ' comput', 'e', ' 123', '45', ' +', ' x', '.']);
    const prose = 'The quick brown fox jumps over the lazy dog, then reconsiders its extraordinary approach. '.repeat(20);
    const perToken = prose.length / estimateTokens(prose).length;
    assert.ok(perToken > 3 && perToken < 6, `chars per token ${perToken}`);
  });
});

describe('toTraceDocument', () => {
  test('builds a steppable trace from text with estimated counts', () => {
    const doc = toTraceDocument(record('Six sevens.\n\nWait, that is 42.', 'The answer is 42.'), { createdAt: '2025-01-01T00:00:00.000Z' });
    assert.equal(doc.format, 'thinkscope.trace');
    assert.equal(doc.tokenCounts, 'estimated');
    assert.equal(doc.stopReason, 'imported');
    const thinking = doc.tokens.filter((t) => t.phase === 'thinking').map((t) => t.text).join('');
    const answer = doc.tokens.filter((t) => t.phase === 'answer').map((t) => t.text).join('');
    assert.equal(thinking, 'Six sevens.\n\nWait, that is 42.');
    assert.equal(answer, '</think>The answer is 42.');
    assert.equal(doc.answer, 'The answer is 42.');
    parseTraceDocument(doc, 'built');
    assert.equal(doc.thinkingTokens + doc.answerTokens, doc.tokens.length);
    assert.deepEqual(doc.events, [{ kind: 'natural-end', at: doc.thinkingTokens, thinkingTokens: doc.thinkingTokens, detail: 'imported from text' }]);
    assert.equal(doc.tokens[doc.thinkingTokens]!.text, '</think>');
    assert.equal(doc.groundTruth, '42');
    assert.ok(doc.tokens.every((t) => t.id === -1 && t.logprob === null && t.source === 'model'));
  });

  test('uses the given tokenizer and says so; refuses one that loses text', () => {
    const chars = (text: string): string[] => Array.from(text);
    const doc = toTraceDocument(record('abc', 'd'), chars);
    assert.equal(doc.tokenCounts, 'tokenizer');
    assert.equal(doc.thinkingTokens, 3);
    assert.equal(doc.answerTokens, 2);
    assert.throws(() => toTraceDocument(record('abc', 'd'), (t) => [t.slice(1)]), /tokenizer's pieces do not give back the thinking text \(they differ from character 1\)/);
  });

  test('a record without an answer has no end-of-thinking', () => {
    const doc = toTraceDocument(record('still thinking', null), { delimiters: { thinkStart: '<|im_start|>think', thinkEnd: '<|im_start|>answer' } });
    assert.equal(doc.answerTokens, 0);
    assert.deepEqual(doc.events, []);
    assert.equal(doc.delimiters.thinkEnd, '<|im_start|>answer');
  });

  test('what it builds is a valid trace by the trace guard, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.option(fc.string({ unit: 'grapheme', maxLength: 80 }), { nil: null }), (thinking, attempt) => {
        const doc = toTraceDocument(record(thinking, attempt));
        parseTraceDocument(doc, 'built');
        assert.equal(doc.answer, attempt === null ? '' : attempt.trim());
      }),
      { numRuns: 300 },
    );
  });

  test('a record imported from a trace gives its trace back', () => {
    const base = toTraceDocument(record('x', 'y'));
    const withTrace = { ...record('x', 'y'), trace: base };
    assert.equal(toTraceDocument(withTrace), base);
  });
});
