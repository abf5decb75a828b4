import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGeneratedText, firstTokenFrom, tokenAtChar } from '../../../server/analysis/generatedText';
import { answer, naturalEnd, think, traceOf, type Piece } from './traceFixtures';

describe('buildGeneratedText', () => {
  test('joins token text and records token starts and phase runs', () => {
    const trace = traceOf([think('Ab cd'), naturalEnd(), answer(' ef'), think(' gh')]);
    const g = buildGeneratedText(trace.tokens);
    assert.equal(g.text, 'Ab cd</think> ef gh');
    assert.deepEqual([...g.starts], [0, 2, 5, 13, 16, 19]);
    assert.deepEqual(
      g.runs.map((r) => [r.phase, r.startToken, r.endToken, r.startChar, r.endChar]),
      [
        ['thinking', 0, 2, 0, 5],
        ['answer', 2, 4, 5, 16],
        ['thinking', 4, 5, 16, 19],
      ],
    );
  });

  test('maps characters to tokens, skipping zero-length tokens', () => {
    // A character split over two tokens: the first carries "", the second the whole character.
    const pieces: Piece[] = [
      { text: 'a', phase: 'thinking', source: 'model', whole: true },
      { text: '', phase: 'thinking', source: 'model', whole: true },
      { text: 'é', phase: 'thinking', source: 'model', whole: true },
      { text: 'b', phase: 'thinking', source: 'model', whole: true },
    ];
    const g = buildGeneratedText(traceOf(pieces).tokens);
    assert.equal(tokenAtChar(g, 0), 0);
    assert.equal(tokenAtChar(g, 1), 2);
    assert.equal(tokenAtChar(g, 2), 3);
    assert.equal(tokenAtChar(g, 99), 3);
    assert.equal(firstTokenFrom(g, 1), 1);
    assert.equal(firstTokenFrom(g, 3), 4);
  });

  test('an empty trace', () => {
    const g = buildGeneratedText([]);
    assert.equal(g.text, '');
    assert.equal(tokenAtChar(g, 0), -1);
    assert.deepEqual(g.runs, []);
  });
});
