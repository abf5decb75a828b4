import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { vocabularyWords } from '../../../server/tinymodel/corpus';
import {
  buildVocabulary,
  MULTIBYTE_CHARACTERS,
  SPACE_MARKER,
  TokenType,
  wordForms,
} from '../../../server/tinymodel/vocabulary';

describe('buildVocabulary', () => {
  const vocab = buildVocabulary(vocabularyWords());

  test('special tokens come first, with llama.cpp token types', () => {
    assert.deepEqual(vocab.tokens.slice(0, 3), ['<unk>', '<s>', '</s>']);
    assert.deepEqual([vocab.special.unk, vocab.special.bos, vocab.special.eos], [0, 1, 2]);
    assert.deepEqual(vocab.types.slice(0, 3), [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL]);
    for (const name of ['thinkStart', 'thinkEnd'] as const) {
      assert.equal(vocab.types[vocab.special[name]], TokenType.USER_DEFINED);
    }
    for (const name of ['imStart', 'imEnd'] as const) assert.equal(vocab.types[vocab.special[name]], TokenType.CONTROL);
    assert.equal(vocab.tokens[vocab.special.thinkEnd], '</think>');
  });

  test('has all 256 byte tokens for byte fallback', () => {
    for (let b = 0; b < 256; b++) {
      const text = `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`;
      assert.equal(vocab.tokens[3 + b], text);
      assert.equal(vocab.types[3 + b], TokenType.BYTE);
    }
  });

  test('has no duplicates and no raw space', () => {
    assert.equal(new Set(vocab.tokens).size, vocab.tokens.length);
    assert.equal(vocab.find(' '), undefined);
    assert.notEqual(vocab.find(SPACE_MARKER), undefined);
  });

  test('every prefix of a normal token is a token, so SPM can merge it one character at a time', () => {
    vocab.tokens.forEach((text, id) => {
      if (vocab.types[id] !== TokenType.NORMAL) return;
      const chars = [...text];
      for (let n = 1; n < chars.length; n++) {
        assert.notEqual(vocab.find(chars.slice(0, n).join('')), undefined, `prefix of ${JSON.stringify(text)}`);
      }
    });
  });

  test('knows the words of reasoning traces, with and without the space marker', () => {
    for (const word of ['Wait', 'Hmm', 'Alternatively', 'But', 'wait', 'Let', 'me', 'check', 'Actually', 'So', 'the',
      'answer', 'is', 'Final', 'Answer', 'think', 'user', 'assistant', 'boxed', 'sum', 'total', 'multiply']) {
      vocab.idOf(word);
      vocab.idOf(SPACE_MARKER + word);
    }
    for (const ch of MULTIBYTE_CHARACTERS) vocab.idOf(ch);
    vocab.idOf('\n');
    vocab.idOf('\n\n');
    vocab.idOf('\\boxed{');
    assert.throws(() => vocab.idOf('zebra'), /has no token "zebra"/);
  });

  test('longer pieces merge first: scores grow with length', () => {
    assert.ok(vocab.scores[vocab.idOf(`${SPACE_MARKER}answer`)]! > vocab.scores[vocab.idOf(`${SPACE_MARKER}ans`)]!);
    assert.equal(vocab.scores[vocab.special.bos], 0);
  });

  test('wordForms gives the lower-case and capitalized forms', () => {
    assert.deepEqual(wordForms('Wait'), ['wait', 'Wait']);
    assert.deepEqual(wordForms('7'), ['7']);
  });
});
