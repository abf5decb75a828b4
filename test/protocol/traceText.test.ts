import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  answerPhaseText,
  answerText,
  generatedText,
  thinkingText,
  tokenOffsets,
  traceSpans,
} from '../../protocol/traceText';
import { sampleTrace } from './fixtures';
import { arbTrace } from './traceArbitraries';

describe('trace texts', () => {
  const t = sampleTrace();

  test('generated, thinking and answer text of the sample', () => {
    assert.equal(generatedText(t), '2 + 2 is 4. Wait, yes 4.</think>\n4');
    assert.equal(thinkingText(t), '2 + 2 is 4. Wait, yes 4.');
    assert.equal(answerPhaseText(t), '</think>\n4');
    assert.equal(answerText(t), '4');
  });

  test('the answer is what follows the last end-of-thinking delimiter, trimmed', () => {
    const tokens = ['</think>', ' A ', '</think>', '  B\n'].map((text) => ({ ...t.tokens[4]!, text }));
    assert.equal(answerText({ tokens, delimiters: t.delimiters }), 'B');
    const noDelimiter = [{ ...t.tokens[6]!, text: '  C ' }];
    assert.equal(answerText({ tokens: noDelimiter, delimiters: t.delimiters }), 'C');
    assert.equal(answerText({ tokens: [], delimiters: t.delimiters }), '');
  });

  test('token offsets', () => {
    assert.deepEqual(tokenOffsets(t), [0, 5, 11, 16, 24, 32, 33, 34]);
    assert.deepEqual(tokenOffsets({ tokens: [] }), [0]);
  });

  test('spans of the sample', () => {
    assert.deepEqual(
      traceSpans(t).map((s) => [s.phase, s.source, s.startToken, s.endToken, s.startChar, s.endChar]),
      [
        ['thinking', 'model', 0, 2, 0, 11],
        ['thinking', 'injected', 2, 3, 11, 16],
        ['thinking', 'model', 3, 4, 16, 24],
        ['answer', 'model', 4, 5, 24, 32],
        ['answer', 'forced', 5, 6, 32, 33],
        ['answer', 'model', 6, 7, 33, 34],
      ],
    );
  });

  test('spans cover the tokens and the text exactly, and are maximal (property)', () => {
    fc.assert(
      fc.property(arbTrace, (trace) => {
        const spans = traceSpans(trace);
        const text = generatedText(trace);
        let token = 0;
        let char = 0;
        spans.forEach((s, i) => {
          assert.equal(s.startToken, token);
          assert.equal(s.startChar, char);
          assert.ok(s.endToken > s.startToken);
          for (let k = s.startToken; k < s.endToken; k++) {
            assert.equal(trace.tokens[k]!.phase, s.phase);
            assert.equal(trace.tokens[k]!.source, s.source);
          }
          const next = spans[i + 1];
          if (next) assert.ok(next.phase !== s.phase || next.source !== s.source);
          token = s.endToken;
          char = s.endChar;
        });
        assert.equal(token, trace.tokens.length);
        assert.equal(char, text.length);
        const offsets = tokenOffsets(trace);
        trace.tokens.forEach((tok, i) => assert.equal(text.slice(offsets[i], offsets[i + 1]), tok.text));
        assert.equal(thinkingText(trace).length + answerPhaseText(trace).length, text.length);
      }),
      { numRuns: 300 },
    );
  });
});
